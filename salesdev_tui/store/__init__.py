"""The only place SQL lives. `Store` combines one part per concern; each returns detached models."""

from __future__ import annotations

from salesdev_tui.store.agenda import Agenda, AgendaItem, AgendaStore, IdleCustomer
from salesdev_tui.store.base import Ambiguous, NotFound, StoreBase
from salesdev_tui.store.competitors import CompetitorRow, CompetitorStore
from salesdev_tui.store.contacts import ContactStore
from salesdev_tui.store.contracts import ContractStore
from salesdev_tui.store.csv_export import CsvExportStore
from salesdev_tui.store.csv_import import CsvImportStore
from salesdev_tui.store.customer_edit import CustomerEditStore
from salesdev_tui.store.customer_file import CustomerFile, CustomerFileStore
from salesdev_tui.store.customers import CustomerRow, CustomerStore, StageRefused
from salesdev_tui.store.exchange import ExchangeStore
from salesdev_tui.store.followup import FollowupStore, OverdueMilestone
from salesdev_tui.store.kpis import KpiFigures, KpiStore
from salesdev_tui.store.leads import DuplicateMatch, DuplicateReason, LeadStore
from salesdev_tui.store.negotiations import NegotiationStore
from salesdev_tui.store.plans import PlanStore
from salesdev_tui.store.proposals import ProposalStore
from salesdev_tui.store.records import RecordStore
from salesdev_tui.store.research import ResearchRow, ResearchStore
from salesdev_tui.store.review import DayFacts, ReviewStore
from salesdev_tui.store.search import CustomerListRow, CustomerPage, PageCursor, SearchStore
from salesdev_tui.store.targets import TargetStore


class Store(
    # Parts that build on RecordStore come before it (a consistent method order).
    FollowupStore,
    ResearchStore,
    PlanStore,
    ContractStore,
    NegotiationStore,
    ContactStore,
    CustomerEditStore,
    ProposalStore,
    RecordStore,
    CustomerStore,
    CustomerFileStore,
    KpiStore,
    TargetStore,
    ReviewStore,
    AgendaStore,
    ExchangeStore,
    LeadStore,
    SearchStore,
    CompetitorStore,
    CsvImportStore,
    CsvExportStore,
):
    """Every store part over one database and one clock."""


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
