"""`salesdev list` and `salesdev review` on a plain `sqlite3` connection, without loading
SQLAlchemy, SQLModel and the table classes (issue 15.8), as `quick_today` does for Today and
the scorecard.

The same reports over the same SQL as through the store (`customer_list`,
`review_queries`, `today_queries`, which the repositories run on their session's
connection), so the two paths cannot give two answers. Each function returns None when the
file needs the full open (new, encrypted, of an older schema, another program's) or cannot
be read now: the caller then opens the store, which reports any problem in its words.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from salesdev_tui.db.raw import open_for_reading

if TYPE_CHECKING:
    from salesdev_tui.config import Settings
    from salesdev_tui.domain.review import Review
    from salesdev_tui.models.enums import Stage
    from salesdev_tui.store.customer_list import CustomerRow

T = TypeVar("T")

__all__ = ["read_customer_list", "read_day_review"]


def _in_one_snapshot(db_path: Path, read: Callable[[sqlite3.Connection], T]) -> T | None:
    """`read(conn)` in one read transaction on a query-only connection; None when the file
    needs the full open or SQLite cannot read it now."""
    conn = open_for_reading(db_path)
    if conn is None:
        return None
    try:
        conn.execute("BEGIN")  # one snapshot: the parts of a report agree
        return read(conn)
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def read_customer_list(
    db_path: Path, stage: Stage | None, limit: int
) -> tuple[list[CustomerRow], int | None] | None:
    """`CustomerStore.list_and_count`: the first `limit` customers (at `stage`), and how
    many there are when the limit cut the list."""
    from salesdev_tui.store.customer_list import list_and_count

    return _in_one_snapshot(db_path,
                            lambda conn: list_and_count(conn, stage=stage, limit=limit))


def read_day_review(db_path: Path, day: date, settings: Settings, now: datetime) -> (
    Review | None
):
    """`store.reports.day_review` of the local `day` as it stands at `now`."""
    from salesdev_tui.store.reports import day_review
    from salesdev_tui.store.review_queries import ReviewReader

    return _in_one_snapshot(
        db_path,
        lambda conn: day_review(ReviewReader(conn), day, settings, now),  # type: ignore[arg-type]
    )
