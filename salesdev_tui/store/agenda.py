"""Today's agenda: open contact plans by when they fall due, and customers gone quiet."""

from __future__ import annotations

from datetime import datetime

from salesdev_tui.models.views import Agenda, AgendaItem, IdleCustomer
from salesdev_tui.store import today_queries
from salesdev_tui.store.base import StoreBase

__all__ = ["Agenda", "AgendaItem", "AgendaStore", "IdleCustomer"]


class AgendaStore(StoreBase):
    def agenda(
        self,
        *,
        day_start: datetime,
        day_end: datetime,
        upcoming_end: datetime,
        idle_before: datetime,
        limit: int = 50,
    ) -> Agenda:
        """Open plans before today, during today, and up to `upcoming_end`; idle customers."""
        with self._raw_read() as conn:
            return today_queries.agenda(
                conn, day_start=day_start, day_end=day_end, upcoming_end=upcoming_end,
                idle_before=idle_before, limit=limit,
            )
