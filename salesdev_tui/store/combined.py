"""`Store`: every part of the store over one database and one clock."""

from __future__ import annotations

from salesdev_tui.store.agenda import AgendaStore
from salesdev_tui.store.competitors import CompetitorStore
from salesdev_tui.store.contacts import ContactStore
from salesdev_tui.store.contracts import ContractStore
from salesdev_tui.store.csv_export import CsvExportStore
from salesdev_tui.store.csv_import import CsvImportStore
from salesdev_tui.store.customer_edit import CustomerEditStore
from salesdev_tui.store.customer_file import CustomerFileStore
from salesdev_tui.store.customers import CustomerStore
from salesdev_tui.store.deletion import DeletionStore
from salesdev_tui.store.exchange import ExchangeStore
from salesdev_tui.store.followup import FollowupStore
from salesdev_tui.store.kpis import KpiStore
from salesdev_tui.store.leads import LeadStore
from salesdev_tui.store.merge import MergeStore
from salesdev_tui.store.negotiations import NegotiationStore
from salesdev_tui.store.plans import PlanStore
from salesdev_tui.store.proposals import ProposalStore
from salesdev_tui.store.records import RecordStore
from salesdev_tui.store.research import ResearchStore
from salesdev_tui.store.review import ReviewStore
from salesdev_tui.store.search import SearchStore
from salesdev_tui.store.targets import TargetStore


class Store(
    # Parts that build on RecordStore come before it (a consistent method order).
    MergeStore,  # before DeletionStore: restoring a merged-away customer undoes the merge
    DeletionStore,
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


