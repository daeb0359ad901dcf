"""Reading a file the rep imports, within limits: a device, a pipe or a huge file never makes
salesdev read without end (`salesdev import /dev/zero` read 3.9 GB in 6 s before this).

Every importer (the JSON and spreadsheet imports of the CLI, the TUI's import wizard) reads
its file here. The limits are far above what a rep's export holds (a customer's longest field
is 20,000 characters; 100,000 customers export to about 30 MB of CSV).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from salesdev_tui.domain.input_limits import MAX_FILE_BYTES, longest_line_problem, mib
from salesdev_tui.i18n import _
from salesdev_tui.paths import expand

__all__ = ["InputTooLarge", "read_import_file"]


class InputTooLarge(ValueError):
    """The file is over a limit; the message names the limit."""


def _read_at_most(handle: BinaryIO, limit: int) -> bytes:
    """At most `limit` bytes of `handle`, in pieces the size of the file (a device or a pipe:
    1 MiB at a time): `read(limit)` would set aside the whole limit (64 MiB) for any file."""
    info = os.fstat(handle.fileno())
    piece = min(info.st_size + 1, limit) if stat.S_ISREG(info.st_mode) else _PIECE
    parts: list[bytes] = []
    size = 0
    while size < limit:
        part = handle.read(min(piece, limit - size))
        if not part:
            break
        parts.append(part)
        size += len(part)
        piece = _PIECE
    return parts[0] if len(parts) == 1 else b"".join(parts)


_PIECE = 1 << 20


def read_import_file(path: Path) -> bytes:
    """The bytes of `path`, reading at most MAX_FILE_BYTES (+1 to tell a larger file).

    Raises OSError when it cannot be read, InputTooLarge when it is over a limit.
    """
    with expand(path).open("rb") as handle:
        data = _read_at_most(handle, MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InputTooLarge(_("{path}: the file is larger than {limit} MiB, the most "
                              "salesdev imports from one file: split it into smaller files").format(
                                  path=path, limit=mib(MAX_FILE_BYTES)))
    problem = longest_line_problem(data)
    if problem is not None:
        raise InputTooLarge(_("{path}: {problem}").format(path=path, problem=problem))
    return data
