"""Migration 7 -> 8: customers get `tax_id` (統一編號), contacts `mobile` and
`mobile_normalized`, with their indexes and length checks; nothing else changes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from salesdev_tui.db import open_database
from salesdev_tui.db.migrations import SCHEMA_VERSION
from tests.test_kpi_summary import drop_schema_11
from tests.test_migration_v4 import _book, _schema


def _without_checks(conn: sqlite3.Connection, table: str, *columns: str) -> None:
    """Take the schema-8 length checks out of a table's definition (a schema-7 file had
    none), so the columns can be dropped."""
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    for column in columns:
        high = 32 if column == "tax_id" else 40
        check = (f", \n\tCONSTRAINT ck_{table}_{column}_len CHECK ({column} IS NULL"
                 f" OR length({column}) BETWEEN 0 AND {high})")
        assert check in sql, sql
        sql = sql.replace(check, "")
    conn.execute("PRAGMA writable_schema=ON")
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = ?", (sql, table))
    conn.execute("PRAGMA writable_schema=OFF")


def _make_version_7(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        drop_schema_11(conn)
        _without_checks(conn, "customer", "tax_id")
        _without_checks(conn, "contact", "mobile", "mobile_normalized")
    with sqlite3.connect(path) as conn:
        conn.execute("DROP INDEX ix_customer_tax_id")
        conn.execute("DROP INDEX ix_contact_mobile_normalized")
        conn.execute("ALTER TABLE customer DROP COLUMN tax_id")
        conn.execute("ALTER TABLE contact DROP COLUMN mobile_normalized")
        conn.execute("ALTER TABLE contact DROP COLUMN mobile")
        conn.execute("PRAGMA user_version=7")


def _columns(path: Path, table: str) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def test_version_7_files_get_tax_ids_and_mobiles(tmp_path: Path) -> None:
    fresh, old = tmp_path / "fresh.db", tmp_path / "old.db"
    for path in (fresh, old):
        _book(path)
    _make_version_7(old)
    with sqlite3.connect(old) as conn:
        before = conn.execute("SELECT id, name FROM customer ORDER BY id").fetchall()

    open_database(old).close()

    with sqlite3.connect(old) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 13
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT id, name FROM customer ORDER BY id").fetchall() == before
        assert conn.execute("SELECT count(*) FROM customer WHERE tax_id IS NOT NULL"
                            ).fetchone()[0] == 0
        with pytest.raises(sqlite3.IntegrityError, match="tax_id_len"):
            conn.execute("UPDATE customer SET tax_id = ?", ("9" * 33,))
        with pytest.raises(sqlite3.IntegrityError, match="mobile_len"):
            conn.execute("UPDATE contact SET mobile = ?", ("9" * 41,))
    assert _columns(old, "customer")[-1] == "tax_id"
    assert _columns(old, "contact")[-2:] == ["mobile", "mobile_normalized"]
    assert _columns(old, "contact") == _columns(fresh, "contact")
    assert _columns(old, "customer") == _columns(fresh, "customer")
    assert _schema(old) == _schema(fresh)
