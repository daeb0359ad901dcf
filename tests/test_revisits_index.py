"""Today's revisits due read from ix_customer_revisit_due (schema 4), and the maintained
`customer.last_contacted_at` it rests on.

The proof of the new read: the same answers as the read it replaced (kept below, verbatim,
as the reference) on a demo book, for several days, zones (a daylight saving change
included) and limits; the plan SQLite picks; and that it stops reading early.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from salesdev_tui.db import open_database
from salesdev_tui.domain.periods import day_bounds
from salesdev_tui.models.views import RevisitDue
from salesdev_tui.store import today_queries as tq
from salesdev_tui.store.bulk_load import DemoSpec, bulk_load, demo_chunks
from salesdev_tui.store.combined import Store
from salesdev_tui.store.today_queries import _OPEN_PLAN, _time_or_none, revisits_due
from tests.conftest import FIXED_NOW, Clock
from tests.test_plans import add_customer, log, make_won, plan

TAIPEI = ZoneInfo("Asia/Taipei")
NEW_YORK = ZoneInfo("America/New_York")
ZONES = (TAIPEI, NEW_YORK, UTC)


def reference_revisits_due(
    conn: Any, today_end: datetime, limit: int = 50, *, zone: tzinfo = UTC
) -> list[RevisitDue]:
    """The read before schema 4 (one max() lookup per won customer), kept as the reference."""
    rows = conn.execute(
        "SELECT id, name, revisit_days, first_signed_at, done FROM ("
        " SELECT c.id, c.name, c.revisit_days, c.first_signed_at,"
        "  (SELECT max(d.done_at) FROM contact_plan AS d WHERE d.customer_id = c.id"
        "   AND d.status = 'done' AND d.deleted_at IS NULL) AS done"
        " FROM customer AS c WHERE c.deleted_at IS NULL AND c.stage = 'won'"
        " AND c.revisit_days IS NOT NULL"
        f" AND NOT EXISTS (SELECT 1 FROM contact_plan AS p WHERE p.customer_id = c.id"
        f" AND {_OPEN_PLAN}))"
        " WHERE coalesce(done, first_signed_at) IS NULL"
        " OR julianday(coalesce(done, first_signed_at)) + revisit_days < julianday(?) + 1",
        [tq.ts(today_end)],
    ).fetchall()
    due: list[RevisitDue] = []
    for customer_id, name, days, first_signed, done in rows:
        last = _time_or_none(done)
        base = last or _time_or_none(first_signed)
        if base is None:
            due_at = today_end - timedelta(microseconds=1)
        else:
            due_at = (base.astimezone(zone) + timedelta(days=days)).astimezone(UTC)
        if due_at < today_end:
            due.append(RevisitDue(uuid.UUID(customer_id), name, days, last, due_at))
    due.sort(key=lambda item: (item.due_at, item.name))
    return due[:limit]


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo book with a spread of won customers: some never contacted nor signed (due at
    once), some with short intervals, some with a contact planned (not listed)."""
    from salesdev_tui.domain.demo import generate_demo

    path = tmp_path_factory.mktemp("revisits") / "demo.db"
    db = open_database(path)
    try:
        store = Store(db, clock=Clock())
        store.exchange.bulk_insert(generate_demo(customers=400, seed=11, now=FIXED_NOW,
                                                 zone=TAIPEI))
    finally:
        db.close()
    with sqlite3.connect(path) as conn:
        won = [cid for (cid,) in conn.execute(
            "SELECT id FROM customer WHERE stage = 'won' AND deleted_at IS NULL ORDER BY id")]
        assert len(won) >= 30
        # More won customers with an interval, among them some with neither a done contact
        # nor a signing (the key's 0: due at once, whatever the day).
        for n, cid in enumerate(won):
            days = (1, 7, 14, 30, 90, 365)[n % 6]
            conn.execute("UPDATE customer SET revisit_days = ? WHERE id = ?", (days, cid))
            if n % 4:  # nobody on it any more: listed when due
                conn.execute("UPDATE contact_plan SET status = 'cancelled' WHERE customer_id = ?"
                             " AND status = 'planned'", (cid,))
        for cid in won[1:4]:  # none with a contact planned
            conn.execute("UPDATE customer SET first_signed_at = NULL, last_contacted_at = NULL"
                         " WHERE id = ?", (cid,))
            conn.execute("UPDATE contact_plan SET deleted_at = '2026-01-01 00:00:00.000000'"
                         " WHERE customer_id = ? AND status = 'done'", (cid,))
    return path


