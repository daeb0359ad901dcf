"""The raw figures behind the KPIs (ARCHITECTURE.md, policy V), for one UTC time range.

Each figure is one indexed range query: new customers and prospects contacted read the
maintained `first_signed_at` / `first_contacted_at` columns; revenue, profit and
satisfaction read the indexed `signed_at` / `taken_at`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import col, select

from salesdev_tui.models import Contract, Customer, Survey
from salesdev_tui.store.base import StoreBase


@dataclass(frozen=True)
class KpiFigures:
    """What happened in [start, end): the inputs of the scorecard service."""

    new_customers: int
    prospects_contacted: int
    revenue: Decimal
    profit: Decimal
    satisfaction_sum: int
    satisfaction_responses: int


class KpiStore(StoreBase):
    def kpi_figures(self, start: datetime, end: datetime) -> KpiFigures:
        """Figures for the half-open UTC range [start, end)."""
        with self.db.read() as session:
            new_customers = session.exec(
                select(func.count())
                .select_from(Customer)
                .where(
                    col(Customer.first_signed_at) >= start,
                    col(Customer.first_signed_at) < end,
                    col(Customer.deleted_at).is_(None),
                )
            ).one()
            contacted = session.exec(
                select(func.count())
                .select_from(Customer)
                .where(
                    col(Customer.first_contacted_at) >= start,
                    col(Customer.first_contacted_at) < end,
                    col(Customer.deleted_at).is_(None),
                )
            ).one()
            # SUM over the scaled-integer money columns is exact, and keeps the column type,
            # so the result comes back as a Decimal.
            value_sum, cost_sum = session.exec(
                select(func.sum(Contract.value), func.sum(Contract.cost)).where(
                    col(Contract.signed_at) >= start,
                    col(Contract.signed_at) < end,
                    col(Contract.deleted_at).is_(None),
                )
            ).one()
            score_sum, responses = session.exec(
                select(func.coalesce(func.sum(Survey.score), 0), func.count()).where(
                    col(Survey.taken_at) >= start,
                    col(Survey.taken_at) < end,
                    col(Survey.deleted_at).is_(None),
                )
            ).one()
        revenue = value_sum or Decimal("0.00")
        return KpiFigures(
            new_customers=int(new_customers),
            prospects_contacted=int(contacted),
            revenue=revenue,
            profit=revenue - (cost_sum or Decimal("0.00")),
            satisfaction_sum=int(score_sum),
            satisfaction_responses=int(responses),
        )
