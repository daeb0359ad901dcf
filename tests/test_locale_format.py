"""Formats by language (Babel): dates, times, weekdays, quarters, numbers and money with the
currency's own minor units; the currency check of the config; amounts typed the Chinese way."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from salesdev_tui import i18n
from salesdev_tui.config import ConfigError, load_settings
from salesdev_tui.domain.locale_format import (
    format_day,
    format_money,
    format_number,
    format_period,
    format_time,
    format_weekday,
    minor_units,
)
from salesdev_tui.domain.money import parse_amount
from salesdev_tui.domain.periods import parse_period, period_containing
from salesdev_tui.models.enums import PeriodKind

TAIPEI = ZoneInfo("Asia/Taipei")
MONDAY = date(2026, 12, 7)


@pytest.fixture
def chinese() -> Iterator[None]:
    i18n.set_language("zh_TW")
    yield
    i18n.set_language("en")


def test_chinese_dates_weekdays_and_times(chinese: None) -> None:
    assert format_day(MONDAY) == "2026年12月7日 (一)"
    assert format_weekday(MONDAY) == "週一"
    assert format_time(time(14, 30)) == "下午2:30"


def test_english_keeps_its_compact_forms() -> None:
    assert format_day(MONDAY) == "2026-12-07"
    assert format_weekday(MONDAY) == "Mon"
    assert format_time(datetime(2026, 12, 7, 14, 30)) == "14:30"


def test_periods(chinese: None) -> None:
    moment = datetime(2026, 11, 16, 6, 30, tzinfo=TAIPEI)
    assert format_period(period_containing(moment, PeriodKind.QUARTER, TAIPEI)) == "2026 第4季"
    assert format_period(period_containing(moment, PeriodKind.MONTH, TAIPEI)) == "2026年11月"
    assert format_period(parse_period("2026", TAIPEI)) == "2026年"
    i18n.set_language("en")
    assert format_period(parse_period("2026-Q4", TAIPEI)) == "2026-Q4"


def test_minor_units_are_the_currencys_own() -> None:
    assert (minor_units("TWD"), minor_units("JPY"), minor_units("USD")) == (0, 0, 2)


def test_money_in_chinese(chinese: None) -> None:
    assert format_money(Decimal("1234567"), "TWD") == "NT$1,234,567"
    assert format_money(Decimal("1234567"), "JPY") == "¥1,234,567"
    assert format_money(Decimal("1234.5"), "USD") == "US$1,234.50"
    assert format_number(Decimal("1234567")) == "1,234,567"


def test_money_in_english_has_no_cents_a_currency_does_not_write() -> None:
    assert format_money(Decimal("1234567"), "TWD") == "TWD 1,234,567"
    assert format_money(Decimal("1234567.00"), "TWD") == "TWD 1,234,567"
    assert format_money(Decimal("800"), "JPY") == "JPY 800"
    assert format_money(Decimal("5"), "USD") == "USD 5.00"
    # Cents typed in TWD are shown, not rounded away.
    assert format_money(Decimal("1234.5"), "TWD") == "TWD 1,234.50"


def test_an_unknown_currency_is_refused_naming_the_key(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('currency = "XYZ"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert "currency" in str(caught.value) and "XYZ" in str(caught.value)


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("150萬", "1500000"), ("1.2億", "120000000"), ("１５０萬", "1500000"),
     ("ＮＴ＄１，２３４", "1234"), ("NT$150萬", "1500000")],
)
def test_amounts_typed_the_chinese_way(typed: str, amount: str) -> None:
    assert parse_amount(typed, currency="TWD") == Decimal(amount)


def test_shortening_counts_cells_and_never_halves_a_wide_character() -> None:
    from rich.cells import cell_len

    from salesdev_tui.domain.text_rules import pad_left, shorten

    cut = shorten("盛達精密工業股份有限公司的採購經理", 11)
    assert cut == "盛達精密工…" and cell_len(cut) == 11
    assert shorten("Acme", 11) == "Acme"
    assert cell_len(shorten("ab盛達精密", 5)) <= 5  # "ab盛" + "…" is 5; never "ab盛" + half
    assert pad_left("數值", 6) == "  數值"


def test_the_csv_check_workers_speak_the_reps_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """Big files are checked on several processes (spawned): they take the language along."""
    from salesdev_tui.usecases import csv_check_pool

    monkeypatch.setattr(csv_check_pool, "PARALLEL_FROM", 4)
    monkeypatch.setattr(csv_check_pool, "CHUNK", 2)
    rows = [(line, ["Acme", "no-at-sign"]) for line in range(2, 6)]
    i18n.set_language("zh_TW")
    try:
        _good, problems = csv_check_pool.check_rows(
            ["company", "email"], ["company", "email"], rows, region="TW", zone=TAIPEI,
            workers=2)
    finally:
        i18n.set_language("en")
    assert len(problems) == 4
    assert all("缺少 @" in problem.message for problem in problems), problems
