"""The facts of one day for the end-of-day review (`review_queries`: the same SQL as
`salesdev review` runs on a plain connection)."""

from __future__ import annotations

from datetime import datetime

from salesdev_tui.models.views import DayFacts
from salesdev_tui.store import review_queries
from salesdev_tui.store.base import StoreBase


class ReviewStore(StoreBase):
    def day_facts(
        self,
        day_start: datetime,
        day_end: datetime,
        next_end: datetime,
        *,
        limit: int = 200,
        overdue_limit: int = 50,
    ) -> DayFacts:
        """What happened in [day_start, day_end) (UTC), in one read transaction; the next
        day ends at `next_end` (`review_queries.day_facts`)."""
        with self._raw_read() as conn:
            return review_queries.day_facts(conn, day_start, day_end, next_end, limit=limit,
                                            overdue_limit=overdue_limit)
