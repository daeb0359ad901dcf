"""The scorecard's running sums (schema 11, `db.kpi_summary`) stay what a computation from
the rows gives through every kind of write, and a range read from them (`store.kpi_sums`)
gives what the index reads of the whole range gave, for ranges of every shape.
"""

from __future__ import annotations

import random
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Connection

from salesdev_tui.db import open_database
from salesdev_tui.db.identity import SCHEMA_VERSION
from salesdev_tui.db.kpi_summary import KPI_TABLES, fill_kpi_summary
from salesdev_tui.domain.demo import generate_demo
from salesdev_tui.models.stored import to_db_timestamp as ts
from salesdev_tui.store import kpi_sums
from salesdev_tui.store.combined import Store
from tests.conftest import FIXED_NOW

ZONE = ZoneInfo("Asia/Taipei")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    db = open_database(tmp_path / "sums.db")
    store = Store(db, clock=lambda: FIXED_NOW)
    store.exchange.bulk_insert(generate_demo(customers=150, seed=5, now=FIXED_NOW, zone=ZONE))
    yield store
    db.close()


def drop_schema_11(conn: sqlite3.Connection) -> None:
    """Make a new file look older (tests of earlier migrations): no sums, no triggers."""
    for (name,) in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'kpi_%'"
    ).fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    for table in KPI_TABLES:
        conn.execute(f"DROP TABLE IF EXISTS {table}")


def _kept_and_scratch(link: Connection) -> tuple[dict[str, list[tuple[object, ...]]],
                                                  dict[str, list[tuple[object, ...]]]]:
    def nonzero(table: str) -> list[tuple[object, ...]]:
        first = 3 if table == "kpi_day" else 1  # past the key columns
        return [tuple(r) for r in link.exec_driver_sql(f"SELECT * FROM {table}").all()
                if any(r[first:])]

    kept = {t: nonzero(t) for t in KPI_TABLES}
    fill_kpi_summary(link)
    return kept, {t: nonzero(t) for t in KPI_TABLES}


def _assert_sums_hold(store: Store) -> None:
    with store.db.write() as session:
        kept, scratch = _kept_and_scratch(session.connection())
        session.rollback()
    for table in KPI_TABLES:
        assert kept[table] == scratch[table], table


def _ids(link: Connection, sql: str) -> list[str]:
    return [str(r[0]) for r in link.exec_driver_sql(sql).all()]


