"""Backups (on demand, daily, while another process writes), restore and its refusals, check."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.cli.app import Exit
from salesdev_tui.db import StorageError, open_database
from salesdev_tui.db.autobackup import (
    AUTO,
    backup_files,
    daily_backup,
    manual_backup,
    prune_auto_backups,
)
from salesdev_tui.db.restore import check_database, restore_database
from salesdev_tui.domain.validation import ContactInput, CustomerInput, validate
from salesdev_tui.models.tables import Customer
from salesdev_tui.store.combined import Store
from tests.conftest import FIXED_NOW, Clock, wait_ready

TAIPEI = ZoneInfo("Asia/Taipei")


def make_db(path: Path, *names: str) -> Path:
    db = open_database(path)
    try:
        store = Store(db, clock=Clock())
        for name in names:
            store.customers.add_lead(validate(CustomerInput, {"name": name}),
                           validate(ContactInput, {"name": f"{name} person"}))
    finally:
        db.close()
    return path


def digest(path: Path) -> str:
    parts = [Path(f"{path}{suffix}") for suffix in ("", "-wal")]
    return hashlib.sha256(b"".join(p.read_bytes() for p in parts if p.exists())).hexdigest()


def names(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return sorted(row[0] for row in conn.execute("SELECT name FROM customer"))
    finally:
        conn.close()


def rows(path: Path, table: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
    finally:
        conn.close()


@pytest.fixture
def run(db_path: Path) -> Any:
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Any:
        return runner.invoke(cli, ["--db", str(db_path), *args], input=input)

    return invoke


# --- backups ---------------------------------------------------------------------------------


def test_cli_backup_is_private_and_refuses_to_overwrite(run: Any, db_path: Path,
                                                        tmp_path: Path) -> None:
    assert run("backup").exit_code == Exit.STORAGE  # no database yet
    make_db(db_path, "Acme")
    result = run("backup")
    assert result.exit_code == Exit.OK, result.stderr
    [made] = backup_files(db_path, "manual")
    assert stat.S_IMODE(made.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(made.path.parent.stat().st_mode) == 0o700
    assert rows(made.path, "customer") == rows(db_path, "customer")
    target = tmp_path / "mine.db"
    assert run("backup", "--to", str(target)).exit_code == Exit.OK
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert run("backup", "--to", str(target)).exit_code == Exit.INVALID


def test_daily_backups_are_kept_to_the_setting(db_path: Path) -> None:
    make_db(db_path, "Acme")
    manual = manual_backup(db_path, FIXED_NOW - timedelta(days=30))
    day = FIXED_NOW
    assert daily_backup(db_path, now=day, zone=TAIPEI, keep=2) is not None
    assert daily_backup(db_path, now=day + timedelta(hours=3), zone=TAIPEI, keep=2) is None
    # 16:30 UTC is past midnight in Taipei: a new day there.
    assert daily_backup(db_path, now=day + timedelta(hours=10), zone=TAIPEI, keep=2)
    assert daily_backup(db_path, now=day + timedelta(days=2), zone=TAIPEI, keep=2)
    autos = backup_files(db_path, AUTO)
    assert [b.taken_at for b in autos] == [day + timedelta(hours=10), day + timedelta(days=2)]
    assert manual.exists()  # a manual backup is never pruned
    assert prune_auto_backups(db_path, 1) == [autos[0].path]


def test_the_cli_and_the_tui_back_up_on_the_first_start_of_the_day(
    run: Any, db_path: Path, make_app: Any
) -> None:
    make_db(db_path, "Acme")
    assert run("list").exit_code == Exit.OK
    assert run("list").exit_code == Exit.OK
    assert len(backup_files(db_path, AUTO)) == 1  # today's, taken once

    async def start_app() -> None:
        app = make_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_ready(pilot)

    for old in backup_files(db_path, AUTO):
        old.path.unlink()
    import asyncio

    asyncio.run(start_app())
    [auto] = backup_files(db_path, AUTO)
    assert auto.taken_at == FIXED_NOW  # the app's clock


_WRITER = textwrap.dedent("""
    import sqlite3, sys, uuid
    conn = sqlite3.connect(sys.argv[1], timeout=10, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    stamp = "2026-11-16 06:30:00.000000"
    for n in range(1, 100000):
        cid = uuid.uuid4().hex
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO customer (id, created_at, updated_at, name, name_key, stage) "
            "VALUES (?, ?, ?, ?, ?, 'prospect')", (cid, stamp, stamp, f"w-{n}", f"w{n}"))
        conn.execute(
            "INSERT INTO contact (id, created_at, updated_at, customer_id, name, is_primary) "
            "VALUES (?, ?, ?, ?, ?, 1)", (uuid.uuid4().hex, stamp, stamp, cid, f"p-{n}"))
        conn.execute("COMMIT")
        print(n, flush=True)
