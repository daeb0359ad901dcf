"""The only place SQL lives. `Store` combines one part per concern; each returns detached models.

The package itself imports nothing heavy: `Store` and the names below load on first use, so
`store.today_queries` can run at start-up before SQLModel is imported (PERFORMANCE.md).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from salesdev_tui.models.views import (
        Agenda,
        AgendaItem,
        DayFacts,
        IdleCustomer,
        OverdueMilestone,
    )
    from salesdev_tui.store.base import Ambiguous, NotFound, StoreBase
    from salesdev_tui.store.combined import Store
    from salesdev_tui.store.competitors import CompetitorRow
    from salesdev_tui.store.customer_file import CustomerFile
    from salesdev_tui.store.customers import CustomerRow, StageRefused
    from salesdev_tui.store.kpis import KpiFigures
    from salesdev_tui.store.leads import DuplicateMatch, DuplicateReason, LeadStore
    from salesdev_tui.store.research import ResearchRow
    from salesdev_tui.store.search import CustomerListRow, CustomerPage, PageCursor, SearchStore

_WHERE = {
    "Agenda": "salesdev_tui.models.views",
    "AgendaItem": "salesdev_tui.models.views",
    "IdleCustomer": "salesdev_tui.models.views",
    "OverdueMilestone": "salesdev_tui.models.views",
    "KpiFigures": "salesdev_tui.models.views",
    "Ambiguous": "salesdev_tui.store.base",
    "NotFound": "salesdev_tui.store.base",
    "StoreBase": "salesdev_tui.store.base",
    "Store": "salesdev_tui.store.combined",
    "CompetitorRow": "salesdev_tui.store.competitors",
    "CustomerFile": "salesdev_tui.store.customer_file",
    "CustomerRow": "salesdev_tui.store.customers",
    "StageRefused": "salesdev_tui.store.customers",
    "DuplicateMatch": "salesdev_tui.store.leads",
    "DuplicateReason": "salesdev_tui.store.leads",
    "LeadStore": "salesdev_tui.store.leads",
    "ResearchRow": "salesdev_tui.store.research",
    "DayFacts": "salesdev_tui.models.views",
    "CustomerListRow": "salesdev_tui.store.search",
    "CustomerPage": "salesdev_tui.store.search",
    "PageCursor": "salesdev_tui.store.search",
    "SearchStore": "salesdev_tui.store.search",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = [
    "Agenda",
    "AgendaItem",
    "IdleCustomer",
    "Ambiguous",
    "CompetitorRow",
    "CustomerFile",
    "CustomerListRow",
    "CustomerPage",
    "CustomerRow",
    "DayFacts",
    "DuplicateMatch",
    "DuplicateReason",
    "KpiFigures",
    "LeadStore",
    "NotFound",
    "OverdueMilestone",
    "PageCursor",
    "ResearchRow",
    "SearchStore",
    "StageRefused",
    "Store",
    "StoreBase",
]
