"""`Store`: the thin front over the repositories, one per concern, over one database and clock.

Each repository is a small class over `StoreBase` (the database, the clock, the actor) that
takes the other repositories it needs explicitly (a plan write refreshes the customer's
facts through `customers`, an edit of any record goes through `records.apply`). Callers say
which one they mean: `store.customers.add_lead(...)`, `store.plans.log_outcome(...)`.

Each repository is built, and its module imported, on first use: `salesdev scorecard --json`
reads only `store.kpis` and need not import the validation, dedupe and import code the
others bring (issue 15.8, bench/RESULTS.md "CLI start-up").
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from salesdev_tui.db import Database
from salesdev_tui.store.base import StoreBase, utc_now

if TYPE_CHECKING:
    from salesdev_tui.store.agenda import AgendaStore
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

P = TypeVar("P", bound=StoreBase)

#: The repositories' attribute names (`build_all`).
REPOSITORIES = (
    "customers", "contacts", "proposals", "records", "plans", "contracts", "negotiations",
    "research", "followup", "deletion", "files", "leads", "search", "today", "kpis", "targets",
    "review", "competitors", "exchange", "csv_import", "csv_export",
)


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
        # The repositories built so far (the actor setter reaches each; one built later
        # takes the actor of the moment).
        self._parts: list[StoreBase] = []
        super().__init__(db, clock=clock, actor=actor)

    def build_all(self) -> Store:
        """Build every repository now (importing their modules): the TUI opens its store in a
        worker thread and calls this there, so no first use imports on the UI thread."""
        for name in REPOSITORIES:
            getattr(self, name)
        return self

    def _built(self, part: P) -> P:
        self._parts.append(part)
        return part

    @property
    def actor(self) -> str:
        """Who makes the changes (the edit history's "who"), the same for every repository."""
        return self._actor

    @actor.setter
    def actor(self, name: str) -> None:
        self._actor = name
        for part in self._parts:
            part.actor = name

    @functools.cached_property
    def customers(self) -> CustomerStore:
        from salesdev_tui.store.customers import CustomerStore

        return self._built(CustomerStore(self.db, clock=self._clock, actor=self.actor))

    @functools.cached_property
    def contacts(self) -> ContactStore:
        from salesdev_tui.store.contacts import ContactStore

        return self._built(ContactStore(self.db, clock=self._clock, actor=self.actor))

    @functools.cached_property
    def proposals(self) -> ProposalStore:
        from salesdev_tui.store.proposals import ProposalStore

        return self._built(ProposalStore(self.db, clock=self._clock, actor=self.actor))

    @functools.cached_property
    def records(self) -> RecordStore:
        from salesdev_tui.store.records import RecordStore

        return self._built(RecordStore(self.db, contacts=self.contacts, proposals=self.proposals,
                                       clock=self._clock, actor=self.actor))

    @functools.cached_property
    def plans(self) -> PlanStore:
        from salesdev_tui.store.plans import PlanStore

        return self._built(PlanStore(self.db, records=self.records, customers=self.customers,
                                     clock=self._clock, actor=self.actor))

    @functools.cached_property
    def contracts(self) -> ContractStore:
        from salesdev_tui.store.contracts import ContractStore

        return self._built(ContractStore(self.db, records=self.records, customers=self.customers,
                                         clock=self._clock, actor=self.actor))

    @functools.cached_property
    def negotiations(self) -> NegotiationStore:
        from salesdev_tui.store.negotiations import NegotiationStore

        return self._built(NegotiationStore(self.db, records=self.records,
                                            clock=self._clock, actor=self.actor))

    @functools.cached_property
    def research(self) -> ResearchStore:
        from salesdev_tui.store.research import ResearchStore

        return self._built(ResearchStore(self.db, records=self.records,
                                         clock=self._clock, actor=self.actor))

    @functools.cached_property
    def followup(self) -> FollowupStore:
        from salesdev_tui.store.followup import FollowupStore

        return self._built(FollowupStore(self.db, records=self.records,
                                         clock=self._clock, actor=self.actor))

    @functools.cached_property
    def deletion(self) -> MergeStore:
        """Deleting, restoring, purging, merging customers."""
        from salesdev_tui.store.merge import MergeStore

        return self._built(MergeStore(self.db, clock=self._clock, actor=self.actor))

    @functools.cached_property
    def files(self) -> CustomerFileStore:
        from salesdev_tui.store.customer_file import CustomerFileStore

        return self._built(CustomerFileStore(self.db, clock=self._clock, actor=self.actor))

    @functools.cached_property
    def leads(self) -> LeadStore:
        from salesdev_tui.store.leads import LeadStore

        return self._built(LeadStore(self.db, clock=self._clock, actor=self.actor))

    @functools.cached_property
    def search(self) -> SearchStore:
        from salesdev_tui.store.search import SearchStore

        return self._built(SearchStore(self.db, clock=self._clock, actor=self.actor))

    @functools.cached_property
    def today(self) -> AgendaStore:
        from salesdev_tui.store.agenda import AgendaStore

        return self._built(AgendaStore(self.db, clock=self._clock, actor=self.actor))

    @functools.cached_property
    def kpis(self) -> KpiStore:
        from salesdev_tui.store.kpis import KpiStore

        return self._built(KpiStore(self.db, clock=self._clock, actor=self.actor))

    @functools.cached_property
    def targets(self) -> TargetStore:
        from salesdev_tui.store.targets import TargetStore

        return self._built(TargetStore(self.db, clock=self._clock, actor=self.actor))

    @functools.cached_property
    def review(self) -> ReviewStore:
        from salesdev_tui.store.review import ReviewStore

        return self._built(ReviewStore(self.db, clock=self._clock, actor=self.actor))

    @functools.cached_property
    def competitors(self) -> CompetitorStore:
        from salesdev_tui.store.competitors import CompetitorStore

        return self._built(CompetitorStore(self.db, clock=self._clock, actor=self.actor))

    @functools.cached_property
    def exchange(self) -> ExchangeStore:
        from salesdev_tui.store.exchange import ExchangeStore

        return self._built(ExchangeStore(self.db, clock=self._clock, actor=self.actor))

    @functools.cached_property
    def csv_import(self) -> CsvImportStore:
        from salesdev_tui.store.csv_import import CsvImportStore

        return self._built(CsvImportStore(self.db, clock=self._clock, actor=self.actor))

    @functools.cached_property
    def csv_export(self) -> CsvExportStore:
        from salesdev_tui.store.csv_export import CsvExportStore

        return self._built(CsvExportStore(self.db, clock=self._clock, actor=self.actor))
