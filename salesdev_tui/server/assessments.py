"""The manager's month-end assessments on the team server (server migration v0003), and the
manager's read of one rep's customers (the team scorecard's drill-down).

An assessment row is owned by the assessed rep (row-level security: the rep reads it, the
sync pulls it to the rep's laptop) and written by a manager only, under the manager's own
name (`assessed_by = current_user`, checked by the server's policy).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from salesdev_tui.domain.assessment import AssessmentNote
from salesdev_tui.domain.periods import Period
from salesdev_tui.models.stored import from_db_timestamp
from salesdev_tui.models.stored import to_db_timestamp as ts

if TYPE_CHECKING:
    import psycopg

__all__ = ["RepCustomer", "read_assessments", "rep_customers", "save_assessment"]


def read_assessments(conn: psycopg.Connection[Any], period: Period) -> dict[str, AssessmentNote]:
    """The live assessment of each rep for `period`."""
    return {
        str(owner): AssessmentNote(notes, plan, str(by), from_db_timestamp(str(at)))
        for owner, notes, plan, by, at in conn.execute(
            "SELECT owner, talk_notes, improvement_plan, assessed_by, assessed_at"
            " FROM assessment WHERE period_kind = %s AND period_label = %s"
            " AND deleted_at IS NULL", (period.kind.value, period.label))}


def save_assessment(conn: psycopg.Connection[Any], rep: str, period: Period, *,
                    talk_notes: str | None, improvement_plan: str | None,
                    now: datetime) -> None:
    """Record (or revise) `rep`'s assessment for `period`; the caller commits. The server
    refuses a non-manager, or a `rep` who is not a rep (row-level security)."""
    stamp = ts(now)
    conn.execute(
        "INSERT INTO assessment (id, owner, created_at, updated_at, period_kind, period_label,"
        " talk_notes, improvement_plan, assessed_by, assessed_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, current_user, %s)"
        " ON CONFLICT (owner, period_kind, period_label) WHERE deleted_at IS NULL"
        " DO UPDATE SET talk_notes = excluded.talk_notes,"
        " improvement_plan = excluded.improvement_plan, assessed_by = excluded.assessed_by,"
        " assessed_at = excluded.assessed_at, updated_at = excluded.updated_at",
        (uuid.uuid4(), rep, stamp, stamp, period.kind.value, period.label, talk_notes,
         improvement_plan, stamp))


@dataclass(frozen=True)
class RepCustomer:
    """One of a rep's customers as the manager reads it (never edits it)."""

    name: str
    stage: str
    industry: str | None
    first_contacted_at: datetime | None
    first_signed_at: datetime | None
    last_contacted_at: datetime | None


def rep_customers(conn: psycopg.Connection[Any], rep: str, limit: int = 500
                  ) -> list[RepCustomer]:
    """`rep`'s live customers by name (the index `ix_customer_owner_name`), at most `limit`."""
    def when(value: Any) -> datetime | None:
        return None if value is None else from_db_timestamp(str(value))

    return [
        RepCustomer(str(name), str(stage), None if industry is None else str(industry),
                    when(first_done), when(signed), when(last_done))
        for name, stage, industry, first_done, signed, last_done in conn.execute(
            "SELECT name, stage, industry, first_contacted_at, first_signed_at,"
            " last_contacted_at FROM customer WHERE owner = %s AND deleted_at IS NULL"
            " ORDER BY name LIMIT %s", (rep, limit))]
