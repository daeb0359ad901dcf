"""Merging two customers that are one company: every record of the other moves to the kept
one, the history says so, and the merge can be undone (like a deletion: ctrl+z, or
`salesdev unmerge`).

How it is kept undoable. In one transaction, every row of the other customer (each table
with a `customer_id`: contacts, plans, needs, proposals, minutes, contracts, follow-ups,
surveys, credit checks, competitor notes, stage changes; deleted rows too; proposal lines and
negotiation points follow their parents) is re-pointed to the kept customer, and each move
is written as a `FieldEdit` (field `customer_id`) in the *other* customer's history, all with
the one timestamp that also becomes the other customer's `deleted_at`. Undoing reads exactly
those edits back. The other customer's own edit history stays with it. The kept customer's
history gets one line naming the customer merged into it (and one when it is undone).

A contact that was the other customer's primary stops being primary when the kept customer
has one (one primary per customer); the undo gives the role back. The maintained columns
(first contacted, first signed, pipeline value) are recomputed; the search index is synced
(the contact and customer triggers queue both documents).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, update
from sqlmodel import Session, col, select

from salesdev_tui.db.search_index import sync_search_index
from salesdev_tui.domain.dedupe import (
    MergeRefused,
    merge_direction_problem,
    not_merged_problem,
    same_customer_problem,
)
from salesdev_tui.i18n import _
from salesdev_tui.models.tables import ALL_TABLES, Contact, Customer, FieldEdit, Record
from salesdev_tui.store.base import Ambiguous, NotFound
from salesdev_tui.store.customers import CustomerStore
from salesdev_tui.store.deletion import DeletionStore
from salesdev_tui.store.won_contracts import settle_customer

#: Fields of the history lines a merge writes.
MOVED = "customer_id"
MERGED_INTO = "merged_into"
MERGED_FROM = "merged_from"
_PRIMARY = "is_primary"


@dataclass(frozen=True)
class MergeOutcome:
    """What a merge moved: rows per table (only tables that had some)."""

    kept_id: uuid.UUID
    kept_name: str
    other_id: uuid.UUID
    other_name: str
    moved: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.moved.values())


def _moved_tables() -> list[type[Record]]:
    """Tables whose rows belong to a customer by `customer_id` (the edit history stays)."""
    return [t for t in ALL_TABLES if "customer_id" in t.model_fields and t is not FieldEdit]


def _by_name() -> dict[str, type[Record]]:
    return {str(t.__tablename__): t for t in _moved_tables()}


def _owner(table: type[Record]) -> Any:
    return getattr(table, "customer_id")  # noqa: B009 - not every Record has the column


class MergeStore(DeletionStore):
    def undelete_customer(self, customer_id: uuid.UUID) -> Customer:
        """Restoring a merged-away customer undoes the merge (its records come back with it);
        any other deleted customer is restored as a deletion is undone."""
        with self.db.read() as session:
            customer = session.get(Customer, customer_id)
            merged = customer is not None and customer.deleted_at is not None and (
                session.exec(select(FieldEdit.id).where(
                    FieldEdit.customer_id == customer_id, FieldEdit.field == MERGED_INTO,
                    FieldEdit.edited_at == customer.deleted_at)).first() is not None)
        if not merged:
            return super().undelete_customer(customer_id)
        self.unmerge_customer(customer_id)
        with self.db.read() as session:
            return self._live(session, Customer, customer_id)

    def merge_customers(self, keep_id: uuid.UUID, other_id: uuid.UUID) -> MergeOutcome:
        """Move every record of `other_id` to `keep_id` and delete `other_id` (undoable)."""
        if keep_id == other_id:
            raise MergeRefused(same_customer_problem())
        now = self.now()
        moved: dict[str, int] = {}
        with self.db.write() as session:
            keep = self._live(session, Customer, keep_id)
            other = self._live(session, Customer, other_id)
            problem = merge_direction_problem(keep.name, keep.stage, other.name, other.stage)
            if problem is not None:
                raise MergeRefused(problem)
            keep_has_primary = self._primary_of(session, keep_id) is not None
            for table in _moved_tables():
                ids = list(session.exec(select(table.id).where(_owner(table) == other_id)))
                if not ids:
                    continue
                name = str(table.__tablename__)
                moved[name] = len(ids)
                for row_id in ids:
                    self._log(session, other_id, name, row_id, MOVED, str(other_id),
                              str(keep_id), now)
                if table is Contact and keep_has_primary:
                    primary = self._primary_of(session, other_id)
                    if primary is not None:
                        self._log(session, other_id, name, primary, _PRIMARY, "true", "false",
                                  now)
                        session.execute(update(Contact).where(col(Contact.id) == primary)
                                        .values(is_primary=False, updated_at=now))
                session.execute(update(table).where(_owner(table) == other_id)
                                .values(customer_id=keep_id, updated_at=now))
            label = f"{other.name} ({other.id.hex[:8]})"
            self._log(session, keep_id, "customer", keep_id, MERGED_FROM, None, label, now)
            self._log(session, other_id, "customer", other_id, MERGED_INTO, None, str(keep_id),
                      now)
            self._log(session, other_id, "customer", other_id, "deleted_at", None,
                      now.isoformat(), now)
            other.deleted_at, other.updated_at = now, now
            if other.last_activity_at and (
                keep.last_activity_at is None or other.last_activity_at > keep.last_activity_at
            ):
                keep.last_activity_at = other.last_activity_at
            keep.updated_at = now
            session.add_all([keep, other])
            session.flush()
            CustomerStore.refresh_customer_facts(session, {keep_id, other_id})
            # A signed contract that moved makes the kept customer won (the won invariant).
            settle_customer(session, keep_id, now,
                            won=_("Merged with a customer that has a signed contract."),
                            unwon=_("Merged: no signed contract."))
            sync_search_index(session.connection())
            return MergeOutcome(keep_id, keep.name, other_id, other.name, moved)

    def unmerge_customer(self, other_id: uuid.UUID) -> MergeOutcome:
        """Undo the last merge of `other_id` into another customer: its records go back."""
        now = self.now()
        moved: dict[str, int] = {}
        tables = _by_name()
        with self.db.write() as session:
            other = session.get(Customer, other_id)
            stamp = other.deleted_at if other is not None else None
            if other is None or stamp is None:
                raise NotFound(str(Customer.__tablename__), str(other_id))
            edits = list(session.exec(select(FieldEdit).where(
                FieldEdit.customer_id == other_id, FieldEdit.edited_at == stamp,
                col(FieldEdit.deleted_at).is_(None))))
            into = next((e for e in edits if e.field == MERGED_INTO), None)
            if into is None or into.new_value is None:
                raise MergeRefused(not_merged_problem(other.name))
            keep_id = uuid.UUID(into.new_value)
            keep = self._live(session, Customer, keep_id)
            for edit in edits:
                table = tables.get(edit.entity)
                if table is None:
                    continue
                if edit.field == MOVED:
                    moved[edit.entity] = moved.get(edit.entity, 0) + 1
                    session.execute(update(table).where(col(table.id) == edit.entity_id,
                                                        _owner(table) == keep_id)
                                    .values(customer_id=other_id, updated_at=now))
                elif edit.field == _PRIMARY:
                    session.execute(update(Contact).where(col(Contact.id) == edit.entity_id)
                                    .values(is_primary=True, updated_at=now))
            label = f"{other.name} ({other.id.hex[:8]})"
            self._log(session, keep_id, "customer", keep_id, MERGED_FROM, label, None, now)
            self._log(session, other_id, "customer", other_id, "deleted_at", stamp.isoformat(),
                      None, now)
            other.deleted_at, other.updated_at = None, now
            session.add(other)
            session.flush()
            CustomerStore.refresh_customer_facts(session, {keep_id, other_id})
            for customer_id in (keep_id, other_id):  # each is won exactly by its own contracts
                settle_customer(session, customer_id, now,
                                won=_("Merge undone: a signed contract came back."),
                                unwon=_("Merge undone: its signed contract went back."))
            sync_search_index(session.connection())
            return MergeOutcome(keep_id, keep.name, other_id, other.name, moved)

    def resolve_merged_id(self, key: str) -> uuid.UUID:
        """The id of the one merged-away (deleted) customer whose id starts with `key`."""
        prefix = key.strip().lower().replace("-", "")
        what = str(Customer.__tablename__)
        if not prefix or any(ch not in "0123456789abcdef" for ch in prefix):
            raise NotFound(what, key)
        with self.db.read() as session:
            id_text = cast(col(Customer.id), String)
            rows = session.exec(
                select(Customer.id)
                .where(id_text >= prefix, id_text < prefix + "g")
                .where(col(Customer.deleted_at).is_not(None))
                .limit(2)
            ).all()
        if len(rows) != 1:
            raise NotFound(what, key) if not rows else Ambiguous(what, key, len(rows))
        return rows[0]

    # -- helpers --------------------------------------------------------------------------

    @staticmethod
    def _primary_of(session: Session, customer_id: uuid.UUID) -> uuid.UUID | None:
        return session.exec(select(Contact.id).where(
            Contact.customer_id == customer_id, col(Contact.is_primary).is_(True),
            col(Contact.deleted_at).is_(None))).first()

    def _log(self, session: Session, customer_id: uuid.UUID, entity: str,
             entity_id: uuid.UUID, field: str, old: str | None, new: str | None,
             now: datetime) -> None:
        session.add(FieldEdit(
            customer_id=customer_id, entity=entity, entity_id=entity_id, field=field,
            old_value=old, new_value=new, edited_at=now, edited_by=self.actor or None,
            created_at=now, updated_at=now,
        ))
