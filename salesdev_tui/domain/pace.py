"""Pace: where a figure that adds up will land at the period's end, and what it still needs.

Counted in working days (Monday to Friday, `periods.working_days_left`): a rep sells on
working days, so a month with a long weekend run at its start is not "behind" on day 3.

- **projected** = actual / working days gone x working days in the period (the period's
  end figure at the current rate); None before the first working day is over, and the
  actual figure itself once the period is over.
- **needed per day** = (target - actual) / working days left; 0 once the target is met;
  None without a target, or when no working day is left to make it up.

One rule for every face (issue 14.8: the review and the scorecard projected the same month
differently at the same moment): a working day is gone once it is over, so the day a pace is
seen on counts as left (there is still time today). The end-of-day review of a day that is
over sees its pace on the next day (`pace_day`), which makes the reviewed day gone; reviewed
while it lasts, it sees the same pace as the scorecard at that moment. Pure: pass `today`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from decimal import ROUND_HALF_EVEN, Decimal

from salesdev_tui.domain.periods import Period, working_days_left

__all__ = ["Pace", "pace", "pace_day"]

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Pace:
    actual: Decimal
    """The figure so far."""
    projected: Decimal | None
    """The period-end figure at the current rate (to the cent)."""
    needed_per_day: Decimal | None
    """What each remaining working day must bring to hit the target (to the cent)."""
    days_left: int
    """Working days left in the period."""
    days_total: int
    """Working days in the whole period."""

    @property
    def days_gone(self) -> int:
        return self.days_total - self.days_left


def pace_day(day: date, now: datetime, zone: tzinfo) -> date:
    """The local day to see the pace of the figures up to the end of `day` on, at `now`:
    `day` itself while it lasts, the day after once it is over (`day` is then gone)."""
    local_now = now.astimezone(zone).date()
    return day if local_now <= day else day + timedelta(days=1)


def pace(
    actual: Decimal | int,
    target: Decimal | None,
    today: date,
    period: Period,
) -> Pace:
    """The pace of a summed figure (count or money) in `period`, seen on the local `today`
    (which counts as left: see the module's rule)."""
    figure = Decimal(actual)
    total = working_days_left(period.first_day, period)
    left = working_days_left(today, period)
    gone = total - left
    projected: Decimal | None
    if today > period.last_day:
        projected = figure
    elif gone <= 0:
        projected = None
    else:
        projected = (figure * total / gone).quantize(_CENT, ROUND_HALF_EVEN)
    needed: Decimal | None = None
    if target is not None:
        remaining = target - figure
        if remaining <= 0:
            needed = Decimal("0.00")
        elif left > 0:
            needed = (remaining / left).quantize(_CENT, ROUND_HALF_EVEN)
    return Pace(
        actual=figure, projected=projected, needed_per_day=needed, days_left=left,
        days_total=total,
    )
