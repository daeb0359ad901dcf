"""Faults: a full disk, /dev/full, and kills (SIGTERM, SIGHUP, kill -9) at awkward moments.

What every test checks afterwards: the command said so (exit 5 and one line, or it was
killed); nothing partial sits under a final name; no plaintext copy of an encrypted database
is left; the day still gets a valid backup.

The commands run in child processes (`python -m salesdev_tui`), so stdout is a real file
descriptor (/dev/full, a file on a full tmpfs) and a kill is a real kill. The full disk is
a small tmpfs mounted for the test (the tests run as root); without mount, the same writer
is failed in-process by a patched os.write instead.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from salesdev_tui.atomic_file import TEMP_MARK, write_atomic

#: Text every seeded customer carries, to find it (or its absence) in files.
MARKER = "FAULT-MARKER-5d1c"


def seed(path: Path, customers: int = 40) -> None:
    """A closed database at `path` with `customers` customers whose notes make exports big."""
    from salesdev_tui.db import open_database
    from salesdev_tui.domain.validation import ContactInput, CustomerInput, validate
    from salesdev_tui.store.combined import Store

    db = open_database(path)
    try:
        store = Store(db)
        for n in range(customers):
            store.customers.add_lead(
                validate(CustomerInput, {"name": f"Customer {n} {MARKER}",
                                         "notes": f"{MARKER} " + "x" * 900}),
                validate(ContactInput, {"name": f"Ms {n}", "email": f"ms{n}@example.com"}),
            )
    finally:
        db.close()


@pytest.fixture(scope="module")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "salesdev.db"
    seed(path)
    return path


@pytest.fixture
def seeded(db_path: Path, _template: Path) -> Path:
    """`db_path` holding the 40 seeded customers (a copy of a closed database, no -wal)."""
    import shutil

    db_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_template, db_path)
    db_path.chmod(0o600)
    return db_path


#: The checkout these tests belong to: children import salesdev_tui from it.
ROOT = Path(__file__).resolve().parents[2]


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, **(extra or {})}


def cli(db: Path, *args: str, stdout: Any = subprocess.PIPE,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run `salesdev --db DB ARGS` in a child process."""
    return subprocess.run([sys.executable, "-m", "salesdev_tui", "--db", str(db), *args],
                          stdout=stdout, stderr=subprocess.PIPE, check=False, timeout=120,
                          env=child_env(env))


