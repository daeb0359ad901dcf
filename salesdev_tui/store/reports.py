"""The scorecard and the end-of-day review, gathered from the store and decided by the
services: one function per report, called alike by the TUI (in a worker) and the CLI.

No SQL here: each step is a store method; the services do the arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from salesdev_tui.models.enums import Kpi, PeriodKind
from salesdev_tui.models.views import UPCOMING_DAYS, StripData, TodayData
from salesdev_tui.services.periods import (
    Period,
    day_bounds,
    last_n_months,
    local_date,
    period_containing,
)
from salesdev_tui.services.review import Review, build_review
from salesdev_tui.services.scorecard import Scorecard, build_scorecard
from salesdev_tui.services.scorecard_view import (
    TREND_MONTHS,
    Indicator,
    ScorecardView,
    build_view,
    indicators_of,
)
from salesdev_tui.services.targets import TargetValue, resolve_targets

if TYPE_CHECKING:
    from salesdev_tui.config import Settings
    from salesdev_tui.store import Store

__all__ = [
    "PeriodFigures",
    "day_review",
    "month_card",
    "month_strip",
    "period_figures",
    "period_targets",
    "scorecard_view",
    "today_view",
]


def period_targets(store: Store, period: Period, settings: Settings) -> dict[Kpi, TargetValue]:
    """The targets of `period`: its own Target rows, else the config's derived defaults."""
    rows = store.targets_for([(period.kind, period.label)])
    return resolve_targets(period, settings.targets, rows)


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
    card = build_scorecard(period, store.kpi_figures(*period.utc_bounds()),
                           settings.commission_rate)
    targets = period_targets(store, period, settings)
    return PeriodFigures(card, indicators_of(card, targets, today=today))


def scorecard_view(store: Store, period: Period, settings: Settings, today: date) -> ScorecardView:
    """Everything the scorecard screen shows for `period`, seen on the local `today`."""
    months = last_n_months(period, TREND_MONTHS)
    bounds = [month.utc_bounds()[0] for month in months] + [months[-1].utc_bounds()[1]]
    start, end = period.utc_bounds()
    return build_view(
        period,
        store.kpi_series(bounds),
        breakdown_facts=store.kpi_breakdown(start, end),
        pipeline_facts=store.pipeline_by_stage(),
        targets=period_targets(store, period, settings),
        commission_rate=settings.commission_rate,
        probabilities=settings.stage_probabilities,
        today=today,
    )


def month_card(
    store: Store, settings: Settings, now: datetime
) -> tuple[Scorecard, dict[Kpi, TargetValue]]:
    """This month's card and targets (the strip on Today)."""
    month = period_containing(now, PeriodKind.MONTH, settings.zone)
    card = build_scorecard(month, store.kpi_figures(*month.utc_bounds()),
                           settings.commission_rate)
    return card, period_targets(store, month, settings)


def month_strip(store: Store, settings: Settings, now: datetime) -> StripData:
    """This month's figures against this month's targets: Today's strip.

    The targets are the scorecard's (the month's own Target rows, else the config's monthly
    defaults), so the strip and the scorecard never disagree.
    """
    card, targets = month_card(store, settings, now)

    def target(kpi: Kpi) -> Decimal | None:
        found = targets.get(kpi)
        return found.value if found is not None else None

    new_target = target(Kpi.NEW_CUSTOMERS)
    return StripData(
        label=card.period.label,
        currency=settings.currency,
        new_customers=card.new_customers,
        new_customers_target=int(new_target) if new_target is not None else None,
        prospects_contacted=card.prospects_contacted,
        success_rate=card.success_rate,
        success_rate_target=target(Kpi.SUCCESS_RATE),
        revenue=card.revenue,
        revenue_target=target(Kpi.REVENUE),
        profit=card.profit,
        satisfaction=card.satisfaction,
        satisfaction_responses=card.satisfaction_responses,
    )


def today_view(store: Store, settings: Settings, now: datetime) -> TodayData:
    """Everything Today shows: the agenda, revisits and milestones due, the month's strip."""
    zone = settings.zone
    today = local_date(now, zone)
    day_start, day_end = day_bounds(today, zone)
    upcoming_end = day_bounds(today + timedelta(days=UPCOMING_DAYS), zone)[1]
    agenda = store.agenda(
        day_start=day_start,
        day_end=day_end,
        upcoming_end=upcoming_end,
        idle_before=now - timedelta(days=settings.idle_days),
    )
    return TodayData(
        agenda=agenda,
        strip=month_strip(store, settings, now),
        revisits=store.revisits_due(day_end, zone=zone),
        milestones=store.milestones_overdue(today, limit=50),
    )


def day_review(store: Store, day: date, settings: Settings, now: datetime) -> Review:
    """The end-of-day review of the local `day`, as it stands at `now`."""
    zone = settings.zone
    day_start, day_end = day_bounds(day, zone)
    next_end = day_bounds(day + timedelta(days=1), zone)[1]
    facts = store.day_facts(day_start, day_end, next_end)
    month = period_containing(day_start, PeriodKind.MONTH, zone)
    month_start, month_end = month.utc_bounds()
    # Month to date: up to the end of the reviewed day (a past day's review stays as it was).
    figures = store.kpi_figures(month_start, min(month_end, day_end))
    return build_review(
        day,
        now,
        facts,
        month=month,
        month_figures=figures,
        targets=period_targets(store, month, settings),
        commission_rate=settings.commission_rate,
        overdue_milestones=store.milestones_overdue(day + timedelta(days=1)),
    )
