"""Stored values the app cannot read: the part of `salesdev check` that looks at the data.

`integrity_check` passes a file whose pages are sound but whose values are not: a plan
stored as "999-06-01 …" (written before every write path checked the app's date range) is
valid SQLite, yet no read could parse it. The column types read such a value as None (never
an exception); this check names each such row so the rep can fix or restore it.

One SQL query per time or date column: the text must have the stored shape, name a real
day (SQLite's `date()` gives another text for 2026-02-31) and lie within the app's range
(`models.date_range`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from salesdev_tui.i18n import _
from salesdev_tui.models.date_range import EARLIEST_DAY, LATEST_DAY

__all__ = ["unreadable_in", "unreadable_values"]

_DAY_SHAPE = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
_TIME_SHAPE = _DAY_SHAPE + " [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]"
#: At most this many rows are named (a file full of them needs a restore, not a list).
_MAX_SHOWN = 100


def _date_columns() -> list[tuple[str, str, str]]:
    """(table, column, shape) for every time and date column of the schema."""
    from salesdev_tui.models.tables import ALL_TABLES
    from salesdev_tui.models.types import LocalDate, UTCDateTime

    found: list[tuple[str, str, str]] = []
    for model in ALL_TABLES:
        table = model.__table__  # type: ignore[attr-defined]
        for column in table.columns:
            if isinstance(column.type, UTCDateTime):
                found.append((table.name, column.name, _TIME_SHAPE))
            elif isinstance(column.type, LocalDate):
                found.append((table.name, column.name, _DAY_SHAPE))
    return found


def unreadable_in(conn: Any) -> list[str]:
    """One line per stored time or date (of `conn`'s salesdev tables) that cannot be read."""
    present = {row[0] for row in conn.execute("SELECT name FROM sqlite_schema WHERE type='table'")}
    low, high = EARLIEST_DAY.isoformat(), LATEST_DAY.isoformat()
    problems: list[str] = []
    for table, column, shape in _date_columns():
        if table not in present:
            continue
        day = f'substr("{column}", 1, 10)'
        sql = (
            f'SELECT id, "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL AND ('
            f'typeof("{column}") != \'text\' OR "{column}" NOT GLOB ? '
            f"OR date({day}) IS NOT {day} OR {day} < ? OR {day} > ?) LIMIT ?"
        )
        for row_id, value in conn.execute(sql, (shape, low, high, _MAX_SHOWN)).fetchall():
            problems.append(
                _("{table} {id}: {column} cannot be read ({value!r}); it shows as empty").format(
                    table=table, id=str(row_id), column=column, value=str(value)[:40]
                )
            )
            if len(problems) >= _MAX_SHOWN:
                return problems
    return problems


def unreadable_values(path: Path, *, passphrase: Any = None) -> list[str]:
    """`unreadable_in` of the salesdev database at `path` (opened read-only)."""
    from salesdev_tui.db.restore import _read_only, _refuse_unless_ours

    key = _refuse_unless_ours(path, passphrase)
    with _read_only(path, key) as conn:
        return unreadable_in(conn)
