"""Writing a file the rep exports: readable by the rep alone, and never over a file by surprise.

An export holds customer information (policy IV: confidential), so it is created 0600 like the
database and its backups, whatever the umask says.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_private_text(path: Path, text: str, *, replace: bool = False) -> Path:
    """Write `text` as UTF-8 to `path` (mode 0600) and return the full path.

    Raises FileExistsError when the file exists and `replace` is False, IsADirectoryError when
    `path` is a folder, and OSError when the folder is missing or not writable. The file
    appears whole or not at all (written beside it, then renamed).
    """
    target = path.expanduser()
    if target.is_dir():
        raise IsADirectoryError(str(target))
    if not replace and target.exists():
        raise FileExistsError(str(target))
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".salesdev-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(temp, 0o600)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return target.resolve()
