"""Colours come from the theme: text styled in Python takes `$error`, `$success`, … from the
app's theme, and no UI module or stylesheet names a colour of its own."""

from __future__ import annotations

import re
from pathlib import Path

from rich.style import Style
from textual.app import App

from salesdev_tui.widgets.contract_view import render_profit
from salesdev_tui.widgets.kpi_text import attainment_style
from salesdev_tui.widgets.theme_colours import PLAIN, Colours

PACKAGE = Path(__file__).resolve().parent.parent / "salesdev_tui"
UI = ("screens", "dialogs", "forms", "widgets", "textual_patches")
NAMED = re.compile(
    r"""(style=|:\s*)["'][^"'\n]*\b(red|green|yellow|blue|magenta|cyan|white|black|orange|"""
    r"""gr[ae]y\d*|bright_\w+)\b|#[0-9a-fA-F]{6}\b""")


async def test_colours_follow_the_theme() -> None:
    app: App[None] = App()
    async with app.run_test() as pilot:
        app.theme = "textual-dark"
        await pilot.pause()
        dark = Colours.of(app)
        assert dark.error == app.get_css_variables()["error"]  # what $error is in the CSS
        app.theme = "nord"
        await pilot.pause()
        light = Colours.of(app)
        assert light.error == app.get_css_variables()["error"]
        assert dark != light
        assert all([dark.error, dark.success, dark.warning, dark.accent, dark.primary])


def test_renderers_colour_with_what_they_are_given() -> None:
    colours = Colours(error="#ff0000", success="#00ff00", warning="#ffff00", accent="#00ffff")
    loss = render_profit("100", "150", "TWD", colours)
    styles = {str(span.style) for span in loss.spans}
    assert "bold #ff0000" in styles
    assert Style.parse(attainment_style(None)) == Style()
    assert attainment_style(__import__("decimal").Decimal("1.2"), colours) == "#00ff00"
    # Without a theme: bold, no colour.
    assert {str(span.style) for span in render_profit("100", "150", "TWD", PLAIN).spans} <= {
        "bold", "bold ", "dim"}


def test_no_ui_module_or_stylesheet_names_a_colour() -> None:
    found = []
    paths = [PACKAGE / "salesdev.tcss", *PACKAGE.glob("app*.py")]
    paths += [p for folder in UI for p in (PACKAGE / folder).rglob("*.py")]
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.lstrip().startswith("#") and NAMED.search(line):
                found.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert found == []


def test_the_colour_check_sees_a_named_colour() -> None:
    assert NAMED.search('text.append("x", style="bold red")')
    assert NAMED.search("    color: #ff0000;")
    assert not NAMED.search('style=f"bold {colours.error}"')