def temporaries(*folders: Path) -> list[Path]:
    return [p for folder in folders if folder.is_dir() for p in folder.iterdir()
            if TEMP_MARK in p.name]


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "1m") -> Iterator[Path | None]:
    """A tmpfs of `size` at `folder`, or None where mounting is not allowed."""
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs",
                           str(folder)], capture_output=True, check=False)
    if done.returncode != 0:
        yield None
        return
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill_but(folder: Path, free: int) -> None:
    """Fill the disk holding `folder`, then free `free` bytes again (a disk about to fill)."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_CREAT | os.O_WRONLY, 0o600)
    try:
        for size in (1 << 16, 1 << 12, 1 << 8, 1):
            with contextlib.suppress(OSError):
                while os.write(fd, b"\0" * size):
                    pass
        os.ftruncate(fd, max(os.fstat(fd).st_size - free, 0))
    finally:
        os.close(fd)


def one_error_line(stderr: bytes) -> str:
    text = stderr.decode()
    assert "Traceback" not in text, text
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


# -- 20.2: writing to stdout -----------------------------------------------------------------

STDOUT_COMMANDS = [
    ("export",),
    ("export", "--format", "csv"),
    ("list", "--json"),
    ("scorecard", "--json"),
    ("review",),
    ("plans", "--json"),
    ("plans", "--ics", "-"),
    ("paths",),
]


@pytest.mark.parametrize("args", STDOUT_COMMANDS, ids=" ".join)
def test_stdout_to_dev_full_fails_with_exit_5_and_one_line(seeded: Path,
                                                           args: tuple[str, ...]) -> None:
    db_path = seeded
    with open("/dev/full", "wb") as full:
        done = cli(db_path, *args, stdout=full)
    assert done.returncode == 5, done.stderr
    assert one_error_line(done.stderr).startswith("error: cannot write output: ")


def test_stdout_to_a_disk_that_fills_part_way_fails_with_exit_5(tmp_path: Path,
                                                                 seeded: Path) -> None:
    db_path = seeded
    with small_disk(tmp_path / "disk") as disk:
        if disk is None:
            pytest.fail("cannot mount a tmpfs: run the fault tests as root")
        for args in (("export",), ("export", "--format", "csv")):
            fill_but(disk, 8192)  # less than the export: the write succeeds part-way
            target = disk / "out.txt"
            with target.open("wb") as out:
                done = cli(db_path, *args, stdout=out)
            assert done.returncode == 5, (args, done.stderr)
            assert "No space left on device" in one_error_line(done.stderr)
            target.unlink()
            (disk / "filler").unlink()


def test_stdout_that_works_still_exits_0_with_everything(seeded: Path,
                                                        tmp_path: Path) -> None:
    db_path = seeded
    target = tmp_path / "export.json"
    with target.open("wb") as out:
        done = cli(db_path, "export", stdout=out)
    assert done.returncode == 0, done.stderr
    assert target.read_bytes().count(MARKER.encode()) >= 40 * 2
    import json

    json.loads(target.read_text(encoding="utf-8"))  # complete


# -- 20.2: writing files ---------------------------------------------------------------------

FILE_COMMANDS = [
    ("export", "--out", "{out}"),
    ("export", "--format", "csv", "--out", "{out}"),
    ("plans", "--ics", "{out}"),
    ("backup", "--to", "{out}"),
]


@pytest.mark.parametrize("args", FILE_COMMANDS, ids=lambda a: " ".join(a[:-1]))
def test_a_file_output_on_a_full_disk_leaves_no_file(tmp_path: Path, seeded: Path,
                                                     args: tuple[str, ...]) -> None:
    db_path = seeded
    with small_disk(tmp_path / "disk") as disk:
        if disk is None:
            pytest.fail("cannot mount a tmpfs: run the fault tests as root")
        # Room for part of an export or backup (written part-way); an empty calendar is
        # small, so it gets no room at all.
        fill_but(disk, 0 if args[0] == "plans" else 16384)
        out = disk / "output.file"
        done = cli(db_path, *(a.format(out=out) for a in args))
        assert done.returncode == 5, done.stderr
        assert str(disk) in one_error_line(done.stderr)  # names the output, not the database
        assert not out.exists()
        assert temporaries(disk) == []


def test_a_replaced_export_on_a_full_disk_keeps_the_old_file(tmp_path: Path,
                                                            seeded: Path) -> None:
    db_path = seeded
    with small_disk(tmp_path / "disk") as disk:
        if disk is None:
            pytest.fail("cannot mount a tmpfs: run the fault tests as root")
        out = disk / "customers.json"
        out.write_text('{"old": true}', encoding="utf-8")
        fill_but(disk, 16384)
        done = cli(db_path, "export", "--out", str(out), "--replace")
        assert done.returncode == 5, done.stderr
        assert out.read_text(encoding="utf-8") == '{"old": true}'
        assert temporaries(disk) == []


def test_write_atomic_is_whole_or_nothing_when_a_write_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The writer itself, without a real full disk: the disk fills after 4 KiB."""
    target = tmp_path / "plans.ics"
    target.write_bytes(b"old")
    real_write = os.write
    budget = [4096]

    def filling_write(fd: int, data: Any) -> int:
        if budget[0] <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        n = real_write(fd, bytes(data)[: budget[0]])
        budget[0] -= n
        return n

    monkeypatch.setattr(os, "write", filling_write)
    with pytest.raises(OSError) as raised:
        write_atomic(target, b"y" * 100_000)
    assert raised.value.errno == errno.ENOSPC
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert temporaries(tmp_path) == []
    # And a failing fsync (a disk that reports the error late) as well.
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.EIO, "EIO")))
    with pytest.raises(OSError):
        write_atomic(target, b"z" * 10)
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert temporaries(tmp_path) == []
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o600


