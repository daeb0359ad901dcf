"""Migration 8 -> 9: targets get `set_by` (the manager who set one on the team server),
and the rep's own stay one per period and indicator beside the manager's."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from salesdev_tui.db import open_database
from salesdev_tui.db.migrations import SCHEMA_VERSION
from tests.test_migration_v4 import _book, _schema


def _make_version_8(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        (sql,) = conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'target'").fetchone()
        check = (", \n\tCONSTRAINT ck_target_set_by_len CHECK (set_by IS NULL"
                 " OR length(set_by) BETWEEN 1 AND 63)")
        assert check in sql, sql
        conn.execute("PRAGMA writable_schema=ON")
        conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'target'",
                     (sql.replace(check, ""),))
        conn.execute("PRAGMA writable_schema=OFF")
    with sqlite3.connect(path) as conn:
        conn.execute("DROP INDEX uq_target_live")
        conn.execute("DROP INDEX uq_target_by_manager")
        conn.execute("ALTER TABLE target DROP COLUMN set_by")
        conn.execute("CREATE UNIQUE INDEX uq_target_live ON target"
                     " (period_kind, period_label, kpi) WHERE deleted_at IS NULL")
        conn.execute("INSERT INTO target (id, created_at, updated_at, period_kind,"
                     " period_label, kpi, value) VALUES ('t1', '2026-11-01T00:00:00',"
                     " '2026-11-01T00:00:00', 'month', '2026-11', 'revenue', 100)")
        conn.execute("PRAGMA user_version=8")


def test_version_8_files_get_the_managers_targets_beside_their_own(tmp_path: Path) -> None:
    fresh, old = tmp_path / "fresh.db", tmp_path / "old.db"
    for path in (fresh, old):
        _book(path)
    _make_version_8(old)

    open_database(old).close()

    with sqlite3.connect(old) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 13
        assert conn.execute("SELECT set_by FROM target").fetchall() == [(None,)]
        # The manager's target for the same period and indicator sits beside the rep's own.
        conn.execute("INSERT INTO target (id, created_at, updated_at, period_kind,"
                     " period_label, kpi, value, set_by) VALUES ('t2', '2026-11-01T00:00:00',"
                     " '2026-11-01T00:00:00', 'month', '2026-11', 'revenue', 200, 'max')")
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):  # but one of each
            conn.execute("INSERT INTO target (id, created_at, updated_at, period_kind,"
                         " period_label, kpi, value) VALUES ('t3', '2026-11-01T00:00:00',"
                         " '2026-11-01T00:00:00', 'month', '2026-11', 'revenue', 300)")
        with pytest.raises(sqlite3.IntegrityError, match="set_by_len"):
            conn.execute("UPDATE target SET set_by = ''")
        conn.rollback()
    assert _schema(old) == _schema(fresh)
