"""`Store`: the thin front over the repositories, one per concern, over one database and clock.

Each repository is a small class over `StoreBase` (the database, the clock, the actor) that
takes the other repositories it needs explicitly (a plan write refreshes the customer's
facts through `customers`, an edit of any record goes through `records.apply`). Callers say
which one they mean: `store.customers.add_lead(...)`, `store.plans.log_outcome(...)`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from salesdev_tui.db import Database
from salesdev_tui.store.agenda import AgendaStore
from salesdev_tui.store.base import StoreBase, utc_now
from salesdev_tui.store.competitors import CompetitorStore
from salesdev_tui.store.contacts import ContactStore
from salesdev_tui.store.contracts import ContractStore
from salesdev_tui.store.csv_export import CsvExportStore
from salesdev_tui.store.csv_import import CsvImportStore
from salesdev_tui.store.customer_file import CustomerFileStore
from salesdev_tui.store.customers import CustomerStore
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


class Store(StoreBase):
    """The repositories over one database and one clock (`now`, `resolve_id`, `count_live` and
    `is_empty` stay here: they are about the whole file, not one concern)."""

    def __init__(
        self,
        db: Database,
        *,
        clock: Callable[[], datetime] = utc_now,
        actor: str | None = None,
    ) -> None:
        self._parts: list[StoreBase] = []
        super().__init__(db, clock=clock, actor=actor)
        c, a = clock, self.actor
        self.customers = CustomerStore(db, clock=c, actor=a)
        self.contacts = ContactStore(db, clock=c, actor=a)
        self.proposals = ProposalStore(db, clock=c, actor=a)
        self.records = RecordStore(db, contacts=self.contacts, proposals=self.proposals, clock=c,
                                   actor=a)
        self.plans = PlanStore(db, records=self.records, customers=self.customers, clock=c, actor=a)
        self.contracts = ContractStore(db, records=self.records, customers=self.customers,
                                       clock=c, actor=a)
        self.negotiations = NegotiationStore(db, records=self.records, clock=c, actor=a)
        self.research = ResearchStore(db, records=self.records, clock=c, actor=a)
        self.followup = FollowupStore(db, records=self.records, clock=c, actor=a)
        self.deletion = MergeStore(db, clock=c,
                                   actor=a)  # deleting, restoring, purging, merging customers
        self.files = CustomerFileStore(db, clock=c, actor=a)
        self.leads = LeadStore(db, clock=c, actor=a)
        self.search = SearchStore(db, clock=c, actor=a)
        self.today = AgendaStore(db, clock=c, actor=a)
        self.kpis = KpiStore(db, clock=c, actor=a)
        self.targets = TargetStore(db, clock=c, actor=a)
        self.review = ReviewStore(db, clock=c, actor=a)
        self.competitors = CompetitorStore(db, clock=c, actor=a)
        self.exchange = ExchangeStore(db, clock=c, actor=a)
        self.csv_import = CsvImportStore(db, clock=c, actor=a)
        self.csv_export = CsvExportStore(db, clock=c, actor=a)
        self._parts = [
            self.customers, self.contacts, self.proposals, self.records, self.plans,
            self.contracts, self.negotiations, self.research, self.followup, self.deletion,
            self.files, self.leads, self.search, self.today, self.kpis, self.targets,
            self.review, self.competitors, self.exchange, self.csv_import, self.csv_export,
        ]

    @property
    def actor(self) -> str:
        """Who makes the changes (the edit history's "who"), the same for every repository."""
        return self._actor

    @actor.setter
    def actor(self, name: str) -> None:
        self._actor = name
        for part in self._parts:
            part.actor = name