def test_the_sums_follow_every_kind_of_write(store: Store) -> None:
    _assert_sums_hold(store)
    rng = random.Random(3)
    with store.db.write() as session:
        link = session.connection()
        signed = _ids(link, "SELECT customer_id FROM contract WHERE signed_at IS NOT NULL"
                            " AND deleted_at IS NULL GROUP BY customer_id")
        assert len(signed) >= 10
        # A customer's pair changes: its contracts move with it (NULL and '' stay apart).
        for customer_id, (source, industry) in zip(signed[:4], [
                ("online", "retail"), (None, None), ("referral", ""), ("other", None)],
                strict=True):
            link.exec_driver_sql("UPDATE customer SET source = ?, industry = ? WHERE id = ?",
                                 (source, industry, customer_id))
        # Deleted, restored, first signing and contact moved.
        link.exec_driver_sql("UPDATE customer SET deleted_at = ? WHERE id = ?",
                             (ts(FIXED_NOW), signed[4]))
        link.exec_driver_sql("UPDATE customer SET deleted_at = ? WHERE id = ?",
                             (ts(FIXED_NOW), signed[5]))
        link.exec_driver_sql("UPDATE customer SET deleted_at = NULL WHERE id = ?", (signed[5],))
        link.exec_driver_sql(
            "UPDATE customer SET first_signed_at = ?, first_contacted_at = NULL WHERE id = ?",
            (ts(FIXED_NOW - timedelta(days=40, hours=7)), signed[6]))
        # Contracts: value, cost, signing time, deletion, another customer.
        contracts = _ids(link, "SELECT id FROM contract WHERE signed_at IS NOT NULL")
        link.exec_driver_sql("UPDATE contract SET value = value + 123456, cost = 1 WHERE id = ?",
                             (contracts[0],))
        link.exec_driver_sql("UPDATE contract SET signed_at = ? WHERE id = ?",
                             (ts(FIXED_NOW - timedelta(days=3, hours=5)), contracts[1]))
        link.exec_driver_sql("UPDATE contract SET deleted_at = ? WHERE id = ?",
                             (ts(FIXED_NOW), contracts[2]))
        link.exec_driver_sql("UPDATE contract SET customer_id = ?, proposal_id = NULL"
                             " WHERE id = ?",
                             (signed[7], contracts[3]))
        # Surveys: score, time, deletion, removal.
        surveys = _ids(link, "SELECT id FROM survey")
        link.exec_driver_sql("UPDATE survey SET score = 1 WHERE id = ?", (surveys[0],))
        link.exec_driver_sql("UPDATE survey SET taken_at = ? WHERE id = ?",
                             (ts(FIXED_NOW - timedelta(days=100)), surveys[1]))
        link.exec_driver_sql("UPDATE survey SET deleted_at = ? WHERE id = ?",
                             (ts(FIXED_NOW), surveys[2]))
        link.exec_driver_sql("DELETE FROM survey WHERE id = ?", (surveys[3],))
        # The pipeline: stage moves, values, a deletion.
        open_ones = _ids(link, "SELECT id FROM customer WHERE pipeline_value IS NOT NULL"
                               " AND stage NOT IN ('won', 'lost') AND deleted_at IS NULL")
        assert len(open_ones) >= 4
        link.exec_driver_sql("UPDATE customer SET stage = 'won' WHERE id = ?", (open_ones[0],))
        link.exec_driver_sql("UPDATE customer SET pipeline_value = pipeline_value * 3"
                             " WHERE id = ?", (open_ones[1],))
        link.exec_driver_sql("UPDATE customer SET pipeline_value = -1 WHERE id = ?",
                             (open_ones[2],))
        link.exec_driver_sql("UPDATE customer SET deleted_at = ? WHERE id = ?",
                             (ts(FIXED_NOW), open_ones[3]))
        link.exec_driver_sql("UPDATE customer SET stage = 'negotiation' WHERE stage = 'lost'"
                             " AND pipeline_value IS NOT NULL")
        # Many rows in one statement.
        link.exec_driver_sql(
            "UPDATE customer SET industry = 'logistics' WHERE rowid % 7 = 0")
        for _ in range(20):
            link.exec_driver_sql("UPDATE contract SET value = ? WHERE id = ?",
                                 (rng.randrange(0, 10**15), rng.choice(contracts)))
    _assert_sums_hold(store)
    # A customer removed for good with all of theirs (the store's purge). One without a
    # proposal: purging one with proposals fails on main too (a foreign key; left as found).
    with store._raw_read() as conn:
        (gone,) = conn.execute(
            "SELECT id FROM customer AS c WHERE first_contacted_at IS NOT NULL AND NOT EXISTS"
            " (SELECT 1 FROM proposal AS p WHERE p.customer_id = c.id) LIMIT 1").fetchone()
    store.deletion.purge_customer(uuid.UUID(str(gone)))
    _assert_sums_hold(store)
    # Two customers merged (the other's contracts move to the one kept).
    store.deletion.merge_customers(uuid.UUID(signed[9]), uuid.UUID(signed[1]))
    _assert_sums_hold(store)


def test_money_past_64_bits_in_a_day_stays_exact(store: Store) -> None:
    """Two contracts of one day whose values together pass 2**63 cents: the two-part sums
    hold them exactly (a trigger's `+` would have turned into a float)."""
    with store.db.write() as session:
        link = session.connection()
        first, second = _ids(link, "SELECT id FROM contract WHERE signed_at IS NOT NULL"
                                   " AND deleted_at IS NULL LIMIT 2")
        day = ts(FIXED_NOW - timedelta(days=2))
        for contract_id in (first, second):
            link.exec_driver_sql("UPDATE contract SET value = ?, signed_at = ? WHERE id = ?",
                                 (2**62 + 7, day, contract_id))
    with store._raw_read() as conn:
        start = FIXED_NOW.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=5)
        sums = kpi_sums.range_sums(conn, start, start + timedelta(days=5), grouped=False)
        assert sums.total()[2] >= 2 * (2**62 + 7)
        (reference,) = conn.execute(
            "SELECT group_concat(value) FROM contract WHERE signed_at >= ? AND signed_at < ?"
            " AND deleted_at IS NULL", (ts(start), ts(start + timedelta(days=5)))).fetchone()
    assert sums.total()[2] == sum(int(v) for v in str(reference).split(","))


