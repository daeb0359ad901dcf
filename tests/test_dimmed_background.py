"""Dialogs dim the screen behind them exactly as Textual does, from a cache of tinted styles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.renderables.background_screen import BackgroundScreen

from salesdev_tui.textual_patches.dimmed_background import CachedTint

SEGMENTS = [
    Segment("plain"),
    Segment("red on blue", Style(color="red", bgcolor="blue")),
    Segment("bold truecolor", Style(bold=True, color="#1a2b3c", bgcolor="#fefefe")),
    Segment("only background", Style(bgcolor="#203040")),
    Segment("a link", Style(link="https://example.com", color="green")),
    Segment("meta", Style(meta={"@click": "app.bell"}, italic=True)),
    Segment("\x1b[2J", None, control=[]),  # type: ignore[arg-type]
    Segment("red on blue again", Style(color="red", bgcolor="blue")),
]


def test_tint_is_textuals_own_for_every_kind_of_segment() -> None:
    for tint in (Color(0, 0, 0, 0.6), Color(10, 20, 30, 0.3), Color(0, 0, 0, 0)):
        expected = list(BackgroundScreen.process_segments(SEGMENTS, tint))
        assert list(CachedTint.process_segments(SEGMENTS, tint)) == expected
        # Again, now from the cache.
        assert list(CachedTint.process_segments(SEGMENTS, tint)) == expected


def test_the_cache_is_per_style_and_tint_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from salesdev_tui.textual_patches import dimmed_background

    monkeypatch.setattr(CachedTint, "_tinted", {})
    monkeypatch.setattr(dimmed_background, "_MOST_STYLES", 3)
    list(CachedTint.process_segments(SEGMENTS[:3], Color(0, 0, 0, 0.6)))
    assert len(CachedTint._tinted) == 3
    list(CachedTint.process_segments(SEGMENTS[3:4], Color(0, 0, 0, 0.6)))
    assert len(CachedTint._tinted) == 1  # full: emptied, then the new style kept


def screen_text(app: Any) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_dialog_shows_what_changed_behind_it_and_keeps_the_rest(
    make_app: Callable[..., Any],
) -> None:
    from salesdev_tui.dialogs.confirm import ConfirmScreen
    from tests.conftest import wait_ready
    from tests.test_today_and_page import add_customer, plan

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        dialog = ConfirmScreen("Purge for good?", "Nothing can bring it back.")
        app.push_screen(dialog)
        await wait_ready(pilot)
        assert "Purge for good?" in screen_text(app)
        assert dialog._drawn  # the dimmed Today behind it, kept

        # Today reloads behind the dialog: the dialog draws it again, with the new row.
        plan(app.store, add_customer(app.store, "Zenith Lamps"), 2, "Call about samples")
        app.changed()
        await wait_ready(pilot)
        await pilot.pause(0.1)
        text = screen_text(app)
        assert "Zenith Lamps" in text and "Purge for good?" in text
