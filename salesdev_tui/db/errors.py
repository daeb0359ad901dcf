"""Storage failures as plain messages: what happened, to which file, and what to do next.

SQLAlchemy wraps the driver's exception; Python 3.11's sqlite3 errors carry
`sqlite_errorname`, which is what we map on (RELIABILITY-NOTES 5b). Both faces (CLI, TUI) show
`StorageError.message`; neither ever shows a traceback.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from enum import StrEnum
from pathlib import Path

from salesdev_tui.i18n import _

#: Less free space than this, and an I/O error is most likely the disk being full.
_NEARLY_FULL_BYTES = 1 << 20


class Problem(StrEnum):
    NOT_SQLITE = "not_sqlite"
    FOREIGN = "foreign"
    NEWER = "newer"
    CORRUPT = "corrupt"
    BUSY = "busy"
    READ_ONLY = "read_only"
    READ_ONLY_DIR = "read_only_dir"
    FULL = "full"
    CANT_OPEN = "cant_open"
    IO = "io"
    NETWORK_FS = "network_fs"
    INVALID = "invalid"
    OTHER = "other"
    PASSPHRASE_NEEDED = "passphrase_needed"
    WRONG_PASSPHRASE = "wrong_passphrase"


class StorageError(Exception):
    """A failure of the database file, with a message a rep can act on."""

    def __init__(self, problem: Problem, path: Path | None, message: str) -> None:
        super().__init__(message)
        self.problem = problem
        self.path = path
        self.message = message

    @property
    def retryable(self) -> bool:
        """True when trying the same save again later can work (lock, full disk)."""
        return self.problem in {Problem.BUSY, Problem.FULL}


def _message(problem: Problem, path: Path | None) -> str:
    where = str(path) if path else _("the database")
    texts = {
        Problem.NOT_SQLITE: _(
            "{path} is not a salesdev database (it is not an SQLite file). It was left "
            "unchanged. Point salesdev at another file with --db or SALESDEV_DB."
        ),
        Problem.NEWER: _(
            "{path} was written by a newer salesdev. It was left unchanged. Update salesdev "
            "to open it."
        ),
        Problem.FOREIGN: _(
            "{path} is an SQLite database of another program, not salesdev. It was left "
            "unchanged. Point salesdev at another file with --db or SALESDEV_DB."
        ),
        Problem.CORRUPT: _(
            "The database {path} is damaged. Nothing was changed. Restore a backup with "
            "`salesdev restore FILE` (backups are in the 'backups' folder beside it)."
        ),
        Problem.BUSY: _(
            "The database {path} is busy (is salesdev open in another window?). Nothing was "
            "saved; your input is kept. Try again in a moment."
        ),
        Problem.READ_ONLY: _(
            "The database {path} is read-only: changes cannot be saved. Check the file's "
            "permissions, then try again; your input is kept."
        ),
        Problem.READ_ONLY_DIR: _(
            "The folder of {path} is read-only: salesdev cannot write there. Nothing was "
            "saved. Make the folder writable and try again, or use another file with --db."
        ),
        Problem.FULL: _(
            "The disk holding {path} is full: nothing was saved. Free some space and try "
            "again; your input is kept."
        ),
        Problem.CANT_OPEN: _(
            "Cannot open {path}: the folder is missing, not writable, or the path is a "
            "folder. Check the path, or use another file with --db."
        ),
        Problem.IO: _(
            "The disk reported an error while writing {path}. Nothing was saved. Check the "
            "disk, then try again; your input is kept."
        ),
        Problem.NETWORK_FS: _(
            "{path} is on a drive that does not support SQLite's write-ahead log (a network "
            "drive?). Keep the database on a local disk."
        ),
        Problem.PASSPHRASE_NEEDED: _(
            "{path} is encrypted (or it is not a database at all): give its passphrase to "
            "open it. Nothing was changed."
        ),
        Problem.WRONG_PASSPHRASE: _(
            "Cannot open {path}: the passphrase is wrong, or the file is damaged or not a "
            "salesdev database. Nothing was changed. Try again, or restore a backup."
        ),
    }
    fallback = _(
        "A database error occurred on {path}. Nothing was saved; your input is kept. Try "
        "again; if it happens again, run `salesdev check` and restore a backup if needed."
    )
    return texts.get(problem, fallback).format(path=where)


_BY_SQLITE_NAME: dict[str, Problem] = {
    "SQLITE_NOTADB": Problem.NOT_SQLITE,
    "SQLITE_CORRUPT": Problem.CORRUPT,
    "SQLITE_BUSY": Problem.BUSY,
    "SQLITE_LOCKED": Problem.BUSY,
    "SQLITE_READONLY": Problem.READ_ONLY,
    "SQLITE_READONLY_DIRECTORY": Problem.READ_ONLY_DIR,
    "SQLITE_READONLY_DBMOVED": Problem.READ_ONLY,
    "SQLITE_FULL": Problem.FULL,
    "SQLITE_CANTOPEN": Problem.CANT_OPEN,
}


def storage_error(problem: Problem, path: Path | None) -> StorageError:
    """A StorageError for `problem` at `path`, with the standard message."""
    return StorageError(problem, path, _message(problem, path))


def _disk_nearly_full(path: Path | None) -> bool:
    if path is None:
        return False
    try:
        return shutil.disk_usage(path.parent).free < _NEARLY_FULL_BYTES
    except OSError:
        return False


def classify(exc: BaseException, path: Path | None) -> StorageError | None:
    """Map a driver, SQLAlchemy or OS error to a StorageError, or None if it is not storage."""
    if isinstance(exc, StorageError):
        return exc
    original = getattr(exc, "orig", None) or exc
    if isinstance(original, sqlite3.Error):
        name = getattr(original, "sqlite_errorname", "") or ""
        problem = _BY_SQLITE_NAME.get(name)
        if problem is None:
            if name.startswith("SQLITE_IOERR"):
                # SQLite reports a full disk as an I/O error when it hits it while growing
                # the -shm or -wal: the free space tells the two apart.
                problem = Problem.FULL if _disk_nearly_full(path) else Problem.IO
            elif name.startswith("SQLITE_READONLY"):
                problem = Problem.READ_ONLY
            elif name.startswith("SQLITE_CORRUPT"):
                problem = Problem.CORRUPT
            elif name.startswith("SQLITE_CANTOPEN"):
                problem = Problem.CANT_OPEN
            elif name.startswith("SQLITE_BUSY"):
                problem = Problem.BUSY
            elif isinstance(original, sqlite3.IntegrityError):
                return None  # a rule broken: the caller reports it as invalid input
            else:
                problem = Problem.OTHER
        return storage_error(problem, path)
    if isinstance(original, OSError):
        if original.errno == errno.ENOSPC:
            return storage_error(Problem.FULL, path)
        if original.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return storage_error(Problem.READ_ONLY_DIR, path)
        return storage_error(Problem.CANT_OPEN, path)
    return None
