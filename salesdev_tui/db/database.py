"""Opening a salesdev database safely, and the sessions the store works in."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from salesdev_tui.db.backup import backup_database, create_private_file, timestamped_name
from salesdev_tui.db.engine import make_engine, writer
from salesdev_tui.db.errors import Problem, StorageError, classify, storage_error
from salesdev_tui.db.guard import OPEN_HERE, FileKind, inspect_file, read_schema_version
from salesdev_tui.db.migrations import SCHEMA_VERSION, initialise, migrate
from salesdev_tui.i18n import _
from salesdev_tui.paths import backup_dir, ensure_private_dir


class Database:
    """An open salesdev database: one engine, short sessions, errors mapped to StorageError."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._writer = writer(engine)
        self._registered = path.expanduser().resolve()
        OPEN_HERE.add(self._registered)

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session (deferred BEGIN: readers never wait for the writer in WAL)."""
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
        """
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
        return classify(exc, self.path) or exc

    def close(self) -> None:
        """Keep the WAL small and query plans good, then release the file."""
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA optimize")
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except Exception:  # noqa: BLE001 - closing must never fail the app; the data is safe
            pass
        self.engine.dispose()
        OPEN_HERE.discard(self._registered)


def open_database(path: Path, *, now: datetime | None = None) -> Database:
    """Open (or create) the salesdev database at `path`.

    A missing or zero-byte file becomes a new database (dir 0700, file 0600). Another
    program's file, a non-SQLite file and a file from a newer salesdev are refused with a
    StorageError and left byte-for-byte unchanged. An older schema is backed up, then migrated.
    """
    path = path.expanduser()
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
        else:
            version = read_schema_version(path)
            if version > SCHEMA_VERSION:
                raise StorageError(
                    Problem.NEWER,
                    path,
                    _(
                        "{path} was written by a newer salesdev (schema {found}; this version "
                        "knows {known}). It was left unchanged. Update salesdev to open it."
                    ).format(path=path, found=version, known=SCHEMA_VERSION),
                )
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
