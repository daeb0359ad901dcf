"""Backups on demand and once a day, in the `backups` folder beside the database.

Every copy goes through SQLite's backup API (`db.backup.backup_database`: consistent while
the app writes, 0600, under a temporary name until it is checked). A file's name says when
(UTC) and why: `salesdev-20261129-010203-auto.db`. Only the automatic daily ones are pruned,
to the newest `backups_keep`; manual, pre-migration and pre-restore backups stay until the
rep deletes them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from salesdev_tui.db.backup import BackupFile, backup_database, backup_files, timestamped_name
from salesdev_tui.db.encrypted import is_encrypted
from salesdev_tui.db.errors import StorageError
from salesdev_tui.db.guard import FileKind, inspect_file
from salesdev_tui.db.leftovers import sweep_backups
from salesdev_tui.paths import backup_dir, ensure_private_dir

if TYPE_CHECKING:
    from salesdev_tui.db.cipher import Secret

__all__ = [
    "AUTO",
    "MANUAL",
    "BackupFile",
    "backup_files",
    "daily_backup",
    "manual_backup",
    "prune_auto_backups",
    "safety_backup",
]

AUTO = "auto"
MANUAL = "manual"

def _free_name(folder: Path, stem: str, moment: datetime, label: str) -> Path:
    """A new file name; a second backup within the same second gets "-2", "-3", …"""
    for n in range(1, 100):
        name = timestamped_name(stem, moment, label if n == 1 else f"{label}-{n}")
        if not (folder / name).exists():
            return folder / name
    raise FileExistsError(str(folder / timestamped_name(stem, moment, label)))


def _take(db_path: Path, label: str, now: datetime,
          passphrase: str | Secret | None = None) -> Path:
    folder = backup_dir(db_path)
    ensure_private_dir(folder)
    sweep_backups(db_path.expanduser())  # what a killed backup left: never a backup
    target = _free_name(folder, db_path.expanduser().stem, now.astimezone(UTC), label)
    return backup_database(db_path.expanduser(), target, passphrase=passphrase)


def manual_backup(db_path: Path, now: datetime, dest: Path | None = None, *,
                  passphrase: str | Secret | None = None) -> Path:
    """A backup the rep asked for: to `dest` (a new file), else into the backups folder.

    An encrypted database's backup is encrypted with its key (`passphrase`, or the key it
    is open with here); so are the others below.
    """
    if dest is None:
        return _take(db_path, MANUAL, now, passphrase)
    return backup_database(db_path.expanduser(), dest.expanduser(), passphrase=passphrase)


def safety_backup(db_path: Path, now: datetime, label: str, *,
                  passphrase: str | Secret | None = None) -> Path:
    """A backup kept before something replaces the database (a restore)."""
    return _take(db_path, label, now, passphrase)


def prune_auto_backups(db_path: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` automatic backups; returns what was deleted."""
    autos = [b for b in backup_files(db_path) if b.label == AUTO or b.label.startswith("auto-")]
    gone: list[Path] = []
    for old in autos[: max(len(autos) - keep, 0)]:
        old.path.unlink(missing_ok=True)
        gone.append(old.path)
    return gone


def daily_backup(db_path: Path, *, now: datetime, zone: ZoneInfo, keep: int,
                 passphrase: str | Secret | None = None) -> Path | None:
    """The first start of a day (in the rep's zone) backs the database up; later ones do not.

    Returns the new backup, or None when today's exists already or there is nothing to back
    up. Raises StorageError or OSError when the copy fails (the caller warns; the app runs on).
    """
    path = db_path.expanduser()
    # Safe while the database is open here: inspect_file never reads an open database (a
    # close() of another descriptor would drop this process's SQLite locks).
    if inspect_file(path).kind is not FileKind.SALESDEV and not is_encrypted(path):
        return None
    today = now.astimezone(zone).date()
    # A backup killed half-way by an earlier version (a -journal beside it) is no backup
    # of today: it goes, and today's is taken anew.
    sweep_backups(path)
    autos = backup_files(path, AUTO)
    if autos and autos[-1].taken_at.astimezone(zone).date() >= today:
        return None
    made = _take(path, AUTO, now, passphrase)
    prune_auto_backups(path, keep)
    return made


def daily_backup_problem(db_path: Path, *, now: datetime, zone: ZoneInfo,
                         keep: int, passphrase: str | Secret | None = None) -> str | None:
    """`daily_backup`, with a failure as a message to show rather than an exception."""
    try:
        daily_backup(db_path, now=now, zone=zone, keep=keep, passphrase=passphrase)
    except StorageError as exc:
        return exc.message
    except OSError as exc:
        return str(exc)
    return None
