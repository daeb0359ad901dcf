"""How values are stored: UTC text for times, scaled integers for money.

Free of SQLAlchemy, so plain-SQL reads (`store.today_queries`, before SQLAlchemy is
imported) convert exactly as the column types in `models.types` do, which build on these.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

# Timestamps are stored as fixed-width ISO text in UTC, so string order is time order and
# range queries compare as text on SQLite (and as timestamps once mapped to PostgreSQL).
TS_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


def utc(moment: datetime) -> datetime:
    """Return `moment` as an aware UTC datetime; naive input is refused, not guessed."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: times must carry a time zone")
    return moment.astimezone(UTC)


def to_db_timestamp(moment: datetime) -> str:
    """The stored text of an aware time (used by raw SQL in the store for range bounds)."""
    return utc(moment).strftime(TS_FORMAT)


def from_db_timestamp(value: str) -> datetime:
    """The aware UTC time of stored text."""
    # fromisoformat reads our fixed format ~7x faster than strptime (exports read every
    # timestamp of the database).
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def scaled_to_decimal(value: int | None, places: int = 2) -> Decimal:
    """Turn a scaled integer (a stored amount, or a SUM of them) into a Decimal."""
    quantum = Decimal(1).scaleb(-places)
    return Decimal(int(value or 0)).scaleb(-places).quantize(quantum)
