"""The raw figures behind the KPIs (ARCHITECTURE.md, policy V), for one UTC time range.

Each figure is one indexed range query: new customers and prospects contacted read the
maintained `first_signed_at` / `first_contacted_at` columns; revenue, profit and
satisfaction read the indexed `signed_at` / `taken_at`.

`kpi_series` gives the figures of many consecutive ranges (the 12 months of a trend) in
the same four queries: each row is put in its range by a CASE over the range bounds, so
months cut in any zone (DST included) are exact, and the index range is read once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func
from sqlmodel import col, select

from salesdev_tui.models import Contract, Customer, Survey
from salesdev_tui.models.views import KpiFigures
from salesdev_tui.store import today_queries
from salesdev_tui.store.kpi_details import KpiDetailStore

__all__ = ["KpiFigures", "KpiStore"]


class KpiStore(KpiDetailStore):
    def kpi_figures(self, start: datetime, end: datetime) -> KpiFigures:
        """Figures for the half-open UTC range [start, end) (`today_queries`)."""
        with self._raw_read() as conn:
            return today_queries.kpi_figures(conn, start, end)

    def kpi_series(self, bounds: Sequence[datetime]) -> list[KpiFigures]:
        """Figures for each range [bounds[i], bounds[i+1]) (UTC, ascending), in 4 queries."""
        count = len(bounds) - 1
        if count < 1:
            return []
        new = [0] * count
        contacted = [0] * count
        revenue = [Decimal("0.00")] * count
        cost = [Decimal("0.00")] * count
        score_sum = [0] * count
        responses = [0] * count
        first, last = bounds[0], bounds[-1]

        def bucket(column: Any) -> Any:
            # The row's range index: the first upper bound it is below.
            if count == 1:
                return case((column >= first, 0), else_=0)
            return case(*((column < bound, i) for i, bound in enumerate(bounds[1:-1])),
                        else_=count - 1)

        with self.db.read() as session:
            for column, into in (
                (col(Customer.first_signed_at), new),
                (col(Customer.first_contacted_at), contacted),
            ):
                index_of = bucket(column)
                rows = session.exec(
                    select(index_of, func.count())
                    .where(column >= first, column < last, col(Customer.deleted_at).is_(None))
                    .group_by(index_of)
                ).all()
                for index, number in rows:
                    into[int(index)] = int(number)
            signed = col(Contract.signed_at)
            index_of = bucket(signed)
            for index, value_sum, cost_sum in session.exec(
                select(index_of, func.sum(Contract.value), func.sum(Contract.cost))
                .where(signed >= first, signed < last, col(Contract.deleted_at).is_(None))
                .group_by(index_of)
            ).all():
                revenue[int(index)] = value_sum or Decimal("0.00")
                cost[int(index)] = cost_sum or Decimal("0.00")
            taken = col(Survey.taken_at)
            index_of = bucket(taken)
            for index, total, number in session.exec(
                select(index_of, func.sum(Survey.score), func.count())
                .where(taken >= first, taken < last, col(Survey.deleted_at).is_(None))
                .group_by(index_of)
            ).all():
                score_sum[int(index)] = int(total or 0)
                responses[int(index)] = int(number)
        return [
            KpiFigures(
                new_customers=new[i],
                prospects_contacted=contacted[i],
                revenue=revenue[i],
                profit=revenue[i] - cost[i],
                satisfaction_sum=score_sum[i],
                satisfaction_responses=responses[i],
            )
            for i in range(count)
        ]
