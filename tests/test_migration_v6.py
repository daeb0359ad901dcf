"""Migration 5 -> 6: the search index is rebuilt with each column ending in a line break and
gains its vocabulary table, so two characters anywhere find a customer (issue 14.1).

The version 5 file is made from a current one: the vocabulary is dropped and the index
rebuilt from a view without the final line breaks, as version 5 had it.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from salesdev_tui.db import open_database
from salesdev_tui.db.migrations import SCHEMA_VERSION
from salesdev_tui.db.search_index import _VIEW_SQL, check_search_index
from salesdev_tui.store.combined import Store
from tests.conftest import Clock
from tests.test_migration_v4 import _counts, _schema
from tests.test_plans import add_customer
from tests.test_search import found


def _make_version_5(path: Path) -> None:
    old_view = re.sub(r"\|\| char\(10\) AS", "AS", _VIEW_SQL)
    assert old_view != _VIEW_SQL
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE customer_fts_vocab")
        conn.execute("DROP VIEW customer_search_doc")
        conn.execute(old_view)
        conn.execute("INSERT INTO customer_fts(customer_fts) VALUES ('rebuild')")
        conn.execute("PRAGMA user_version=5")
        # What version 5 could find: no trigram holds the end of a contact's name.
        assert conn.execute("SELECT count(*) FROM customer_fts WHERE customer_fts MATCH "
                            "'\"大明\n\"'").fetchone()[0] == 0


def test_version_5_files_find_two_characters_after_migrating(tmp_path: Path) -> None:
    fresh, old = tmp_path / "fresh.db", tmp_path / "old.db"
    for path in (fresh, old):
        db = open_database(path)
        try:
            store = Store(db, clock=Clock())
            add_customer(store, "台灣精密機械股份有限公司", "Mei Chen")
            add_customer(store, "王氏貿易", "王大明")
        finally:
            db.close()
    _make_version_5(old)
    before = _counts(old)

    db = open_database(old)  # migrates
    try:
        store = Store(db, clock=Clock())
        assert found(store, "大明") == ["王氏貿易"]
        assert found(store, "精密") == ["台灣精密機械股份有限公司"]
        with db.engine.connect() as conn:
            check_search_index(conn)
    finally:
        db.close()

    with sqlite3.connect(old) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 13
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
    assert "customer_fts_vocab" in tables
    assert _schema(old) == _schema(fresh)
    assert _counts(old) == before
