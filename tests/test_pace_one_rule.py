"""Issue 14.8: the review and the scorecard project the month with one pace rule.

Computed at the same moment, the review's month-to-date indicators and the scorecard's
(both `period_figures` and the screen's `scorecard_view`) give the same projection and the
same need per working day for every figure that has a pace.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from salesdev_tui.domain.pace import pace_day
from salesdev_tui.domain.periods import period_containing
from salesdev_tui.models.enums import PeriodKind
from salesdev_tui.store.combined import Store
from salesdev_tui.store.reports import day_review, period_figures, scorecard_view
from tests.test_review import DAY, SETTINGS, Day, at, build_day
from tests.test_review import day as day  # noqa: F401 - the fixture


def _paces(indicators: Any) -> dict[str, tuple[Any, Any, int]]:
    return {i.figure.value: (i.pace.projected, i.pace.needed_per_day, i.pace.days_left)
            for i in indicators if i.pace is not None}


@pytest.mark.parametrize("hour", [9, 14, 23])
def test_review_and_scorecard_project_the_month_alike(store: Store, day: Day,
                                                      hour: int) -> None:
    build_day(store, day)
    now = at(DAY, hour, 30)
    review = day_review(store, DAY, SETTINGS, now)
    month = period_containing(now, PeriodKind.MONTH, SETTINGS.zone)
    today = now.astimezone(SETTINGS.zone).date()
    card = period_figures(store, month, SETTINGS, today)
    screen = scorecard_view(store, month, SETTINGS, today)
    in_review = _paces(review.month_indicators)
    assert in_review  # new customers, revenue, … have targets and a pace
    assert in_review == _paces(card.indicators)
    screen_paces = _paces(screen.indicators)
    assert {k: screen_paces[k] for k in in_review} == in_review


def test_a_day_is_gone_once_it_is_over() -> None:
    zone = SETTINGS.zone
    monday = date(2026, 11, 16)
    during = datetime(2026, 11, 16, 23, 59, tzinfo=zone)
    after = datetime(2026, 11, 17, 0, 0, tzinfo=zone)
    assert pace_day(monday, during, zone) == monday
    assert pace_day(monday, after, zone) == monday + timedelta(days=1)
    assert pace_day(monday, after + timedelta(days=30), zone) == monday + timedelta(days=1)
