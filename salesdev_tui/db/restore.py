"""Checking a database file, and restoring a backup over the live database.

A file offered for a restore is read before anything is written: it must be a salesdev
database (`guard`: the application id, read from the header alone), of a schema this
salesdev knows, and pass `PRAGMA integrity_check` (= [('ok',)]) and `foreign_key_check`
(no rows). These PRAGMAs return rows and never raise (RELIABILITY-NOTES 1), so their rows are
compared. A refused file, and the live database, are left byte for byte as they were.

The restore keeps a backup of the current database first, then copies the file in through
SQLite's backup API into the live path: the live database's own journal (-wal, -shm) takes
the change like any transaction, so nothing beside it can go stale.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from salesdev_tui.db.autobackup import safety_backup
from salesdev_tui.db.backup import create_private_file, timestamped_name
from salesdev_tui.db.errors import Problem, StorageError, classify, storage_error
from salesdev_tui.db.guard import FileKind, inspect_file, read_schema_version
from salesdev_tui.db.migrations import SCHEMA_VERSION
from salesdev_tui.i18n import _
from salesdev_tui.paths import backup_dir, ensure_private_dir

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


@contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    uri = f"{path.expanduser().resolve().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=5.0)
    except sqlite3.Error as exc:
        raise classify(exc, path) or storage_error(Problem.CANT_OPEN, path) from exc
    with closing(conn):
        yield conn


def _refuse_unless_ours(path: Path) -> None:
    kind = inspect_file(path).kind
    if kind is FileKind.MISSING:
        raise StorageError(Problem.CANT_OPEN, path, _("{path} does not exist.").format(path=path))
    if kind in (FileKind.NOT_SQLITE, FileKind.EMPTY):
        raise storage_error(Problem.NOT_SQLITE, path)
    if kind is FileKind.FOREIGN:
        raise storage_error(Problem.FOREIGN, path)


def check_database(path: Path) -> list[str]:
    """The problems `integrity_check` and `foreign_key_check` find (empty: the file is sound).

    Raises StorageError when the file is not a salesdev database or cannot be opened.
    """
    _refuse_unless_ours(path)
    problems: list[str] = []
    try:
        with _read_only(path) as conn:
            rows = conn.execute(f"PRAGMA integrity_check({_MAX_PROBLEMS})").fetchall()
            if rows != [("ok",)]:
                problems.extend(str(row[0]) for row in rows)
            for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
                problems.append(_("{table} row {rowid} refers to a missing {parent} row").format(
                    table=table, rowid=rowid, parent=parent))
                if len(problems) >= _MAX_PROBLEMS:
                    break
    except sqlite3.DatabaseError as exc:
        # A file damaged enough stops the check itself: that is its finding.
        problems.append(str(exc))
    return problems


def _tables(conn: sqlite3.Connection) -> list[str]:
    from salesdev_tui.models.tables import ALL_TABLES

    present = {row[0] for row in conn.execute("SELECT name FROM sqlite_schema WHERE type='table'")}
    return [str(m.__tablename__) for m in ALL_TABLES if m.__tablename__ in present]


def describe_database(path: Path) -> DatabaseInfo:
    """Rows per table (live, deleted) and the newest change, of a checked salesdev file."""
    version = read_schema_version(path)
    counts: dict[str, tuple[int, int]] = {}
    newest: str | None = None
    with _read_only(path) as conn:
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


def inspect_backup(path: Path) -> DatabaseInfo:
    """Everything a restore checks about `path`; StorageError says why it is refused."""
    path = path.expanduser()
    _refuse_unless_ours(path)
    version = read_schema_version(path)
    if version > SCHEMA_VERSION:
        raise StorageError(Problem.NEWER, path, _(
            "{path} was written by a newer salesdev (schema {found}; this version knows "
            "{known}). Nothing was restored.").format(path=path, found=version,
                                                       known=SCHEMA_VERSION))
    problems = check_database(path)
    if problems:
        shown = "; ".join(problems[:3])
        raise StorageError(Problem.CORRUPT, path, _(
            "{path} failed the integrity check ({problems}). Nothing was restored; choose "
            "another backup.").format(path=path, problems=shown))
    return describe_database(path)


def _keep_damaged(live: Path, now: datetime) -> Path:
    """A byte copy of a database the backup API cannot read (its -wal beside it)."""
    folder = backup_dir(live)
    ensure_private_dir(folder)
    target = folder / timestamped_name(live.stem, now.astimezone(UTC), "damaged")
    for suffix in ("", "-wal"):
        source = Path(f"{live}{suffix}")
        if source.exists():
            copy = Path(f"{target}{suffix}")
            shutil.copyfile(source, copy)
            copy.chmod(0o600)
    return target


def _copy_in(source: Path, live: Path) -> None:
    with _read_only(source) as src, closing(sqlite3.connect(live, timeout=5.0)) as dst:
        src.backup(dst)


def restore_database(source: Path, live: Path, *, now: datetime) -> RestoreOutcome:
    """Replace the database at `live` with the backup `source` (checked first).

    Keeps a backup of the current database (or a raw copy, if it is too damaged to back up).
    Close every connection of this process to `live` first. Raises StorageError.
    """
    source, live = source.expanduser(), live.expanduser()
    if source.resolve() == live.resolve():
        raise StorageError(Problem.INVALID, source, _(
            "{path} is the database itself, not a backup of it. Nothing was restored.").format(
                path=source))
    inspect_backup(source)
    state = inspect_file(live).kind
    if state in (FileKind.FOREIGN, FileKind.NOT_SQLITE):
        # Not a salesdev database at the live path: --db points at someone else's file.
        raise storage_error(Problem.FOREIGN if state is FileKind.FOREIGN else Problem.NOT_SQLITE,
                            live)
    previous: Path | None = None
    damaged: Path | None = None
    if state is FileKind.SALESDEV:
        try:
            previous = safety_backup(live, now, "pre-restore")
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
            _copy_in(source, live)
        except sqlite3.DatabaseError:
            if damaged is None:
                raise
            # The damaged file cannot even take a copy; its bytes are kept: start it anew.
            for suffix in ("", "-wal", "-shm"):
                Path(f"{live}{suffix}").unlink(missing_ok=True)
            create_private_file(live)
            _copy_in(source, live)
    except sqlite3.Error as exc:
        raise classify(exc, live) or storage_error(Problem.IO, live) from exc
    live.chmod(0o600)
    return RestoreOutcome(describe_database(live), previous, damaged)