@pytest.fixture
def conn(demo_file: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(f"file:{demo_file}?mode=ro", uri=True)
    try:
        yield connection
    finally:
        connection.close()


def _days() -> list[date]:
    # Around the demo's "now", the New York change back to standard time (1 Nov 2026) and
    # the one to summer time (8 Mar 2026), and far on (everyone due).
    around = [date(2026, 10, 25) + timedelta(days=n) for n in range(0, 30, 3)]
    return [date(2025, 1, 1), date(2026, 3, 6), date(2026, 3, 9), *around, date(2028, 1, 1)]


@pytest.mark.parametrize("zone", ZONES, ids=str)
@pytest.mark.parametrize("limit", [1, 5, 50])
def test_same_answers_as_the_read_it_replaced(
    conn: sqlite3.Connection, zone: ZoneInfo, limit: int
) -> None:
    listed = 0
    for day in _days():
        end = day_bounds(day, zone)[1]
        expected = reference_revisits_due(conn, end, limit, zone=zone)
        assert revisits_due(conn, end, limit, zone=zone) == expected, (day, zone, limit)
        # Not only at midnight: any moment of the day.
        for hour in (1, 13, 23):
            moment = end - timedelta(hours=hour, minutes=17)
            assert revisits_due(conn, moment, limit, zone=zone) == reference_revisits_due(
                conn, moment, limit, zone=zone)
        listed += len(expected)
    assert listed > 0


def test_everyone_due_far_on_and_nothing_before_the_book(conn: sqlite3.Connection) -> None:
    far = datetime(2030, 1, 1, tzinfo=UTC)
    every = revisits_due(conn, far, 10_000, zone=TAIPEI)
    assert every == reference_revisits_due(conn, far, 10_000, zone=TAIPEI)
    assert len(every) > 50
    # Never contacted nor signed: due "now", so last of all on any day.
    early = revisits_due(conn, datetime(2020, 1, 1, tzinfo=UTC), 50, zone=TAIPEI)
    assert len(early) == 3 and all(item.last_contact_at is None for item in early)
    assert revisits_due(conn, far, 0, zone=TAIPEI) == []


class _CountingConnection:
    """Counts the rows the read takes from SQLite."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.rows = 0

    def execute(self, sql: str, parameters: Any = ()) -> Any:
        cursor = self.conn.execute(sql, parameters)
        counter = self

        class Counting:
            def __iter__(self) -> Iterator[Any]:
                for row in cursor:
                    counter.rows += 1
                    yield row

            def close(self) -> None:
                cursor.close()

        return Counting()


def test_stops_reading_once_nothing_later_can_come_first(conn: sqlite3.Connection) -> None:
    far = datetime(2030, 1, 1, tzinfo=UTC)
    total = len(reference_revisits_due(conn, far, 10_000, zone=TAIPEI))
    counting = _CountingConnection(conn)
    assert len(revisits_due(counting, far, 5, zone=TAIPEI)) == 5  # type: ignore[arg-type]
    # The 3 due at once, then the 5 most overdue and what lies within a day of the 5th.
    assert counting.rows < total / 2


def test_sqlite_reads_the_index_in_due_order(conn: sqlite3.Connection) -> None:
    statements: list[str] = []

    class Spy:
        def execute(self, sql: str, parameters: Any = ()) -> Any:
            statements.append(sql)
            return conn.execute(sql, parameters)

    revisits_due(Spy(), FIXED_NOW)  # type: ignore[arg-type]
    plan_rows = conn.execute("EXPLAIN QUERY PLAN " + statements[0], [tq.ts(FIXED_NOW)])
    details = [row[3] for row in plan_rows]
    assert details[0].startswith("SEARCH customer USING INDEX ix_customer_revisit_due"), details
    assert not any("TEMP B-TREE" in detail for detail in details), details


# -- the maintained column ---------------------------------------------------------------------


def _latest_done(conn: sqlite3.Connection) -> dict[str, str | None]:
    return dict(conn.execute(
        "SELECT c.id, (SELECT max(done_at) FROM contact_plan AS d WHERE d.customer_id = c.id"
        " AND d.status = 'done' AND d.deleted_at IS NULL) FROM customer AS c"))


def _column(conn: sqlite3.Connection) -> dict[str, str | None]:
    return dict(conn.execute("SELECT id, last_contacted_at FROM customer"))


def test_the_app_path_fills_the_column(conn: sqlite3.Connection) -> None:
    assert _column(conn) == _latest_done(conn)
    assert sum(v is not None for v in _column(conn).values()) > 100


def test_the_fast_loader_fills_the_column(tmp_path: Path) -> None:
    db = open_database(tmp_path / "fast.db")
    try:
        spec = DemoSpec(customers=80, seed=4, now=FIXED_NOW, zone=TAIPEI, chunk=30)
        bulk_load(db, demo_chunks(spec, background=False))
    finally:
        db.close()
    with sqlite3.connect(tmp_path / "fast.db") as fast:
        column = _column(fast)
        assert column == _latest_done(fast)
        assert any(v is not None for v in column.values())


def test_every_plan_write_keeps_the_column(store: Any, clock: Clock) -> None:
    customer_id = add_customer(store)
    make_won(store, customer_id, 30)

    def column() -> datetime | None:
        return store.customers.get_customer(customer_id).last_contacted_at  # type: ignore[no-any-return]

    first = plan(store, customer_id, FIXED_NOW + timedelta(hours=1))
    assert column() is None
    log(store, first, "done")
    assert column() == FIXED_NOW
    clock.current = FIXED_NOW + timedelta(days=3)
    second = plan(store, customer_id, clock.current)
    log(store, second, "done")
    assert column() == clock.current
    assert store.customers.get_customer(customer_id).first_contacted_at == FIXED_NOW
    # Reopened: the earlier contact is the latest again, and the customer is off the list.
    store.plans.reschedule(second, clock.current + timedelta(days=1))
    assert column() == FIXED_NOW
    assert store.plans.revisits_due(FIXED_NOW + timedelta(days=60), zone=TAIPEI) == []
    log(store, second, "missed")
    due = store.plans.revisits_due(FIXED_NOW + timedelta(days=60), zone=TAIPEI)
    assert [(d.customer_id, d.last_contact_at) for d in due] == [(customer_id, FIXED_NOW)]
    assert due[0].due_at == FIXED_NOW + timedelta(days=30)


def test_an_import_recomputes_the_column(store: Any) -> None:
    customer_id = add_customer(store)
    done = plan(store, customer_id, FIXED_NOW)
    log(store, done, "done")
    records = store.exchange.export_records()
    for row in records["customers"]:
        row.last_contacted_at = datetime(2001, 1, 1, tzinfo=UTC)  # a file that says otherwise
    store.exchange.import_records(records)
    assert store.customers.get_customer(customer_id).last_contacted_at == FIXED_NOW


def test_exact_zone_rule_decides_across_a_daylight_saving_change(
    store: Any, clock: Clock
) -> None:
    """The index orders by a UTC day; New York's clocks go back on 1 Nov 2026, so a revisit
    counted over the change falls an hour later than that order says, and the exact rule
    must still decide which is first."""

    def seen(name: str, at: datetime, days: int) -> uuid.UUID:
        customer_id = add_customer(store, name)
        make_won(store, customer_id, days)
        clock.current = at
        log(store, plan(store, customer_id, at), "done")
        return customer_id

    # Due 10 Nov 10:00 EST (15:00 UTC); its UTC key says 14:00.
    over_the_change = seen("Autumn Co.", datetime(2026, 10, 1, 14, 0, tzinfo=UTC), 40)
    # Due 10 Nov 14:30 UTC, key and rule alike: really the first.
    after_it = seen("Winter Co.", datetime(2026, 11, 5, 14, 30, tzinfo=UTC), 5)
    end = datetime(2026, 11, 11, 5, 0, tzinfo=UTC)
    first = store.plans.revisits_due(end, 1, zone=NEW_YORK)
    assert [d.customer_id for d in first] == [after_it]
    both = store.plans.revisits_due(end, 5, zone=NEW_YORK)
    assert [(d.customer_id, d.due_at.hour) for d in both] == [(after_it, 14),
                                                              (over_the_change, 15)]
    # In UTC there is no change: the other way round.
    assert [d.customer_id for d in store.plans.revisits_due(end, 1, zone=UTC)] == [over_the_change]