def test_the_sweep_leaves_a_temporary_file_a_live_writer_holds(tmp_path: Path) -> None:
    """Another process's backup or conversion in progress is not a leftover."""
    from salesdev_tui.atomic_file import TempFile, sweep_temporaries

    live = TempFile(tmp_path / "salesdev.db")
    live.write(b"being written")
    assert sweep_temporaries(tmp_path) == []
    assert live.path.read_bytes() == b"being written"
    live.discard()
    assert not live.path.exists()
    leftover = tmp_path / f".salesdev.db{TEMP_MARK}k1ll3d"
    leftover.write_bytes(MARKER.encode())
    journal = Path(f"{leftover}-journal")
    journal.write_bytes(b"journal")
    assert set(sweep_temporaries(tmp_path)) == {leftover, journal}
    assert temporaries(tmp_path) == []


def quick_check(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return str(conn.execute("PRAGMA quick_check").fetchone()[0])
    finally:
        conn.close()


# -- kills: helpers --------------------------------------------------------------------------

CHILD = Path(__file__).with_name("fault_child.py")


def start_child(*args: str, pass_fds: tuple[int, ...] = (),
                env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Start fault_child.py and wait until it says it stopped at the awkward moment."""
    proc = subprocess.Popen([sys.executable, str(CHILD), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, pass_fds=pass_fds, env=child_env(env))
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if line.strip() != b"ready":
        proc.kill()
        _out, err = proc.communicate()
        pytest.fail(f"the child did not stop where expected: {line!r} {err.decode()}")
    return proc


def kill(proc: subprocess.Popen[bytes], signum: int) -> int:
    proc.send_signal(signum)
    _out, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err, err.decode()
    return proc.returncode


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def plaintext_holders(folder: Path, marker: str = MARKER) -> list[Path]:
    """Files under `folder` in which `marker` can be read (read by a child: see test_purge)."""
    return [p for p in files_under(folder)
            if marker.encode() in subprocess.run(["cat", str(p)], capture_output=True,
                                                 check=False).stdout]


def sound_salesdev_file(path: Path) -> bool:
    from salesdev_tui.db.guard import FileKind, inspect_file

    return (inspect_file(path).kind is FileKind.SALESDEV and quick_check(path) == "ok"
            and not Path(f"{path}-journal").exists())


#: SIGHUP takes the same path as SIGTERM (10-13 s each here with two child processes):
#: it runs with the slow tests.
KILLS = [pytest.param(9, id="kill-9"), pytest.param(15, id="SIGTERM"),
         pytest.param(1, id="SIGHUP", marks=pytest.mark.slow)]


# -- 20.4: a backup killed half-way ----------------------------------------------------------

@pytest.mark.parametrize("signum", KILLS)
@pytest.mark.parametrize("command", ["list", "backup"], ids=["daily", "manual"])
def test_a_backup_killed_half_way_leaves_no_backup_and_the_next_run_makes_a_good_one(
        seeded: Path, command: str, signum: int) -> None:
    from salesdev_tui.db.autobackup import backup_files
    from salesdev_tui.paths import backup_dir

    folder = backup_dir(seeded)
    proc = start_child("backup", "--db", str(seeded), command)
    # The copy is half-written at this moment, with a journal beside it.
    assert [p for p in files_under(folder) if p.name.endswith("-journal")]
    kill(proc, signum)
    # Under a backup's name there is nothing, or (after the next run) only sound files.
    assert backup_files(seeded) == []
    if signum != 9:  # a signal is caught: the half copy is gone at once
        assert files_under(folder) == []
    again = cli(seeded, command)
    assert again.returncode == 0, again.stderr
    made = backup_files(seeded)
    assert len(made) == 1 and made[0].label == ("auto" if command == "list" else "manual")
    assert sound_salesdev_file(made[0].path)
    assert files_under(folder) == [made[0].path]  # no temporary file, no journal


def test_a_half_written_backup_of_an_earlier_version_is_replaced(seeded: Path) -> None:
    """Before temporary names, a killed daily backup sat under its real name with a
    -journal beside it, and counted as the day's backup. Such a file is removed now."""
    from datetime import UTC, datetime

    from salesdev_tui.db.autobackup import backup_files
    from salesdev_tui.db.backup import timestamped_name
    from salesdev_tui.paths import backup_dir

    folder = backup_dir(seeded)
    folder.mkdir(mode=0o700, parents=True)
    broken = folder / timestamped_name(seeded.stem, datetime.now(UTC), "auto")
    broken.write_bytes(b"SQLite format 3\x00" + b"\x10\x00" + bytes(4000))
    Path(f"{broken}-journal").write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + bytes(500))
    done = cli(seeded, "list")
    assert done.returncode == 0, done.stderr
    made = backup_files(seeded)
    assert len(made) == 1 and made[0].label == "auto"
    assert sound_salesdev_file(made[0].path)
    assert not Path(f"{made[0].path}-journal").exists()


# -- 20.7: decrypt interrupted ---------------------------------------------------------------

PASSPHRASE = "correct horse battery"


@pytest.fixture
def encrypted(seeded: Path) -> Path:
    from datetime import UTC, datetime

    from salesdev_tui.db.cipher_convert import encrypt

    encrypt(seeded, PASSPHRASE, now=datetime.now(UTC), keep_backup=False)
    assert plaintext_holders(seeded.parent) == []
    return seeded


def passphrase_fd() -> int:
    read, write = os.pipe()
    os.write(write, f"{PASSPHRASE}\n".encode())
    os.close(write)
    return read


def env_with_fd(fd: int) -> dict[str, str]:
    return child_env({"SALESDEV_PASSPHRASE_FD": str(fd)})


@pytest.mark.parametrize("signum", KILLS)
def test_an_interrupted_decrypt_leaves_no_plaintext_copy(encrypted: Path, signum: int) -> None:
    fd = passphrase_fd()
    proc = start_child("decrypt", "--db", str(encrypted), "decrypt", "--passphrase-fd",
                       str(fd), pass_fds=(fd,))
    os.close(fd)
    # The complete plaintext copy exists at this moment: the test can fail.
    assert plaintext_holders(encrypted.parent)
    code = kill(proc, signum)
    if signum != 9:
        assert code == 128 + signum
        assert plaintext_holders(encrypted.parent) == []
    # The next start removes whatever is left, and says so.
    fd = passphrase_fd()
    done = subprocess.run([sys.executable, "-m", "salesdev_tui", "--db", str(encrypted),
                           "list", "--json"], capture_output=True, check=False, timeout=120,
                          pass_fds=(fd,), env=env_with_fd(fd))
    os.close(fd)
    assert done.returncode == 0, done.stderr
    assert plaintext_holders(encrypted.parent) == []
    assert temporaries(encrypted.parent) == []
    if signum == 9:
        assert "Removed what an interrupted" in one_error_line(done.stderr)
    # The database is still the encrypted one, whole.
    assert MARKER in done.stdout.decode()


def test_a_leftover_of_an_earlier_version_is_removed_at_the_next_start(
        encrypted: Path) -> None:
    """Earlier versions staged the new file as `NAME.salesdev-new`."""
    leftover = Path(f"{encrypted}.salesdev-new")
    leftover.write_bytes(b"SQLite format 3\x00" + MARKER.encode() * 100)
    fd = passphrase_fd()
    done = subprocess.run([sys.executable, "-m", "salesdev_tui", "--db", str(encrypted),
                           "list", "--json"], capture_output=True, check=False, timeout=120,
                          pass_fds=(fd,), env=env_with_fd(fd))
    os.close(fd)
    assert done.returncode == 0, done.stderr
    assert not leftover.exists()
    assert str(leftover) in one_error_line(done.stderr)


# -- 20.8: purge ------------------------------------------------------------------------------

def _purge_target(db_path: Path) -> str:
    from salesdev_tui.db import open_database
    from salesdev_tui.store.combined import Store

    db = open_database(db_path)
    try:
        rows = Store(db).customers.list_customers(limit=1000)
        return str(next(r.id for r in rows if r.name.startswith("Customer 7 ")))
    finally:
        db.close()


def purge_markers(db_path: Path, name: str) -> list[str]:
    """Which of the database's files (db, -wal, -shm) still hold `name`."""
    return [suffix or "db" for suffix in ("", "-wal", "-shm")
            if name.encode() in subprocess.run(["cat", f"{db_path}{suffix}"],
                                               capture_output=True, check=False).stdout]


READER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN")
conn.execute("SELECT count(*) FROM customer").fetchone()
print("ready", flush=True)
sys.stdin.read()
conn.execute("COMMIT")
conn.close()
"""


def test_purge_under_a_reader_is_pending_within_seconds_then_finishes(seeded: Path) -> None:
    import time
    import uuid

    from salesdev_tui.db import open_database
    from salesdev_tui.store.combined import Store

    customer_id = _purge_target(seeded)
    name = "Customer 7 " + MARKER
    reader = subprocess.Popen([sys.executable, "-c", READER, str(seeded)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert reader.stdout is not None and reader.stdout.readline().strip() == b"ready"
    db = open_database(seeded)
    try:
        started = time.monotonic()
        outcome = Store(db).deletion.purge_customer(uuid.UUID(customer_id))
        took = time.monotonic() - started
        assert took < 10, took
        assert outcome.total > 0
        assert outcome.pending  # never "done" while the text is still in the file
        assert purge_markers(seeded, name)  # honest: it is still there
    finally:
        assert reader.stdin is not None
        reader.stdin.close()
        reader.wait(timeout=30)
        db.close()  # the next chance: the reader is gone, the purge finishes
    assert purge_markers(seeded, name) == []
    db = open_database(seeded)
    try:
        from salesdev_tui.db.scrub import PENDING_TABLE

        with db.read() as session:
            left = session.connection().exec_driver_sql(
                "SELECT count(*) FROM sqlite_schema WHERE name = ?", (PENDING_TABLE,)).scalar()
        assert left == 0
    finally:
        db.close()


def test_purge_without_readers_is_done_at_once(seeded: Path) -> None:
    import uuid

    from salesdev_tui.db import open_database
    from salesdev_tui.store.combined import Store

    customer_id = _purge_target(seeded)
    db = open_database(seeded)
    try:
        outcome = Store(db).deletion.purge_customer(uuid.UUID(customer_id))
        assert not outcome.pending
        assert purge_markers(seeded, "Customer 7 " + MARKER) == []
    finally:
        db.close()


@pytest.mark.parametrize("signum", [pytest.param(9, id="kill-9"),
                                    pytest.param(15, id="SIGTERM")])
def test_a_purge_killed_before_its_scrub_is_finished_at_the_next_start(
        seeded: Path, signum: int) -> None:
    from salesdev_tui.db import open_database

    customer_id = _purge_target(seeded)
    name = "Customer 7 " + MARKER
    proc = start_child("purge", str(seeded), customer_id)
    kill(proc, signum)
    open_database(seeded).close()  # the next start
    assert purge_markers(seeded, name) == []
    done = cli(seeded, "list", "--json")
    assert done.returncode == 0, done.stderr
    assert name not in done.stdout.decode()


async def test_the_page_says_a_purge_under_a_reader_is_pending(make_app: Any,
                                                              db_path: Path) -> None:
    """The TUI never says "purged for good" while another process still reads the text."""
    import asyncio

    from textual.widgets import Input

    from tests.conftest import wait_ready
    from tests.test_purge import _open_page, seed_customer

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        cid = seed_customer(app.store, MARKER, "Secret")
        await _open_page(pilot, app, cid)
        from salesdev_tui.models.tables import Customer

        name = app.store.records.get_record(Customer, cid).name
        reader = subprocess.Popen([sys.executable, "-c", READER, str(db_path)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        try:
            assert reader.stdout is not None and reader.stdout.readline().strip() == b"ready"
            await pilot.press("ctrl+d")
            await wait_ready(pilot)
            await pilot.press("2")  # Purge for good
            await wait_ready(pilot)
            app.screen.query_one(Input).value = ""
            await pilot.press(*name, "enter")
            messages: list[str] = []
            for _ in range(150):  # the scrub waits 3 s for the reader, then gives up
                await asyncio.sleep(0.1)
                messages = [str(n.message) for n in app._notifications]
                if any(m.startswith(("Purge of", "Purged")) for m in messages):
                    break
            assert any(m.startswith("Purge of") and "pending" in m for m in messages), messages
            assert not any(m.startswith("Purged") for m in messages), messages
        finally:
            assert reader.stdin is not None
            reader.stdin.close()
            reader.wait(timeout=30)
