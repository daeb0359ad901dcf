"""Today at start-up, read on a plain connection while the store is still loading; and the
scorecard for `salesdev scorecard`, which need not load SQLAlchemy and SQLModel at all.

`store.reports.today_view` over `today_queries.TodayReader`, `store.reports.scorecard_view`
over `scorecard_read.read_scorecard_on`: the same reports and the same SQL as through the
store, without importing SQLAlchemy or SQLModel first.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from salesdev_tui.db.raw import open_for_reading
from salesdev_tui.store.today_queries import TodayReader
from salesdev_tui.store.today_report import today_view

if TYPE_CHECKING:
    from datetime import date

    from salesdev_tui.config import Settings
    from salesdev_tui.domain.periods import Period
    from salesdev_tui.domain.scorecard_view import ScorecardView
    from salesdev_tui.models.views import TodayData


def read_today(db_path: Path, settings: Settings, now: datetime) -> TodayData | None:
    """Today's data, or None when the file needs the full open (or cannot be read now).

    Never raises for a storage problem: the full open that follows reports it properly.
    """
    conn = open_for_reading(db_path)
    if conn is None:
        return None
    try:
        conn.execute("BEGIN")  # one snapshot for every query of the report
        return today_view(TodayReader(conn), settings, now)  # type: ignore[arg-type]
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def read_scorecard_view(
    db_path: Path, period: Period, settings: Settings, today: date
) -> ScorecardView | None:
    """`store.reports.scorecard_view` on a plain connection, in one read transaction; None
    when the file needs the full open (new, encrypted, an old schema) or cannot be read now:
    the caller then opens the store, which reports any problem in its words."""
    from salesdev_tui.store.reports import scorecard_view_from
    from salesdev_tui.store.scorecard_read import read_scorecard_on

    conn = open_for_reading(db_path)
    if conn is None:
        return None
    try:
        conn.execute("BEGIN")  # one snapshot: the parts agree, as in `scorecard_facts`
        return scorecard_view_from(
            lambda bounds, start, end, periods: read_scorecard_on(
                conn, bounds, start, end, periods, overflow=sqlite3.OperationalError),
            period, settings, today)
    except sqlite3.Error:
        return None
    finally:
        conn.close()
