"""Migration 6 -> 7: contact plans get `outcome_at` and `rescheduled_at` with their indexes
(issue 14.6); older outcomes get the best time known (done: done_at; else the last change)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from salesdev_tui.db import open_database
from salesdev_tui.db.migrations import SCHEMA_VERSION
from tests.test_migration_v4 import _book, _schema


def _make_version_6(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("DROP INDEX ix_contact_plan_outcome_at")
        conn.execute("DROP INDEX ix_contact_plan_rescheduled_at")
        conn.execute("ALTER TABLE contact_plan DROP COLUMN outcome_at")
        conn.execute("ALTER TABLE contact_plan DROP COLUMN rescheduled_at")
        conn.execute("PRAGMA user_version=6")


def _plans(path: Path) -> list[tuple[str, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT id, status, done_at, updated_at, outcome_at, rescheduled_at"
                            " FROM contact_plan ORDER BY id").fetchall()


def test_version_6_files_get_the_outcome_times(tmp_path: Path) -> None:
    fresh, old = tmp_path / "fresh.db", tmp_path / "old.db"
    for path in (fresh, old):
        _book(path)  # done plans, a missed one, an open one, a deleted one
    _make_version_6(old)

    open_database(old).close()

    with sqlite3.connect(old) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 13
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert _schema(old) == _schema(fresh)
    rows = _plans(old)
    assert {status for _id, status, *_rest in rows} == {"done", "missed", "planned"}
    for _id, status, done_at, updated_at, outcome_at, rescheduled_at in rows:
        expected = {"done": done_at, "missed": updated_at, "planned": None}[status]
        assert (outcome_at, rescheduled_at) == (expected, None)
    # The fresh file, written by the current code, recorded the same outcome times.
    def times(found: list[tuple[str, ...]]) -> list[tuple[str, str]]:
        return sorted((row[1], row[4] or "") for row in found)

    assert times(_plans(fresh)) == times(rows)
