"""Reporting periods (month, quarter, year) cut in the rep's time zone.

A period runs from a local midnight to the next period's local midnight (end exclusive).
Local midnights are built in the zone and then converted, so daylight-saving changes,
including zones whose clocks jump at midnight, give the right instants. All comparisons
are made in UTC: Python compares two datetimes sharing a tzinfo by wall clock alone.
Pure: no clock, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from salesdev_tui.i18n import _
from salesdev_tui.models.enums import PeriodKind

__all__ = [
    "Period",
    "day_bounds",
    "last_n_months",
    "local_date",
    "parse_period",
    "period_containing",
    "working_days_left",
]

_MONTHS_IN = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(
            _("A moment must carry its time zone (got {moment})").format(moment=moment)
        )


def _in_zone(moment: datetime, zone: tzinfo) -> datetime:
    """`moment` as a real wall time in `zone`.

    Going through UTC matters: ``astimezone`` to a datetime's own tzinfo returns it
    unchanged, even when its wall time does not exist (a time inside a DST gap).
    """
    return moment.astimezone(UTC).astimezone(zone)


def _local_midnight(day: date, zone: tzinfo) -> datetime:
    """The first instant of `day` in `zone`, as a real (existing) local time."""
    # fold=0 on a midnight that does not exist (clocks jump at 00:00) maps to the jump,
    # which is the day's first instant; on a repeated midnight it picks the first one.
    return _in_zone(datetime.combine(day, time(), tzinfo=zone), zone)


def _month_index(year: int, month: int) -> int:
    return year * 12 + (month - 1)


def _from_month_index(index: int) -> tuple[int, int]:
    year, month0 = divmod(index, 12)
    return year, month0 + 1


def _build(kind: PeriodKind, year: int, first_month: int, zone: tzinfo) -> Period:
    """The period of `kind` starting on the first day of `first_month` of `year`."""
    start_index = _month_index(year, first_month)
    end_year, end_month = _from_month_index(start_index + _MONTHS_IN[kind])
    if kind is PeriodKind.MONTH:
        label = f"{year:04d}-{first_month:02d}"
    elif kind is PeriodKind.QUARTER:
        label = f"{year:04d}-Q{(first_month - 1) // 3 + 1}"
    else:
        label = f"{year:04d}"
    start = _local_midnight(date(year, first_month, 1), zone)
    end = _local_midnight(date(end_year, end_month, 1), zone)
    return Period(kind=kind, label=label, start=start, end=end)


def _first_month(kind: PeriodKind, month: int) -> int:
    """The first month of the period of `kind` that holds `month`."""
    size = _MONTHS_IN[kind]
    return (month - 1) // size * size + 1


@dataclass(frozen=True)
class Period:
    """A month, quarter or year in one time zone: ``start <= moment < end``."""

    kind: PeriodKind
    """Month, quarter or year."""
    label: str
    """``2026-11``, ``2026-Q4`` or ``2026``."""
    start: datetime
    """The first instant, aware, in the period's zone."""
    end: datetime
    """The first instant after the period (the next period's start), aware, in the zone."""

    def __str__(self) -> str:
        return self.label

    @property
    def zone(self) -> tzinfo:
        """The zone the period is cut in."""
        assert self.start.tzinfo is not None
        return self.start.tzinfo

    @property
    def first_day(self) -> date:
        """The period's first local date."""
        return _in_zone(self.start, self.zone).date()

    @property
    def last_day(self) -> date:
        """The period's last local date (inclusive)."""
        return _in_zone(self.end, self.zone).date() - timedelta(days=1)

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """``(start, end)`` in UTC, end exclusive: what the store compares stored times to."""
        return self.start.astimezone(UTC), self.end.astimezone(UTC)

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        index = _month_index(self.first_day.year, self.first_day.month) - _MONTHS_IN[self.kind]
        year, month = _from_month_index(index)
        return _build(self.kind, year, month, self.zone)

    def next(self) -> Period:
        """The period of the same kind just after this one; it starts at this one's end."""
        index = _month_index(self.first_day.year, self.first_day.month) + _MONTHS_IN[self.kind]
        year, month = _from_month_index(index)
        return _build(self.kind, year, month, self.zone)

    def contains(self, moment: datetime) -> bool:
        """Whether the aware `moment` falls in ``[start, end)``."""
        _require_aware(moment)
        start, end = self.utc_bounds()
        return start <= moment.astimezone(UTC) < end

    def months(self) -> list[Period]:
        """The month periods inside this one, in order."""
        year, month = self.first_day.year, self.first_day.month
        base = _month_index(year, month)
        return [
            _build(PeriodKind.MONTH, *_from_month_index(base + offset), self.zone)
            for offset in range(_MONTHS_IN[self.kind])
        ]


