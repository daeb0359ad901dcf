"""The real migration 3 -> 4: `customer.last_contacted_at` added and filled from the done
contact plans, ix_customer_revisit_due made, every row kept; and the runner keeps the
search index in place around steps that only add columns and indexes.

The version 3 file is made from a current one with customers and plans of every status
(done twice, missed, planned, a done one soft-deleted): the column and the index are
dropped, as version 3 had neither.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from salesdev_tui.db import migrations, open_database
from salesdev_tui.db.migrations import SCHEMA_VERSION
from salesdev_tui.store.combined import Store
from tests.conftest import FIXED_NOW, Clock
from tests.test_migration_v3 import _make_version_2
from tests.test_plans import TAIPEI, add_customer, log, make_won, plan
from tests.test_search import found

_TABLES = ("customer", "contact", "contact_plan", "stage_change", "field_edit")


def _book(path: Path) -> dict[str, Any]:
    """Customers with plan histories, written by the current code; their names by role."""
    clock = Clock()
    db = open_database(path)
    try:
        store = Store(db, clock=clock)
        twice = add_customer(store, "Twice Seen Co.", "Mei Chen")
        make_won(store, twice, 30)
        for days in (0, 5):
            clock.current = FIXED_NOW + timedelta(days=days)
            log(store, plan(store, twice, clock.current), "done")
        missed = add_customer(store, "Missed Co.")
        log(store, plan(store, missed, FIXED_NOW), "missed")
        waiting = add_customer(store, "Waiting Co.")
        plan(store, waiting, FIXED_NOW + timedelta(days=2))
        erased = add_customer(store, "Erased Plan Co.")
        clock.current = FIXED_NOW + timedelta(days=1)
        log(store, plan(store, erased, clock.current), "done")
        clock.current = FIXED_NOW + timedelta(days=9)
        gone = plan(store, erased, clock.current)
        log(store, gone, "done")
    finally:
        db.close()
    with sqlite3.connect(path) as conn:  # a done plan deleted by hand: it no longer counts
        conn.execute("UPDATE contact_plan SET deleted_at = '2026-12-01 00:00:00.000000'"
                     " WHERE id = ?", (gone.hex,))
    return {"twice": twice, "missed": missed, "waiting": waiting, "erased": erased}


def _make_version_3(path: Path) -> None:
    from tests.test_migration_v8 import _make_version_7

    _make_version_7(path)  # without schema 8's columns, which would come before these
    conn = sqlite3.connect(path)
    try:
        conn.execute("DROP INDEX ix_customer_revisit_due")
        conn.execute("ALTER TABLE customer DROP COLUMN last_contacted_at")
        conn.execute("PRAGMA user_version=3")
        conn.commit()
    finally:
        conn.close()


def _counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in _TABLES}


def _schema(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                                 " AND sql IS NOT NULL"))


def test_version_3_files_get_the_last_contact_and_the_revisit_index(
    db_path: Path, tmp_path: Path
) -> None:
    ids = _book(db_path)
    _make_version_3(db_path)
    before = _counts(db_path)
    fresh = tmp_path / "fresh.db"
    open_database(fresh).close()

    db = open_database(db_path)  # migrates
    try:
        store = Store(db, clock=Clock())
        last = {name: store.customers.get_customer(cid).last_contacted_at for name,
                cid in ids.items()}
        assert last == {"twice": FIXED_NOW + timedelta(days=5), "missed": None,
                        "waiting": None, "erased": FIXED_NOW + timedelta(days=1)}
        due = store.plans.revisits_due(FIXED_NOW + timedelta(days=40), zone=TAIPEI)
        assert [(d.customer_id, d.due_at) for d in due] == [
            (ids["twice"], FIXED_NOW + timedelta(days=35))]
    finally:
        db.close()

    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 13
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        columns = [row[1] for row in conn.execute("PRAGMA table_info(customer)")]
    with sqlite3.connect(fresh) as new:
        assert columns == [row[1] for row in new.execute("PRAGMA table_info(customer)")]
    assert _schema(db_path) == _schema(fresh)  # the same indexes as a new file
    assert _counts(db_path) == before
    assert len(list((db_path.parent / "backups").iterdir())) == 1  # taken before migrating


def test_2_to_4_keeps_the_search_index_and_it_keeps_working(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Steps 3 and 4 only add columns and indexes: the index is not rebuilt, still finds
    the customers it held, and indexes a customer added afterwards."""
    ids = _book(db_path)
    _make_version_3(db_path)
    _make_version_2(db_path)
    rebuilt: list[object] = []
    # Version 6 rebuilds the index on purpose (tests/test_migration_v6.py); not this test's.
    monkeypatch.setitem(migrations.MIGRATIONS, 6, migrations.Additive(lambda conn: None))
    real_create = migrations.create_search_index
    monkeypatch.setattr(migrations, "create_search_index",
                        lambda conn: (rebuilt.append(conn), real_create(conn)))
    db = open_database(db_path)
    try:
        store = Store(db, clock=Clock())
        assert rebuilt == []
        assert found(store, "twice seen") == ["Twice Seen Co."]
        assert found(store, "mei chen") == ["Twice Seen Co."]
        add_customer(store, "Freshly Added Trading", "Bob Wu")
        assert found(store, "freshly added") == ["Freshly Added Trading"]
        assert found(store, "bob wu") == ["Freshly Added Trading"]
        with db.engine.connect() as conn:
            from salesdev_tui.db.search_index import check_search_index

            check_search_index(conn)
        assert store.customers.get_customer(ids["twice"]).last_contacted_at is not None
    finally:
        db.close()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_step_that_rebuilds_tables_still_gets_the_index_rebuilt(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plain step (not `Additive`) is taken to rebuild tables: the index comes down
    before it and goes back up after (tests/test_db.py and test_search.py rebuild one)."""
    _book(db_path)
    dropped: list[bool] = []

    def plain_step(conn: Any) -> None:
        dropped.append(not migrations.has_search_index(conn))

    migrations.migrate(db_path, SCHEMA_VERSION, steps={SCHEMA_VERSION + 1: plain_step},
                       target=SCHEMA_VERSION + 1)
    assert dropped == [True]
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM customer_fts").fetchone()[0] == 4
