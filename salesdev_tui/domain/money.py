"""Amounts of money as reps type them: one parser for every form (proposals, contracts,
needs budgets, credit limits, targets, the profit preview). Pure: no settings are read here;
the caller passes the configured currency.

Accepted, besides plain digits ("1234.50", "1,234.50"):

- full-width digits and signs from a CJK input method ("１２３", "１，２３４"), via NFKC;
- units: `k` (thousand), `m` (million), 千, 萬/万, 百萬, 千萬, 億/亿, also in a row from the
  largest down ("150萬", "1.2億", "80k", "1億2000萬" = 120,000,000, "1萬2000" = 12,000;
  "1萬5" is refused as ambiguous);
- a currency sign or code, before or after the number, when it denotes the configured
  currency ("NT$150萬" or "150萬元" in TWD, "€5" in EUR). A sign or code of another currency
  is refused (`$5` and `€5` are not 5 TWD): the amount would be stored in the wrong unit.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from salesdev_tui.domain.text_rules import MONEY_LIMIT, check_decimal
from salesdev_tui.i18n import _

__all__ = ["DEFAULT_CURRENCY", "parse_amount"]

DEFAULT_CURRENCY = "TWD"

#: A sign or word -> the currencies it may denote ("$" alone is not the New Taiwan dollar:
#: a rep who means NT$ writes NT$, and "$5" from a US price list must not become NT$5).
_MARKS: dict[str, frozenset[str]] = {
    "nt$": frozenset({"TWD"}),
    "nt": frozenset({"TWD"}),
    "ntd": frozenset({"TWD"}),
    "新台幣": frozenset({"TWD"}),
    "台幣": frozenset({"TWD"}),
    "臺幣": frozenset({"TWD"}),
    "元": frozenset({"TWD", "CNY"}),
    "圓": frozenset({"TWD"}),
    "塊": frozenset({"TWD", "CNY"}),
    "us$": frozenset({"USD"}),
    "hk$": frozenset({"HKD"}),
    "s$": frozenset({"SGD"}),
    "a$": frozenset({"AUD"}),
    "c$": frozenset({"CAD"}),
    "$": frozenset({"USD", "HKD", "SGD", "AUD", "CAD", "NZD", "MXN"}),
    "€": frozenset({"EUR"}),
    "£": frozenset({"GBP"}),
    "¥": frozenset({"JPY", "CNY"}),
    "円": frozenset({"JPY"}),
    "rmb": frozenset({"CNY"}),
    "人民幣": frozenset({"CNY"}),
    "₩": frozenset({"KRW"}),
    "₹": frozenset({"INR"}),
    "฿": frozenset({"THB"}),
    "₫": frozenset({"VND"}),
}
_MARK_PATTERN = "|".join(re.escape(m) for m in sorted(_MARKS, key=len, reverse=True))
_LEADING = re.compile(rf"^(?:(?P<mark>{_MARK_PATTERN})|(?P<code>[a-z]{{3}})(?![a-z]))\s*")
_TRAILING = re.compile(rf"\s*(?:(?P<mark>{_MARK_PATTERN})|(?<![a-z])(?P<code>[a-z]{{3}}))$")

_UNITS: dict[str, int] = {
    "k": 10**3,
    "m": 10**6,
    "千": 10**3,
    "萬": 10**4,
    "万": 10**4,
    "百萬": 10**6,
    "百万": 10**6,
    "千萬": 10**7,
    "千万": 10**7,
    "億": 10**8,
    "亿": 10**8,
}
_UNIT_PATTERN = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
_NUMBER = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+"
_GROUP = re.compile(rf"\s*(?P<number>{_NUMBER})\s*(?P<unit>{_UNIT_PATTERN})?", re.ASCII)
_NOT_FINITE = {"nan", "snan", "inf", "infinity", "+inf", "+infinity", "-inf", "-infinity"}
_MINUS = ("-", "\u2212", "\u2012", "\u2013", "\u2014")


def _currencies(match: re.Match[str]) -> frozenset[str]:
    mark = match.group("mark")
    return _MARKS[mark] if mark else frozenset({match.group("code").upper()})


def _strip_currency(text: str, currency: str) -> str:
    """`text` without the currency sign or code around it; ValueError for another currency."""
    for pattern in (_LEADING, _TRAILING):
        match = pattern.search(text)
        if match is None:
            continue
        if match.group("code") and match.group("code").upper() not in _KNOWN_CODES:
            continue  # not a currency: the number check says what is wrong
        if currency.upper() not in _currencies(match):
            raise ValueError(
                _("“{mark}” is not {currency}: amounts here are in {currency} "
                  "(write the amount in {currency}, or just the number)").format(
                    mark=match.group("mark") or match.group("code").upper(),
                    currency=currency.upper(),
                )
            )
        text = (text[: match.start()] + text[match.end() :]).strip()
    return text


#: Three-letter codes read as a currency (ISO 4217, the ones a rep here may meet).
_KNOWN_CODES = frozenset({
    "TWD", "USD", "EUR", "GBP", "JPY", "CNY", "HKD", "SGD", "AUD", "CAD",
    "NZD", "CHF", "KRW", "INR", "THB", "VND", "MYR", "PHP", "IDR", "MXN",
})  # fmt: skip


def _units_value(text: str) -> Decimal:
    """"1億2000萬" -> 120000000: number-unit groups, units from the largest down."""
    total = Decimal(0)
    position, last_unit = 0, None
    while position < len(text):
        match = _GROUP.match(text, position)
        if match is None or match.end() == position:
            raise ValueError(_("is not a number (write digits, like 1234.50, 150萬 or 80k)"))
        unit = _UNITS[match.group("unit")] if match.group("unit") else None
        if unit is None and match.end() != len(text):
            raise ValueError(_("is not a number (write digits, like 1234.50, 150萬 or 80k)"))
        if last_unit is not None and (unit or 1) >= last_unit:
            raise ValueError(_("is not a number (write digits, like 1234.50, 150萬 or 80k)"))
        if last_unit is not None and unit is None and (
            len(match.group("number")) != len(str(last_unit)) - 1
        ):
            # "1萬5" is said for 15,000 but reads as 10,005: ask for the digits in full.
            raise ValueError(_("is ambiguous: write it in full, like 15000 or 1.5萬"))
        try:
            number = Decimal(match.group("number").replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
            raise ValueError(_("is not a number (write digits, like 1234.50)")) from None
        total += number * (unit or 1)
        last_unit = unit or 1
        position = match.end()
    return total


def parse_amount(
    text: str,
    *,
    currency: str = DEFAULT_CURRENCY,
    places: int = 2,
    below: Decimal = MONEY_LIMIT,
    percent: bool = False,
) -> Decimal:
    """Read a non-negative amount in `currency` (see the module docstring), quantized to
    `places`, less than `below`. `percent`: a trailing "%" is allowed (targets that are
    rates). Raises ValueError in plain words (the caller adds the field's name)."""
    folded = unicodedata.normalize("NFKC", text).strip().casefold()
    if not folded:
        raise ValueError(_("enter an amount"))
    if folded in _NOT_FINITE:
        raise ValueError(_("must be a number, not {text}").format(text=text.strip()))
    if folded.startswith(_MINUS) or (folded.startswith("(") and folded.endswith(")")):
        raise ValueError(_("cannot be negative"))
    if percent and folded.endswith("%"):
        folded = folded[:-1].strip()
    folded = _strip_currency(folded, currency)
    if folded.startswith(_MINUS):
        raise ValueError(_("cannot be negative"))
    if not folded:
        raise ValueError(_("enter an amount"))
    return check_decimal(_units_value(folded), places=places, below=below)
