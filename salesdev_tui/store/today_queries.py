"""The queries behind Today and its month strip, in plain SQL over a DB-API connection.

They run in two places with the same text: inside the store (`AgendaStore.agenda`,
`KpiStore.kpi_figures`, …, on the session's own connection, so inside its transaction)
and at start-up on a bare `sqlite3` connection (`TodayReader`), before SQLAlchemy and
SQLModel are imported. That import costs ~0.8 s of pure Python holding the GIL; reading
Today without it is what lets the screen fill a few hundred milliseconds after the first
frame instead of seconds (PERFORMANCE.md). Hence no SQLModel here, and only standard SQL.

Stored forms (models/types.py): times are UTC text "YYYY-MM-DD HH:MM:SS.ffffff", so text
order is time order; ids are 32 hex digits; money is an integer of cents; targets have
four decimal places.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any, Protocol

from salesdev_tui.models.enums import (
    ContactMethod,
    Kpi,
    MilestoneKind,
    PeriodKind,
    Stage,
)
from salesdev_tui.models.idle_rule import IDLE_INDEX_WHERE
from salesdev_tui.models.revisit_rule import REVISIT_DUE_KEY, REVISIT_INDEX_WHERE
from salesdev_tui.models.stored import from_db_timestamp, scaled_to_decimal
from salesdev_tui.models.stored import to_db_timestamp as ts
from salesdev_tui.models.views import (
    Agenda,
    AgendaItem,
    IdleCustomer,
    KpiFigures,
    OverdueMilestone,
    RevisitDue,
    TargetFigure,
)
from salesdev_tui.store.kpi_sums import range_sums

# Written out literally (not as bound parameters) so SQLite can match the partial index
# ix_contact_plan_open; with `status = ?` the planner cannot prove the index applies and
# scans (PERFORMANCE-NOTES: 90-110 ms instead of ~4 ms at 1M plans).
_OPEN_PLAN = "p.status = 'planned' AND p.deleted_at IS NULL"


class Connection(Protocol):
    """What the queries need of a connection: sqlite3's, or the one under a session."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Any: ...


def _time_or_none(text: str | None) -> datetime | None:
    return None if text is None else from_db_timestamp(text)


def agenda(
    conn: Connection,
    *,
    day_start: datetime,
    day_end: datetime,
    upcoming_end: datetime,
    idle_before: datetime,
    limit: int = 50,
) -> Agenda:
    """Open plans before today, during today, and up to `upcoming_end`; idle customers."""

    def plans(start: datetime | None, end: datetime) -> list[AgendaItem]:
        since = "AND p.scheduled_at >= ?" if start is not None else ""
        params = [ts(end), *([ts(start)] if start is not None else []), limit]
        rows = conn.execute(
            "SELECT p.id, p.customer_id, c.name, c.stage, p.method, p.scheduled_at, p.agenda,"
            " k.name FROM contact_plan AS p JOIN customer AS c ON c.id = p.customer_id"
            " LEFT JOIN contact AS k ON k.id = p.contact_id"
            f" WHERE {_OPEN_PLAN} AND p.scheduled_at < ? {since} AND c.deleted_at IS NULL"
            " ORDER BY p.scheduled_at LIMIT ?",
            params,
        ).fetchall()
        return [
            AgendaItem(
                plan_id=uuid.UUID(plan_id),
                customer_id=uuid.UUID(customer_id),
                customer_name=name,
                stage=Stage(stage),
                method=ContactMethod(method),
                scheduled_at=from_db_timestamp(scheduled_at),
                agenda=agenda_text,
                contact_name=contact_name,
            )
            for plan_id, customer_id, name, stage, method, scheduled_at, agenda_text,
            contact_name in rows
        ]

    overdue = plans(None, day_start)
    today = plans(day_start, day_end)
    upcoming = plans(day_end, upcoming_end)
    # Idle: open, quiet for too long, and no contact planned: nobody is on it. Walked in
    # activity order on ix_customer_idle (open customers only), stopping at the first
    # `limit`; its WHERE is the query's, term for term, so SQLite knows it applies.
    idle_rows = conn.execute(
        "SELECT c.id, c.name, c.stage, c.last_activity_at FROM customer AS c"
        f" WHERE {IDLE_INDEX_WHERE}"
        " AND c.last_activity_at < ?"
        " AND NOT EXISTS (SELECT 1 FROM contact_plan AS p"
        f" WHERE p.customer_id = c.id AND {_OPEN_PLAN})"
        " ORDER BY c.last_activity_at LIMIT ?",
        [ts(idle_before), limit],
    ).fetchall()
    idle = [
        IdleCustomer(uuid.UUID(cid), name, Stage(stage), _time_or_none(last))
        for cid, name, stage, last in idle_rows
    ]
    return Agenda(overdue=overdue, today=today, upcoming=upcoming, idle=idle)


