"""Writing the upcoming planned contacts to an .ics file: the one path that
`salesdev plans --ics` and the command palette share."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from salesdev_tui.atomic_file import write_atomic

if TYPE_CHECKING:
    from salesdev_tui.store import Store

#: How far ahead "upcoming" reaches when nobody says otherwise.
DEFAULT_DAYS = 30

#: Where the palette suggests writing the calendar.
DEFAULT_FILE = "~/salesdev-plans.ics"


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` with mode 0600, all or nothing (`atomic_file.write_atomic`).

    The plans name customers and people: the file is private like the database.
    """
    write_atomic(path.expanduser(), data)


def export_upcoming_plans(
    store: Store, path: Path, *, zone: ZoneInfo, now: datetime, days: int = DEFAULT_DAYS
) -> int:
    """Write the plans from today to `days` days on as an .ics file (the cancelled ones as
    cancelled events); returns how many open ones it holds."""
    from salesdev_tui.models import PlanStatus
    from salesdev_tui.services.ics import plans_to_ics, upcoming_window

    start, end = upcoming_window(now, zone, days)
    items = store.calendar_plans(start, end)
    write_private(path, plans_to_ics(items, zone, now))
    return sum(item.status is PlanStatus.PLANNED for item in items)
