"""Migration 4 -> 5: Today's idle customers read ix_customer_idle (open customers only)
instead of walking every live customer on ix_customer_activity; same customers listed."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from salesdev_tui.db import open_database
from salesdev_tui.db.migrations import SCHEMA_VERSION
from salesdev_tui.store.today_queries import agenda
from tests.conftest import FIXED_NOW
from tests.test_migration_v4 import _book, _schema


def _idle_names(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        found = agenda(conn, day_start=FIXED_NOW, day_end=FIXED_NOW + timedelta(days=1),
                       upcoming_end=FIXED_NOW + timedelta(days=8),
                       idle_before=FIXED_NOW + timedelta(days=400))
    finally:
        conn.close()
    return [customer.name for customer in found.idle]


def _idle_plan(path: Path) -> str:
    from salesdev_tui.models.idle_rule import IDLE_INDEX_WHERE

    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "EXPLAIN QUERY PLAN SELECT c.id FROM customer AS c"
            f" WHERE {IDLE_INDEX_WHERE.replace('deleted_at', 'c.deleted_at')}"
            " AND c.last_activity_at < ? ORDER BY c.last_activity_at LIMIT 50",
            ("2030-01-01 00:00:00.000000",),
        ).fetchall()
    return " | ".join(str(row[-1]) for row in rows)


def test_version_4_files_get_the_idle_index(tmp_path: Path) -> None:
    fresh, old = tmp_path / "fresh.db", tmp_path / "old.db"
    for path in (fresh, old):
        _book(path)  # a won customer, one with a contact planned, two idle ones
    with sqlite3.connect(old) as conn:  # what version 4 had
        conn.execute("DROP INDEX ix_customer_idle")
        conn.execute("CREATE INDEX ix_customer_activity ON customer (last_activity_at)"
                     " WHERE deleted_at IS NULL")
        conn.execute("PRAGMA user_version=4")
    before = _idle_names(old)
    assert "ix_customer_activity" in _idle_plan(old)

    open_database(old).close()

    with sqlite3.connect(old) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 13
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert _schema(old) == _schema(fresh)
    assert "ix_customer_activity" not in _schema(old)
    assert "USING INDEX ix_customer_idle" in _idle_plan(old)
    assert "TEMP B-TREE" not in _idle_plan(old)
    assert _idle_names(old) == before == _idle_names(fresh)
    assert set(before) == {"Missed Co.", "Erased Plan Co."}  # won and planned-for left out
