"""The app's stylesheet kept parsed between starts (textual_patches/css_cache.py): the kept
rules are the parsed ones, a kept file is used only for exactly the sheet, theme and
Textual it was parsed for, and anything wrong with it means a parse, never a failure."""

from __future__ import annotations

import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.css.stylesheet import Stylesheet

from salesdev_tui.textual_patches import css_cache
from tests.conftest import wait_ready

SHEET = Path(css_cache.__file__).parent.parent / "salesdev.tcss"
VARIABLES = {"primary": "#0178D4", "error": "#ba3c5b", "success": "#4EBF71",
             "foreground": "#e0e0e0", "background": "#121212", "surface": "#1e1e1e",
             "panel": "#2d2d2d", "accent": "#ffa62b", "warning": "#ffa62b",
             "secondary": "#004578", "boost": "#ffffff0a", "text-muted": "#9e9e9e"}


def stylesheet(folder: Path, variables: dict[str, str] | None = None) -> Stylesheet:
    sheet = Stylesheet(variables=VARIABLES if variables is None else variables)
    css_cache.keep_parsed_css(sheet, folder)
    sheet.read(SHEET)
    return sheet


def counting_parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times Textual's own parser runs on a large sheet."""
    counted: list[int] = []
    original: Callable[..., Any] = Stylesheet._parse_rules

    def parse_rules(self: Stylesheet, css: str, read_from: Any, is_default_rules: bool = False,
                    tie_breaker: int = 0, scope: str = "") -> Any:
        key = (css, read_from, is_default_rules, tie_breaker, scope)
        if len(css) >= css_cache.SMALLEST and key not in self._parse_cache:
            counted.append(1)
        return original(self, css, read_from, is_default_rules, tie_breaker, scope)

    monkeypatch.setattr(Stylesheet, "_parse_rules", parse_rules)
    return counted


def needs_variables() -> dict[str, str]:
    from textual.app import App

    return App().get_css_variables()


def test_the_kept_rules_are_the_parsed_ones(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    variables = needs_variables()
    parses = counting_parses(monkeypatch)
    first = stylesheet(tmp_path, variables)
    first.parse()
    assert len(parses) == 1
    [kept] = list(tmp_path.glob("tcss-*.pickle"))
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o700

    second = stylesheet(tmp_path, variables)
    second.parse()
    second.parse()  # again: from the stylesheet's own cache, not the file
    assert len(parses) == 1  # read back, not parsed
    plain = Stylesheet(variables=variables)
    plain.read(SHEET)
    plain.parse()
    assert [rule.css for rule in second.rules] == [rule.css for rule in plain.rules]
    assert [(rule.selector_names, rule.tie_breaker, rule.is_default_rules)
            for rule in second.rules] == [
        (rule.selector_names, rule.tie_breaker, rule.is_default_rules) for rule in plain.rules]
    assert [rule.styles.get_rules() for rule in second.rules] == [
        rule.styles.get_rules() for rule in plain.rules]


def test_another_theme_or_sheet_is_parsed_not_read(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    variables = needs_variables()
    parses = counting_parses(monkeypatch)
    stylesheet(tmp_path, variables).parse()
    other_theme = dict(variables, primary="#ff0000")
    stylesheet(tmp_path, other_theme).parse()
    assert len(parses) == 2
    assert len(list(tmp_path.glob("tcss-*.pickle"))) == 2
    edited = tmp_path / "edited.tcss"
    edited.write_text(SHEET.read_text(encoding="utf-8") + "\n.extra { color: red; }\n",
                      encoding="utf-8")
    sheet = Stylesheet(variables=variables)
    css_cache.keep_parsed_css(sheet, tmp_path)
    sheet.read(edited)
    sheet.parse()
    assert len(parses) == 3
    assert any(".extra" in rule.selector_names for rule in sheet.rules)


def test_a_kept_file_of_another_key_is_not_used(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Two keys with one file name (a crc32 collision): the key inside decides."""
    variables = needs_variables()
    stylesheet(tmp_path, variables).parse()
    [kept] = list(tmp_path.glob("tcss-*.pickle"))
    import pickle

    whole_key, rules = pickle.loads(kept.read_bytes())
    kept.write_bytes(pickle.dumps((whole_key + "x", rules[:1])))
    parses = counting_parses(monkeypatch)
    sheet = stylesheet(tmp_path, variables)
    sheet.parse()
    assert len(parses) == 1 and len(sheet.rules) == len(rules)


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05N."])
def test_a_torn_or_foreign_file_means_a_parse(tmp_path: Path, damage: bytes,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    variables = needs_variables()
    stylesheet(tmp_path, variables).parse()
    [kept] = list(tmp_path.glob("tcss-*.pickle"))
    kept.write_bytes(damage)
    parses = counting_parses(monkeypatch)
    sheet = stylesheet(tmp_path, variables)
    sheet.parse()
    assert len(parses) == 1 and sheet.rules
    stylesheet(tmp_path, variables).parse()  # the parse was kept again
    assert len(parses) == 1


def test_a_folder_that_cannot_be_written_costs_only_the_parse(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder would be")
    sheet = stylesheet(blocked / "css", needs_variables())
    sheet.parse()
    assert sheet.rules


def test_small_sheets_are_not_kept(tmp_path: Path) -> None:
    folder = tmp_path / "css"
    sheet = Stylesheet(variables=needs_variables())
    css_cache.keep_parsed_css(sheet, folder)
    sheet.add_source(".small { color: red; }", ("small.tcss", ""))
    sheet.parse()
    assert sheet.rules and not folder.exists()


def test_the_folder_keeps_a_few_sheets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(css_cache, "KEEP", 6)  # the rule, without parsing 131 sheets
    variables = needs_variables()
    for index in range(css_cache.KEEP + 3):
        stylesheet(tmp_path, dict(variables, primary=f"#0000{index:02x}")).parse()
    assert len(list(tmp_path.glob("tcss-*.pickle"))) == css_cache.KEEP


async def test_the_app_reads_its_kept_stylesheet(make_app: Callable[..., Any],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The second start of the app parses no large sheet, and looks as the first did."""
    from salesdev_tui.paths import cache_dir

    parses = counting_parses(monkeypatch)
    shots, parsed = [], []
    for _start in range(2):
        app = make_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_ready(pilot)
            # The SVG's ids are made of a hash of its text and a counter: left out.
            shots.append(re.sub(r"terminal-\d+", "terminal", app.export_screenshot()))
        parsed.append(len(parses))
    # salesdev.tcss and the DEFAULT_CSS of the App, DataTable, Footer and more, then none.
    assert parsed[0] >= 10 and parsed[1] == parsed[0]
    assert len(list((cache_dir() / "css").glob("tcss-*.pickle"))) == parsed[0]
    assert shots[0] == shots[1]
