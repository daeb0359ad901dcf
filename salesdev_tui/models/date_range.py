"""The one range every stored time and date must lie in: the years 1900 to 2999.

Why a range at all: a year outside 1000-9999 is stored as text that no longer reads back
(`999-06-01 …` is not ISO), and a time near year 9999 overflows when shown in a zone east of
UTC. Either made every later read of the database fail. Sales plans, contracts and histories
have no business outside 1900-2999, so every write path (forms, CLI, CSV and JSON import)
checks against this range, and the column types (`models.types`) refuse to store anything
else as the last line of defence.

Reads never crash on a stored value: `read_stored_moment` / `read_stored_day` give None for
text that does not parse or lies outside the range (`salesdev check` lists such rows), and
`local_text` shows a time in a zone without overflowing.

Pure: no clock, no database; imports nothing of the app but `i18n`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo

from salesdev_tui.i18n import _

__all__ = [
    "EARLIEST",
    "EARLIEST_DAY",
    "LATEST",
    "LATEST_DAY",
    "MAX_YEAR",
    "MIN_YEAR",
    "check_day",
    "check_moment",
    "day_in_range",
    "local_text",
    "moment_in_range",
    "range_problem",
    "read_stored_day",
    "read_stored_moment",
]

MIN_YEAR = 1900
MAX_YEAR = 2999
EARLIEST_DAY = date(MIN_YEAR, 1, 1)
LATEST_DAY = date(MAX_YEAR, 12, 31)
EARLIEST = datetime(MIN_YEAR, 1, 1, tzinfo=UTC)
LATEST = datetime(MAX_YEAR, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)


def range_problem() -> str:
    """The plain words for a value outside the range."""
    return _("must be between the years {low} and {high}").format(low=MIN_YEAR, high=MAX_YEAR)


def moment_in_range(moment: datetime) -> bool:
    """True for an aware time within 1900-01-01 and 2999-12-31 (UTC)."""
    if moment.tzinfo is None:
        return False
    try:
        return EARLIEST <= moment <= LATEST
    except OverflowError:  # an offset applied at the limits of datetime
        return False


def day_in_range(day: date) -> bool:
    """True for a calendar date within 1900-01-01 and 2999-12-31."""
    if isinstance(day, datetime):
        return moment_in_range(day)
    return EARLIEST_DAY <= day <= LATEST_DAY


def check_moment(moment: datetime) -> datetime:
    """`moment`, or ValueError in plain words when it lies outside the range."""
    if not moment_in_range(moment):
        raise ValueError(range_problem())
    return moment


def check_day(day: date) -> date:
    """`day`, or ValueError in plain words when it lies outside the range."""
    if not day_in_range(day):
        raise ValueError(range_problem())
    return day


def read_stored_moment(text: str | None) -> datetime | None:
    """The aware UTC time of stored text, or None when it cannot be read or is out of range."""
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text).replace(tzinfo=UTC)
    except ValueError:
        return None
    return moment if moment_in_range(moment) else None


def read_stored_day(text: str | None) -> date | None:
    """The date of stored ISO text, or None when it cannot be read or is out of range."""
    if not isinstance(text, str):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if day_in_range(day) else None


def local_text(moment: datetime | None, zone: tzinfo, fmt: str = "%Y-%m-%d %H:%M") -> str | None:
    """`moment` shown in `zone`, or None for no time (or one no zone can show)."""
    if moment is None:
        return None
    try:
        return moment.astimezone(zone).strftime(fmt)
    except (OverflowError, ValueError):
        return None