def revisits_due(
    conn: Connection, today_end: datetime, limit: int = 50, *, zone: tzinfo = UTC
) -> list[RevisitDue]:
    """Won customers whose revisit falls due before `today_end`, the most overdue first.

    Due = the latest completed contact (or, if none, the first signing) plus the customer's
    `revisit_days`, counted in calendar days of `zone`. A customer with a contact already
    planned is not listed: someone is on it.
    """
    if limit <= 0:
        return []
    # ix_customer_revisit_due holds the won customers in the order of a due day computed in
    # UTC (julianday(): SQLite's date arithmetic; this read runs on the local file), within
    # a day of the exact wall-clock rule in the rep's zone applied below. So the rows come
    # in nearly due order, and the read stops once no later row can sort before the
    # `limit`-th due: O(log n + due) instead of O(won customers) (PERFORMANCE.md). The key
    # and WHERE are the index's, word for word, or SQLite cannot use it.
    cursor = conn.execute(
        f"SELECT id, name, revisit_days, first_signed_at, last_contacted_at, {_DUE_KEY}"
        f" FROM customer WHERE {REVISIT_INDEX_WHERE} AND {_DUE_KEY} < julianday(?) + 1"
        " AND NOT EXISTS (SELECT 1 FROM contact_plan AS p WHERE p.customer_id = customer.id"
        f" AND {_OPEN_PLAN}) ORDER BY {_DUE_KEY}",
        [ts(today_end)],
    )
    due: list[RevisitDue] = []
    cutoff: float | None = None  # the key past which no row can be among the first `limit`
    try:
        for customer_id, name, days, first_signed, done, key in cursor:
            if cutoff is not None and key > cutoff:
                break
            last = _time_or_none(done)
            base = last or _time_or_none(first_signed)
            if base is None:
                due_at = today_end - timedelta(microseconds=1)  # never contacted: due now
            else:
                # Wall-clock arithmetic in the rep's zone: "30 days later" is the same time
                # of day 30 calendar days on, also across a daylight saving change.
                due_at = (base.astimezone(zone) + timedelta(days=days)).astimezone(UTC)
            if due_at < today_end:
                due.append(RevisitDue(uuid.UUID(customer_id), name, days, last, due_at))
                if len(due) >= limit:
                    due.sort(key=_due_order)
                    del due[limit:]
                    cutoff = _julian_day(due[-1].due_at) + _KEY_SLACK_DAYS
    finally:
        cursor.close()
    due.sort(key=_due_order)
    return due


_DUE_KEY = REVISIT_DUE_KEY
#: The exact due differs from the key by the zone's offset change between the base and the
#: due time: hours for daylight saving, at most a day for a zone that moved across the date
#: line. A second on top absorbs the float arithmetic.
_KEY_SLACK_DAYS = 1 + 1 / 86_400
_UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_UNIX_EPOCH_JULIAN_DAY = 2_440_587.5


def _julian_day(moment: datetime) -> float:
    """SQLite's julianday() of `moment`."""
    return _UNIX_EPOCH_JULIAN_DAY + (moment - _UNIX_EPOCH) / timedelta(days=1)


