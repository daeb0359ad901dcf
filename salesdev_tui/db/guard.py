"""Look at a file before SQLite touches it: ours, empty, another program's, or not SQLite.

Reading the 100-byte header with plain file IO guarantees that a file we refuse is left
byte-for-byte unchanged (opening it with SQLite in WAL mode could already write to it).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from salesdev_tui.db.errors import Problem, StorageError, classify, storage_error
from salesdev_tui.db.identity import APPLICATION_ID, SCHEMA_VERSION
from salesdev_tui.i18n import _

_MAGIC = b"SQLite format 3\x00"


class FileKind(StrEnum):
    MISSING = "missing"
    EMPTY = "empty"
    SALESDEV = "salesdev"
    FOREIGN = "foreign"
    NOT_SQLITE = "not_sqlite"


@dataclass(frozen=True)
class FileState:
    kind: FileKind
    application_id: int = 0


#: Databases this process has open (resolved paths), registered by db/database.py.
OPEN_HERE: set[Path] = set()


def inspect_file(path: Path) -> FileState:
    """Classify `path` from its header alone. Raises StorageError if it cannot be read.

    Never reads a database this process has open: closing any file descriptor of a file
    drops every POSIX lock the process holds on it (SQLite's howtocorrupt.html), so another
    process would then think it is the last user, checkpoint, and delete the -wal this
    process is still writing to. A database we have open is ours by definition.
    """
    if _resolved(path) in OPEN_HERE:
        return FileState(FileKind.SALESDEV, APPLICATION_ID)
    if path.is_dir():
        raise storage_error(Problem.CANT_OPEN, path)
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        return FileState(FileKind.MISSING)
    except OSError as exc:
        raise storage_error(Problem.CANT_OPEN, path) from exc
    if not header:
        return FileState(FileKind.EMPTY)
    if len(header) < 100 or not header.startswith(_MAGIC):
        return FileState(FileKind.NOT_SQLITE)
    app_id = int.from_bytes(header[68:72], "big")
    if app_id != APPLICATION_ID:
        return FileState(FileKind.FOREIGN, app_id)
    return FileState(FileKind.SALESDEV, app_id)


def read_schema_version(path: Path) -> int:
    """The file's `user_version`, read through a read-only connection (pending WAL included).

    With no WAL beside the file the header holds it: read with plain IO, so a file that is
    then refused (a newer version) gets no -wal or -shm created next to it. (Only called
    before this process opens the file: see inspect_file on plain IO and SQLite's locks.)
    """
    wal = path.with_name(path.name + "-wal")
    if not wal.exists() and _resolved(path) not in OPEN_HERE:
        try:
            with path.open("rb") as file:
                header = file.read(100)
        except OSError as exc:
            raise storage_error(Problem.CANT_OPEN, path) from exc
        if len(header) == 100 and header.startswith(_MAGIC):
            return int.from_bytes(header[60:64], "big")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5.0)
    except sqlite3.Error as exc:
        raise storage_error(Problem.CANT_OPEN, path) from exc
    try:
        row = conn.execute("PRAGMA user_version").fetchone()
        return int(row[0])
    except sqlite3.DatabaseError as exc:
        # The header said SQLite: a failure here is the file's or the disk's state (locked,
        # read-only folder for the -shm, disk full, damaged), said as such, not "not ours".
        mapped = classify(exc, path)
        if mapped is None or mapped.problem is Problem.OTHER:
            raise storage_error(Problem.NOT_SQLITE, path) from exc
        if mapped.problem is Problem.CANT_OPEN and not os.access(path.parent, os.W_OK):
            # WAL needs its -shm beside the file: a folder we cannot write to.
            raise storage_error(Problem.READ_ONLY_DIR, path) from exc
        raise mapped from exc
    finally:
        conn.close()


#: The oldest schema this salesdev migrates from (the first release wrote version 1).
OLDEST_SCHEMA = 1


def newer_schema(path: Path, version: int) -> StorageError:
    return StorageError(
        Problem.NEWER,
        path,
        _(
            "{path} was written by a newer salesdev (schema {found}; this version "
            "knows {known}). It was left unchanged. Update salesdev to open it."
        ).format(path=path, found=version, known=SCHEMA_VERSION),
    )


def schema_problem(path: Path, version: int) -> StorageError | None:
    """Why a salesdev file of schema `version` cannot be opened, migrated, converted or
    restored by this salesdev (None: it can). Checked before anything writes to the file.

    A version below the first release's is no salesdev schema at all (a file with our
    application id and user_version 0 was made by hand or damaged): there is no migration
    from it, and trying one would write to the file.
    """
    if version > SCHEMA_VERSION:
        return newer_schema(path, version)
    if version < OLDEST_SCHEMA:
        return StorageError(Problem.CORRUPT, path, _(
            "{path} carries salesdev's mark but no schema version salesdev ever wrote "
            "({found}): it is damaged or was not made by salesdev. It was left unchanged. "
            "Restore a backup with `salesdev restore FILE`, or use another file with --db."
        ).format(path=path, found=version))
    return None


def _resolved(path: Path) -> Path:
    try:
        return path.expanduser().resolve()
    except OSError:
        return path
