"""A plain `sqlite3` connection for the start-up read of Today, before SQLAlchemy loads.

Only for a file that needs nothing but reading: it exists, its header says it is a plain
(not encrypted) salesdev database of the current schema. Anything else (a new file, an old
schema to migrate, an encrypted file, another program's file) returns None and the app's
full open (`db.database.open_database`) deals with it and reports problems in its words.

The header is read with plain IO before any connection exists in this process (reading it
while SQLite holds the file open would drop SQLite's POSIX locks). The connection is
query-only: nothing can be written through it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from salesdev_tui.db.errors import StorageError
from salesdev_tui.db.guard import FileKind, inspect_file
from salesdev_tui.db.identity import APPLICATION_ID, SCHEMA_VERSION

_BUSY_TIMEOUT_MS = 5000

#: Reading needs no durability settings; these keep a read safe and bounded.
_READ_PRAGMAS = (
    "PRAGMA query_only=ON",
    f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}",
    "PRAGMA trusted_schema=OFF",
    "PRAGMA cell_size_check=ON",
)


def _kind(path: Path) -> FileKind | None:
    try:
        return inspect_file(path).kind
    except StorageError:
        return None  # the full open reports it


def open_for_reading(path: Path) -> sqlite3.Connection | None:
    """A query-only connection to `path`, or None when only the full open will do."""
    # The header says ours: only a first look, since the main file's header can lag behind
    # the WAL, so SQLite is asked again below.
    if _kind(path) is not FileKind.SALESDEV:
        return None
    try:
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        for pragma in _READ_PRAGMAS:
            conn.execute(pragma)
        (application_id,) = conn.execute("PRAGMA application_id").fetchone()
        (user_version,) = conn.execute("PRAGMA user_version").fetchone()
    except sqlite3.Error:
        conn.close()
        return None
    if application_id != APPLICATION_ID or user_version != SCHEMA_VERSION:
        conn.close()
        return None
    return conn


def looks_encrypted(path: Path) -> bool:
    """True when `path` may be an SQLCipher database (no plain header, whole pages): the TUI
    asks for the passphrase at once instead of after loading SQLAlchemy to find out."""
    if _kind(path) is not FileKind.NOT_SQLITE:
        return False
    from salesdev_tui.db.cipher import may_be_encrypted

    return may_be_encrypted(path)
