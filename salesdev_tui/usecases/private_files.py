"""Writing a file the rep exports: readable by the rep alone, and never over a file by surprise.

An export holds customer information (policy IV: confidential), so it is created 0600 like the
database and its backups, whatever the umask says. The writing itself is
`atomic_file.write_atomic` (written beside the target, fsynced, renamed, the folder fsynced):
whole or not at all. Every file a use case writes (exports, calendars, saved mappings,
rejected rows) goes through `write_private`, so they all get the same guarantees.
"""

from __future__ import annotations

from pathlib import Path

from salesdev_tui.atomic_file import write_atomic


def write_private(path: Path, data: bytes, *, replace: bool = True) -> Path:
    """Write `data` to `path` (mode 0600), whole or not at all; returns the full path.

    Raises FileExistsError when the file exists and `replace` is False, IsADirectoryError when
    `path` is a folder, and OSError when the folder is missing or not writable or the disk is
    full (the file is then left as it was).
    """
    target = path.expanduser()
    write_atomic(target, data, replace=replace)
    return target.resolve()


def write_private_text(path: Path, text: str, *, replace: bool = False) -> Path:
    """Write `text` as UTF-8 to `path` (mode 0600) and return the full path; see
    `write_private` (here `replace` defaults to False: a report never overwrites by surprise)."""
    return write_private(path, text.encode("utf-8"), replace=replace)
