"""The upcoming planned contacts as an .ics calendar: the one path that `salesdev plans`
(listing, `--ics FILE`, `--ics -`) and the command palette share."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from salesdev_tui.usecases.private_files import write_private

if TYPE_CHECKING:
    from collections.abc import Sequence

    from salesdev_tui.models.views import AgendaItem, CalendarItem
    from salesdev_tui.store.combined import Store

#: How far ahead "upcoming" reaches when nobody says otherwise.
DEFAULT_DAYS = 30

#: Where the palette suggests writing the calendar.
DEFAULT_FILE = "~/salesdev-plans.ics"


def upcoming_plans(
    store: Store, *, zone: ZoneInfo, now: datetime, days: int = DEFAULT_DAYS
) -> list[AgendaItem]:
    """The open plans from today (in the rep's zone) to `days` days on."""
    from salesdev_tui.domain.ics import upcoming_window

    start, end = upcoming_window(now, zone, days)
    return store.plans.upcoming_plans(start, end)


def calendar_plans(
    store: Store, *, zone: ZoneInfo, now: datetime, days: int = DEFAULT_DAYS
) -> list[CalendarItem]:
    """What the calendar file holds: the plans from today to `days` days on, the cancelled
    ones too (as cancelled events, so a calendar that imported them drops them)."""
    from salesdev_tui.domain.ics import upcoming_window

    start, end = upcoming_window(now, zone, days)
    return store.plans.calendar_plans(start, end)


def calendar_bytes(items: Sequence[CalendarItem], *, zone: ZoneInfo, now: datetime) -> bytes:
    from salesdev_tui.domain.ics import plans_to_ics

    return plans_to_ics(items, zone, now)


def write_calendar(
    path: Path, items: Sequence[CalendarItem], *, zone: ZoneInfo, now: datetime
) -> int:
    """Write `items` to `path` as an .ics file (private: the plans name customers and people);
    returns how many open plans it holds. Raises OSError as `private_files.write_private`."""
    from salesdev_tui.models.enums import PlanStatus

    write_private(path, calendar_bytes(items, zone=zone, now=now))
    return sum(item.status is PlanStatus.PLANNED for item in items)


def export_upcoming_plans(
    store: Store, path: Path, *, zone: ZoneInfo, now: datetime, days: int = DEFAULT_DAYS
) -> int:
    """Write the plans from today to `days` days on as an .ics file (the cancelled ones as
    cancelled events); returns how many open ones it holds."""
    return write_calendar(path, calendar_plans(store, zone=zone, now=now, days=days),
                          zone=zone, now=now)
