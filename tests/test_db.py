"""The database file keeps its promises: pragmas, modes, refusals, migrations, backups."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import uuid
from pathlib import Path

import pytest
from sqlalchemy.engine import Connection

from salesdev_tui.db import Problem, StorageError, open_database
from salesdev_tui.db.engine import APPLICATION_ID
from salesdev_tui.db.migrations import SCHEMA_VERSION, migrate


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_every_connection_has_the_safety_pragmas(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        for _ in range(2):  # a second pooled connection gets them too
            with db.engine.connect() as conn:
                values = {
                    name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                    for name in (
                        "journal_mode",
                        "synchronous",
                        "foreign_keys",
                        "busy_timeout",
                        "secure_delete",
                        "trusted_schema",
                        "application_id",
                        "user_version",
                    )
                }
            assert values == {
                "journal_mode": "wal",
                "synchronous": 2,
                "foreign_keys": 1,
                "busy_timeout": 5000,
                "secure_delete": 1,
                "trusted_schema": 0,
                "application_id": APPLICATION_ID,
                "user_version": SCHEMA_VERSION,
            }
    finally:
        db.close()


def test_writes_begin_immediate(db_path: Path) -> None:
    db = open_database(db_path)
    statements: list[str] = []
    from sqlalchemy import event

    @event.listens_for(db.engine, "before_cursor_execute")
    def _log(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    try:
        with db.write() as session:
            session.connection().exec_driver_sql("SELECT 1")
        with db.read() as session:
            session.connection().exec_driver_sql("SELECT 2")
    finally:
        db.close()
    assert "BEGIN IMMEDIATE" in statements
    assert statements.index("BEGIN IMMEDIATE") < statements.index("SELECT 1")
    # Reads stay deferred, so they never wait for a writer.
    assert statements[statements.index("SELECT 2") - 1] == "BEGIN"


def test_fresh_files_are_private(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "new" / "dir" / "salesdev.db"
        db = open_database(path)
        with db.write() as session:
            session.connection().exec_driver_sql("SELECT 1")
        try:
            assert mode(path.parent) == 0o700
            assert mode(path) == 0o600
            for suffix in ("-wal", "-shm"):
                side = Path(str(path) + suffix)
                assert side.exists()
                assert mode(side) == 0o600
        finally:
            db.close()
    finally:
        os.umask(old)


def test_zero_byte_file_becomes_a_database(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    db = open_database(path)
    db.close()
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"
    assert mode(path) == 0o600


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        # Not a whole number of pages: not even possibly an encrypted database.
        (os.urandom(4000), Problem.NOT_SQLITE),
        (b"Kunden,Telefon\nAcme,123\n", Problem.NOT_SQLITE),
        (b"SQLite format 3\x00" + b"\x00" * 20, Problem.NOT_SQLITE),  # truncated header
    ],
    ids=["random-bytes", "csv-text", "truncated-header"],
)
def test_non_sqlite_files_are_refused_unchanged(
    tmp_path: Path, content: bytes, problem: Problem
) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    path = folder / "thing.db"
    path.write_bytes(content)
    before = sha(path)
    with pytest.raises(StorageError) as caught:
        open_database(path)
    assert caught.value.problem is problem
    assert str(path) in caught.value.message
    assert sha(path) == before
    assert sorted(p.name for p in folder.iterdir()) == ["thing.db"]


def test_another_programs_sqlite_file_is_refused_unchanged(tmp_path: Path) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    path = folder / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('keep me')")
    conn.commit()
    conn.close()
    before = sha(path)
    with pytest.raises(StorageError) as caught:
        open_database(path)
    assert caught.value.problem is Problem.FOREIGN
    assert "another program" in caught.value.message
    assert sha(path) == before
    assert sorted(p.name for p in folder.iterdir()) == ["other.sqlite"]


def test_newer_schema_is_refused_unchanged(db_path: Path) -> None:
    open_database(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = sha(db_path)
    beside = sorted(p.name for p in db_path.parent.iterdir())
    with pytest.raises(StorageError) as caught:
        open_database(db_path)
    assert caught.value.problem is Problem.NEWER
    assert "newer salesdev" in caught.value.message
    assert sha(db_path) == before
    # Read from the header: no -wal or -shm appears beside a file it refuses.
    assert sorted(p.name for p in db_path.parent.iterdir()) == beside


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StorageError) as caught:
        open_database(tmp_path)
    assert caught.value.problem is Problem.CANT_OPEN


def _seed_parent_and_children(path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    customer = uuid.uuid4().hex
    conn.execute(
        "INSERT INTO customer (id, created_at, updated_at, name, name_key, stage) "
        "VALUES (?, '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000', 'Acme', "
        "'acme', 'prospect')",
        (customer,),
    )
    for n in range(3):
        conn.execute(
            "INSERT INTO contact (id, created_at, updated_at, customer_id, name, is_primary) "
            "VALUES (?, '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000', ?, ?, 0)",
            (uuid.uuid4().hex, customer, f"Person {n}"),
        )
    conn.commit()
    counts = (
        conn.execute("SELECT count(*) FROM customer").fetchone()[0],
        conn.execute("SELECT count(*) FROM contact").fetchone()[0],
    )
    conn.close()
    return counts


def _rebuild_customer_table(conn: Connection) -> None:
    """SQLite's 12-step rebuild of the parent table: the step that loses children with FKs on."""
    ddl = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type='table' AND name='customer'"
    ).scalar()
    assert isinstance(ddl, str)
    conn.exec_driver_sql(ddl.replace("CREATE TABLE customer", "CREATE TABLE customer_new", 1))
    conn.exec_driver_sql("INSERT INTO customer_new SELECT * FROM customer")
    conn.exec_driver_sql("DROP TABLE customer")
    conn.exec_driver_sql("ALTER TABLE customer_new RENAME TO customer")