def _by_index(conn: object, start: datetime, end: datetime) -> kpi_sums.RangeSums:
    """The whole range read from the indexes, as before schema 11."""
    out = kpi_sums.RangeSums()
    bounds = (ts(start), ts(end))
    kpi_sums._piece_groups(conn, bounds, out)
    score_sum, responses = conn.execute(kpi_sums.SURVEYS, bounds).fetchone()  # type: ignore[attr-defined]
    out.score_sum, out.responses = int(score_sum), int(responses)
    return out


def test_ranges_of_every_shape_read_as_the_indexes_read_them(store: Store) -> None:
    rng = random.Random(11)
    base = FIXED_NOW.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    shapes = [
        (base - timedelta(days=30), base),  # whole UTC days only
        (base - timedelta(days=30, hours=8), base - timedelta(hours=8)),  # Taipei month
        (base - timedelta(hours=20), base - timedelta(hours=3)),  # inside one day
        (base - timedelta(days=1, hours=2), base + timedelta(hours=2)),  # no whole day
        (base - timedelta(days=2, minutes=45), base - timedelta(minutes=30)),  # odd offsets
        (base, base),  # empty
        (base - timedelta(days=400), base + timedelta(days=60)),
    ]
    for _ in range(25):
        start = base - timedelta(seconds=rng.randrange(0, 400 * 86400))
        shapes.append((start, start + timedelta(seconds=rng.randrange(0, 90 * 86400))))
    with store._raw_read() as conn:
        for start, end in shapes:
            fast = kpi_sums.range_sums(conn, start, end, grouped=True)
            slow = _by_index(conn, start, end)
            assert fast.groups == slow.groups, (start, end)
            assert (fast.score_sum, fast.responses) == (slow.score_sum, slow.responses)
            total = kpi_sums.range_sums(conn, start, end, grouped=False)
            assert total.total() == slow.total()
            assert (total.score_sum, total.responses) == (slow.score_sum, slow.responses)


def test_a_version_10_file_gains_the_sums(tmp_path: Path) -> None:
    """Migration 11 fills the sums from the rows and installs the triggers."""
    from salesdev_tui.db.kpi_summary import KPI_TABLES as TABLES
    from salesdev_tui.db.kpi_summary import drop_kpi_triggers
    from salesdev_tui.db.migrations import migrate

    path = tmp_path / "v10.db"
    db = open_database(path)
    store = Store(db, clock=lambda: FIXED_NOW)
    store.exchange.bulk_insert(generate_demo(customers=60, seed=2, now=FIXED_NOW, zone=ZONE))
    with db.write() as session:  # as a version 10 file: no sums, no triggers
        link = session.connection()
        drop_kpi_triggers(link)
        for table in TABLES:
            link.exec_driver_sql(f"DROP TABLE {table}")
        link.exec_driver_sql("PRAGMA user_version=10")
    db.close()
    migrate(path, 10)
    db = open_database(path)
    try:
        store = Store(db, clock=lambda: FIXED_NOW)
        with db.read() as session:
            link = session.connection()
            assert link.exec_driver_sql("PRAGMA user_version").scalar() == SCHEMA_VERSION
            triggers = {r[0] for r in link.exec_driver_sql(
                "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'kpi_%'")}
        assert len(triggers) == 11
        _assert_sums_hold(store)
        with db.write() as session:  # the triggers work after the migration
            session.connection().exec_driver_sql(
                "UPDATE customer SET source = 'online' WHERE first_signed_at IS NOT NULL")
        _assert_sums_hold(store)
    finally:
        db.close()
