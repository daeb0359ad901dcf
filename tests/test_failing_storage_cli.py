"""Failing storage on the command line: one plain line on stderr (path and next step), exit
code 5, no traceback, and the same command works once the problem is gone.

The failures are made as in test_failing_storage_tui.py (whose helpers are reused).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.cli.app import Exit
from tests.test_failing_storage_tui import (
    OPEN_FAILURES,
    fill,
    lock_held,
    read_only,
    seed,
    sha256,
    tiny_disk,
)


def run(db_path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", str(db_path), *args])
    return result.exit_code, result.stdout, result.stderr


def names(db_path: Path) -> list[str]:
    code, out, err = run(db_path, "list", "--json")
    assert code == 0, err
    return sorted(row["name"] for row in json.loads(out))


def assert_plain_failure(code: int, err: str, path: Path, *words: str) -> None:
    assert code == Exit.STORAGE
    assert err.startswith("error: ") and str(path) in err, err
    assert all(word in err for word in words), err
    assert "Traceback" not in err


@pytest.fixture
def short_lock_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's seam for the lock wait: the engine module's settings, read at connect."""
    from salesdev_tui.db import engine

    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 200)
    monkeypatch.setattr(engine, "CONNECTION_PRAGMAS", tuple(
        "PRAGMA busy_timeout=200" if p.startswith("PRAGMA busy_timeout") else p
        for p in engine.CONNECTION_PRAGMAS))


def test_locked_database_add_fails_plainly_then_adds_once(
    db_path: Path, short_lock_wait: None
) -> None:
    seed(db_path)
    with lock_held(db_path):
        code, _out, err = run(db_path, "add", "Delta Foods")
        assert_plain_failure(code, err, db_path, "busy", "Try again")
    code, _out, err = run(db_path, "add", "Delta Foods")
    assert code == 0, err
    assert names(db_path) == ["Delta Foods", "Gamma Steel"]


def test_read_only_file_add_fails_plainly_list_still_works(db_path: Path) -> None:
    seed(db_path)
    with read_only(db_path):
        code, _out, err = run(db_path, "add", "Delta Foods")
        assert_plain_failure(code, err, db_path, "read-only", "permissions")
        assert names(db_path) == ["Gamma Steel"]  # reading still works
    code, _out, err = run(db_path, "add", "Delta Foods")
    assert code == 0, err
    assert names(db_path) == ["Delta Foods", "Gamma Steel"]


def test_disk_full_add_fails_plainly_then_adds_once(tmp_path: Path) -> None:
    with tiny_disk(tmp_path / "disk") as disk:
        path = disk / "salesdev.db"
        seed(path)
        run(path, "list")  # the day's backup is taken now, not while the disk is full
        filler = fill(disk)
        code, _out, err = run(path, "add", "Delta Foods")
        assert_plain_failure(code, err, path)
        filler.unlink()
        code, _out, err = run(path, "add", "Delta Foods")
        assert code == 0, err
        assert names(path) == ["Delta Foods", "Gamma Steel"]


def test_disk_full_says_disk_full(tmp_path: Path) -> None:
    with tiny_disk(tmp_path / "disk") as disk:
        path = disk / "salesdev.db"
        seed(path)
        run(path, "list")
        fill(disk)
        code, _out, err = run(path, "add", "Delta Foods")
        assert_plain_failure(code, err, path, "full", "Free some space")


@pytest.mark.parametrize("case", list(OPEN_FAILURES))
@pytest.mark.parametrize("command", [["list"], ["add", "Delta Foods"]])
def test_file_that_fails_to_open(db_path: Path, case: str, command: list[str]) -> None:
    spoil, words = OPEN_FAILURES[case]
    seed(db_path)
    spoil(db_path)
    before = sha256(db_path)
    code, out, err = run(db_path, *command)
    assert_plain_failure(code, err, db_path, *words)
    assert out == ""
    assert sha256(db_path) == before


def test_read_only_folder_fails_plainly(db_path: Path) -> None:
    seed(db_path)
    before = sha256(db_path)
    with read_only(db_path.parent):
        code, _out, err = run(db_path, "add", "Delta Foods")
    assert_plain_failure(code, err, db_path, "folder")
    assert sha256(db_path) == before
