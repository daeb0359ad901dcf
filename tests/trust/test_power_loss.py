"""Simulated power loss (RELIABILITY-NOTES 4b and 7.4) with the app's schema, PRAGMAs and SQL.

1. Record: a database made by `open_database` (the app's schema, search index and header)
   is the template. The same saves the kill test makes (`crash_child.SaveLoop`: leads with
   their contact, contacts, outcomes, contracts with six clauses, minutes with their points,
   deletions) run through the app's `Store` on a copy, and every statement of every committed
   write transaction is recorded as SQLAlchemy sent it to the driver.
2. Replay, per trial: the template is loaded into the crash VFS (`crash_vfs.py`), a
   connection gets the app's PRAGMAs (`engine.CONNECTION_PRAGMAS`, foreign keys, WAL) and the
   recorded transactions run again, a save counting as acknowledged once its COMMIT returned.
   The power is cut at a random write/truncate/sync call.
3. Check: the surviving files are opened with stdlib `sqlite3` (which recovers the WAL) and
   checked by `invariants.check_database`: integrity, foreign keys, every multi-record save
   whole or absent, every acknowledged save present.

WAL + synchronous=FULL (the app's setting) must show 0 lost and 0 corrupt over 200 cuts.
The same harness with synchronous=OFF must flag losses or corruption: the negative control
that shows the harness can see a broken database.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import apsw
import pytest
from sqlalchemy import event

from salesdev_tui.db import open_database
from salesdev_tui.db.engine import CONNECTION_PRAGMAS
from salesdev_tui.store.combined import Store
from tests.trust.crash_child import Ack, SaveLoop
from tests.trust.crash_vfs import CrashVFS, Disk
from tests.trust.invariants import Findings, check_database

#: Saves recorded (about 8 MB of WAL writes: the autocheckpoint runs during a full replay).
SAVES = 120
FULL_CUTS = int(os.environ.get("SALESDEV_POWER_CUTS", "200"))
OFF_CUTS = 25
SEED = 4242
DB_NAME = "/crash/salesdev.db"

Statement = tuple[str, Any, bool]


@dataclass
class Recording:
    template: bytes
    transactions: list[list[Statement]] = field(default_factory=list)
    #: (write transactions that must have committed, the save's acknowledgement)
    acks: list[tuple[int, Ack]] = field(default_factory=list)


def record(workdir: Path, saves: int) -> Recording:
    template_path = workdir / "template" / "salesdev.db"
    open_database(template_path).close()  # close() checkpoints: everything in the main file
    wal = template_path.with_name(template_path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    rec = Recording(template_path.read_bytes())

    path = workdir / "recording" / "salesdev.db"
    path.parent.mkdir(mode=0o700)
    path.write_bytes(rec.template)
    os.chmod(path, 0o600)
    db = open_database(path)
    current: list[list[Statement]] = []  # the open write transaction, if any

    @event.listens_for(db.engine, "before_cursor_execute")
    def _statement(_c: Any, _cur: Any, sql: str, params: Any, _ctx: Any, many: bool) -> None:
        if sql.startswith("BEGIN IMMEDIATE"):
            current[:] = [[]]
        elif sql.startswith("BEGIN"):
            current.clear()  # a read transaction: nothing to replay
        elif current:
            current[0].append((sql, params, many))

    @event.listens_for(db.engine, "commit")
    def _commit(_conn: Any) -> None:
        if current:
            rec.transactions.append(current.pop())

    @event.listens_for(db.engine, "rollback")
    def _rollback(_conn: Any) -> None:
        current.clear()

    try:
        store = Store(db, actor="power-loss")
        loop = SaveLoop(store, run=0, seed=SEED, now=store.now())
        for ack in loop.saves():
            rec.acks.append((len(rec.transactions), ack))
            if len(rec.acks) == saves:
                break
    finally:
        db.close()
    return rec


def app_pragmas(synchronous: str) -> list[str]:
    """The app's connection PRAGMAs, in the app's order, with `synchronous` swapped in."""
    assert "PRAGMA synchronous=FULL" in CONNECTION_PRAGMAS  # the app's promise under test
    swapped = [
        f"PRAGMA synchronous={synchronous}" if p.startswith("PRAGMA synchronous") else p
        for p in CONNECTION_PRAGMAS
    ]
    return ["PRAGMA foreign_keys=ON", *swapped]


def replay(vfs: CrashVFS, rec: Recording, disk: Disk, synchronous: str) -> int:
    """Run the recorded transactions on `disk` until done or the power goes; how many
    transactions committed (their COMMIT returned)."""
    vfs.disk = disk
    disk.load(DB_NAME, rec.template)
    conn = apsw.Connection(DB_NAME, vfs=vfs.vfs_name)
    committed = 0
    try:
        # No shared memory in the crash VFS: the WAL index lives in heap memory.
        conn.execute("PRAGMA locking_mode=EXCLUSIVE").fetchall()
        for pragma in app_pragmas(synchronous):
            conn.execute(pragma).fetchall()
        assert conn.execute("PRAGMA journal_mode=WAL").fetchall() == [("wal",)]
        for transaction in rec.transactions:
            conn.execute("BEGIN IMMEDIATE").fetchall()
            for sql, params, many in transaction:
                if many:
                    conn.executemany(sql, params).fetchall()
                else:
                    conn.execute(sql, params).fetchall()
            conn.execute("COMMIT").fetchall()
            committed += 1
    except apsw.Error:
        if disk.surviving is None:
            raise  # a replay problem, not the power cut
    finally:
        with contextlib.suppress(apsw.Error):  # the power is off: closing cannot write
            conn.close()
    return committed


@dataclass
class Tally:
    trials: int = 0
    acked: int = 0
    lost: int = 0
    trials_with_loss: int = 0
    corrupt: int = 0
    torn: int = 0
    first_problem: str = ""

    def add(self, acked: int, found: Findings) -> None:
        self.trials += 1
        self.acked += acked
        self.lost += len(found.lost)
        self.trials_with_loss += bool(found.lost)
        self.corrupt += bool(found.corrupt)
        self.torn += bool(found.torn)
        if not found.ok and not self.first_problem:
            self.first_problem = found.summary(3)

    @property
    def flagged(self) -> int:
        return self.lost + self.corrupt + self.torn

    def line(self, name: str) -> str:
        return (f"{name}: {self.trials} cuts, {self.acked} acknowledged saves, {self.lost} lost "
                f"in {self.trials_with_loss} cuts, {self.corrupt} corrupt, {self.torn} torn")


def run_trials(
    vfs: CrashVFS, rec: Recording, synchronous: str, cuts: int, workdir: Path, seed: int
) -> tuple[Tally, Disk]:
    full = Disk(random.Random(seed))
    replay(vfs, rec, full, synchronous)  # no cut: how many I/O calls a whole run makes
    rng = random.Random(seed)
    tally = Tally()
    for trial in range(cuts):
        disk = Disk(random.Random(rng.random()), cut_at=rng.randint(1, full.calls))
        committed = replay(vfs, rec, disk, synchronous)
        if disk.surviving is None:
            disk.cut()  # the run ended before the chosen call: cut after the last one
        acked = [ack for needed, ack in rec.acks if needed <= committed]
        out = workdir / f"{synchronous}-{trial}"
        out.mkdir()
        disk.write_out(out)
        conn = sqlite3.connect(out / Path(DB_NAME).name)
        try:
            found = check_database(conn, acked)
        finally:
            conn.close()
        tally.add(len(acked), found)
        shutil.rmtree(out)
    return tally, full


@pytest.fixture(scope="module")
def crash_vfs() -> Any:
    vfs = CrashVFS()
    yield vfs
    vfs.unregister()


@pytest.mark.slow
def test_power_loss_with_the_apps_pragmas(
    tmp_path: Path, crash_vfs: CrashVFS, trust_figures: list[str]
) -> None:
    started = time.monotonic()
    rec = record(tmp_path, SAVES)
    assert len(rec.acks) == SAVES and len(rec.transactions) >= SAVES

    full, whole_run = run_trials(crash_vfs, rec, "FULL", FULL_CUTS, tmp_path, SEED)
    full_s = time.monotonic() - started
    off, _ = run_trials(crash_vfs, rec, "OFF", OFF_CUTS, tmp_path, SEED + 1)
    off_s = time.monotonic() - started - full_s

    checkpoint_writes = whole_run.writes[DB_NAME]
    trust_figures.append(
        full.line("power loss, WAL + synchronous=FULL") + f"; {full_s:.0f} s (a whole run: "
        f"{len(rec.transactions)} commits, {whole_run.calls} I/O calls, {whole_run.syncs} "
        f"syncs, {checkpoint_writes} checkpoint writes to the main file)"
    )
    trust_figures.append(off.line("power loss, WAL + synchronous=OFF (negative control)")
                         + f"; {off_s:.0f} s")

    # Cuts must be able to land in checkpoints: a whole run writes WAL pages back.
    assert whole_run.syncs > 0 and checkpoint_writes > 0
    assert full.trials == FULL_CUTS and full.acked > 0
    assert full.flagged == 0, f"FULL lost or broke saves:\n{full.first_problem}"
    # The control: without syncs the same harness must see saves lost or files broken.
    assert off.flagged > 0, "synchronous=OFF survived every cut: the harness sees nothing"
