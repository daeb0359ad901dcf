"""Column types that keep the data rules: exact decimals, aware UTC times, enums by value."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from salesdev_tui.models.stored import (
    from_db_timestamp,
    scaled_to_decimal,
    to_db_timestamp,
    utc,
)

__all__ = ["EnumText", "ExactDecimal", "LocalDate", "Money", "UTCDateTime",
           "scaled_to_decimal", "to_db_timestamp", "utc"]


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime, stored as UTC text on SQLite."""

    impl = sa.String(26)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        return None if value is None else to_db_timestamp(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return from_db_timestamp(value)


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
        return None if value is None else value.isoformat()

    def process_result_value(self, value: str | None, dialect: Dialect) -> date | None:
        return None if value is None else date.fromisoformat(value)
