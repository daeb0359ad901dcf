"""A customer's contact people: several per customer, exactly one of them primary (policy IV).

Contacts are written through the generic record path (`add_record` / `update_record` /
`delete_record` of `RecordStore`, which hands a contact to `add_contact` / `apply_contact`),
so every change lands in the edit history. This part adds what only contacts need, inside
the same transaction as the write itself:

- a customer with live contacts always has exactly one primary: making a contact primary
  un-primaries the others, and deleting (or un-marking) the primary hands the role to the
  oldest remaining contact; the first contact of a customer is primary;
- `phone_normalized` / `mobile_normalized` are derived from the phone and the mobile (the
  input model computes them), so they are stored but never logged: the history shows the
  number the rep typed, once.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlmodel import Session, col, select

from salesdev_tui.models.tables import Contact, Customer, Record
from salesdev_tui.store.base import StoreBase

R = TypeVar("R", bound=Record)


class ContactStore(StoreBase):
    def add_contact(self, customer_id: uuid.UUID, data: Any, **extra: object) -> Contact:
        """Insert a contact from a validated `ContactInput`; primary if asked or if first."""
        now = self.now()
        with self.db.write() as session:
            customer = self._live(session, Customer, customer_id)
            values = {**data.model_dump(), **extra}
            if not self._live_contacts(session, customer_id, primary_only=True):
                values["is_primary"] = True
            row = Contact(**values, customer_id=customer_id, created_at=now, updated_at=now)
            session.add(row)
            session.flush()
            self._keep_one_primary(session, row, now)
            self._touch_customer(session, customer, now)
            return row

    def set_primary_contact(self, contact_id: uuid.UUID) -> Contact:
        """Make this contact the customer's primary one (the others stop being primary)."""
        now = self.now()
        with self.db.write() as session:
            row = self._live(session, Contact, contact_id)
            self.apply_contact(session, row, {"is_primary": True}, now)
            return row

    def apply_contact(self, session: Session, row: Contact, changes: dict[str, object],
                      now: datetime) -> None:
        """An edit of a contact (`RecordStore.apply` comes here for one), the primary rule kept."""
        changes = dict(changes)
        if "phone_normalized" in changes:
            row.phone_normalized = cast("str | None", changes.pop("phone_normalized"))
        # The mobile's comparable form follows the mobile only when the mobile was given: an
        # edit that does not show the mobile must not blank the number duplicates are found by.
        mobile_normalized = changes.pop("mobile_normalized", None)
        if "mobile" in changes:
            row.mobile_normalized = cast("str | None", mobile_normalized)
        unmarking = changes.get("is_primary") is False and row.is_primary
        if unmarking and "deleted_at" not in changes and not self._others(session, row):
            # The only contact stays primary: un-marking it would leave the customer without one.
            changes.pop("is_primary")
        self._log_changes(session, row, changes, now)
        self._keep_one_primary(session, row, now)

    # -- the one-primary rule ---------------------------------------------------------------

    @staticmethod
    def _live_contacts(session: Session, customer_id: uuid.UUID, *,
                       primary_only: bool = False) -> list[Contact]:
        stmt = select(Contact).where(
            Contact.customer_id == customer_id, col(Contact.deleted_at).is_(None)
        )
        if primary_only:
            stmt = stmt.where(col(Contact.is_primary).is_(True))
        # Oldest first: "the next contact" after the primary is the longest known one.
        stmt = stmt.order_by(col(Contact.created_at), col(Contact.name), col(Contact.id))
        return list(session.exec(stmt).all())

    def _others(self, session: Session, row: Contact) -> list[Contact]:
        return [c for c in self._live_contacts(session, row.customer_id) if c.id != row.id]

    def _keep_one_primary(self, session: Session, changed: Contact, now: datetime) -> None:
        """After `changed` was written: exactly one live contact of its customer is primary."""
        live = self._live_contacts(session, changed.customer_id)
        if not live:
            return
        primaries = [c for c in live if c.is_primary]
        changed_is_live = changed.deleted_at is None
        if changed_is_live and changed.is_primary:
            keep = changed
        elif primaries:
            keep = primaries[0]
        else:
            keep = next((c for c in live if c.id != changed.id), live[0])
        for contact in live:
            wanted = contact.id == keep.id
            if contact.is_primary != wanted:
                # Logged like any edit, without re-entering this rule.
                self._log_changes(session, contact, {"is_primary": wanted}, now)
