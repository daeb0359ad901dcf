"""Everything the scorecard screen shows for one period, composed from the store's facts.

The store reads the raw figures of the 12 months that end with the period's last month
(`last_n_months`); the period's own figures are the sum of its months inside that series
(a month is the last one, a quarter the last three, a year all twelve), so one set of
queries gives both the card and its 12-month trend. Each indicator is set against its
target (`services.targets`) with a pace where it adds up (`services.pace`). Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from salesdev_tui.domain.breakdown import BreakdownFact, BreakdownLine, breakdown
from salesdev_tui.domain.pace import Pace, pace
from salesdev_tui.domain.periods import Period
from salesdev_tui.domain.pipeline import Pipeline, PipelineFact, weighted_pipeline
from salesdev_tui.domain.scorecard import Figures, Scorecard, add_figures, build_scorecard
from salesdev_tui.domain.targets import SUMMED_KPIS, TargetValue, attainment
from salesdev_tui.models.enums import Kpi

__all__ = ["Figure", "Indicator", "ScorecardView", "build_view", "indicators_of"]

#: Months in a trend.
TREND_MONTHS = 12


class Figure(StrEnum):
    """A figure on the scorecard; each can list the customers behind it."""

    NEW_CUSTOMERS = "new_customers"
    PROSPECTS_CONTACTED = "prospects_contacted"
    SUCCESS_RATE = "success_rate"
    REVENUE = "revenue"
    PROFIT = "profit"
    SATISFACTION = "satisfaction"
    COMMISSION = "commission"
    PIPELINE = "pipeline"
    PIPELINE_WEIGHTED = "pipeline_weighted"


#: The target indicator of each figure that has one.
FIGURE_KPI: Mapping[Figure, Kpi] = {
    Figure.NEW_CUSTOMERS: Kpi.NEW_CUSTOMERS,
    Figure.SUCCESS_RATE: Kpi.SUCCESS_RATE,
    Figure.REVENUE: Kpi.REVENUE,
    Figure.PROFIT: Kpi.PROFIT,
    Figure.SATISFACTION: Kpi.SATISFACTION,
}

#: Figures of a period, in the order they are shown (the pipeline is a snapshot, not a period).
PERIOD_FIGURES: tuple[Figure, ...] = (
    Figure.NEW_CUSTOMERS,
    Figure.PROSPECTS_CONTACTED,
    Figure.SUCCESS_RATE,
    Figure.REVENUE,
    Figure.PROFIT,
    Figure.SATISFACTION,
    Figure.COMMISSION,
)


@dataclass(frozen=True)
class Indicator:
    figure: Figure
    value: Decimal | None
    """None: no figure (a success rate with nobody contacted, satisfaction with no survey)."""
    target: TargetValue | None
    attainment: Decimal | None
    """value / target; None without a figure or a target."""
    pace: Pace | None
    """Only for the figures that add up (and commission)."""
    trend: tuple[Decimal | None, ...] = ()
    """The figure in each of the 12 months ending with the period's last month."""


@dataclass(frozen=True)
class ScorecardView:
    period: Period
    today: date
    card: Scorecard
    months: tuple[Scorecard, ...]
    """The 12 monthly cards of the trend, oldest first."""
    indicators: tuple[Indicator, ...]
    by_source: tuple[BreakdownLine, ...]
    by_industry: tuple[BreakdownLine, ...]
    pipeline: Pipeline
    targets: Mapping[Kpi, TargetValue]

    def indicator(self, figure: Figure) -> Indicator:
        return next(i for i in self.indicators if i.figure is figure)


#: The Scorecard attribute of each period figure.
_CARD_ATTRIBUTE: Mapping[Figure, str] = {
    Figure.NEW_CUSTOMERS: "new_customers",
    Figure.PROSPECTS_CONTACTED: "prospects_contacted",
    Figure.SUCCESS_RATE: "success_rate",
    Figure.REVENUE: "revenue",
    Figure.PROFIT: "profit",
    Figure.SATISFACTION: "satisfaction",
    Figure.COMMISSION: "commission",
}


def figure_value(card: Scorecard, figure: Figure) -> Decimal | None:
    """One period figure of a card, as a Decimal (None when the card has none)."""
    value: Decimal | int | None = getattr(card, _CARD_ATTRIBUTE[figure])
    return None if value is None else Decimal(value)


def indicators_of(
    card: Scorecard,
    targets: Mapping[Kpi, TargetValue],
    *,
    today: date,
    months: Sequence[Scorecard] = (),
) -> tuple[Indicator, ...]:
    """The period figures of `card` against their targets, with pace and trend."""
    found: list[Indicator] = []
    for figure in PERIOD_FIGURES:
        value = figure_value(card, figure)
        kpi = FIGURE_KPI.get(figure)
        target = targets.get(kpi) if kpi is not None else None
        summed = (kpi in SUMMED_KPIS) or figure is Figure.COMMISSION
        found.append(
            Indicator(
                figure=figure,
                value=value,
                target=target,
                attainment=attainment(value, target),
                pace=(
                    pace(value or Decimal(0), target.value if target else None, today,
                         card.period)
                    if summed
                    else None
                ),
                trend=tuple(figure_value(month, figure) for month in months),
            )
        )
    return tuple(found)


def build_view(
    period: Period,
    monthly: Sequence[Figures],
    *,
    breakdown_facts: Iterable[BreakdownFact],
    pipeline_facts: Iterable[PipelineFact],
    targets: Mapping[Kpi, TargetValue],
    commission_rate: Decimal,
    probabilities: Mapping[str, Decimal],
    today: date,
    month_periods: Sequence[Period] | None = None,
) -> ScorecardView:
    """The full scorecard of `period`.

    `monthly` holds the raw figures of the 12 months ending with the period's last month
    (`periods.last_n_months(period, 12)`, which the caller may pass as `month_periods`
    when it has them already), oldest first.
    """
    if month_periods is None:
        from salesdev_tui.domain.periods import last_n_months

        month_periods = last_n_months(period, TREND_MONTHS)
    if len(monthly) != len(month_periods):
        raise ValueError(f"expected {len(month_periods)} months of figures, got {len(monthly)}")
    months = tuple(
        build_scorecard(month, figures, commission_rate)
        for month, figures in zip(month_periods, monthly, strict=True)
    )
    inside = len(period.months())
    card = build_scorecard(period, add_figures(monthly[-inside:]), commission_rate)
    pipeline = weighted_pipeline(pipeline_facts, probabilities)
    facts = list(breakdown_facts)
    snapshot = (
        Indicator(Figure.PIPELINE, pipeline.value, None, None, None),
        Indicator(Figure.PIPELINE_WEIGHTED, pipeline.weighted, None, None, None),
    )
    return ScorecardView(
        period=period,
        today=today,
        card=card,
        months=months,
        indicators=indicators_of(card, targets, today=today, months=months) + snapshot,
        by_source=breakdown(facts, "source"),
        by_industry=breakdown(facts, "industry"),
        pipeline=pipeline,
        targets=dict(targets),
    )
