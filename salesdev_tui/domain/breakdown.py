"""Which channels and industries bring customers, and at what success rate (policy III.2, V).

The store hands one fact per (source, industry) pair seen in the period; this folds them by
source channel or by industry. Each line's success rate is its own new customers / its own
prospects contacted, so the lines' counts add up to the scorecard's. A customer without a
recorded source or industry falls in the line whose key is None ("not recorded"). Pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Protocol

from salesdev_tui.domain.scorecard import success_rate
from salesdev_tui.models.enums import Source

__all__ = ["BreakdownFact", "BreakdownLine", "Dimension", "breakdown"]

Dimension = Literal["source", "industry"]


class BreakdownFact(Protocol):
    @property
    def source(self) -> Source | None: ...
    @property
    def industry(self) -> str | None: ...
    @property
    def new_customers(self) -> int: ...
    @property
    def prospects_contacted(self) -> int: ...
    @property
    def revenue(self) -> Decimal: ...
    @property
    def profit(self) -> Decimal: ...


@dataclass(frozen=True)
class BreakdownLine:
    key: str | None
    """The source channel's value or the industry; None: not recorded."""
    new_customers: int
    prospects_contacted: int
    success_rate: Decimal | None
    revenue: Decimal
    profit: Decimal


@dataclass
class _Sum:
    new_customers: int = 0
    prospects_contacted: int = 0
    revenue: Decimal = Decimal("0.00")
    profit: Decimal = Decimal("0.00")


def _key(fact: BreakdownFact, by: Dimension) -> str | None:
    if by == "source":
        return fact.source.value if fact.source is not None else None
    return (fact.industry or "").strip() or None


def breakdown(facts: Iterable[BreakdownFact], by: Dimension) -> tuple[BreakdownLine, ...]:
    """Lines by `by`, the best first: most new customers, then most contacted, then revenue."""
    sums: dict[str | None, _Sum] = {}
    for fact in facts:
        acc = sums.setdefault(_key(fact, by), _Sum())
        acc.new_customers += fact.new_customers
        acc.prospects_contacted += fact.prospects_contacted
        acc.revenue += fact.revenue
        acc.profit += fact.profit
    lines = [
        BreakdownLine(
            key=key,
            new_customers=acc.new_customers,
            prospects_contacted=acc.prospects_contacted,
            success_rate=success_rate(acc.new_customers, acc.prospects_contacted),
            revenue=acc.revenue,
            profit=acc.profit,
        )
        for key, acc in sums.items()
    ]
    lines.sort(key=lambda line: (-line.new_customers, -line.prospects_contacted,
                                 -line.revenue, line.key is None, line.key or ""))
    return tuple(lines)
