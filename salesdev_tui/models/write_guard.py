"""The one choke point every ORM write passes: text and dates are checked before a flush.

The input layers (forms, CLI options, CSV and JSON import) validate with a message naming
the field (`services.text_rules.clean_text`, `models.date_range`). A path that forgot to
(`stage --reason` and `--credit-override` once did) stored escape sequences that `show`,
`review` and the TUI then sent to the terminal, or failed with an IntegrityError traceback
on a long reason. Here, before any row is written, every text column of every new or changed
record is held to the rules all stored text shares, and every time and date to the app's
range:

- no lone surrogate (invalid UTF-8 from argv or a file; SQLite cannot encode it),
- no control character but line break and tab (ESC, NUL, DEL, C1 such as U+009B),
- no more characters than the column's CHECK constraint allows,
- times and dates within 1900-2999.

A violation raises `RecordRefused` (a ValueError naming the field) before anything is
written; the CLI turns it into exit code 3 and the TUI into a message. Core statements
(the importers' bulk inserts) bypass flushes: their rows come through the same decoders
(`services.exchange`, `services.csv_values`) and the column types refuse out-of-range times.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from salesdev_tui.i18n import _
from salesdev_tui.models.date_range import day_in_range, moment_in_range, range_problem

__all__ = ["RecordRefused", "stored_text_problem"]


class RecordRefused(ValueError):
    """A record's value breaks the rules every stored value shares; nothing was written."""

    def __init__(self, table: str, field: str, problem: str) -> None:
        super().__init__(
            _("{field}: {problem}").format(field=field.replace("_", " "), problem=problem)
        )
        self.table = table
        self.field = field
        self.problem = problem


def stored_text_problem(value: str, max_len: int | None = None) -> str | None:
    """Why `value` may not be stored as text, or None (the rules in the module docstring)."""
    for char in value:
        code = ord(char)
        if 0xD800 <= code <= 0xDFFF:
            return _("contains an invalid character ({code}) that cannot be stored").format(
                code=f"U+{code:04X}")
        if char not in "\n\t" and unicodedata.category(char) == "Cc":
            return _("contains a control character ({code}) that cannot be stored").format(
                code=f"U+{code:04X}")
    if max_len is not None and len(value) > max_len:
        return _("is too long: at most {limit} characters (this has {count})").format(
            limit=max_len, count=len(value))
    return None


def _limits(table: Any) -> dict[str, int]:
    limits: dict[str, int] = table.info.get("_max_len_by_column")
    if limits is None:
        limits = {}
        for constraint in table.constraints:
            spec = constraint.info.get("length")
            if spec:
                limits[spec[0]] = spec[2]
        table.info["_max_len_by_column"] = limits
    return limits


def check_record(record: Any) -> None:
    """Raise RecordRefused when a value of `record` (a table model) may not be stored."""
    table = getattr(type(record), "__table__", None)
    if table is None:
        return
    limits = _limits(table)
    state = inspect(record)
    for column in table.columns:
        name = column.name
        # Only what changes is checked: a row already stored is not refused for old values.
        if not state.transient and not state.pending and name in state.attrs and (
                not state.attrs[name].history.has_changes()):
            continue
        value = getattr(record, name, None)
        if isinstance(value, str):
            problem = stored_text_problem(value, limits.get(name))
        elif isinstance(value, datetime):
            problem = None if moment_in_range(value) else range_problem()
        elif isinstance(value, date):
            problem = None if day_in_range(value) else range_problem()
        else:
            continue
        if problem is not None:
            raise RecordRefused(table.name, name, problem)


@event.listens_for(Session, "before_flush")
def _check_before_flush(session: Session, _context: Any, _instances: Any) -> None:
    for record in (*session.new, *session.dirty):
        check_record(record)
