"""The only place SQL lives. `Store` combines one part per concern; each returns detached models."""

from __future__ import annotations

from salesdev_tui.store.agenda import Agenda, AgendaItem, AgendaStore, IdleCustomer
from salesdev_tui.store.base import Ambiguous, NotFound, StoreBase
from salesdev_tui.store.customer_file import CustomerFile, CustomerFileStore
from salesdev_tui.store.customers import CustomerRow, CustomerStore, StageRefused
from salesdev_tui.store.exchange import ExchangeStore
from salesdev_tui.store.kpis import KpiFigures, KpiStore
from salesdev_tui.store.leads import DuplicateMatch, DuplicateReason, LeadStore
from salesdev_tui.store.plans import PlanStore


class Store(
    PlanStore,
    CustomerStore,
    CustomerFileStore,
    KpiStore,
    AgendaStore,
    ExchangeStore,
    LeadStore,
):
    """Every store part over one database and one clock."""


__all__ = [
    "Agenda",
    "AgendaItem",
    "IdleCustomer",
    "Ambiguous",
    "CustomerFile",
    "CustomerRow",
    "DuplicateMatch",
    "DuplicateReason",
    "KpiFigures",
    "LeadStore",
    "NotFound",
    "StageRefused",
    "Store",
    "StoreBase",
]
