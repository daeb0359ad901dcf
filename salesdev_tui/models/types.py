"""Column types that keep the data rules: exact decimals, aware UTC times, enums by value."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from salesdev_tui.models.date_range import (
    MAX_YEAR,
    MIN_YEAR,
    range_problem,
    read_stored_day,
    read_stored_moment,
)
from salesdev_tui.models.stored import (
    scaled_to_decimal,
    to_db_timestamp,
    utc,
)

__all__ = ["EnumText", "ExactDecimal", "LocalDate", "Money", "UTCDateTime",
           "scaled_to_decimal", "to_db_timestamp", "utc"]


def _check_writable(value: date) -> None:
    # The last line of defence: the write paths check the app's range (models.date_range,
    # 1900-2999) with a message naming the field. What reaches this point outside it would be
    # stored as text that cannot be read back (year 999 is "999-…"), or that overflows when
    # shown. Query bounds bind through here too, so only the app's range plus a year of slack
    # for "the end of the day/period after" is allowed.
    if not MIN_YEAR <= value.year <= MAX_YEAR + 1:
        raise ValueError(range_problem())


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime, stored as UTC text on SQLite.

    Reading never fails: stored text that does not parse, or lies outside the app's range
    (`models.date_range`), reads as None (`salesdev check` lists such rows).
    """

    impl = sa.String(26)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        moment = utc(value)
        _check_writable(moment)
        return to_db_timestamp(moment)

    def process_result_value(self, value: str | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return read_stored_moment(value)


class ExactDecimal(TypeDecorator[Decimal]):
    """A Decimal with a fixed number of places, stored as a scaled integer (never a float).

    Money uses two places: 1234.50 is stored as 123450, so SUM() in SQL stays exact.
    """

    impl = sa.BigInteger
    cache_ok = True

    def __init__(self, places: int = 2) -> None:
        super().__init__()
        self.places = places
        self._quantum = Decimal(1).scaleb(-places)

    def process_bind_param(self, value: Decimal | int | str | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        exact = Decimal(value).quantize(self._quantum, rounding=ROUND_HALF_EVEN)
        return int(exact.scaleb(self.places))

    def process_result_value(self, value: int | None, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-self.places).quantize(self._quantum)


def Money() -> ExactDecimal:  # noqa: N802 - reads like a type in column declarations
    """Money in the rep's currency, two decimal places."""
    return ExactDecimal(2)


class EnumText(TypeDecorator[StrEnum]):
    """A StrEnum stored by its value (the exchange format's names), read back as the enum."""

    impl = sa.String(20)
    cache_ok = True

    def __init__(self, enum_cls: type[StrEnum]) -> None:
        super().__init__()
        self.enum_cls = enum_cls
        # A dict lookup, not enum_cls(value): the enum call was 13% of the day's review.
        self._by_value: dict[str, StrEnum] = {member.value: member for member in enum_cls}

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else self.enum_cls(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> StrEnum | None:
        if value is None:
            return None
        member = self._by_value.get(value)
        return member if member is not None else self.enum_cls(value)  # unknown: ValueError


class LocalDate(TypeDecorator[date]):
    """A calendar date (no zone), stored as ISO text."""

    impl = sa.String(10)
    cache_ok = True

    def process_bind_param(self, value: date | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        _check_writable(value)
        return value.isoformat()

    def process_result_value(self, value: str | None, dialect: Dialect) -> date | None:
        # Unreadable or out-of-range stored text reads as None, never an exception.
        return None if value is None else read_stored_day(value)
