"""Dates, times, periods, numbers and money as the rep's language writes them (Babel, CLDR).

English keeps salesdev's compact forms (2026-12-07, 2026-Q4, TWD 1,234,567); Traditional
Chinese writes them as Taiwan does (2026年12月7日 (一), 2026 第4季, NT$1,234,567). Money
shows the currency's own minor units: CLDR's cash digits, so TWD and JPY have no decimals
and USD or EUR two; an amount with cents in a currency written without them keeps its cents
rather than being rounded (money is never rounded away on display).

Pure: reads only the active language (`i18n.language()`); no settings, no clock.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from functools import cache

from babel.core import get_global
from babel.dates import format_date as _babel_date
from babel.dates import format_time as _babel_time
from babel.numbers import format_decimal, get_currency_symbol

from salesdev_tui.domain.periods import Period
from salesdev_tui.i18n import babel_locale, language
from salesdev_tui.models.enums import PeriodKind

__all__ = [
    "format_amount",
    "format_day",
    "format_day_and_time",
    "format_money",
    "format_number",
    "format_period",
    "format_time",
    "format_weekday",
    "load_data",
    "minor_units",
]

#: Symbols Taiwan writes that CLDR's zh_Hant_TW does not: CLDR gives "$" for the New Taiwan
#: dollar, which reads as US dollars beside "US$" in a report.
_ZH_SYMBOLS = {"TWD": "NT$"}


def _zh() -> bool:
    return language() == "zh_TW"


@cache
def minor_units(currency: str) -> int:
    """How many decimals an amount of `currency` is written with (TWD 0, JPY 0, USD 2)."""
    fractions = get_global("currency_fractions")
    digits, _rounding, cash_digits, _cash_rounding = fractions.get(
        currency.upper(), fractions["DEFAULT"]
    )
    return int(min(digits, cash_digits))


def format_number(value: Decimal | int, places: int = 0) -> str:
    """1234567 -> 1,234,567 (digit grouping of the language)."""
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(value, format=pattern, locale=babel_locale(),
                          decimal_quantization=True)


def format_amount(value: Decimal, currency: str) -> str:
    """The number of an amount, with the currency's minor units (cents kept if present)."""
    places = minor_units(currency)
    if places < 2 and value != value.quantize(Decimal(1).scaleb(-places)):
        places = 2
    return format_number(value, places)


def format_money(value: Decimal, currency: str) -> str:
    """TWD 1,234,567 in English, NT$1,234,567 in Chinese; JPY without decimals in both."""
    amount = format_amount(value, currency)
    code = currency.upper()
    if not _zh():
        return f"{code} {amount}"
    symbol = _ZH_SYMBOLS.get(code) or get_currency_symbol(code, locale=babel_locale())
    return f"{symbol}{amount}"


def load_data(currency: str) -> None:
    """Read now the CLDR data the formats read on their first use (the currencies' table,
    the active language's locale: some 10-20 ms), e.g. in a worker before the UI formats."""
    format_money(Decimal(0), currency)
    format_weekday(date(2026, 1, 5))


def format_day(day: date | datetime) -> str:
    """2026-12-07 in English; 2026年12月7日 (一) in Chinese."""
    if isinstance(day, datetime):
        day = day.date()
    if not _zh():
        return day.isoformat()
    return (_babel_date(day, "y年M月d日", locale=babel_locale())
            + f" ({_babel_date(day, 'EEEEE', locale=babel_locale())})")


def format_weekday(day: date) -> str:
    """Mon in English; 週一 in Chinese."""
    return _babel_date(day, "EEE", locale=babel_locale())


def format_moment(moment: datetime, fmt: str) -> str:
    """`moment.strftime(fmt)`, with `%a` as the language names the weekday (strftime's is
    always English). A table's "%a %m-%d %H:%M" reads "11-17(二) 09:30" in Chinese: the
    same 15 cells as "Tue 11-17 09:30"."""
    if "%a" not in fmt:
        return moment.strftime(fmt)
    if _zh() and fmt.startswith("%a %m-%d"):
        day = format_weekday(moment.date())[-1]  # 週二 -> 二
        return moment.strftime("%m-%d") + f"({day})" + moment.strftime(fmt[len("%a %m-%d"):])
    weekday = format_weekday(moment.date()).replace("%", "%%")
    return moment.strftime(fmt.replace("%a", weekday))


def format_time(moment: time | datetime) -> str:
    """14:30 in English; 下午2:30 in Chinese (CLDR's short time for Taiwan)."""
    if not _zh():
        return moment.strftime("%H:%M")
    return _babel_time(moment, "short", locale=babel_locale())


def format_day_and_time(moment: datetime) -> str:
    """Mon 2026-12-07 14:30 in English; 2026年12月7日 (一) 下午2:30 in Chinese."""
    if not _zh():
        return f"{format_weekday(moment.date())} {format_day(moment)} {format_time(moment)}"
    return f"{format_day(moment)} {format_time(moment)}"


def format_period(period: Period) -> str:
    """A month, quarter or year: 2026-11 / 2026-Q4 / 2026 in English (the forms a rep types
    on the command line), 2026年11月 / 2026 第4季 / 2026年 in Chinese."""
    if not _zh():
        return period.label
    first = period.first_day
    if period.kind is PeriodKind.MONTH:
        return _babel_date(first, "y年M月", locale=babel_locale())
    if period.kind is PeriodKind.QUARTER:
        return _babel_date(first, "y QQQ", locale=babel_locale())
    return _babel_date(first, "y年", locale=babel_locale())
