"""The facts of one day for the end-of-day review, in plain SQL over a DB-API connection.

Run in two places with the same text, so each list of the review has one definition: by
`ReviewStore.day_facts` on the connection under a read session (the TUI's review screen),
and by `salesdev review` on a plain `sqlite3` connection (`store.quick_reads`, through
`ReviewReader`) before SQLAlchemy and SQLModel are imported (issue 15.8). Hence no SQLModel
here; values are converted as the column types of `models.types` convert them.

Every list is an index range read, so a day's review stays fast at a million contact
plans. Records with no index on the time asked for (a proposal's `presented_at`, minutes'
`created_at`, a customer's `created_at`, a missed plan's time) are found through the
customers touched since the day began: every write path that records them also sets the
customer's `updated_at`, and `ix_customer_list_stage (stage, updated_at, id)` finds those
customers with one short range per stage (the stage list makes the planner use it).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from salesdev_tui.models.date_range import read_stored_moment
from salesdev_tui.models.enums import ContactMethod, PlanStatus, Source, Stage
from salesdev_tui.models.stored import scaled_to_decimal
from salesdev_tui.models.stored import to_db_timestamp as ts
from salesdev_tui.models.views import (
    CustomerFact,
    DayFacts,
    PlanFact,
    RecordFact,
    StageMoveFact,
)
from salesdev_tui.store.today_queries import TodayReader

if TYPE_CHECKING:
    from salesdev_tui.store.today_queries import Connection

__all__ = ["ReviewReader", "day_facts"]

#: A contact done this long after its planned day still counts as done for that day's plan.
LATE_LOGGING = timedelta(days=7)

# Literal, so SQLite matches the partial index ix_contact_plan_open (see today_queries).
_OPEN_PLAN = "p.status = 'planned' AND p.deleted_at IS NULL"
_STAGES = [stage.value for stage in Stage]
#: The customers touched since a moment (one bound time after the stages).
_TOUCHED = (
    "(SELECT t.id FROM customer AS t"
    f" WHERE t.stage IN ({', '.join('?' * len(_STAGES))}) AND t.updated_at >= ?"
    # Live ones: every read joins a live customer anyway, and so the partial index
    # ix_customer_list_stage (stage, updated_at, id) serves it (schema 12).
    " AND t.deleted_at IS NULL)"
)
#: A plan line: {where} and {order} are fixed texts of this module, never user input.
_PLANS = (
    "SELECT p.id, p.customer_id, c.name, c.stage, p.method, p.scheduled_at, p.status,"
    " p.done_at, p.agenda, p.outcome FROM contact_plan AS p"
    " JOIN customer AS c ON c.id = p.customer_id"
    " WHERE {where} AND c.deleted_at IS NULL ORDER BY {order} LIMIT ?"
)
_OVERDUE_COUNT = f"SELECT count(*) FROM contact_plan AS p WHERE {_OPEN_PLAN} AND p.scheduled_at < ?"
_NEW_LEADS = (
    "SELECT c.id, c.name, c.stage, c.created_at, c.source FROM customer AS c"
    f" WHERE c.stage IN ({', '.join('?' * len(_STAGES))}) AND c.updated_at >= ?"
    " AND c.created_at >= ? AND c.created_at < ? AND c.deleted_at IS NULL"
    " ORDER BY c.created_at LIMIT ?"
)
_STAGE_MOVES = (
    "SELECT s.customer_id, c.name, s.from_stage, s.to_stage, s.changed_at, s.reason"
    " FROM stage_change AS s JOIN customer AS c ON c.id = s.customer_id"
    " WHERE s.changed_at >= ? AND s.changed_at < ?"
    # A new lead's first stage is its entry, listed with the new leads.
    " AND s.from_stage IS NOT NULL AND s.deleted_at IS NULL AND c.deleted_at IS NULL"
    " ORDER BY s.changed_at LIMIT ?"
)
_PROPOSALS = (
    "SELECT r.customer_id, c.name, r.presented_at, r.title, r.version"
    " FROM proposal AS r JOIN customer AS c ON c.id = r.customer_id"
    f" WHERE r.customer_id IN {_TOUCHED}"
    " AND r.presented_at >= ? AND r.presented_at < ?"
    " AND r.deleted_at IS NULL AND c.deleted_at IS NULL ORDER BY r.presented_at LIMIT ?"
)
_MINUTES = (
    "SELECT n.customer_id, c.name, n.held_at"
    " FROM negotiation AS n JOIN customer AS c ON c.id = n.customer_id"
    f" WHERE n.customer_id IN {_TOUCHED}"
    " AND n.created_at >= ? AND n.created_at < ?"
    " AND n.deleted_at IS NULL AND c.deleted_at IS NULL ORDER BY n.created_at LIMIT ?"
)
_CONTRACTS = (
    "SELECT k.customer_id, c.name, k.signed_at, k.number, k.value, k.cost"
    " FROM contract AS k JOIN customer AS c ON c.id = k.customer_id"
    " WHERE k.signed_at >= ? AND k.signed_at < ? AND k.deleted_at IS NULL"
    " ORDER BY k.signed_at LIMIT ?"
)
_SURVEYS = (
    "SELECT v.customer_id, c.name, v.taken_at, v.comment, v.score"
    " FROM survey AS v JOIN customer AS c ON c.id = v.customer_id"
    " WHERE v.taken_at >= ? AND v.taken_at < ? AND v.deleted_at IS NULL"
    " ORDER BY v.taken_at LIMIT ?"
)


def _moment(text: str) -> datetime:
    """A stored time that the schema requires (`models.types.UTCDateTime` reads an
    unreadable one as None, and so does this)."""
    return read_stored_moment(text)  # type: ignore[return-value]


def _money(value: int | None) -> Decimal | None:
    return None if value is None else scaled_to_decimal(value, 2)


def _plan(row: tuple[Any, ...]) -> PlanFact:
    """A row of `_PLANS`."""
    (plan_id, customer_id, name, stage, method, scheduled_at, status, done_at, agenda,
     outcome) = row
    return PlanFact(uuid.UUID(plan_id), uuid.UUID(customer_id), name, Stage(stage),
                    ContactMethod(method), _moment(scheduled_at), PlanStatus(status),
                    read_stored_moment(done_at), agenda, outcome)


def day_facts(
    conn: Connection,
    day_start: datetime,
    day_end: datetime,
    next_end: datetime,
    *,
    limit: int = 200,
    overdue_limit: int = 50,
) -> DayFacts:
    """What happened in [day_start, day_end) (UTC); the next day ends at `next_end`.

    Lists hold at most `limit` rows (the overdue ones the oldest `overdue_limit`, with
    their full count): a day's report, not an export. Run inside one read transaction.
    """
    start, end = ts(day_start), ts(day_end)
    touched = [*_STAGES, start]

    def plans(where: str, params: list[Any], order: str = "p.scheduled_at",
              most: int = limit) -> list[PlanFact]:
        sql = _PLANS.format(where=where, order=order)
        return [_plan(row) for row in conn.execute(sql, [*params, most]).fetchall()]

    in_day = "p.scheduled_at >= ? AND p.scheduled_at < ?"
    # One read of the done plans serves both lists: those done in the day, and those
    # planned for the day and done then or within the week after (logged late).
    done_any = plans(
        "p.done_at >= ? AND p.done_at < ? AND p.deleted_at IS NULL AND p.status = ?"
        f" AND (p.done_at < ? OR {in_day})",
        [start, ts(day_end + LATE_LOGGING), PlanStatus.DONE.value, end, start, end],
        order="p.done_at",
    )
    scheduled = (
        plans(f"{_OPEN_PLAN} AND {in_day}", [start, end])
        + [p for p in done_any if day_start <= p.scheduled_at < day_end]
        + plans(f"p.customer_id IN {_TOUCHED} AND {in_day} AND p.deleted_at IS NULL"
                " AND p.status IN (?, ?)",
                [*touched, start, end, PlanStatus.MISSED.value, PlanStatus.CANCELLED.value])
    )
    scheduled.sort(key=lambda p: (p.scheduled_at, p.customer_name))
    done = [p for p in done_any if p.done_at is not None and p.done_at < day_end]
    overdue = plans(f"{_OPEN_PLAN} AND p.scheduled_at < ?", [start], most=overdue_limit)
    (overdue_count,) = conn.execute(_OVERDUE_COUNT, [start]).fetchone()
    tomorrow = plans(f"{_OPEN_PLAN} AND p.scheduled_at >= ? AND p.scheduled_at < ?",
                     [end, ts(next_end)])
    # Logged in the day, planned for any day (issue 14.6): index ranges on the times.
    missed_logged = plans(
        "p.outcome_at >= ? AND p.outcome_at < ? AND p.deleted_at IS NULL AND p.status = ?",
        [start, end, PlanStatus.MISSED.value], order="p.outcome_at")
    rescheduled = plans("p.rescheduled_at >= ? AND p.rescheduled_at < ?"
                        " AND p.deleted_at IS NULL", [start, end], order="p.rescheduled_at")
    bounds = [start, end, limit]
    return DayFacts(
        scheduled=scheduled,
        done=done,
        new_leads=[
            CustomerFact(uuid.UUID(cid), name, Stage(stage), _moment(at),
                         Source(source) if source is not None else None)
            for cid, name, stage, at, source in conn.execute(
                _NEW_LEADS, [*touched, *bounds]).fetchall()
        ],
        stage_moves=[
            StageMoveFact(uuid.UUID(cid), name, Stage(old) if old is not None else None,
                          Stage(new), _moment(at), reason)
            for cid, name, old, new, at, reason in conn.execute(
                _STAGE_MOVES, bounds).fetchall()
        ],
        proposals_sent=[
            RecordFact(uuid.UUID(cid), name, _moment(at), title=f"{title} (v{version})")
            for cid, name, at, title, version in conn.execute(
                _PROPOSALS, [*touched, *bounds]).fetchall()
        ],
        minutes=[
            RecordFact(uuid.UUID(cid), name, _moment(at))
            for cid, name, at in conn.execute(_MINUTES, [*touched, *bounds]).fetchall()
        ],
        contracts=[
            RecordFact(uuid.UUID(cid), name, _moment(at), title=number, value=_money(value),
                       cost=_money(cost))
            for cid, name, at, number, value, cost in conn.execute(
                _CONTRACTS, bounds).fetchall()
        ],
        surveys=[
            RecordFact(uuid.UUID(cid), name, _moment(at), title=comment, score=score)
            for cid, name, at, comment, score in conn.execute(_SURVEYS, bounds).fetchall()
        ],
        overdue=overdue,
        overdue_count=int(overdue_count),
        tomorrow=tomorrow,
        missed_logged=missed_logged,
        rescheduled=rescheduled,
    )


class ReviewReader(TodayReader):
    """The store methods the review needs (`store.reports.day_review`), on a bare
    connection: the day's facts beside Today's (the KPI figures, the targets, the
    milestones overdue)."""

    def __init__(self, conn: Connection) -> None:
        super().__init__(conn)
        self.review = self  # as `store.review.day_facts`

    def day_facts(self, day_start: datetime, day_end: datetime, next_end: datetime) -> (
        DayFacts
    ):
        return day_facts(self.conn, day_start, day_end, next_end)
