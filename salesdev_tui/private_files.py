"""Writing a file the rep exports: readable by the rep alone, and never over a file by surprise.

An export holds customer information (policy IV: confidential), so it is created 0600 like the
database and its backups, whatever the umask says. The writing itself is
`atomic_file.write_atomic`: whole or not at all.
"""

from __future__ import annotations

from pathlib import Path

from salesdev_tui.atomic_file import write_atomic


def write_private_text(path: Path, text: str, *, replace: bool = False) -> Path:
    """Write `text` as UTF-8 to `path` (mode 0600) and return the full path.

    Raises FileExistsError when the file exists and `replace` is False, IsADirectoryError when
    `path` is a folder, and OSError when the folder is missing or not writable or the disk is
    full. The file appears whole or not at all (written beside it, then renamed).
    """
    target = path.expanduser()
    write_atomic(target, text.encode("utf-8"), replace=replace)
    return target.resolve()