""")


def test_a_backup_while_another_process_writes(db_path: Path, tmp_path: Path) -> None:
    make_db(db_path, "Acme")
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(db_path)],
                              stdout=subprocess.PIPE, text=True)
    acked = 0
    try:
        assert writer.stdout is not None
        while acked < 200:  # 200 commits acknowledged: the backup must hold them
            acked = int(writer.stdout.readline())
        backup = manual_backup(db_path, FIXED_NOW)
        while int(writer.stdout.readline()) < acked + 50:  # it went on writing meanwhile
            pass
    finally:
        writer.kill()
        writer.wait()
    assert check_database(backup) == []
    backed_up = [n for n in names(backup) if n.startswith("w-")]
    count = len(backed_up)
    committed = len([n for n in names(db_path) if n.startswith("w-")])
    assert acked <= count <= committed
    assert sorted(backed_up) == sorted(f"w-{n}" for n in range(1, count + 1))  # whole commits
    conn = sqlite3.connect(backup)
    orphans = conn.execute("SELECT count(*) FROM customer c WHERE NOT EXISTS "
                           "(SELECT 1 FROM contact t WHERE t.customer_id = c.id)").fetchone()
    conn.close()
    assert orphans == (0,)
    # Restoring it gives exactly what it holds.
    outcome = restore_database(backup, db_path, now=FIXED_NOW + timedelta(minutes=1))
    assert outcome.previous is not None and outcome.previous.exists()
    for table in ("customer", "contact", "stage_change"):
        assert rows(db_path, table) == rows(backup, table)
    assert check_database(db_path) == []
    db = open_database(db_path)  # and the app opens it as usual
    try:
        assert Store(db).count_live(Customer) == count + 1
    finally:
        db.close()


# --- restore ---------------------------------------------------------------------------------


def test_cli_restore_asks_shows_and_keeps_the_current_database(run: Any, db_path: Path,
                                                               tmp_path: Path) -> None:
    make_db(db_path, "Acme")
    backup = manual_backup(db_path, FIXED_NOW)
    make_db(db_path, "Globex")
    before = digest(db_path)
    result = run("restore", str(backup), input="n\n")
    assert result.exit_code == Exit.OK
    assert "customer" in result.stdout and "Nothing was restored." in result.stdout
    assert digest(db_path) == before
    result = run("restore", str(backup), input="y\n")
    assert result.exit_code == Exit.OK, result.stderr
    assert names(db_path) == ["Acme"]
    [kept] = backup_files(db_path, "pre-restore")
    assert names(kept.path) == ["Acme", "Globex"]
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def _foreign(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    conn.close()
    return path


def _newer(path: Path, db_path: Path) -> Path:
    manual_backup(db_path, FIXED_NOW, path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version=99")
    conn.close()
    return path


def _damaged(path: Path, db_path: Path) -> Path:
    manual_backup(db_path, FIXED_NOW, path)
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(3 * page, len(data) - page, page):
        data[offset:offset + 64] = b"\xde\xad\xbe\xef" * 16
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("kind", ["random", "text", "foreign", "newer", "damaged", "missing"])
def test_restore_refuses_and_changes_nothing(run: Any, db_path: Path, tmp_path: Path,
                                             kind: str) -> None:
    make_db(db_path, "Acme", "Globex")
    offered = tmp_path / f"{kind}.db"
    if kind == "random":
        offered.write_bytes(bytes(range(256)) * 64)
    elif kind == "text":
        offered.write_text("id,name\n1,Acme\n", encoding="utf-8")
    elif kind == "foreign":
        _foreign(offered)
    elif kind == "newer":
        _newer(offered, db_path)
    elif kind == "damaged":
        _damaged(offered, db_path)
    live_before = digest(db_path)
    offered_before = digest(offered) if offered.exists() else None
    result = run("restore", str(offered), "--yes")
    assert result.exit_code == Exit.STORAGE
    assert "Traceback" not in result.output
    assert result.stderr.startswith("error: ")
    assert digest(db_path) == live_before
    if offered_before is not None:
        assert digest(offered) == offered_before
    assert backup_files(db_path, "pre-restore") == []


def test_restore_refuses_the_database_itself(run: Any, db_path: Path) -> None:
    make_db(db_path, "Acme")
    before = digest(db_path)
    result = run("restore", str(db_path), "--yes")
    assert result.exit_code == Exit.STORAGE and "the database itself" in result.stderr
    assert digest(db_path) == before


def test_restore_into_a_missing_database(tmp_path: Path, db_path: Path) -> None:
    make_db(db_path, "Acme")
    backup = manual_backup(db_path, FIXED_NOW)
    fresh = tmp_path / "new" / "salesdev.db"
    outcome = restore_database(backup, fresh, now=FIXED_NOW)
    assert outcome.previous is None and outcome.restored.counts["customer"] == (1, 0)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600


def test_restore_refuses_to_replace_another_programs_file(tmp_path: Path,
                                                          db_path: Path) -> None:
    make_db(db_path, "Acme")
    backup = manual_backup(db_path, FIXED_NOW)
    theirs = _foreign(tmp_path / "theirs.db")
    before = digest(theirs)
    with pytest.raises(StorageError):
        restore_database(backup, theirs, now=FIXED_NOW)
    assert digest(theirs) == before


# --- check -----------------------------------------------------------------------------------


def test_cli_check(run: Any, db_path: Path) -> None:
    assert run("check").exit_code == Exit.STORAGE  # nothing there
    make_db(db_path, "Acme")
    result = run("check")
    assert result.exit_code == Exit.OK and "ok" in result.stdout
    _damaged(db_path.with_name("copy.db"), db_path).replace(db_path)
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    result = run("check")
    assert result.exit_code == Exit.STORAGE
    assert "problems in" in result.stderr and "salesdev restore" in result.stderr
