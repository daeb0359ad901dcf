"""Encrypting, decrypting and re-keying a database file, never leaving a half file behind.

Each conversion writes a complete new file beside the database with `sqlcipher_export`
(`ATTACH ... KEY`; an empty key means plain), fsyncs it, opens it again with the new key
and checks it (integrity_check, application_id, user_version, rows per table), and only then
renames it over the database (atomic on one file system) and fsyncs the folder. A crash
leaves either the old file or the new one, and at most a temporary file beside it
(`.NAME.salesdev-tmp-*`): SIGTERM, SIGHUP and Ctrl-C remove it before the process ends, and
after a kill -9 the next start does (`db.leftovers`: overwritten first, it may be plaintext).

The database must not be open anywhere: switching it to rollback-journal mode first proves
that (SQLite refuses while another connection has it) and removes the -wal and -shm files,
which must not outlive the file they belong to.

A backup of the original is kept first, in the `backups` folder. It never weakens the
protection: it is written with the key of the result when the result is encrypted (the
old passphrase may be why the rep re-keys), with the old key when decrypting.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from salesdev_tui.atomic_file import TempFile, interrupt_cleanup, staged
from salesdev_tui.db.backup import timestamped_name
from salesdev_tui.db.cipher import (
    Secret,
    as_secret,
    classify_any,
    connect,
    has_plain_header,
    may_be_encrypted,
)
from salesdev_tui.db.errors import Problem, StorageError, storage_error
from salesdev_tui.db.guard import OPEN_HERE, FileKind, inspect_file, schema_problem
from salesdev_tui.db.identity import APPLICATION_ID
from salesdev_tui.db.leftovers import sweep_leftovers
from salesdev_tui.i18n import _
from salesdev_tui.paths import backup_dir, ensure_private_dir

__all__ = ["Conversion", "decrypt", "encrypt", "export_copy", "rekey"]


@dataclass(frozen=True)
class Conversion:
    path: Path
    #: The backup of the original (None when none was asked for).
    backup: Path | None


def encrypt(path: Path, passphrase: str | Secret, *, now: datetime,
            keep_backup: bool = True) -> Conversion:
    """Encrypt the plain salesdev database at `path` with `passphrase`."""
    path = path.expanduser()
    kind = inspect_file(path).kind
    if kind is FileKind.MISSING:
        raise StorageError(Problem.CANT_OPEN, path, _("{path} does not exist.").format(path=path))
    if kind is not FileKind.SALESDEV or not has_plain_header(path):
        if may_be_encrypted(path):
            raise StorageError(Problem.INVALID, path, _(
                "{path} is encrypted already. Use `salesdev rekey` to change its "
                "passphrase.").format(path=path))
        raise storage_error(Problem.NOT_SQLITE, path)
    return _convert(path, None, as_secret(passphrase), "pre-encrypt", now, keep_backup)


def decrypt(path: Path, passphrase: str | Secret, *, now: datetime) -> Conversion:
    """Turn the encrypted database at `path` back into a plain SQLite file."""
    path = path.expanduser()
    _require_encrypted(path)
    return _convert(path, as_secret(passphrase), None, "pre-decrypt", now, True)


def rekey(path: Path, old: str | Secret, new: str | Secret, *, now: datetime) -> Conversion:
    """Give the encrypted database at `path` a new passphrase."""
    path = path.expanduser()
    _require_encrypted(path)
    return _convert(path, as_secret(old), as_secret(new), "pre-rekey", now, True)


def export_copy(source: Path, source_key: Secret | None, target: Path,
                target_key: Secret | None) -> None:
    """Write the database file `source` (not a live one) into the new empty file `target`
    (a temporary file its caller owns and removes)."""
    conn = connect(source, source_key)
    try:
        _export(conn, target, target_key)
    finally:
        conn.close()


def _require_encrypted(path: Path) -> None:
    if not path.exists():
        raise StorageError(Problem.CANT_OPEN, path, _("{path} does not exist.").format(path=path))
    if not may_be_encrypted(path):
        raise StorageError(Problem.INVALID, path, _(
            "{path} is not encrypted: there is nothing to decrypt or re-key.").format(path=path))


def _convert(path: Path, old: Secret | None, new: Secret | None, label: str,
             now: datetime, keep_backup: bool) -> Conversion:
    if path.resolve() in OPEN_HERE:
        raise storage_error(Problem.BUSY, path)
    sweep_leftovers(path)  # a copy an interrupted conversion left (maybe plaintext)
    # SIGTERM, SIGHUP and Ctrl-C unwind through the cleanup below instead of leaving the
    # new file (for decrypt: every customer in plaintext) beside the database.
    with interrupt_cleanup():
        source = connect(path, old)  # a wrong passphrase stops here, nothing written
        backup: Path | None = None
        new_file: TempFile | None = None
        try:
            _check_ours(source, path)
            _to_rollback_journal(source, path)
            if keep_backup:
                target = _backup_path(path, now, label)
                with staged(target, replace=False) as temp:
                    _export(source, temp.path, new or old)
                    _check_backup(temp.path, new or old, target)
                backup = target
            new_file = TempFile(path)
            _export(source, new_file.path, new)
            _verify(source, new_file.path, new)
            # Writers wait until the rename is done (BEGIN IMMEDIATE holds the RESERVED lock).
            source.execute("BEGIN IMMEDIATE")
            new_file.publish(replace=True)  # fsync, rename over the database, fsync the folder
            new_file = None
            source.execute("ROLLBACK")
        except BaseException as exc:
            if new_file is not None:
                new_file.discard()  # overwritten, then unlinked: it may be plaintext
            if isinstance(exc, StorageError) or not isinstance(exc, Exception):
                raise
            raise classify_any(exc, path) or storage_error(Problem.IO, path) from None
        finally:
            source.close()
    return Conversion(path, backup)


def _check_backup(path: Path, key: Secret | None, name: Path) -> None:
    """The backup copy opens with its key and is a sound salesdev file."""
    from salesdev_tui.db.backup import check_copy

    copy = connect(path, key)
    try:
        check_copy(copy, name)
    finally:
        copy.close()


def _check_ours(conn: Any, path: Path) -> None:
    """Refuse another program's file, and a schema this salesdev cannot read (a newer one,
    or none it ever wrote), as opening it would: before the conversion writes anything."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id != APPLICATION_ID:
        raise storage_error(Problem.FOREIGN, path)
    refused = schema_problem(path, int(conn.execute("PRAGMA user_version").fetchone()[0]))
    if refused is not None:
        raise refused


