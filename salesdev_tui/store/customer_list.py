"""The customer list (`salesdev list`): plain SQL over a DB-API connection.

Run in two places with the same text, so the list has one definition: by
`CustomerStore.list_customers` / `count_at_stage` on the connection under a read session,
and by `salesdev list` on a plain `sqlite3` connection (`store.quick_reads`) before
SQLAlchemy and SQLModel are imported (issue 15.8). Hence no SQLModel here; values are
converted as the column types of `models.types` convert them (`models.date_range`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from salesdev_tui.models.date_range import read_stored_moment
from salesdev_tui.models.enums import Potential, Source, Stage

if TYPE_CHECKING:
    from salesdev_tui.store.today_queries import Connection

__all__ = ["COUNT_CAP", "CustomerRow", "count_at_stage", "list_and_count", "list_customers"]

#: A count of customers (the search's, `store.search.count_customers`) stops here; the UI
#: shows "10,000+" and the CLI "more than 10000".
COUNT_CAP = 10_000


@dataclass(frozen=True)
class CustomerRow:
    """One line of the customer list."""

    id: uuid.UUID
    name: str
    stage: Stage
    potential: Potential | None
    industry: str | None
    source: Source | None
    next_plan_at: datetime | None
    last_activity_at: datetime | None
    updated_at: datetime


#: Live customers, most recently changed first, with their next planned contact. The open
#: plan's condition is written out literally (not `status = ?`): SQLite then knows the
#: partial index ix_contact_plan_open_customer (customer_id, scheduled_at) applies, and the
#: next plan is one seek. {stage} is empty or `_AT_STAGE` (never user input).
_LIST = (
    "SELECT c.id, c.name, c.stage, c.potential, c.industry, c.source,"
    " (SELECT min(p.scheduled_at) FROM contact_plan AS p WHERE p.customer_id = c.id"
    " AND p.status = 'planned' AND p.deleted_at IS NULL),"
    " c.last_activity_at, c.updated_at"
    " FROM customer AS c WHERE c.deleted_at IS NULL{stage}"
    " ORDER BY c.updated_at DESC LIMIT ? OFFSET ?"
)
_COUNT = "SELECT count(*) FROM customer AS c WHERE c.deleted_at IS NULL{stage}"
#: The same, stopping at a number of rows: the cost stays that of the cap whatever plan the
#: statistics lead SQLite to (a freshly analysed million chose to scan the table: 190 ms).
_COUNT_UP_TO = (
    "SELECT count(*) FROM (SELECT 1 FROM customer AS c WHERE c.deleted_at IS NULL{stage}"
    " LIMIT ?)"
)
_AT_STAGE = " AND c.stage = ?"


def _stage_filter(stage: Stage | None) -> tuple[str, list[Any]]:
    return ("", []) if stage is None else (_AT_STAGE, [stage.value])


def list_customers(
    conn: Connection, *, stage: Stage | None = None, limit: int = 100, offset: int = 0
) -> list[CustomerRow]:
    """Live customers (at `stage`, when given), most recently changed first."""
    where, params = _stage_filter(stage)
    rows = conn.execute(_LIST.format(stage=where), [*params, limit, offset]).fetchall()
    return [
        CustomerRow(
            id=uuid.UUID(customer_id),
            name=name,
            stage=Stage(stage_value),
            potential=Potential(potential) if potential is not None else None,
            industry=industry,
            source=Source(source) if source is not None else None,
            next_plan_at=read_stored_moment(next_plan_at),
            last_activity_at=read_stored_moment(last_activity_at),
            updated_at=read_stored_moment(updated_at),  # type: ignore[arg-type]
        )
        for customer_id, name, stage_value, potential, industry, source, next_plan_at,
        last_activity_at, updated_at in rows
    ]


def count_at_stage(conn: Connection, stage: Stage | None = None) -> int:
    """How many live customers `list_customers` would list with no limit."""
    where, params = _stage_filter(stage)
    (count,) = conn.execute(_COUNT.format(stage=where), params).fetchone()
    return int(count)


def list_and_count(
    conn: Connection, *, stage: Stage | None, limit: int
) -> tuple[list[CustomerRow], int | None]:
    """The first `limit` rows of `list_customers`, and how many there are when the limit cut
    the list (None when it did not), counted up to `COUNT_CAP` + 1 (more reads "more than
    10,000"). Inside one read transaction, the two agree."""
    # One row past the limit tells whether the limit cut the list; only then count.
    rows = list_customers(conn, stage=stage, limit=limit + 1)
    if len(rows) <= limit:
        return rows, None
    where, params = _stage_filter(stage)
    (count,) = conn.execute(_COUNT_UP_TO.format(stage=where),
                            [*params, COUNT_CAP + 1]).fetchone()
    return rows[:limit], int(count)
