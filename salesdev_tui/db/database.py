"""Opening a salesdev database safely, and the sessions the store works in."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlmodel import Session

from salesdev_tui.db.backup import backup_database, create_private_file, timestamped_name
from salesdev_tui.db.engine import make_engine, writer
from salesdev_tui.db.errors import Problem, StorageError, classify, storage_error
from salesdev_tui.db.guard import (
    OPEN_HERE,
    FileKind,
    inspect_file,
    read_schema_version,
    schema_problem,
)
from salesdev_tui.db.identity import APPLICATION_ID
from salesdev_tui.db.migrations import SCHEMA_VERSION, initialise, migrate
from salesdev_tui.db.scrub import finish_pending
from salesdev_tui.paths import backup_dir, ensure_private_dir

if TYPE_CHECKING:
    from salesdev_tui.db.cipher import Secret

#: Rows `PRAGMA optimize` samples per index when it analyses a table (SQLite suggests 100 to
#: 1000): the statistics it keeps are approximate, and its first run stays in milliseconds.
ANALYSIS_LIMIT = 400


def analyse_unanalysed(conn: Any) -> None:
    """ANALYZE each table that has rows and indexes but no statistics yet (sampled, per
    `analysis_limit`: 6-23 ms a table at 1,000,000 customers, once).

    `PRAGMA optimize` analyses only the tables this connection's queries used, so a file
    filled without reading some table (the demo's fast path, a migration, an import) kept
    no statistics for it, and the planner then guessed: Today's agenda built a Bloom filter
    over every customer to join ~30 open plans, 16 ms at 100,000 customers instead of 0.1
    (sqlite 3.40, `EXPLAIN QUERY PLAN`: "BLOOM FILTER ON c").
    """
    known: set[str] = set()
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
        known = {row[0] for row in conn.execute("SELECT DISTINCT tbl FROM sqlite_stat1")}
    indexed = [row[0] for row in conn.execute(
        "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'index'"
        " AND tbl_name NOT LIKE 'sqlite%'")]
    for table in indexed:
        quoted = '"' + table.replace('"', '""') + '"'
        # An empty table would get no statistics and be analysed again at every close.
        if table not in known and conn.execute(f"SELECT 1 FROM {quoted} LIMIT 1").fetchone():
            conn.execute(f"ANALYZE {quoted}")


class Database:
    """An open salesdev database: one engine, short sessions, errors mapped to StorageError."""

    def __init__(self, path: Path, engine: Engine, *, encrypted: bool = False) -> None:
        self.path = path
        self.engine = engine
        #: True for an SQLCipher database (its key is held by `cipher` until close).
        self.encrypted = encrypted
        self._writer = writer(engine)
        #: The session of the `unit()` running in this thread (contextvars are per thread
        #: and per task), which `read()` and `write()` join.
        self._unit: ContextVar[Session | None] = ContextVar(f"unit-{id(self)}", default=None)
        self._registered = path.expanduser().resolve()
        OPEN_HERE.add(self._registered)
        # A purge whose scrub could not finish (a reader elsewhere, a kill): finish it now.
        finish_pending(engine, path)

    @contextlib.contextmanager
    def unit(self) -> Iterator[Session]:
        """Several steps as one transaction: every `read()` and `write()` inside joins it, so
        a use case of two writes (log an outcome, then move the stage) is all or nothing, and
        its reads see its own writes. A step that fails inside rolls back to its savepoint;
        the unit commits when the block ends without an exception."""
        if self._unit.get() is not None:
            with self.write() as joined:  # a unit inside a unit: one savepoint more
                yield joined
            return
        with self.write() as session:
            token = self._unit.set(session)
            try:
                yield session
            finally:
                self._unit.reset(token)

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session (deferred BEGIN: readers never wait for the writer in WAL)."""
        joined = self._unit.get()
        if joined is not None:
            yield joined
            return
        session = Session(self.engine, expire_on_commit=False)
        try:
            yield session
        except Exception as exc:
            raise self._mapped(exc) from exc
        finally:
            session.close()

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A write session: BEGIN IMMEDIATE, committed on success, rolled back on any error.

        Rolling back and closing matters: a connection left open after a failed write keeps
        its lock and the next save would get SQLITE_BUSY (RELIABILITY-NOTES 5b).
        Inside `unit()` it is a savepoint of the unit's transaction instead.
        """
        joined = self._unit.get()
        if joined is not None:
            try:
                with joined.begin_nested():
                    yield joined
            except Exception as exc:
                raise self._mapped(exc) from exc
            return
        session = Session(self._writer, expire_on_commit=False)
        try:
            yield session
            session.commit()
        except Exception as exc:
            session.rollback()
            raise self._mapped(exc) from exc
        finally:
            session.close()

    def _mapped(self, exc: Exception) -> Exception:
        if self.encrypted:
            from salesdev_tui.db.cipher import classify_any

            return classify_any(exc, self.path) or exc
        return classify(exc, self.path) or exc

    def unlocks(self, passphrase: str | Secret) -> bool:
        """True when `passphrase` is this database's (the idle lock asks it again)."""
        if not self.encrypted:
            return False
        from salesdev_tui.db.cipher import as_secret, key_for

        key = key_for(self.path)
        try:
            return key is not None and key == as_secret(passphrase)
        except ValueError:
            return False

    def close(self) -> None:
        """Keep the WAL small and query plans good, then release the file."""
        finish_pending(self.engine, self.path, wait=1.0)
        try:
            with self.engine.connect() as conn:
                # On the driver's connection, in autocommit: through `exec_driver_sql` they
                # ran inside the BEGIN our "begin" hook issues, and the rollback at the end of
                # the block threw away what ANALYZE learnt, so every close analysed again (0.2
                # to 0.9 s at 100,000 customers, most of a CLI read command's time; issue
                # 15.8). The limit bounds the first analysis of a big table (SQLite's advice
                # for `optimize`); later closes find the statistics and skip it.
                raw = conn.connection.driver_connection
                assert raw is not None  # a live pooled connection always has one
                raw.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
                raw.execute("PRAGMA optimize")
                analyse_unanalysed(raw)
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except Exception:  # noqa: BLE001 - closing must never fail the app; the data is safe
            pass
        self.engine.dispose()
        OPEN_HERE.discard(self._registered)
        if self.encrypted:
            from salesdev_tui.db.cipher import forget_key

            forget_key(self.path)


def open_database(
    path: Path, *, passphrase: str | Secret | None = None, now: datetime | None = None
) -> Database:
    """Open (or create) the salesdev database at `path`.

    A missing or zero-byte file becomes a new database (dir 0700, file 0600), encrypted
    when a `passphrase` is given. Another program's file, a non-SQLite file and a file from
    a newer salesdev are refused with a StorageError and left byte-for-byte unchanged. An
    older schema is backed up, then migrated. Leftovers of an interrupted backup or
    conversion are removed first (`db.leftovers`). An encrypted file needs its `passphrase`
    (StorageError PASSPHRASE_NEEDED without one, WRONG_PASSPHRASE with a wrong one); a plain
    file opens as before, whatever `passphrase` says.
    """
    from salesdev_tui.db import encrypted
    from salesdev_tui.db.leftovers import sweep_leftovers

    path = path.expanduser()
    # Before anything opens it: what a killed backup or conversion left (maybe plaintext).
    sweep_leftovers(path)
    if encrypted.is_encrypted(path):
        return open_encrypted(path, passphrase, now=now)
    state = inspect_file(path)
    if state.kind is FileKind.NOT_SQLITE:
        raise storage_error(Problem.NOT_SQLITE, path)
    if state.kind is FileKind.FOREIGN:
        raise storage_error(Problem.FOREIGN, path)
    try:
        if state.kind is FileKind.MISSING:
            # Only a folder we create is made 0700; a folder the rep chose is left as it is.
            if not path.parent.exists():
                ensure_private_dir(path.parent)
            create_private_file(path)
            initialise(path)
        elif state.kind is FileKind.EMPTY:
            os.chmod(path, 0o600)
            initialise(path)
        if passphrase is not None and state.kind in (FileKind.MISSING, FileKind.EMPTY):
            # A new database holds no record yet: encrypt it before the first one arrives.
            return encrypt_new(path, passphrase, now=now)
        if state.kind not in (FileKind.MISSING, FileKind.EMPTY):
            version = read_schema_version(path)
            refused = schema_problem(path, version)
            if refused is not None:
                raise refused
            if version < SCHEMA_VERSION:
                moment = now or datetime.now(UTC)
                name = timestamped_name(path.stem, moment, f"pre-migration-v{version}")
                backup_database(path, backup_dir(path) / name)
                migrate(path, version)
        engine = make_engine(path)
        with engine.connect() as conn:  # connect now, so a bad file fails here, not mid-save
            conn.exec_driver_sql("SELECT count(*) FROM customer").fetchone()
    except StorageError:
        raise
    except Exception as exc:
        mapped = classify(exc, path)
        if mapped is None:
            raise
        raise mapped from exc
    return Database(path, engine)


# Opening an SQLCipher-encrypted file (`open_database` comes here for one). The order
# matters: the key is tried on a connection that writes nothing; only then are the
# application_id and the schema version read (both inside the encrypted pages), so a wrong
# passphrase, another program's file and a newer schema all leave the file unchanged. That
# first connection becomes the engine's first pooled one: each key derivation costs
# 100-180 ms, and opening should pay it once.


def open_encrypted(
    path: Path, passphrase: str | Secret | None, *, now: datetime | None = None
) -> Database:
    """Open the encrypted salesdev database at `path` (see the module docstring)."""
    from salesdev_tui.db import cipher, encrypted

    secret = encrypted.secret_for(path, passphrase)
    first = cipher.connect(path, secret)  # WRONG_PASSPHRASE here, nothing written
    try:
        app_id = int(first.execute("PRAGMA application_id").fetchone()[0])
        version = int(first.execute("PRAGMA user_version").fetchone()[0])
    except Exception as exc:
        first.close()
        raise cipher.classify_any(exc, path) or storage_error(Problem.CORRUPT, path) from None
    refused = (storage_error(Problem.FOREIGN, path) if app_id != APPLICATION_ID
               else schema_problem(path, version))
    if refused is not None:
        first.close()
        raise refused
    # Backups and migrations of this file find the key by its path from here on.
    cipher.remember_key(path, secret)
    try:
        if version < SCHEMA_VERSION:
            first.close()
            first = None
            moment = now or datetime.now(UTC)
            name = timestamped_name(path.stem, moment, f"pre-migration-v{version}")
            backup_database(path, backup_dir(path) / name)
            migrate(path, version)
        engine = make_engine(path, passphrase=secret, first_connection=first)
        first = None  # the pool owns it now
        with engine.connect() as conn:  # as for a plain file: fail here, not mid-save
            conn.exec_driver_sql("SELECT count(*) FROM customer").fetchone()
    except BaseException as exc:
        cipher.forget_key(path)
        if first is not None:
            first.close()
        if isinstance(exc, StorageError) or not isinstance(exc, Exception):
            raise
        raise cipher.classify_any(exc, path) or storage_error(Problem.OTHER, path) from exc
    return Database(path, engine, encrypted=True)


def encrypt_new(path: Path, passphrase: str | Secret, *, now: datetime | None = None) -> Database:
    """Encrypt the new, empty database at `path` and open it (no backup: it holds nothing)."""
    from salesdev_tui.db import encrypted
    from salesdev_tui.db.cipher_convert import encrypt

    secret = encrypted.secret_for(path, passphrase)
    encrypt(path, secret, now=now or datetime.now(UTC), keep_backup=False)
    return open_encrypted(path, secret, now=now)
