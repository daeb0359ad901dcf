"""What an interrupted backup, conversion or restore left behind, found and removed at start.

Backups, encrypt/decrypt/rekey and restores write under temporary names
(`atomic_file.staged`), so a kill leaves only a temporary file, never a broken file under a
real name. The next start (any command, or the TUI opening the database) removes such files:

- temporary files beside the database and in its backups folder that no live process holds
  (a writer keeps its temporary file locked), with their SQLite journals;
- `*.salesdev-new` and `*.salesdev-restore`, the staging names of earlier versions;
- a backup under its final name that an earlier version left half-written: a `-journal`
  beside it (the copy's transaction never finished) or an empty file.

A leftover may be a full plaintext copy of an encrypted database (an interrupted decrypt),
so each is overwritten before it is unlinked (`atomic_file.shred`). What was removed is said
in one line (`take_notices`: the CLI prints it on stderr, the TUI shows it).
"""

from __future__ import annotations

import glob
from pathlib import Path

from salesdev_tui.atomic_file import is_locked, shred, sweep_temporaries
from salesdev_tui.i18n import _

__all__ = ["LEGACY_SUFFIXES", "sweep_backups", "sweep_leftovers", "take_notices"]

#: Staging names beside the database used before the temporary names of `atomic_file`.
LEGACY_SUFFIXES = (".salesdev-new", ".salesdev-restore")

_NOTICES: list[str] = []


def _sweep_database_folder(path: Path) -> list[Path]:
    removed = sweep_temporaries(path.parent, glob.escape(path.name))
    for suffix in LEGACY_SUFFIXES:
        staged = Path(f"{path}{suffix}")
        if staged.exists() and is_locked(staged):
            continue
        for leftover in (staged, Path(f"{staged}-journal")):
            if shred(leftover):
                removed.append(leftover)
    return removed


def sweep_backups(db_path: Path) -> list[Path]:
    """Remove temporary and half-written backups of `db_path`; returns what was removed."""
    from salesdev_tui.db.backup import backup_files
    from salesdev_tui.paths import backup_dir

    path = db_path.expanduser()
    folder = backup_dir(path)
    removed = sweep_temporaries(folder, f"{glob.escape(path.stem)}-*")
    for found in backup_files(path):
        journal = Path(f"{found.path}-journal")
        try:
            broken = journal.exists() or found.path.stat().st_size == 0
        except OSError:
            continue
        if broken:
            for leftover in (found.path, journal):
                if shred(leftover):
                    removed.append(leftover)
    return removed


def sweep_leftovers(db_path: Path) -> list[Path]:
    """Remove every leftover of an interrupted backup, conversion or restore of `db_path`.

    Call it before this process opens `db_path` (the sweep reads and closes files beside
    it, which must not be files an SQLite connection of this process holds). Never raises:
    a leftover that cannot be removed now is tried again at the next start.
    """
    path = db_path.expanduser()
    removed: list[Path] = []
    for sweep in (_sweep_database_folder, sweep_backups):
        try:
            removed.extend(sweep(path))
        except OSError:
            continue
    files = [p for p in removed if not p.name.endswith("-journal")] or removed
    if files:
        _NOTICES.append(_(
            "Removed what an interrupted backup, conversion or restore left behind: "
            "{files}").format(files=", ".join(str(p) for p in files)))
    return removed


def take_notices() -> list[str]:
    """The lines to show about removed leftovers (each said once)."""
    notices = list(_NOTICES)
    _NOTICES.clear()
    return notices
