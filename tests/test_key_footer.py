"""The footer (`widgets.key_footer.KeyFooter`): each key styled once when it mounts, and the
first keys held until the app's start-up settles (Today's rows come first)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets._footer import FooterKey

from salesdev_tui.widgets.key_footer import KeyFooter
from tests.conftest import wait_ready

MakeApp = Callable[..., Any]


class Keys(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "one", "Ring"), Binding("y", "two", "Ring again"),
        Binding("z", "three", "And again"),
    ]

    def __init__(self, hold: bool = False) -> None:
        super().__init__()
        self.held: list[Callable[[], None]] | None = [] if hold else None

    def compose(self) -> ComposeResult:
        yield KeyFooter()

    def after_start(self, callback: Callable[[], None]) -> None:
        # SalesdevApp's hook, in small: queued while `held` is a list.
        if self.held is None:
            callback()
        else:
            self.held.append(callback)

    def settle(self) -> None:
        held, self.held = self.held or [], None
        for callback in held:
            callback()


async def test_each_key_is_styled_once_when_it_mounts() -> None:
    """A key used to start compact and learn the footer's state after it mounted: two
    class changes, two restyles each, ~20 ms with Today's ~12 keys after the first frame."""
    app = Keys()
    restyled: list[str] = []
    real = app.update_styles

    def counting(node: Any, animate: bool = True) -> None:
        if isinstance(node, FooterKey):
            restyled.append(node.key)
        real(node, animate)

    app.update_styles = counting  # type: ignore[method-assign]
    async with app.run_test() as pilot:
        await pilot.pause()
        keys = list(app.query_one(KeyFooter).query(FooterKey))
    assert [key.key for key in keys if not key.has_class("-command-palette")] == ["x", "y", "z"]
    assert restyled == []
    for key in keys:  # the state each key ends with, as Textual's Footer gives it
        palette = key.has_class("-command-palette")
        assert key.compact is palette and key.has_class("-compact") is palette


async def test_the_first_keys_wait_for_the_start_up_to_settle() -> None:
    app = Keys(hold=True)
    async with app.run_test() as pilot:
        await pilot.pause()
        footer = app.query_one(KeyFooter)
        assert not footer.query(FooterKey)  # held: the rep waits for Today's rows first
        app.settle()
        await pilot.pause()
        assert [key.key for key in footer.query(FooterKey)][:3] == ["x", "y", "z"]


async def test_salesdev_settles_and_shows_its_keys(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert app._after_start is None  # settled
        footer = app.screen.query_one(KeyFooter)
        assert {"c", "n", "question_mark"} <= {key.key for key in footer.query(FooterKey)}
        ran: list[int] = []
        app.after_start(lambda: ran.append(1))  # settled: at once
        assert ran == [1]
