"""Consistent copies through SQLite's online backup API (never a file copy of a live database)."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from salesdev_tui.db.errors import Problem, classify, storage_error


def create_private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 (the umask would give 0644); refuse an existing file."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def backup_database(source: Path, dest: Path) -> Path:
    """Write a consistent 0600 snapshot of the database `source` to the new file `dest`."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        raise storage_error(Problem.CANT_OPEN, dest)
    try:
        create_private_file(dest)
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=5.0)
        try:
            dst = sqlite3.connect(dest)
            try:
                src.backup(dst)
                # The copy stands alone: no -wal beside it to lose.
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
    except (sqlite3.Error, OSError) as exc:
        dest.unlink(missing_ok=True)
        raise classify(exc, source) or storage_error(Problem.IO, source) from exc
    return dest


def timestamped_name(stem: str, moment: datetime, label: str) -> str:
    """A backup file name that sorts by time: `salesdev-20261129-190702-pre-migration.db`."""
    return f"{stem}-{moment:%Y%m%d-%H%M%S}-{label}.db"
