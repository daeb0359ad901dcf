"""Adding, editing and deleting a customer's records, with the edit history the policy asks for.

Policy IV: customer information must be true, accurate and complete, and updated regularly.
So every edit of a customer's information writes one `FieldEdit` per changed field (who,
when, old -> new), and deleting is soft (the row stays, marked deleted, and can be undone).
One generic path serves every simple record (contacts, needs notes, surveys, credit checks,
competitor notes, milestones, progress reports, …): the rules are the same for all of them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlmodel import Session

from salesdev_tui.models.tables import Contact, Contract, Customer, Proposal, ProposalLine, Record
from salesdev_tui.store.base import NotFound, StoreBase, utc_now
from salesdev_tui.store.customer_edit import customer_changes

if TYPE_CHECKING:
    from salesdev_tui.db import Database
    from salesdev_tui.store.contacts import ContactStore
    from salesdev_tui.store.proposals import ProposalStore

R = TypeVar("R", bound=Record)

def _settle_contract(session: Session, row: Record, now: datetime) -> None:
    """A contract deleted, restored or edited here: won follows its signed contracts."""
    if isinstance(row, Contract):
        from salesdev_tui.store.won_contracts import settle_won

        settle_won(session, row, now)


class RecordStore(StoreBase):
    """The generic record path (contacts, needs notes, surveys, credit checks, competitor
    notes, milestones, progress reports, …), and `apply`: every edit of a record, with the
    rules of its kind. The kinds with rules of their own hand them in (`contacts`,
    `proposals`); the customer's name key is a rule of `customer_edit`."""

    def __init__(self, db: Database, *, contacts: ContactStore, proposals: ProposalStore,
                 clock: Callable[[], datetime] = utc_now, actor: str | None = None) -> None:
        super().__init__(db, clock=clock, actor=actor)
        self.contacts = contacts
        self.proposals = proposals

    def get_record(self, model: type[R], record_id: uuid.UUID) -> R:
        with self.db.read() as session:
            return self._live(session, model, record_id)

    def add_record(
        self, model: type[R], customer_id: uuid.UUID, data: Any, **extra: object
    ) -> R:
        """Insert a record of `customer_id` from a validated input model (plus `extra`)."""
        if model is Contact:  # contacts need the primary rule inside the insert's transaction
            return cast(R, self.contacts.add_contact(customer_id, data, **extra))
        now = self.now()
        with self.db.write() as session:
            customer = self._live(session, Customer, customer_id)
            values = {**data.model_dump(), **extra}
            row = model(**values, customer_id=customer_id, created_at=now, updated_at=now)  # type: ignore[call-arg]
            session.add(row)
            self._touch_customer(session, customer, now)
            return row

    def update_record(self, model: type[R], record_id: uuid.UUID, data: Any,
                      **extra: object) -> R:
        """Apply the changed fields of `data` (plus `extra`), logging each change."""
        now = self.now()
        with self.db.write() as session:
            row = self._live(session, model, record_id)
            # Only the fields the caller gave: a form that does not show a field must not
            # blank it (exclude_unset keeps explicit Nones, which are real edits).
            changes = {**data.model_dump(exclude_unset=True), **extra}
            self.apply(session, row, changes, now)
            _settle_contract(session, row, now)
            return row

    def delete_record(self, model: type[R], record_id: uuid.UUID) -> None:
        """Soft-delete a record (undo with `restore_record`); logged in the history."""
        now = self.now()
        with self.db.write() as session:
            row = self._live(session, model, record_id)
            self.apply(session, row, {"deleted_at": now}, now)
            _settle_contract(session, row, now)

    def restore_record(self, model: type[R], record_id: uuid.UUID) -> None:
        now = self.now()
        with self.db.write() as session:
            row = session.get(model, record_id)
            if row is None or row.deleted_at is None:
                return
            owner_id = getattr(row, "customer_id", None)
            owner = session.get(Customer, owner_id) if owner_id is not None else None
            if owner is not None and owner.deleted_at is not None:
                # A record of a deleted customer comes back with the customer (undelete),
                # never alone: it would count in figures its customer is absent from.
                raise NotFound(str(Customer.__tablename__), str(owner_id))
            self.apply(session, row, {"deleted_at": None}, now)
            _settle_contract(session, row, now)

    def apply(self, session: Session, row: Record, changes: dict[str, object],
              now: datetime) -> None:
        """Every edit of a record inside a write: the rules of its kind, the change logged."""
        if isinstance(row, Contact):
            self.contacts.apply_contact(session, row, changes, now)
        elif isinstance(row, Customer):
            self._log_changes(session, row, customer_changes(row, changes), now)
        elif isinstance(row, Proposal | ProposalLine):
            self.proposals.apply_proposal(session, row, changes, now)
        else:
            self._log_changes(session, row, changes, now)
