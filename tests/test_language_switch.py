"""The language: chosen by the config, else the environment; switched from the palette
without a restart (footers, labels, loaded rows), and saved to the config like the theme."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text

from salesdev_tui import i18n
from salesdev_tui.config import ConfigError, load_settings, save_setting
from salesdev_tui.i18n import _
from salesdev_tui.models.enums import Source
from salesdev_tui.widgets.customer_table import CustomerTable
from salesdev_tui.widgets.key_footer import KeyFooter
from tests.conftest import wait_ready
from tests.test_today_and_page import add_customer

MakeApp = Callable[..., Any]


@pytest.mark.parametrize(
    ("configured", "environ", "expected"),
    [
        ("zh_TW", {"LANG": "en_US.UTF-8"}, "zh_TW"),
        ("en", {"LANG": "zh_TW.UTF-8"}, "en"),
        ("", {"LANG": "zh_TW.UTF-8"}, "zh_TW"),
        ("", {"LC_ALL": "C", "LANG": "zh_TW.UTF-8"}, "en"),  # LC_ALL first, as in gettext
        ("", {"LC_MESSAGES": "zh_HK.Big5", "LANG": "en_GB"}, "zh_TW"),
        ("", {"LANG": "zh_CN.UTF-8"}, "en"),  # no Simplified catalogue: not Traditional
        ("", {"LANG": "zh_Hant_TW"}, "zh_TW"),
        ("", {}, "en"),
    ],
)
def test_language_is_the_config_then_the_environment_then_english(
    configured: str, environ: dict[str, str], expected: str
) -> None:
    assert i18n.choose_language(configured, environ) == expected


def test_the_catalogue_speaks_chinese_and_back() -> None:
    i18n.set_language("zh_TW")
    assert _("Success rate") == "成功率"
    assert i18n.enum_label(Source.TRADE_SHOW) == "行業展會"
    i18n.set_language("en")
    assert _("Success rate") == "Success rate"


def test_a_bad_language_in_the_config_is_refused_naming_the_key(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('language = "fr"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert "language" in str(caught.value)


def test_saving_the_language_keeps_the_comments(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('# my settings\ntheme = "nord"  # dark\n', encoding="utf-8")
    save_setting(path, "language", "zh_TW")
    text = path.read_text(encoding="utf-8")
    assert "# my settings" in text and "# dark" in text
    assert tomllib.loads(text)["language"] == "zh_TW"


def _footer_descriptions(app: Any) -> list[str]:
    footer = app.screen.query_one(KeyFooter)
    return [key.description for key in footer.query("FooterKey") if key.description]


def _stage_cells(app: Any) -> list[str]:
    table = app.screen.query_one(CustomerTable)
    cells = [table.get_row_at(row)[1] for row in range(table.row_count)]
    return [cell.plain if isinstance(cell, Text) else str(cell) for cell in cells]


async def test_switching_from_the_palette_changes_the_screen_without_a_restart(
    make_app: MakeApp, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("# the rep's own notes\ncurrency = \"TWD\"\n", encoding="utf-8")
    app = make_app()
    app.config_path = config
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        add_customer(app.store, "Acme Trading")
        app.changed()
        await pilot.press("c")
        await wait_ready(pilot)
        english_footer = _footer_descriptions(app)
        assert _stage_cells(app) == ["prospect"]

        await pilot.press("ctrl+p")
        await pilot.press(*"Language")
        await wait_ready(pilot)
        await pilot.press("enter")
        await wait_ready(pilot)

        assert i18n.language() == "zh_TW"
        # The rows loaded before the switch are loaded again, in Chinese (a core message).
        assert _stage_cells(app) == ["潛在客戶"]
        # The footer shows each key's description as the catalogue says it in Chinese.
        i18n.set_language("en")
        expected = []
        for description in english_footer:
            i18n.set_language("zh_TW")
            expected.append(_(description))
            i18n.set_language("en")
        i18n.set_language("zh_TW")
        assert _footer_descriptions(app) == expected
        # The column headers too (a label already shown, said again).
        headers = [column.label.plain for column in
                   app.screen.query_one(CustomerTable).columns.values()]
        assert "階段" in headers
        # Saved like the theme, the rep's comments kept.
        text = config.read_text(encoding="utf-8")
        assert tomllib.loads(text)["language"] == "zh_TW" and "# the rep's own notes" in text

        await pilot.press("ctrl+p")
        await pilot.press(*"English")
        await wait_ready(pilot)
        await pilot.press("enter")
        await wait_ready(pilot)
        assert i18n.language() == "en"
        assert _stage_cells(app) == ["prospect"]
        assert _footer_descriptions(app) == english_footer
        headers = [column.label.plain for column in
                   app.screen.query_one(CustomerTable).columns.values()]
        assert "Stage" in headers
