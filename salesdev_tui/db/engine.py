"""The SQLite engine with the pragmas that keep saved data safe (RELIABILITY-NOTES 1).

This module and `db/migrations.py` are where SQLite-only SQL lives; a PostgreSQL engine
for the team server will get its own factory beside this one.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection

from salesdev_tui.db.errors import Problem, storage_error
from salesdev_tui.db.identity import APPLICATION_ID

__all__ = ["APPLICATION_ID", "make_engine", "writer"]

if TYPE_CHECKING:
    from salesdev_tui.db.cipher import Secret

BUSY_TIMEOUT_MS = 5000

#: Set on every connection, outside any transaction (foreign_keys is ignored inside one).
#: synchronous=FULL: with WAL, a commit that returned survives power loss; NORMAL lost
#: returned commits in 164 of 200 simulated power cuts here.
CONNECTION_PRAGMAS: tuple[str, ...] = (
    "PRAGMA synchronous=FULL",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA secure_delete=ON",
    "PRAGMA trusted_schema=OFF",
    "PRAGMA cell_size_check=ON",
    # 16 MiB of page cache, not SQLite's 2: the scorecard touches ~11 MB of index pages at
    # 100,000 customers and re-read them from the OS on every reload (27.8 -> 22.1 ms,
    # interleaved runs; 32 MiB gave no more). Per connection; the pool holds few.
    "PRAGMA cache_size=-16384",
)

#: Execution option marking a connection that will write: it begins with BEGIN IMMEDIATE so
#: a read that later writes cannot dead-end in SQLITE_BUSY (the busy timeout does not help there).
WRITE_OPTION = "salesdev_write"


#: Connections an encrypted engine keeps open. Each new one pays the key derivation (PBKDF2,
#: 100-180 ms here), so they are kept rather than opened per use; the app rarely needs more
#: than two at once (a screen's worker and a save), overflow ones are closed after use.
ENCRYPTED_POOL_SIZE = 3
ENCRYPTED_MAX_OVERFLOW = 5


def make_engine(
    path: Path,
    *,
    wal: bool = True,
    foreign_keys: bool = True,
    passphrase: Secret | None = None,
    first_connection: Any = None,
) -> Engine:
    """An engine on the SQLite file `path` with salesdev's pragmas on every connection.

    `wal=False` is used once, to create a new file in rollback-journal mode so that its
    application_id is in the main file before anything else happens. `foreign_keys=False` is
    for migrations: a table rebuild with foreign keys on silently deletes child rows.

    An encrypted database is keyed with `passphrase`, or else with the key it was opened
    with in this process (`cipher.key_for`), so migrations find it too. `first_connection`,
    an SQLCipher connection already keyed and checked, becomes the pool's first connection
    (one key derivation less).
    """
    key = passphrase
    if key is None and not _plain_fast_path(path):
        from salesdev_tui.db.cipher import key_for

        key = key_for(path)
    if key is None:
        engine = create_engine(
            f"sqlite:///{path}",
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        )
    else:
        engine = _encrypted_engine(path, key, first_connection)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Stop pysqlite's implicit BEGIN: we issue our own (SQLAlchemy's pysqlite recipe),
        # which also makes DDL transactional, so a failed migration leaves nothing behind.
        dbapi_conn.isolation_level = None
        dbapi_conn.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        for pragma in CONNECTION_PRAGMAS:
            dbapi_conn.execute(pragma)
        wanted = "wal" if wal else "delete"
        mode = dbapi_conn.execute(f"PRAGMA journal_mode={wanted}").fetchone()[0]
        if str(mode).lower() != wanted:
            dbapi_conn.close()
            raise storage_error(Problem.NETWORK_FS, path)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


def _plain_fast_path(path: Path) -> bool:
    """True when no key is held in this process at all: skip importing SQLCipher."""
    import sys

    cipher = sys.modules.get("salesdev_tui.db.cipher")
    return cipher is None or not getattr(cipher, "_KEYS", None)


def _encrypted_engine(path: Path, key: Secret, first: Any) -> Engine:
    """An engine whose connections SQLCipher keys before SQLAlchemy sees them.

    The key goes in through `creator`, so it is in no URL (SQLAlchemy prints the URL in
    its errors and logs) and no statement SQLAlchemy could echo or put in an error.
    `module=` makes SQLAlchemy wrap SQLCipher's exceptions (IntegrityError etc.) as it
    wraps sqlite3's. A QueuePool, not the pysqlcipher dialect's SingletonThreadPool (one
    connection, and one key derivation, per thread).
    """
    from sqlalchemy.pool import QueuePool

    from salesdev_tui.db import cipher

    spare = [first] if first is not None else []

    def connect() -> Any:
        if spare:
            return spare.pop()
        return cipher.connect(path, key, timeout=BUSY_TIMEOUT_MS / 1000)

    return create_engine(
        f"sqlite:///{path}",
        module=cipher.DBAPI,
        creator=connect,
        poolclass=QueuePool,
        pool_size=ENCRYPTED_POOL_SIZE,
        max_overflow=ENCRYPTED_MAX_OVERFLOW,
    )


def writer(engine: Engine) -> Engine:
    """The same engine (same pool) whose transactions begin IMMEDIATE."""
    return engine.execution_options(**{WRITE_OPTION: True})
