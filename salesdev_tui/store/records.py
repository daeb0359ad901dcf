"""Adding, editing and deleting a customer's records, with the edit history the policy asks for.

Policy IV: customer information must be true, accurate and complete, and updated regularly.
So every edit of a customer's information writes one `FieldEdit` per changed field (who,
when, old -> new), and deleting is soft (the row stays, marked deleted, and can be undone).
One generic path serves every simple record (contacts, needs notes, surveys, credit checks,
competitor notes, milestones, progress reports, …): the rules are the same for all of them.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from sqlmodel import Session

from salesdev_tui.models import Contract, Customer, FieldEdit, Record
from salesdev_tui.store.base import NotFound, StoreBase

R = TypeVar("R", bound=Record)

#: Longest old/new value kept in the history (the CHECK allows twice the longest field).
_HISTORY_LIMIT = 40_000


def _history_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    return str(value)[:_HISTORY_LIMIT]


def _settle_contract(session: Session, row: Record, now: datetime) -> None:
    """A contract deleted, restored or edited here: won follows its signed contracts."""
    if isinstance(row, Contract):
        from salesdev_tui.store.won_contracts import settle_won

        settle_won(session, row, now)


class RecordStore(StoreBase):
    def get_record(self, model: type[R], record_id: uuid.UUID) -> R:
        with self.db.read() as session:
            return self._live(session, model, record_id)

    def add_record(
        self, model: type[R], customer_id: uuid.UUID, data: Any, **extra: object
    ) -> R:
        """Insert a record of `customer_id` from a validated input model (plus `extra`)."""
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
            self._apply(session, row, changes, now)
            _settle_contract(session, row, now)
            return row

    def delete_record(self, model: type[R], record_id: uuid.UUID) -> None:
        """Soft-delete a record (undo with `restore_record`); logged in the history."""
        now = self.now()
        with self.db.write() as session:
            row = self._live(session, model, record_id)
            self._apply(session, row, {"deleted_at": now}, now)
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
            self._apply(session, row, {"deleted_at": None}, now)
            _settle_contract(session, row, now)

    # -- shared by every write path that edits customer information ------------------------

    def _apply(self, session: Session, row: Record, changes: dict[str, object],
               now: datetime) -> None:
        customer_id = row.id if isinstance(row, Customer) else getattr(row, "customer_id", None)
        entity = str(row.__tablename__)
        changed = False
        for field, new in changes.items():
            old = getattr(row, field)
            if old == new:
                continue
            changed = True
            setattr(row, field, new)
            if customer_id is not None:
                session.add(
                    FieldEdit(
                        customer_id=customer_id,
                        entity=entity,
                        entity_id=row.id,
                        field=field,
                        old_value=_history_text(old),
                        new_value=_history_text(new),
                        edited_at=now,
                        edited_by=self.actor or None,
                        created_at=now,
                        updated_at=now,
                    )
                )
        if not changed:
            return
        row.updated_at = now
        session.add(row)
        if customer_id is not None:
            customer = row if isinstance(row, Customer) else session.get(Customer, customer_id)
            if customer is not None:
                self._touch_customer(session, customer, now)

    @staticmethod
    def _touch_customer(session: Session, customer: Customer, now: datetime) -> None:
        customer.updated_at = now
        customer.last_activity_at = now
        session.add(customer)
