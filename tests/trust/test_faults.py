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
    from salesdev_tui.services.validation import ContactInput, CustomerInput, validate
    from salesdev_tui.store import Store

    db = open_database(path)
    try:
        store = Store(db)
        for n in range(customers):
            store.add_lead(
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


def cli(db: Path, *args: str, stdout: Any = subprocess.PIPE,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run `salesdev --db DB ARGS` in a child process."""
    return subprocess.run([sys.executable, "-m", "salesdev_tui", "--db", str(db), *args],
                          stdout=stdout, stderr=subprocess.PIPE, check=False, timeout=120,
                          env=env)


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
        one_error_line(done.stderr)
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
        done = cli(db_path, "export", "--out", str(out))
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


def quick_check(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return str(conn.execute("PRAGMA quick_check").fetchone()[0])
    finally:
        conn.close()
