"""The scorecard and the end-of-day review, gathered from the store and decided by the
services: one function per report, called alike by the TUI (in a worker) and the CLI.

No SQL here: each step is a store method; the services do the arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from salesdev_tui.domain.periods import Period, day_bounds, last_n_months, period_containing
from salesdev_tui.domain.review import Review, build_review
from salesdev_tui.domain.scorecard import Scorecard, build_scorecard
from salesdev_tui.domain.scorecard_view import (
    TREND_MONTHS,
    Indicator,
    ScorecardView,
    build_view,
    indicators_of,
)
from salesdev_tui.domain.targets import resolve_targets
from salesdev_tui.models.enums import PeriodKind
from salesdev_tui.store.today_report import month_card, month_strip, period_targets, today_view

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from salesdev_tui.config import Settings
    from salesdev_tui.store.combined import Store
    from salesdev_tui.store.scorecard_read import ScorecardFacts

    #: (month bounds, period start, period end, periods whose targets) -> the facts.
    FactsReader = Callable[
        [Sequence[datetime], datetime, datetime, Iterable[tuple[PeriodKind, str]]],
        ScorecardFacts,
    ]

__all__ = [
    "PeriodFigures",
    "day_review",
    "month_card",
    "month_strip",
    "period_figures",
    "period_targets",
    "scorecard_view",
    "scorecard_view_from",
    "today_view",
]


@dataclass(frozen=True)
class PeriodFigures:
    """A period's card and its indicators against target with pace, without the trend."""

    card: Scorecard
    indicators: tuple[Indicator, ...]


def period_figures(store: Store, period: Period, settings: Settings, today: date) -> (
    PeriodFigures
):
    """What the scorecard shows first: the period's indicators (4 indexed range counts and
    the targets), before the trend, the breakdowns and the pipeline (`scorecard_view`)."""
    card = build_scorecard(period, store.kpis.kpi_figures(*period.utc_bounds()),
                           settings.commission_rate)
    targets = period_targets(store, period, settings)
    return PeriodFigures(card, indicators_of(card, targets, today=today))


def scorecard_view(store: Store, period: Period, settings: Settings, today: date) -> ScorecardView:
    """Everything the scorecard screen shows for `period`, seen on the local `today`: read in
    one transaction (`KpiStore.scorecard_facts`), so its parts agree with each other."""
    return scorecard_view_from(store.kpis.scorecard_facts, period, settings, today)


def scorecard_view_from(
    read_facts: FactsReader, period: Period, settings: Settings, today: date
) -> ScorecardView:
    """`scorecard_view` over `read_facts`: the store's `scorecard_facts`, or the same read on
    a plain connection (`quick_today.read_scorecard_view`, the CLI's start)."""
    months = last_n_months(period, TREND_MONTHS)
    bounds = [month.utc_bounds()[0] for month in months] + [months[-1].utc_bounds()[1]]
    start, end = period.utc_bounds()
    facts = read_facts(bounds, start, end, [(period.kind, period.label)])
    return build_view(
        period,
        facts.months,
        breakdown_facts=facts.breakdown,
        pipeline_facts=facts.pipeline,
        # As `period_targets`: the period's own Target rows, else the config's defaults.
        targets=resolve_targets(period, settings.targets, facts.targets),
        commission_rate=settings.commission_rate,
        probabilities=settings.stage_probabilities,
        today=today,
        month_periods=months,
    )


def day_review(store: Store, day: date, settings: Settings, now: datetime) -> Review:
    """The end-of-day review of the local `day`, as it stands at `now`."""
    zone = settings.zone
    day_start, day_end = day_bounds(day, zone)
    next_end = day_bounds(day + timedelta(days=1), zone)[1]
    facts = store.review.day_facts(day_start, day_end, next_end)
    month = period_containing(day_start, PeriodKind.MONTH, zone)
    month_start, month_end = month.utc_bounds()
    # Month to date: up to the end of the reviewed day (a past day's review stays as it was).
    figures = store.kpis.kpi_figures(month_start, min(month_end, day_end))
    return build_review(
        day,
        now,
        facts,
        month=month,
        month_figures=figures,
        targets=period_targets(store, month, settings),
        commission_rate=settings.commission_rate,
        overdue_milestones=store.followup.milestones_overdue(day + timedelta(days=1)),
    )
