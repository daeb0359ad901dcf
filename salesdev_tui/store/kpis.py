"""The raw figures behind the KPIs (ARCHITECTURE.md, policy V), for one UTC time range.

Each figure is one indexed range read (`today_queries.kpi_figures`): new customers and
prospects contacted count the maintained `first_signed_at` / `first_contacted_at`; revenue,
profit and satisfaction sum the contracts' `signed_at` and the surveys' `taken_at` ranges.
Each reads a partial covering index of live rows alone (models/tables.py).

`kpi_series` gives the figures of many consecutive ranges (the 12 months of a trend) as one
range read per range and figure: months cut in any zone (DST included) are exact, and at
100,000 customers the 48 small reads took 11-14 ms where one CASE-bucketed scan per table
took 70 ms with the same indexes (its CASE runs for every row; docs/PERFORMANCE.md).

`scorecard_facts` reads everything the scorecard shows (trend, breakdown, pipeline,
targets) in one read transaction (`scorecard_read`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from salesdev_tui.models.enums import PeriodKind
from salesdev_tui.models.views import KpiFigures
from salesdev_tui.store import today_queries
from salesdev_tui.store.kpi_details import KpiDetailStore
from salesdev_tui.store.scorecard_read import ScorecardFacts, read_scorecard

__all__ = ["KpiFigures", "KpiStore", "ScorecardFacts"]


class KpiStore(KpiDetailStore):
    def kpi_figures(self, start: datetime, end: datetime) -> KpiFigures:
        """Figures for the half-open UTC range [start, end) (`today_queries`)."""
        with self._raw_read() as conn:
            return today_queries.kpi_figures(conn, start, end)

    def kpi_series(self, bounds: Sequence[datetime]) -> list[KpiFigures]:
        """Figures for each range [bounds[i], bounds[i+1]) (UTC, ascending), in one read
        transaction, so the months agree with each other."""
        with self._raw_read() as conn:
            return [
                today_queries.kpi_figures(conn, start, end)
                for start, end in zip(bounds, bounds[1:], strict=False)
            ]

    def scorecard_facts(
        self,
        bounds: Sequence[datetime],
        start: datetime,
        end: datetime,
        periods: Iterable[tuple[PeriodKind, str]],
    ) -> ScorecardFacts:
        """In one read transaction: `kpi_series(bounds)`, `kpi_breakdown(start, end)`,
        `pipeline_by_stage()` and `targets_for(periods)`."""
        with self.db.read() as session:
            return read_scorecard(session.connection(), bounds, start, end, periods)
