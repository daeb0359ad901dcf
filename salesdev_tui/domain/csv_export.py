"""Spreadsheet exports whose own output the import reads back unchanged.

Pure: rows in (from `store.csv_export`), text out. Headers are the import's field keys;
values are written the way the import reads them (enums by value, yes/no, times in the rep's
zone with their offset, ids as UUIDs, text that a spreadsheet would run as a formula behind an
apostrophe: `csv_values.guard_formula`). The csv module quotes a field holding the delimiter,
a quote or a line break, so notes with commas and new lines survive the trip.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from salesdev_tui.domain.csv_values import format_moment, guard_formula

__all__ = ["COLUMNS", "WHAT", "to_csv"]

#: What can be exported, and its columns in order.
COLUMNS: dict[str, tuple[str, ...]] = {
    "customers": (
        "customer_id", "company", "tax_id", "stage", "lost_reason", "source",
        "source_detail", "industry", "size", "potential", "purchasing_power", "website",
        "address", "needs_preferences", "revisit_days", "notes",
    ),
    "contacts": (
        "contact_id", "customer_id", "company", "contact", "role", "phone", "mobile", "email",
        "is_primary", "contact_notes",
    ),
    "plans": (
        "plan_id", "customer_id", "company", "contact_id", "contact", "method",
        "scheduled_at", "status", "done_at", "agenda", "outcome", "next_step",
    ),
}
WHAT: tuple[str, ...] = tuple(COLUMNS)


def _cell(value: Any, zone: ZoneInfo) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, datetime):
        return format_moment(value, zone)
    if isinstance(value, uuid.UUID):
        return str(value)
    return guard_formula(str(value))


def to_csv(what: str, rows: Iterable[Mapping[str, Any]], *, zone: ZoneInfo,
           delimiter: str = ",") -> str:
    """The CSV text (header first, CRLF line ends as Excel writes) of `what`'s rows."""
    columns: Sequence[str] = COLUMNS[what]
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column), zone) for column in columns])
    return out.getvalue()
