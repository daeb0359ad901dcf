"""Today at start-up, read on a plain connection while the store is still loading.

`store.reports.today_view` over `today_queries.TodayReader`: the same report and the same
SQL as once the store is open, without importing SQLAlchemy or SQLModel first.
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
    from salesdev_tui.config import Settings
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
