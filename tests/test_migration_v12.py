"""Migration 11 -> 12: fewer and partial indexes (issue 22, bytes on disk); the same reads
find the same rows, through the indexes that remain.

The version 11 file is a current one given back the indexes versions 10 and 11 had, as
version 10 made them (their SQL below, copied from a version 10 file; version 11 added the
scorecard's sums and left the indexes alone)."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import timedelta
from pathlib import Path

from salesdev_tui.db import open_database
from salesdev_tui.db.migrations import SCHEMA_VERSION
from salesdev_tui.db.search_index import check_search_index
from salesdev_tui.store.combined import Store
from salesdev_tui.store.review_queries import day_facts
from tests.conftest import FIXED_NOW, Clock
from tests.test_migration_v4 import _book, _schema
from tests.test_migration_v13 import make_version_12

#: Version 10's (and 11's) definitions of the indexes version 12 dropped or made again.
_V10_INDEXES = {
    "ix_customer_name_nocase": "customer (name COLLATE NOCASE)",
    "ix_customer_stage": "customer (stage, updated_at)",
    "ix_contact_plan_last_done": (
        "contact_plan (customer_id, done_at) WHERE status = 'done' AND deleted_at IS NULL"),
    "ix_customer_research_note_id": "customer (research_note_id)",
    "ix_customer_tax_id": "customer (tax_id)",
    "ix_contact_mobile_normalized": "contact (mobile_normalized)",
    "ix_proposal_previous_id": "proposal (previous_id)",
    "ix_contact_plan_done": "contact_plan (done_at, customer_id)",
    "ix_contact_plan_outcome_at": "contact_plan (outcome_at)",
    "ix_contact_plan_rescheduled_at": "contact_plan (rescheduled_at)",
    "ix_stage_change_changed_at": "stage_change (changed_at)",
}


def _make_version_11(path: Path) -> None:
    make_version_12(path)  # the plain e-mail index of versions 1-12
    with sqlite3.connect(path) as conn:
        # Stage moves on day 0: one live, one deleted (the review lists only the first).
        for number, deleted in ((1, None), (2, "2026-11-16 08:00:00.000000")):
            conn.execute(
                "INSERT INTO stage_change (id, created_at, updated_at, deleted_at, customer_id,"
                " from_stage, to_stage, changed_at) SELECT ?, changed_at, changed_at, ?,"
                " customer_id, 'prospect', 'contacted', '2026-11-16 07:0' || ? || ':00.000000'"
                " FROM stage_change ORDER BY rowid LIMIT 1", (f"{number:032x}", deleted, number))
        for name, definition in _V10_INDEXES.items():
            conn.execute(f"DROP INDEX IF EXISTS {name}")
            conn.execute(f"CREATE INDEX {name} ON {definition}")
        conn.execute("PRAGMA user_version=11")


def _facts(path: Path, day_offset: int) -> dict[str, list[str]]:
    """The review's lists of a day, each as a sorted list: rows with equal times (the test
    clock stands still) come in index order, which an index change may change."""
    start = FIXED_NOW.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(
        days=day_offset)
    conn = sqlite3.connect(path)
    try:
        facts = day_facts(conn, start, start + timedelta(days=1), start + timedelta(days=2))
    finally:
        conn.close()
    return {field.name: sorted(map(repr, value)) if isinstance(value, list) else [repr(value)]
            for field in dataclasses.fields(facts)
            for value in [getattr(facts, field.name)]}


def _plans(path: Path) -> str:
    """The plans of the review's reads of day 0 (one line per step), as SQLite plans them
    without statistics: this small book's (written at close since `analyse_unanalysed`)
    make a scan of a few rows the cheapest, which says nothing of a big book's plans."""
    start = FIXED_NOW.replace(hour=0, minute=0, second=0, microsecond=0)
    lines = []
    with sqlite3.connect(path) as conn:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
            conn.execute("DELETE FROM sqlite_stat1")
    conn.close()
    conn = sqlite3.connect(path)
    conn.set_trace_callback(lines.append)
    try:
        day_facts(conn, start, start + timedelta(days=1), start + timedelta(days=2))
    finally:
        conn.set_trace_callback(None)
    plans = [row[-1] for sql in lines if sql.lstrip().upper().startswith("SELECT")
             for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
    conn.close()
    return "\n".join(plans)


def test_version_11_files_get_the_smaller_indexes_and_read_the_same(tmp_path: Path) -> None:
    fresh, old = tmp_path / "fresh.db", tmp_path / "old.db"
    for path in (fresh, old):
        _book(path)  # plans done, missed, waiting, a done one deleted; a won customer
    _make_version_11(old)
    before = [_facts(old, day) for day in (0, 1, 5, 9)]
    assert "USING INDEX ix_customer_stage " in _plans(old)

    open_database(old).close()

    with sqlite3.connect(old) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 13
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert _schema(old) == _schema(fresh)
    for gone in ("ix_customer_name_nocase", "ix_customer_stage", "ix_contact_plan_last_done"):
        assert gone not in _schema(old)
    assert "WHERE done_at IS NOT NULL" in _schema(old)["ix_contact_plan_done"]
    # The same facts of each day, read through the indexes that remain.
    assert [_facts(old, day) for day in (0, 1, 5, 9)] == before
    # Something to compare: contacts done, new leads and stage moves on those days.
    for name in ("done", "new_leads", "stage_moves"):
        assert any(lists[name] for lists in before), name
    plans = _plans(old)
    assert "USING INDEX ix_customer_list_stage (stage=? AND updated_at>?)" in plans
    assert "USING INDEX ix_contact_plan_done (done_at>? AND done_at<?)" in plans
    assert "USING INDEX ix_stage_change_changed_at (changed_at>? AND changed_at<?)" in plans
    assert "SCAN" not in plans.replace("SCAN CONSTANT ROW", "")
    db = open_database(old)
    try:
        with db.engine.connect() as conn:
            check_search_index(conn)
        assert Store(db, clock=Clock()).search.quick_find("Twice Seen")
    finally:
        db.close()


def test_a_customers_contact_facts_are_kept_without_the_last_done_index(
    tmp_path: Path,
) -> None:
    """`refresh_customer_facts` read ix_contact_plan_last_done; it now reads the customer's
    plans through ix_contact_plan_customer_id, with the same result (the deleted done plan
    does not count)."""
    path = tmp_path / "book.db"
    ids = _book(path)
    db = open_database(path)
    try:
        store = Store(db, clock=Clock())
        with db.write() as session:
            store.customers.refresh_customer_facts(session, set(ids.values()))
        last = {name: store.customers.get_customer(cid).last_contacted_at
                for name, cid in ids.items()}
    finally:
        db.close()
    assert last == {"twice": FIXED_NOW + timedelta(days=5), "missed": None,
                    "waiting": None, "erased": FIXED_NOW + timedelta(days=1)}
