"""Consistent copies through SQLite's online backup API (never a file copy of a live database),
written whole or not at all."""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from salesdev_tui.atomic_file import interrupt_cleanup, staged
from salesdev_tui.db.errors import Problem, StorageError, classify, storage_error

if TYPE_CHECKING:
    from salesdev_tui.db.cipher import Secret


def create_private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 (the umask would give 0644); refuse an existing file."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def backup_database(source: Path, dest: Path, *, passphrase: str | Secret | None = None) -> Path:
    """Write a consistent 0600 snapshot of the database `source` to the new file `dest`.

    The snapshot is written under a temporary name beside `dest`, checked (quick_check,
    application_id), fsynced and only then given its name: a kill or a full disk leaves no
    broken backup under a backup's name (`db.leftovers` removes the temporary file).
    The snapshot of an encrypted database is encrypted with the same key: `passphrase`, or
    the key `source` is open with in this process.
    """
    from salesdev_tui.paths import ensure_private_dir

    # A folder we create is 0700 like the data folder (mkdir alone gives 0755 under the
    # usual umask); a folder the rep chose (--to) is left as it is.
    if not dest.parent.exists():
        ensure_private_dir(dest.parent)
    if dest.exists():
        raise storage_error(Problem.CANT_OPEN, dest)
    from salesdev_tui.db.encrypted import is_encrypted

    if is_encrypted(source):
        return _encrypted_backup(source, dest, passphrase)
    try:
        with interrupt_cleanup(), staged(dest, replace=False) as temp:
            src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=5.0)
            try:
                dst = sqlite3.connect(temp.path)
                try:
                    src.backup(dst)
                    # The copy stands alone: no -wal beside it to lose.
                    dst.execute("PRAGMA journal_mode=DELETE")
                    check_copy(dst, dest)
                finally:
                    dst.close()
            finally:
                src.close()
    except FileExistsError:
        raise storage_error(Problem.CANT_OPEN, dest) from None
    except (sqlite3.Error, OSError) as exc:
        raise _classified(exc, source, dest) from exc
    return dest


def _classified(exc: BaseException, source: Path, dest: Path) -> StorageError:
    """The error, naming the file it is about: a full disk or a file error is the copy's
    (the source is only read), anything else the database's."""
    on_dest = classify(exc, dest)
    if isinstance(exc, OSError) or (on_dest is not None and on_dest.problem is Problem.FULL):
        return on_dest or storage_error(Problem.IO, dest)
    return classify(exc, source) or storage_error(Problem.IO, source)


def check_copy(conn: Any, path: Path) -> None:
    """Raise StorageError(CORRUPT) unless the copy open on `conn` is a sound salesdev file.

    quick_check (O(N)) rather than integrity_check: the copy comes from a database SQLite
    just read page by page; what it catches here is a torn or short copy.
    """
    from salesdev_tui.db.identity import APPLICATION_ID

    if conn.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
        raise storage_error(Problem.CORRUPT, path)
    if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        raise storage_error(Problem.CORRUPT, path)


def _encrypted_backup(source: Path, dest: Path, passphrase: str | Secret | None) -> Path:
    """The backup API between two SQLCipher connections keyed alike (SQLCipher copies pages
    decrypted and encrypts them again; it refuses a plain target, and so do we)."""
    from salesdev_tui.db import cipher

    key = cipher.as_secret(passphrase) if passphrase else cipher.key_for(source)
    if key is None:
        raise storage_error(Problem.PASSPHRASE_NEEDED, source)
    src = cipher.connect(source, key, read_only=True)
    try:
        with interrupt_cleanup(), staged(dest, replace=False) as temp:
            dst = cipher.connect(temp.path, key, check=False)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
                check_copy(dst, dest)
            finally:
                dst.close()
    except FileExistsError:
        raise storage_error(Problem.CANT_OPEN, dest) from None
    except StorageError:
        raise
    except OSError as exc:
        raise _classified(exc, source, dest) from None
    except Exception as exc:
        raise cipher.classify_any(exc, source) or storage_error(Problem.IO, source) from None
    finally:
        src.close()
    return dest


def timestamped_name(stem: str, moment: datetime, label: str) -> str:
    """A backup file name that sorts by time: `salesdev-20261129-190702-pre-migration.db`."""
    return f"{stem}-{moment:%Y%m%d-%H%M%S}-{label}.db"


# The backups of a database (here, not in autobackup, so that sweeping leftovers can list
# them without importing the backup schedule: no import cycle in db/).

_NAME = re.compile(r"(?P<stamp>\d{8}-\d{6})-(?P<label>[a-z0-9-]+)\.db")


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime
    label: str


def backup_files(db_path: Path, label: str | None = None) -> list[BackupFile]:
    """The backups of the database at `db_path` (optionally of one kind), oldest first."""
    from salesdev_tui.paths import backup_dir

    folder = backup_dir(db_path)
    stem = db_path.expanduser().stem
    found: list[BackupFile] = []
    if not folder.is_dir():
        return found
    for path in folder.glob(f"{stem}-*.db"):
        match = _NAME.fullmatch(path.name[len(stem) + 1:])
        if match is None:
            continue
        taken = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
        kind = match["label"]
        if label is None or kind == label or kind.startswith(f"{label}-"):
            found.append(BackupFile(path, taken, kind))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name))
