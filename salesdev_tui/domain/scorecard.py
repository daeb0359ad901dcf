"""The assessment indicators of policy V, composed from raw figures (ARCHITECTURE.md KPIs).

- new customers: customers whose first contract was signed in the period;
- prospects contacted: customers whose first completed contact falls in the period;
- success rate: new customers / prospects contacted (None when nobody was contacted; it may
  exceed 100 % and is shown as is);
- revenue: sum of contract values signed in the period; profit: sum of (value - cost);
- satisfaction: mean survey score in the period, with the number of responses;
- commission: revenue x the rep's commission rate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, Protocol

from salesdev_tui.domain.periods import Period

_CENT = Decimal("0.01")


class Figures(Protocol):
    """The raw figures of a period (the store's KpiFigures)."""

    @property
    def new_customers(self) -> int: ...
    @property
    def prospects_contacted(self) -> int: ...
    @property
    def revenue(self) -> Decimal: ...
    @property
    def profit(self) -> Decimal: ...
    @property
    def satisfaction_sum(self) -> int: ...
    @property
    def satisfaction_responses(self) -> int: ...


@dataclass(frozen=True)
class Scorecard:
    period: Period
    new_customers: int
    prospects_contacted: int
    success_rate: Decimal | None
    revenue: Decimal
    profit: Decimal
    commission: Decimal
    satisfaction: Decimal | None
    satisfaction_responses: int

    def to_json(self) -> dict[str, Any]:
        """The card's own figures, by the JSON conventions of docs/json/README.md (the
        period part of `salesdev scorecard --json`, `services.scorecard_json`)."""
        from salesdev_tui.domain.json_values import decimal_text, utc_z

        return {
            "period": {
                "kind": self.period.kind.value,
                "label": self.period.label,
                "start": utc_z(self.period.start),
                "end": utc_z(self.period.end),
            },
            "new_customers": self.new_customers,
            "prospects_contacted": self.prospects_contacted,
            "success_rate": decimal_text(self.success_rate),
            "revenue": str(self.revenue),
            "profit": str(self.profit),
            "commission": str(self.commission),
            "satisfaction": decimal_text(self.satisfaction),
            "satisfaction_responses": self.satisfaction_responses,
        }


def success_rate(new_customers: int, prospects_contacted: int) -> Decimal | None:
    """new ÷ contacted, to four places; None when the divisor is 0."""
    if prospects_contacted == 0:
        return None
    return (Decimal(new_customers) / Decimal(prospects_contacted)).quantize(Decimal("0.0001"))


def build_scorecard(period: Period, figures: Figures, commission_rate: Decimal) -> Scorecard:
    responses = figures.satisfaction_responses
    satisfaction = (
        (Decimal(figures.satisfaction_sum) / Decimal(responses)).quantize(Decimal("0.01"))
        if responses
        else None
    )
    return Scorecard(
        period=period,
        new_customers=figures.new_customers,
        prospects_contacted=figures.prospects_contacted,
        success_rate=success_rate(figures.new_customers, figures.prospects_contacted),
        revenue=figures.revenue,
        profit=figures.profit,
        commission=(figures.revenue * commission_rate).quantize(_CENT, ROUND_HALF_EVEN),
        satisfaction=satisfaction,
        satisfaction_responses=responses,
    )


@dataclass(frozen=True)
class FigureTotals:
    """Raw figures added up over several ranges (a quarter from its months, …)."""

    new_customers: int = 0
    prospects_contacted: int = 0
    revenue: Decimal = Decimal("0.00")
    profit: Decimal = Decimal("0.00")
    satisfaction_sum: int = 0
    satisfaction_responses: int = 0


def add_figures(parts: Iterable[Figures]) -> FigureTotals:
    """The figures of the union of disjoint ranges: every raw figure is a plain sum.

    Exact because each customer's first contact and first signing fall in exactly one
    month; the success rate and the mean are then computed from the sums, never averaged.
    """
    total = FigureTotals()
    for part in parts:
        total = FigureTotals(
            new_customers=total.new_customers + part.new_customers,
            prospects_contacted=total.prospects_contacted + part.prospects_contacted,
            revenue=total.revenue + part.revenue,
            profit=total.profit + part.profit,
            satisfaction_sum=total.satisfaction_sum + part.satisfaction_sum,
            satisfaction_responses=total.satisfaction_responses + part.satisfaction_responses,
        )
    return total