def _due_order(item: RevisitDue) -> tuple[datetime, str]:
    return item.due_at, item.name


def milestones_overdue(conn: Connection, today: date, limit: int = 50) -> list[OverdueMilestone]:
    """Milestones due before `today` (the rep's local day) and not done, oldest first, of
    customers that are not deleted."""
    rows = conn.execute(
        "SELECT m.id, m.customer_id, c.name, c.stage, m.kind, m.title, m.due_on"
        " FROM milestone AS m JOIN customer AS c ON c.id = m.customer_id"
        " WHERE m.due_on < ? AND m.done_at IS NULL AND m.deleted_at IS NULL"
        " AND c.deleted_at IS NULL ORDER BY m.due_on, c.name LIMIT ?",
        [today.isoformat(), limit],
    ).fetchall()
    return [
        OverdueMilestone(
            milestone_id=uuid.UUID(milestone_id),
            customer_id=uuid.UUID(customer_id),
            customer_name=name,
            stage=Stage(stage),
            kind=MilestoneKind(kind),
            title=title,
            due_on=date.fromisoformat(due_on),
        )
        for milestone_id, customer_id, name, stage, kind, title, due_on in rows
    ]


def kpi_figures(conn: Connection, start: datetime, end: datetime) -> KpiFigures:
    """The raw KPI figures of the half-open UTC range [start, end): the running sums of its
    whole UTC days and index range reads of its edges (the maintained first_signed_at /
    first_contacted_at, signed_at, taken_at; `kpi_sums.range_sums`)."""
    sums = range_sums(conn, start, end, grouped=False)
    new_customers, contacted, value_sum, cost_sum = sums.total()
    # The money as stored: an exact integer of cents.
    revenue = scaled_to_decimal(value_sum, 2)
    return KpiFigures(
        new_customers=new_customers,
        prospects_contacted=contacted,
        revenue=revenue,
        profit=revenue - scaled_to_decimal(cost_sum, 2),
        satisfaction_sum=sums.score_sum,
        satisfaction_responses=sums.responses,
    )


def targets_for(
    conn: Connection, periods: Iterable[tuple[PeriodKind, str]]
) -> list[TargetFigure]:
    """The live targets of these (kind, label) periods."""
    wanted = list(dict.fromkeys(periods))
    if not wanted:
        return []
    match = " OR ".join(["(period_kind = ? AND period_label = ?)"] * len(wanted))
    params = [str(part) for kind, label in wanted for part in (kind.value, label)]
    rows = conn.execute(
        "SELECT period_kind, period_label, kpi, value, set_by FROM target"
        f" WHERE deleted_at IS NULL AND ({match})", params).fetchall()
    return [
        TargetFigure(PeriodKind(kind), label, Kpi(kpi), scaled_to_decimal(value, 4), set_by)
        for kind, label, kpi, value, set_by in rows
    ]


class TodayReader:
    """The store methods Today needs (`store.reports.today_view`), on a bare connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        # The same shape as the Store's front for these reads (`store.today.agenda`,
        # `store.plans.revisits_due`, …), so `today_view` reads either one.
        self.today = self.plans = self.followup = self.kpis = self.targets = self

    def agenda(self, **bounds: Any) -> Agenda:
        return agenda(self.conn, **bounds)

    def revisits_due(self, today_end: datetime, limit: int = 50, *, zone: tzinfo = UTC) -> (
        list[RevisitDue]
    ):
        return revisits_due(self.conn, today_end, limit, zone=zone)

    def milestones_overdue(self, today: date, limit: int = 50) -> list[OverdueMilestone]:
        return milestones_overdue(self.conn, today, limit)

    def kpi_figures(self, start: datetime, end: datetime) -> KpiFigures:
        return kpi_figures(self.conn, start, end)

    def targets_for(self, periods: Iterable[tuple[PeriodKind, str]]) -> list[TargetFigure]:
        return targets_for(self.conn, periods)