def _to_rollback_journal(conn: Any, path: Path) -> None:
    """Empty the WAL into the file and drop -wal/-shm; fails if the file is open elsewhere."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    if str(mode).lower() != "delete":
        raise storage_error(Problem.BUSY, path)


def _backup_path(path: Path, now: datetime, label: str) -> Path:
    folder = backup_dir(path)
    ensure_private_dir(folder)
    stem = path.stem
    for n in range(1, 100):
        candidate = folder / timestamped_name(stem, now.astimezone(UTC),
                                              label if n == 1 else f"{label}-{n}")
        if not candidate.exists():
            return candidate
    raise storage_error(Problem.CANT_OPEN, folder)


def _export(source: Any, target: Path, key: Secret | None) -> None:
    """Write the whole database of `source` into the new empty file `target`, keyed `key`.

    `target` is a temporary file (`atomic_file.TempFile`): its owner removes it on failure.
    """
    source.execute("ATTACH DATABASE ? AS salesdev_new KEY ?",
                   (str(target), key.reveal() if key else ""))
    try:
        source.execute("BEGIN IMMEDIATE")
        source.execute("SELECT sqlcipher_export('salesdev_new')")
        # sqlcipher_export copies schema and rows, not the header fields.
        version = int(source.execute("PRAGMA main.user_version").fetchone()[0])
        source.execute(f"PRAGMA salesdev_new.user_version={version}")
        source.execute(f"PRAGMA salesdev_new.application_id={APPLICATION_ID}")
        source.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(Exception):
            source.execute("ROLLBACK")
        raise
    finally:
        source.execute("DETACH DATABASE salesdev_new")


def _verify(source: Any, staged: Path, key: Secret | None) -> None:
    """Open the new file with its key and check it holds what the source holds."""
    copy = connect(staged, key)
    try:
        if copy.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
            raise storage_error(Problem.CORRUPT, staged)
        for pragma in ("application_id", "user_version"):
            if (copy.execute(f"PRAGMA {pragma}").fetchone()
                    != source.execute(f"PRAGMA {pragma}").fetchone()):
                raise storage_error(Problem.IO, staged)
        if _row_counts(copy) != _row_counts(source):
            raise storage_error(Problem.IO, staged)
    finally:
        copy.close()


def _row_counts(conn: Any) -> dict[str, int]:
    names = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_schema WHERE type='table' AND name NOT LIKE 'sqlite_%' "
        "AND sql NOT LIKE 'CREATE VIRTUAL%'")]
    return {name: int(conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])
            for name in names}
