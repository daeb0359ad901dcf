"""Checking a database file, and restoring a backup over the live database.

A file offered for a restore is read before anything is written: it must be a salesdev
database (`guard`: the application id, read from the header alone), of a schema this
salesdev knows, and pass `PRAGMA integrity_check` (= [('ok',)]) and `foreign_key_check`
(no rows). These PRAGMAs return rows and never raise (RELIABILITY-NOTES 1), so their rows are
compared. A refused file, and the live database, are left byte for byte as they were.

The restore keeps a backup of the current database first, then copies the file in through
SQLite's backup API into the live path: the live database's own journal (-wal, -shm) takes
the change like any transaction, so nothing beside it can go stale.

Encrypted files (SQLCipher) take `passphrase`: the backup's, and the live database's when
it is encrypted and not open here. The restored database stays encrypted with the live
database's key; into a missing one, an encrypted backup comes with its own key. A plain
database is never silently filled from an encrypted backup: that is refused (encrypt first).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from salesdev_tui.atomic_file import TempFile, staged
from salesdev_tui.db.autobackup import safety_backup
from salesdev_tui.db.backup import create_private_file, timestamped_name
from salesdev_tui.db.encrypted import is_encrypted
from salesdev_tui.db.errors import Problem, StorageError, classify, storage_error
from salesdev_tui.db.guard import (
    OLDEST_SCHEMA,
    FileKind,
    inspect_file,
    read_schema_version,
    schema_problem,
)
from salesdev_tui.db.identity import APPLICATION_ID
from salesdev_tui.db.leftovers import sweep_leftovers
from salesdev_tui.db.migrations import SCHEMA_VERSION
from salesdev_tui.i18n import _, joined
from salesdev_tui.paths import backup_dir, ensure_private_dir

if TYPE_CHECKING:
    from salesdev_tui.db.cipher import Secret

__all__ = [
    "DatabaseInfo",
    "RestoreOutcome",
    "check_database",
    "describe_database",
    "restore_database",
]

#: The most problem lines `check_database` returns.
_MAX_PROBLEMS = 100


@dataclass(frozen=True)
class DatabaseInfo:
    """What a salesdev database file holds."""

    path: Path
    schema_version: int
    size: int
    #: Table -> (live rows, deleted rows), for the record tables.
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)
    newest_change: datetime | None = None


@dataclass(frozen=True)
class RestoreOutcome:
    restored: DatabaseInfo
    #: The backup of the database that was replaced (None when there was none).
    previous: Path | None
    #: A raw copy of a database too damaged to back up properly (None otherwise).
    damaged_copy: Path | None = None


def _key_of(path: Path, passphrase: str | Secret | None) -> Secret | None:
    """The key `path` needs: None for a plain file; StorageError if none is known."""
    if not is_encrypted(path):
        return None
    from salesdev_tui.db.cipher import as_secret, key_for

    if passphrase:
        return as_secret(passphrase)
    known = key_for(path)
    if known is None:
        raise storage_error(Problem.PASSPHRASE_NEEDED, path)
    return known


@contextmanager
def _read_only(path: Path, key: Secret | None = None) -> Iterator[Any]:
    if key is not None:
        from salesdev_tui.db.cipher import connect

        with closing(connect(path, key, read_only=True)) as keyed:
            yield keyed
        return
    uri = f"{path.expanduser().resolve().as_uri()}?mode=ro"
    if _sealed(path):
        uri += "&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=5.0)
    except sqlite3.Error as exc:
        raise classify(exc, path) or storage_error(Problem.CANT_OPEN, path) from exc
    with closing(conn):
        yield conn


def _sealed(path: Path) -> bool:
    """True for a file with no -wal beside it in a folder nobody can write to.

    A WAL database opened read-only still needs its -shm index beside it, which a read-only
    folder cannot take: such a file could not even be checked ("unable to open database
    file"). With no -wal every page is in the file, and with the folder read-only no writer
    can start one, so SQLite may read it as immutable (no locks, no -shm).
    """
    path = path.expanduser()
    return (not path.with_name(path.name + "-wal").exists()
            and not os.access(path.parent, os.W_OK))


def _refuse_unless_ours(path: Path, passphrase: str | Secret | None = None) -> Secret | None:
    """Raise unless `path` is a salesdev database; returns its key (None: plain)."""
    kind = inspect_file(path).kind
    if kind is FileKind.MISSING:
        raise StorageError(Problem.CANT_OPEN, path, _("{path} does not exist.").format(path=path))
    key = _key_of(path, passphrase)
    if key is not None:
        with _read_only(path, key) as conn:  # WRONG_PASSPHRASE from here
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                raise storage_error(Problem.FOREIGN, path)
        return key
    if kind in (FileKind.NOT_SQLITE, FileKind.EMPTY):
        raise storage_error(Problem.NOT_SQLITE, path)
    if kind is FileKind.FOREIGN:
        raise storage_error(Problem.FOREIGN, path)
    return None


def check_database(path: Path, *, passphrase: str | Secret | None = None) -> list[str]:
    """The problems `integrity_check` and `foreign_key_check` find (empty: the file is sound).

    Raises StorageError when the file is not a salesdev database or cannot be opened.
    """
    key = _refuse_unless_ours(path, passphrase)
    problems: list[str] = []
    try:
        with _read_only(path, key) as conn:
            rows = conn.execute(f"PRAGMA integrity_check({_MAX_PROBLEMS})").fetchall()
            if rows != [("ok",)]:
                problems.extend(str(row[0]) for row in rows)
            for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
                problems.append(_("{table} row {rowid} refers to a missing {parent} row").format(
                    table=table, rowid=rowid, parent=parent))
                if len(problems) >= _MAX_PROBLEMS:
                    break
    except Exception as exc:
        if not _is_database_error(exc):
            raise
        _raise_if_not_damage(exc, path)
        # A file damaged enough stops the check itself: that is its finding.
        problems.append(str(exc))
    return problems


def _raise_if_not_damage(exc: Exception, path: Path) -> None:
    """Raise the StorageError of a check stopped by something other than damage: the file
    cannot be opened (a read-only folder for its -shm), is locked, or the disk failed.
    Those say nothing about the file, so they are no "problem in" it."""
    mapped = classify(exc, path)
    if mapped is None or mapped.problem not in _NOT_DAMAGE:
        return
    if mapped.problem is Problem.CANT_OPEN and not os.access(path.parent, os.W_OK):
        raise storage_error(Problem.READ_ONLY_DIR, path) from exc
    raise mapped from exc


#: Failures of opening or reading a file that are not damage in it.
_NOT_DAMAGE = frozenset({Problem.CANT_OPEN, Problem.READ_ONLY, Problem.READ_ONLY_DIR,
                         Problem.BUSY, Problem.IO, Problem.FULL})


def _is_database_error(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.DatabaseError):
        return True
    from salesdev_tui.db.cipher import DBAPI

    return isinstance(exc, DBAPI.DatabaseError)


def _tables(conn: Any) -> list[str]:
    from salesdev_tui.models.tables import ALL_TABLES

    present = {row[0] for row in conn.execute("SELECT name FROM sqlite_schema WHERE type='table'")}
    return [str(m.__tablename__) for m in ALL_TABLES if m.__tablename__ in present]


def describe_database(path: Path, *, passphrase: str | Secret | None = None) -> DatabaseInfo:
    """Rows per table (live, deleted) and the newest change, of a checked salesdev file."""
    key = _key_of(path, passphrase)
    version = read_schema_version(path) if key is None else -1
    counts: dict[str, tuple[int, int]] = {}
    newest: str | None = None
    with _read_only(path, key) as conn:
        if key is not None:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        for table in _tables(conn):
            live, deleted, latest = conn.execute(
                f'SELECT count(*) FILTER (WHERE deleted_at IS NULL), '
                f'count(*) FILTER (WHERE deleted_at IS NOT NULL), max(updated_at) FROM "{table}"'
            ).fetchone()
            counts[table] = (int(live), int(deleted))
            if latest is not None and (newest is None or str(latest) > newest):
                newest = str(latest)
    moment = datetime.fromisoformat(newest).replace(tzinfo=UTC) if newest else None
    return DatabaseInfo(path, version, path.stat().st_size, counts, moment)


def inspect_backup(path: Path, *, passphrase: str | Secret | None = None) -> DatabaseInfo:
    """Everything a restore checks about `path`; StorageError says why it is refused."""
    path = path.expanduser()
    key = _refuse_unless_ours(path, passphrase)
    version = describe_database(path, passphrase=key).schema_version if key else (
        read_schema_version(path))
    if version < OLDEST_SCHEMA:
        raise schema_problem(path, version) or storage_error(Problem.CORRUPT, path)
    if version > SCHEMA_VERSION:
        raise StorageError(Problem.NEWER, path, _(
            "{path} was written by a newer salesdev (schema {found}; this version knows "
            "{known}). Nothing was restored.").format(path=path, found=version,
                                                       known=SCHEMA_VERSION))
    problems = check_database(path, passphrase=key)
    if problems:
        shown = joined(problems[:3])
        raise StorageError(Problem.CORRUPT, path, _(
            "{path} failed the integrity check ({problems}). Nothing was restored; choose "
            "another backup.").format(path=path, problems=shown))
    return describe_database(path, passphrase=key)


def _keep_damaged(live: Path, now: datetime) -> Path:
    """A byte copy of a database the backup API cannot read (its -wal beside it)."""
    folder = backup_dir(live)
    ensure_private_dir(folder)
    target = folder / timestamped_name(live.stem, now.astimezone(UTC), "damaged")
    for suffix in ("", "-wal"):
        source = Path(f"{live}{suffix}")
        if source.exists():
            # Whole or not at all, 0600 (copyfile alone makes it 0644).
            with staged(Path(f"{target}{suffix}"), replace=False) as temp:
                shutil.copyfile(source, temp.path)
    return target


def _copy_in(source: Path, source_key: Secret | None, live: Path,
             live_key: Secret | None) -> None:
    """Copy `source` into `live` through the backup API, each keyed with its own key."""
    if source_key is None and live_key is None:
        with _read_only(source) as src, closing(sqlite3.connect(live, timeout=5.0)) as dst:
            src.backup(dst)
        return
    from salesdev_tui.db.cipher import connect
    from salesdev_tui.db.cipher_convert import export_copy

    encrypted_copy: TempFile | None = None
    try:
        if source_key is None:
            # SQLCipher's backup API refuses plain -> encrypted: encrypt a copy first (a
            # temporary file, removed whatever happens; after a kill, at the next start).
            encrypted_copy = TempFile(live)
            export_copy(source, None, encrypted_copy.path, live_key)
            source, source_key = encrypted_copy.path, live_key
        with _read_only(source, source_key) as src, closing(
                connect(live, live_key, check=False)) as dst:
            src.backup(dst)
    finally:
        if encrypted_copy is not None:
            encrypted_copy.discard()


def restore_database(source: Path, live: Path, *, now: datetime,
                     passphrase: str | Secret | None = None) -> RestoreOutcome:
    """Replace the database at `live` with the backup `source` (checked first).

    Keeps a backup of the current database (or a raw copy, if it is too damaged to back up).
    Close every connection of this process to `live` first (keep its key: pass it as
    `passphrase`). Raises StorageError.
    """
    source, live = source.expanduser(), live.expanduser()
    sweep_leftovers(live)
    if source.resolve() == live.resolve():
        raise StorageError(Problem.INVALID, source, _(
            "{path} is the database itself, not a backup of it. Nothing was restored.").format(
                path=source))
    source_key = _key_of(source, passphrase)
    inspect_backup(source, passphrase=source_key)
    state = inspect_file(live).kind
    live_encrypted = is_encrypted(live)
    if state in (FileKind.FOREIGN, FileKind.NOT_SQLITE) and not live_encrypted:
        # Not a salesdev database at the live path: --db points at someone else's file.
        raise storage_error(Problem.FOREIGN if state is FileKind.FOREIGN else Problem.NOT_SQLITE,
                            live)
    fresh = state in (FileKind.MISSING, FileKind.EMPTY)
    live_key = _key_of(live, passphrase) if live_encrypted else None
    if source_key is not None and live_key is None and not fresh:
        raise StorageError(Problem.INVALID, source, _(
            "{path} is encrypted and the database {live} is not. Nothing was restored. "
            "Encrypt the database first (`salesdev encrypt`), then restore.").format(
                path=source, live=live))
    target_key = live_key or (source_key if fresh else None)
    previous: Path | None = None
    damaged: Path | None = None
    if state is FileKind.SALESDEV or live_encrypted:
        try:
            previous = safety_backup(live, now, "pre-restore", passphrase=live_key)
        except StorageError as exc:
            if exc.problem not in (Problem.CORRUPT, Problem.NOT_SQLITE):
                raise
            damaged = _keep_damaged(live, now)
    elif state is FileKind.MISSING:
        if not live.parent.exists():
            ensure_private_dir(live.parent)
        create_private_file(live)
    try:
        try:
            _copy_in(source, source_key, live, target_key)
        except Exception as exc:
            if damaged is None or not _is_database_error(exc):
                raise
            # The damaged file cannot even take a copy; its bytes are kept: start it anew.
            for suffix in ("", "-wal", "-shm"):
                Path(f"{live}{suffix}").unlink(missing_ok=True)
            create_private_file(live)
            _copy_in(source, source_key, live, target_key)
    except StorageError:
        raise
    except Exception as exc:
        from salesdev_tui.db.cipher import classify_any

        mapped = classify_any(exc, live)
        if mapped is None:
            raise
        raise mapped from None
    live.chmod(0o600)
    return RestoreOutcome(describe_database(live, passphrase=target_key), previous, damaged)