def period_containing(moment: datetime, kind: PeriodKind, zone: ZoneInfo) -> Period:
    """The period of `kind`, cut in `zone`, that holds the aware `moment`."""
    _require_aware(moment)
    local = _in_zone(moment, zone)
    return _build(kind, local.year, _first_month(kind, local.month), zone)


_MONTH_RE = re.compile(r"(\d{4})-(\d{1,2})")
_QUARTER_RE = re.compile(r"(\d{4})-[Qq]([1-4])")
_YEAR_RE = re.compile(r"(\d{4})")


#: The years a report can cover: the scorecard also reads the period before and the one
#: after (pace), and a day's review the next days, which must stay inside `date`'s range.
FIRST_YEAR, LAST_YEAR = 1900, 9998


def parse_period(text: str, zone: ZoneInfo) -> Period:
    """Read ``2026-11`` (month), ``2026-Q4`` / ``2026-q4`` (quarter) or ``2026`` (year).

    Raises:
        ValueError: with a message for the rep when `text` is none of these.
    """
    cleaned = text.strip()
    if match := _MONTH_RE.fullmatch(cleaned):
        kind, year, first_month = PeriodKind.MONTH, int(match[1]), int(match[2])
        if not 1 <= first_month <= 12:
            raise ValueError(_("{text!r}: the month must be from 01 to 12").format(text=cleaned))
    elif match := _QUARTER_RE.fullmatch(cleaned):
        kind, year, first_month = PeriodKind.QUARTER, int(match[1]), (int(match[2]) - 1) * 3 + 1
    elif match := _YEAR_RE.fullmatch(cleaned):
        kind, year, first_month = PeriodKind.YEAR, int(match[1]), 1
    else:
        raise ValueError(
            _(
                "{text!r} is not a period: write a month (2026-11), a quarter (2026-Q4) "
                "or a year (2026)"
            ).format(text=cleaned)
        )
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(_("{text!r} is out of range: choose a year from {first} to {last}")
                         .format(text=cleaned, first=FIRST_YEAR, last=LAST_YEAR))
    try:
        return _build(kind, year, first_month, zone)
    except (ValueError, OverflowError) as error:
        raise ValueError(_("{text!r} is out of range").format(text=cleaned)) from error


def last_n_months(period_end_month: Period, n: int) -> list[Period]:
    """The `n` months ending with `period_end_month` (inclusive), oldest first.

    Given a quarter or year, the months end with its last month.
    """
    if n < 0:
        raise ValueError(_("The number of months must not be negative"))
    last = period_end_month.months()[-1]
    base = _month_index(last.first_day.year, last.first_day.month)
    return [
        _build(PeriodKind.MONTH, *_from_month_index(base - back), last.zone)
        for back in range(n - 1, -1, -1)
    ]


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC start and (exclusive) end of the local `day` in `zone`.

    A day on which the clocks change lasts 23 or 25 hours.
    """
    start = _local_midnight(day, zone)
    end = _local_midnight(day + timedelta(days=1), zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    """The date in `zone` of the aware `moment`."""
    _require_aware(moment)
    return _in_zone(moment, zone).date()


def working_days_left(today: date, period: Period, include_today: bool = True) -> int:
    """Weekdays (Mon-Fri) left in `period` from `today`, for the "pace" of a target.

    Counts from `today` (or the day after, with ``include_today=False``) to the period's
    last day; a period not begun yet counts all its weekdays, a finished one gives 0.
    Public holidays are not known and count as working days.
    """
    first = today if include_today else today + timedelta(days=1)
    first = max(first, period.first_day)
    last = period.last_day
    if first > last:
        return 0
    total_days = (last - first).days + 1
    full_weeks, rest = divmod(total_days, 7)
    count = full_weeks * 5
    weekday = first.weekday()
    for offset in range(rest):
        if (weekday + offset) % 7 < 5:
            count += 1
    return count
