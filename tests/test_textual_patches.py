"""Each reach into Textual's internals (salesdev_tui/textual_patches/) against the release it
was written for: a test here fails when an upgrade changes what a patch relies on.

Two kinds of check: the private attribute or method exists with the expected signature or
behaviour; and, where a patch copies or mirrors a Textual function, that function's source
is the one the patch was written against (a fingerprint of its text). A failure names the
patch to revisit, not necessarily a bug: read the new Textual code, adapt the patch (or drop
it if Textual now does the job), then update the fingerprint.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import inspect
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Label


def source_of(module: str, qualname: str) -> str:
    """The source text of `Class.method` in `module`, read from the file (so a patch
    applied at run time does not hide the original)."""
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None
    text = Path(spec.origin).read_text(encoding="utf-8")
    class_name, _dot, method = qualname.partition(".")
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and (
                    item.name == method
                ):
                    segment = ast.get_source_segment(text, item)
                    assert segment is not None
                    return segment
    raise AssertionError(f"{module}.{qualname} is gone")


def fingerprint(module: str, qualname: str) -> str:
    return hashlib.sha256(source_of(module, qualname).encode()).hexdigest()[:16]


def parameters(function: Any) -> list[str]:
    return list(inspect.signature(function).parameters)


class TwoModes(App[None]):
    MODES = {"one": lambda: Screen(), "two": lambda: Screen()}  # noqa: RUF012


# -- mode_stacks: App._screen_stacks ------------------------------------------------------


async def test_mode_stacks_reads_every_modes_stack() -> None:
    from salesdev_tui.textual_patches.mode_stacks import in_a_stack, mode_is_built

    app = TwoModes()
    async with app.run_test() as pilot:
        await app.switch_mode("one")
        first = app.screen
        await app.switch_mode("two")
        await pilot.pause()
        stacks = app._screen_stacks
        assert isinstance(stacks, dict) and set(stacks) >= {"one", "two"}
        assert all(isinstance(stack, list) for stack in stacks.values())
        assert in_a_stack(app, first)  # under another mode, still in a stack
        assert not in_a_stack(app, Screen())
        assert mode_is_built(app, "one") and not mode_is_built(app, "three")


# -- mode_switch: App.switch_mode calls delay_update --------------------------------------


def test_switch_mode_still_holds_the_frame_through_delay_update() -> None:
    assert "self.delay_update()" in source_of("textual.app", "App.switch_mode")
    assert parameters(App.delay_update) == ["self", "delay"]
    assert inspect.signature(App.delay_update).parameters["delay"].default == 0.05
    assert fingerprint("textual.app", "App.switch_mode") == "0592d2aad91c49f3"


async def test_a_built_mode_is_shown_without_the_hold() -> None:
    from salesdev_tui.textual_patches.mode_switch import FastModeSwitch

    held: list[str] = []

    class Probe(FastModeSwitch):
        MODES = TwoModes.MODES

        def delay_update(self, delay: float = 0.05) -> None:
            if not self._switching_to_built_mode:
                held.append(self.current_mode)
            super().delay_update(delay)

    app = Probe()
    async with app.run_test() as pilot:
        await app.switch_mode("one")
        await app.switch_mode("two")
        count = len(held)
        await app.switch_mode("one")  # built: no hold
        await pilot.pause()
        assert count >= 2 and len(held) == count


# -- toast_cells: Compositor._render_chops and render_partial_update -----------------------


def test_the_compositor_is_the_one_toast_cells_was_written_for() -> None:
    from textual._compositor import ChopsUpdate, Compositor

    assert parameters(Compositor._render_chops) == ["self", "crop", "is_rendered_line"]
    assert parameters(Compositor._get_renders) == ["self", "crop"]
    assert isinstance(inspect.getattr_static(Compositor, "cuts"), property | object)
    assert parameters(ChopsUpdate.__init__) == ["self", "chops", "spans", "chop_ends"]
    # toast_cells.py's _render_chops is a changed copy of this one, and wraps this one:
    assert fingerprint("textual._compositor", "Compositor._render_chops") == "12a7979c94d3dbb9"
    assert fingerprint(
        "textual._compositor", "Compositor.render_partial_update") == "b61a8d73910172a0"


def test_toast_cells_replaces_the_compositor_methods() -> None:
    from textual._compositor import Compositor

    from salesdev_tui.textual_patches import toast_cells

    toast_cells.keep_wide_characters_whole()
    toast_cells.keep_wide_characters_whole()  # idempotent
    compositor: Any = Compositor
    assert compositor._render_chops is toast_cells._render_chops
    assert compositor.render_partial_update is toast_cells._render_partial_update


# -- dimmed_background: Screen.render's BackgroundScreen ----------------------------------


def test_a_modal_screen_still_renders_a_background_screen() -> None:
    from textual.renderables.background_screen import BackgroundScreen

    assert "return BackgroundScreen(base_screen, background)" in source_of(
        "textual.screen", "Screen.render")
    assert parameters(BackgroundScreen.__init__) == ["self", "screen", "color"]
    assert parameters(BackgroundScreen.process_segments) == ["segments", "color"]
    assert fingerprint("textual.renderables.background_screen",
                       "BackgroundScreen.process_segments") == "500fb6b7fc3d1a2b"


async def test_a_dimmed_dialog_renders_the_cached_tint() -> None:
    from salesdev_tui.textual_patches.dimmed_background import CachedTint, DimmedBackground

    class Dialog(DimmedBackground, ModalScreen[None]):
        def compose(self) -> ComposeResult:
            yield Label("dialog")

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("behind " * 20)

    app = Host()
    async with app.run_test() as pilot:
        await app.push_screen(Dialog())
        await pilot.pause()
        rendered: list[object] = []
        original = CachedTint.process_segments.__func__  # type: ignore[attr-defined]

        def spy(cls: type[CachedTint], segments: Any, color: Any) -> Any:
            rendered.append(cls)
            return original(cls, segments, color)

        CachedTint.process_segments = classmethod(spy)  # type: ignore[assignment, method-assign]
        try:
            app.screen.refresh(app.screen.region)
            await pilot.pause()
        finally:
            CachedTint.process_segments = classmethod(original)  # type: ignore[assignment, method-assign]
        assert rendered, "the dialog did not draw the screen behind through CachedTint"


# -- kept_styles: ScreenResume.refresh_styles ---------------------------------------------


def test_screen_resume_still_asks_whether_to_restyle() -> None:
    assert events.ScreenResume().refresh_styles is True
    assert "if event.refresh_styles:" in source_of("textual.screen", "Screen._on_screen_resume")
    assert fingerprint("textual.screen", "Screen._on_screen_resume") == "e00b4ec53a62a57c"


def test_post_mount_follows_the_mount_handlers() -> None:
    """kept_styles marks a screen styled in `_post_mount`: after its on_mount has run."""
    pre_process = source_of("textual.message_pump", "MessagePump._pre_process")
    assert pre_process.index("events.Mount()") < pre_process.index("self._post_mount()")
    assert fingerprint("textual.message_pump", "MessagePump._pre_process") == "62aa845a46e33fd5"


async def test_a_screen_first_shown_is_not_restyled_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from salesdev_tui.textual_patches.kept_styles import KeptStyles

    restyled: list[bool] = []

    class Kept(KeptStyles, Screen[None]):
        def compose(self) -> ComposeResult:
            yield Label("kept")

    resume = Screen._on_screen_resume

    def seen(screen: Screen[Any], event: events.ScreenResume) -> None:
        if isinstance(screen, Kept):
            restyled.append(event.refresh_styles)
        resume(screen, event)

    monkeypatch.setattr(Screen, "_on_screen_resume", seen)

    class Shows(App[None]):
        def on_mount(self) -> None:
            self.push_screen(Kept())

    class Changing(Kept):
        """A screen whose context (the theme, say) changes between its mount and its show."""

        calls = 0

        def _style_context(self) -> tuple[object, ...]:
            self.calls += 1
            return (self.calls,)

    app = Shows()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert restyled == [False]
        await app.push_screen(Changing())
        await pilot.pause()
        assert restyled == [False, True]


# -- footer_keys: Footer._bindings_ready and what Footer.compose reads ---------------------


def test_footer_compose_reads_what_footer_keys_mirrors() -> None:
    assert "_bindings_ready" in Footer._reactives
    compose = source_of("textual.widgets._footer", "Footer.compose")
    for read in ("self._bindings_ready", "self.screen.active_bindings",
                 "self.app.COMMAND_PALETTE_BINDING", "self.show_command_palette",
                 "self.app.get_key_display(binding)"):
        assert read in compose, read
    assert fingerprint("textual.widgets._footer", "Footer.compose") == "599054f3465ac321"


async def test_footer_keys_change_with_the_bindings_shown() -> None:
    from salesdev_tui.textual_patches.footer_keys import footer_keys

    class Keys(App[None]):
        BINDINGS = [("x", "bell", "Ring")]  # noqa: RUF012

        def compose(self) -> ComposeResult:
            yield Footer()

    app = Keys()
    async with app.run_test() as pilot:
        await pilot.pause()
        footer = app.query_one(Footer)
        shown = footer_keys(footer)
        assert shown is not None and "Ring" in repr(shown)
        footer._bindings_ready = False
        assert footer_keys(footer) is None


# -- css_cache: Stylesheet._parse_rules, _parse_cache, _variables --------------------------


def test_the_stylesheet_parses_as_css_cache_expects() -> None:
    from textual.css.stylesheet import Stylesheet

    assert parameters(Stylesheet._parse_rules) == [
        "self", "css", "read_from", "is_default_rules", "tie_breaker", "scope"]
    stylesheet = Stylesheet(variables={"primary": "red"})
    assert stylesheet._variables == {"primary": "red"}
    assert hasattr(stylesheet._parse_cache, "__contains__")
    # css_cache.py keys its kept rules as this method keys its own cache, and fills that
    # cache: parse() calls it through the instance, so the wrapper sees every parse.
    parse_rules = source_of("textual.css.stylesheet", "Stylesheet._parse_rules")
    assert "cache_key = (css, read_from, is_default_rules, tie_breaker, scope)" in parse_rules
    assert "self._parse_rules(" in source_of("textual.css.stylesheet", "Stylesheet.parse")
    assert fingerprint("textual.css.stylesheet", "Stylesheet._parse_rules") == "01a7957fb176d1ba"
