"""Contract numbers: PREFIX-YEAR-NNNN, one sequence per prefix and year (issue 14.9).

Pure: the store reads the numbers already given for the year (deleted contracts too, so a
number is never given twice) and stores the next one in the transaction that creates the
contract.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["DEFAULT_PREFIX", "format_number", "next_number", "year_pattern"]

DEFAULT_PREFIX = "SD"


def format_number(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}-{year}-{sequence:04d}"


def year_pattern(prefix: str, year: int) -> str:
    """A SQL LIKE pattern that finds the year's candidates (checked exactly by `next_number`)."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}-{year}-%"


def next_number(prefix: str, year: int, taken: Iterable[str | None]) -> str:
    """The number after the highest of the year's `taken` ones (typed ones that do not
    follow the pattern are ignored; gaps are not reused)."""
    exact = re.compile(rf"{re.escape(prefix)}-{year}-(\d+)")
    highest = 0
    for number in taken:
        match = exact.fullmatch(number or "")
        if match:
            highest = max(highest, int(match.group(1)))
    return format_number(prefix, year, highest + 1)
