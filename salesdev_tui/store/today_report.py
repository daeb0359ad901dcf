"""Today's report: the agenda, revisits and milestones due, and the month's strip.

Apart from the scorecard and review reports (`store.reports`) because Today is read at
start-up on a plain connection before SQLAlchemy loads (`store.quick_today`): this module
imports only the read models and the light services. `store` is anything with the methods
used here: the Store, or `today_queries.TodayReader`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from salesdev_tui.domain.periods import Period, day_bounds, local_date, period_containing
from salesdev_tui.domain.scorecard import Scorecard, build_scorecard
from salesdev_tui.domain.targets import TargetValue, resolve_targets
from salesdev_tui.models.enums import Kpi, PeriodKind
from salesdev_tui.models.views import UPCOMING_DAYS, StripData, TodayData

if TYPE_CHECKING:
    from salesdev_tui.config import Settings
    from salesdev_tui.store.combined import Store

__all__ = ["month_card", "month_strip", "period_targets", "today_view"]


def period_targets(store: Store, period: Period, settings: Settings) -> dict[Kpi, TargetValue]:
    """The targets of `period`: its own Target rows, else the config's derived defaults."""
    rows = store.targets.targets_for([(period.kind, period.label)])
    return resolve_targets(period, settings.targets, rows)


def month_card(
    store: Store, settings: Settings, now: datetime
) -> tuple[Scorecard, dict[Kpi, TargetValue]]:
    """This month's card and targets (the strip on Today)."""
    month = period_containing(now, PeriodKind.MONTH, settings.zone)
    card = build_scorecard(month, store.kpis.kpi_figures(*month.utc_bounds()),
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
    agenda = store.today.agenda(
        day_start=day_start,
        day_end=day_end,
        upcoming_end=upcoming_end,
        idle_before=now - timedelta(days=settings.idle_days),
    )
    return TodayData(
        agenda=agenda,
        strip=month_strip(store, settings, now),
        revisits=store.plans.revisits_due(day_end, zone=zone),
        milestones=store.followup.milestones_overdue(today, limit=50),
    )