def test_table_rebuild_migration_keeps_child_rows(db_path: Path) -> None:
    open_database(db_path).close()
    before = _seed_parent_and_children(db_path)
    migrate(db_path, SCHEMA_VERSION, steps={SCHEMA_VERSION + 1: _rebuild_customer_table},
            target=SCHEMA_VERSION + 1)
    conn = sqlite3.connect(db_path)
    try:
        after = (
            conn.execute("SELECT count(*) FROM customer").fetchone()[0],
            conn.execute("SELECT count(*) FROM contact").fetchone()[0],
        )
        assert after == before == (1, 3)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def test_failed_migration_changes_nothing(db_path: Path) -> None:
    open_database(db_path).close()
    _seed_parent_and_children(db_path)

    def broken(conn: Connection) -> None:
        conn.exec_driver_sql("CREATE TABLE half_done (x)")
        conn.exec_driver_sql("DROP TABLE customer")  # would orphan the contacts

    with pytest.raises(StorageError):
        migrate(db_path, SCHEMA_VERSION, steps={SCHEMA_VERSION + 1: broken},
                target=SCHEMA_VERSION + 1)
    conn = sqlite3.connect(db_path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "half_done" not in tables
        assert tables  # before: "no such table: sqlite_stat1", the ANALYZE rolled back
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("SELECT count(*) FROM contact").fetchone()[0] == 3
    finally:
        conn.close()


def test_older_schema_is_backed_up_then_migrated(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from salesdev_tui.db import database, migrations

    open_database(db_path).close()
    _seed_parent_and_children(db_path)
    monkeypatch.setattr(migrations, "MIGRATIONS", {SCHEMA_VERSION + 1: _rebuild_customer_table})
    monkeypatch.setattr(database, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    real_migrate = migrations.migrate
    monkeypatch.setattr(
        database,
        "migrate",
        lambda path, current: real_migrate(
            path, current, steps=migrations.MIGRATIONS, target=SCHEMA_VERSION + 1
        ),
    )
    db = open_database(db_path)
    db.close()
    backups = list((db_path.parent / "backups").iterdir())
    assert len(backups) == 1
    assert mode(backups[0]) == 0o600
    conn = sqlite3.connect(backups[0])
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("SELECT count(*) FROM contact").fetchone()[0] == 3
    finally:
        conn.close()


def test_check_constraints_mirror_the_limits(db_path: Path) -> None:
    db = open_database(db_path)
    conn = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(
                "INSERT INTO customer (id, created_at, updated_at, name, name_key, stage) "
                "VALUES (?, '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000', ?, "
                "'x', 'prospect')",
                (uuid.uuid4().hex, "x" * 201),
            )
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(
                "INSERT INTO customer (id, created_at, updated_at, name, name_key, stage) "
                "VALUES (?, '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000', 'A', "
                "'a', 'dreaming')",
                (uuid.uuid4().hex,),
            )
    finally:
        conn.close()
        db.close()


def test_locked_database_reports_busy_and_keeps_earlier_commits(db_path: Path) -> None:
    db = open_database(db_path)
    with db.write() as session:
        session.connection().exec_driver_sql(
            "INSERT INTO research_note (id, created_at, updated_at, title, noted_on) "
            "VALUES ('00000000000000000000000000000001', '2026-01-01 00:00:00.000000', "
            "'2026-01-01 00:00:00.000000', 'first', '2026-01-01')"
        )
    blocker = sqlite3.connect(db_path, timeout=0.1)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StorageError) as caught, db.write() as session:
            session.connection().exec_driver_sql("DELETE FROM research_note")
        assert caught.value.problem is Problem.BUSY
        assert caught.value.retryable
    finally:
        blocker.rollback()
        blocker.close()
    with db.read() as session:
        count = session.connection().exec_driver_sql("SELECT count(*) FROM research_note")
        assert count.scalar() == 1
    db.close()


def test_version_1_files_get_the_version_2_indexes(db_path: Path) -> None:
    """The real migration 1 -> 2: a file made without some of today's indexes gets them,
    keeps its rows, and reads as current. (Version 2's own index, ix_contact_plan_last_done,
    is gone again since version 11: a file made today has none to drop.)"""
    open_database(db_path).close()
    parents, children = _seed_parent_and_children(db_path)
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("DROP INDEX ix_contact_plan_done")
        conn.execute("DROP INDEX ix_customer_idle")
        conn.execute("PRAGMA user_version=1")
        conn.commit()
    finally:
        conn.close()
    open_database(db_path).close()
    conn = sqlite3.connect(db_path)
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {"ix_contact_plan_done", "ix_customer_idle"} <= names
        assert "ix_contact_plan_last_done" not in names
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 13
        assert conn.execute("SELECT count(*) FROM customer").fetchone()[0] == parents
        assert conn.execute("SELECT count(*) FROM contact").fetchone()[0] == children
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    assert len(list((db_path.parent / "backups").iterdir())) == 1  # taken before migrating


def test_close_keeps_what_optimize_learnt(db_path: Path) -> None:
    """`PRAGMA optimize` at close runs outside the session's BEGIN: its ANALYZE is kept (it
    was rolled back before, so every close analysed again; issue 15.8)."""
    from salesdev_tui.domain.validation import CustomerInput, validate
    from salesdev_tui.store.combined import Store

    db = open_database(db_path)
    store = Store(db)
    # The saves query indexes of tables that have no statistics yet: optimize analyses them.
    for index in range(200):
        store.customers.add_lead(validate(CustomerInput, {"name": f"Firma {index}"}))
    db.close()
    conn = sqlite3.connect(db_path)
    try:
        tables = {row[0] for row in conn.execute("SELECT tbl FROM sqlite_stat1")}
    finally:
        conn.close()
    assert tables  # before: "no such table: sqlite_stat1", the ANALYZE rolled back


def test_close_analyses_the_tables_without_statistics(db_path: Path) -> None:
    """A table this connection never read still gets statistics at close (`PRAGMA optimize`
    alone skips it): without them Today's agenda planned a Bloom filter over every customer
    (16 ms at 100,000 customers instead of 0.1)."""
    from datetime import UTC, datetime, timedelta

    from salesdev_tui.domain.validation import ContactPlanInput, CustomerInput, validate
    from salesdev_tui.store.combined import Store

    db = open_database(db_path)
    store = Store(db)
    customer = store.customers.add_lead(validate(CustomerInput, {"name": "Firma"}))
    when = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    store.plans.plan_contact(customer.id, validate(ContactPlanInput, {
        "method": "phone", "scheduled_at": when}))
    db.close()
    conn = sqlite3.connect(db_path)
    conn.execute("DELETE FROM sqlite_stat1")  # as a file filled without reading it
    conn.commit()
    conn.close()
    open_database(db_path).close()  # reads nothing from contact_plan
    conn = sqlite3.connect(db_path)
    try:
        tables = {row[0] for row in conn.execute("SELECT tbl FROM sqlite_stat1")}
        plan = " ".join(row[3] for row in conn.execute(
            "EXPLAIN QUERY PLAN SELECT p.id FROM contact_plan AS p JOIN customer AS c"
            " ON c.id = p.customer_id WHERE p.status = 'planned' AND p.deleted_at IS NULL"
            " AND p.scheduled_at < '2999' AND c.deleted_at IS NULL"))
    finally:
        conn.close()
    assert {"contact_plan", "customer"} <= tables
    assert "BLOOM" not in plan
