"""The one way every JSON output of salesdev writes a time, a day and an amount
(docs/json/README.md): a script reading two commands finds the same thing written alike.

- a moment: UTC, ISO 8601 with `Z` ("2026-11-16T06:30:00Z"); microseconds only when set;
- a calendar day: "2026-11-16" (a day is the rep's local day, it has no zone);
- money and other decimals: a string ("12500.00"), never a float that rounds;
- a count: a number.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal


def utc_z(moment: datetime | None) -> str | None:
    """`moment` in UTC with a `Z` (a naive time is taken as UTC, as the store keeps it)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def decimal_text(value: Decimal | int | None) -> str | None:
    """An amount or a rate as a string; None stays None."""
    return None if value is None else str(value)
