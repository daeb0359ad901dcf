"""How much an import reads: the largest file and the longest line (pure).

`import_file.read_import_file` stops reading at MAX_FILE_BYTES, so a device, a pipe or a huge
file never makes salesdev read without end; `csv_sniff` refuses a line (or a CSV field) over
MAX_LINE_BYTES. Both are far above what a rep's files hold: a customer's longest field is
20,000 characters, and 100,000 customers export to about 30 MB of CSV.
"""

from __future__ import annotations

from salesdev_tui.i18n import _

__all__ = ["MAX_FILE_BYTES", "MAX_LINE_BYTES", "longest_line_problem", "mib"]

#: The largest file an import reads.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: The longest line (or CSV field) an import reads.
MAX_LINE_BYTES = 1024 * 1024


def mib(size: int) -> int:
    """`size` in whole MiB, for messages."""
    return size // (1024 * 1024)


def longest_line_problem(data: bytes) -> str | None:
    """Why `data` holds a line over MAX_LINE_BYTES (naming the line), or None."""
    if len(data) <= MAX_LINE_BYTES:
        return None
    lines = data.split(b"\n")
    if max(map(len, lines)) <= MAX_LINE_BYTES:
        return None
    number = next(n for n, line in enumerate(lines, 1) if len(line) > MAX_LINE_BYTES)
    return _("line {line} is longer than {limit} MiB, the longest line salesdev reads").format(
        line=number, limit=mib(MAX_LINE_BYTES))
