"""Deleting a customer: soft (undoable), or purged for good on a confidentiality request.

Soft deletion marks the customer and every live record of theirs with one and the same
`deleted_at`, in one transaction. Undoing clears exactly that mark, so a record the rep had
deleted on its own before stays deleted. Every list, search and KPI query already filters
`deleted_at IS NULL`, and the search index's view shows live customers only.

Purging removes the customer and every row that belongs to them (each table with a
`customer_id`, the rows reached through them such as proposal lines and negotiation points,
and the edit history), then makes sure no copy of their text is left in the file: the
search index is rewritten without them, the database is compacted, and the write-ahead log
is checkpointed and truncated (`db.scrub`). `secure_delete=ON` (db/engine.py) zeroes what is
freed. When another process reads an old snapshot the checkpoint cannot complete: the purge
then reports itself pending (never done early) and the next open or close finishes it.
Backups taken before the purge still hold the customer: the caller says so.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col
from sqlmodel import select as sqlmodel_select

from salesdev_tui.db.scrub import mark_pending, scrub
from salesdev_tui.db.search_index import FTS_TABLE, sync_search_index
from salesdev_tui.i18n import _
from salesdev_tui.models.tables import (
    ALL_TABLES,
    Customer,
    FieldEdit,
    Negotiation,
    NegotiationPoint,
    Proposal,
    ProposalLine,
    Record,
)
from salesdev_tui.store.base import NotFound, StoreBase
from salesdev_tui.store.customers import CustomerStore
from salesdev_tui.store.won_contracts import settle_customer

#: Rows that belong to a customer through a parent record, not through `customer_id`:
#: (child table, its parent-id column, the parent table).
_GRANDCHILDREN: tuple[tuple[type[Record], str, type[Record]], ...] = (
    (ProposalLine, "proposal_id", Proposal),
    (NegotiationPoint, "negotiation_id", Negotiation),
)

def _owned_tables() -> list[type[Record]]:
    """Tables with a `customer_id`, children before parents (the order rows can go in)."""
    return [t for t in reversed(ALL_TABLES) if "customer_id" in t.model_fields]


def _customer_column(table: type[Record]) -> Any:
    return getattr(table, "customer_id")  # noqa: B009 - not every Record has the column


def _belongs(table: type[Record], customer_id: uuid.UUID) -> ColumnElement[bool]:
    """`table`'s rows of the customer, directly or through their parent record."""
    if table is Customer:
        return col(Customer.id) == customer_id
    for child, parent_column, parent in _GRANDCHILDREN:
        if table is child:
            parents = select(col(parent.id)).where(_customer_column(parent) == customer_id)
            return col(getattr(child, parent_column)).in_(parents)
    return _customer_column(table) == customer_id  # type: ignore[no-any-return]


def _delete_proposals(conn: Any, customer_id: uuid.UUID) -> int:
    """The customer's proposals, the latest version first, one at a time.

    A revision points at the proposal it revises with ON DELETE RESTRICT, which SQLite
    checks row by row, not at the statement's end: one DELETE of a customer's proposals
    failed whenever it reached a revised proposal before its revision. A revision always has
    a higher version than the proposal it revises (`ProposalStore.new_version_from`)."""
    ids = conn.execute(
        select(col(Proposal.id)).where(col(Proposal.customer_id) == customer_id)
        .order_by(col(Proposal.version).desc())
    ).scalars().all()
    for proposal_id in ids:
        conn.execute(delete(Proposal).where(col(Proposal.id) == proposal_id))
    return len(ids)


def _all_tables_of_customer() -> list[type[Record]]:
    """Every table holding a customer's rows, children first, the customer last."""
    tables: list[type[Record]] = []
    for table in _owned_tables():
        # Grandchildren go just before their parent.
        tables.extend(child for child, _c, parent in _GRANDCHILDREN if parent is table)
        tables.append(table)
    return [*tables, Customer]


@dataclass(frozen=True)
class DeletedCustomer:
    """A soft-deleted customer, as the "restore" list shows it."""

    id: uuid.UUID
    name: str
    deleted_at: datetime


@dataclass(frozen=True)
class PurgeOutcome:
    """What a purge removed: rows per table (only tables that had some)."""

    rows: dict[str, int]
    #: True when the rows are deleted but their text is still in the file or its WAL:
    #: another connection holds an old snapshot. The scrub finishes at the next open or
    #: close of the database (`db.scrub`); until then the purge is not complete.
    pending: bool = False

    @property
    def total(self) -> int:
        return sum(self.rows.values())


class DeletionStore(StoreBase):
    def delete_customer(self, customer_id: uuid.UUID) -> Customer:
        """Soft-delete the customer and every live record of theirs (undo: undelete)."""
        now = self.now()
        with self.db.write() as session:
            customer = self._live(session, Customer, customer_id)
            for table in _all_tables_of_customer():
                if table in (Customer, FieldEdit):
                    continue  # the history stays as it is: it records the deletion too
                session.connection().execute(
                    update(table)
                    .where(_belongs(table, customer_id), col(table.deleted_at).is_(None))
                    .values(deleted_at=now, updated_at=now)
                )
            self._mark(session, customer, now, now)
            # Their proposals went with them: the column says what the records say.
            CustomerStore.refresh_pipeline(session, {customer_id})
            return customer

    def undelete_customer(self, customer_id: uuid.UUID) -> Customer:
        """Bring back a soft-deleted customer with the records deleted together with them."""
        now = self.now()
        with self.db.write() as session:
            customer = session.get(Customer, customer_id)
            if customer is None or customer.deleted_at is None:
                raise NotFound(_what(), str(customer_id))
            stamp = customer.deleted_at
            for table in _all_tables_of_customer():
                if table in (Customer, FieldEdit):
                    continue
                session.connection().execute(
                    update(table)
                    .where(_belongs(table, customer_id), col(table.deleted_at) == stamp)
                    .values(deleted_at=None, updated_at=now)
                )
            self._mark(session, customer, None, now)
            CustomerStore.refresh_pipeline(session, {customer_id})
            # Its contracts may have changed while it was deleted (an import): won follows
            # its signed contracts again (store.won_contracts).
            settle_customer(
                session, customer_id, now,
                won=_("Restored with a signed contract."),
                unwon=_("Restored without a signed contract."),
            )
            return customer

    def deleted_customers(self) -> list[DeletedCustomer]:
        """Soft-deleted customers, the most recently deleted first."""
        with self.db.read() as session:
            rows = session.exec(
                sqlmodel_select(col(Customer.id), col(Customer.name), col(Customer.deleted_at))
                .where(col(Customer.deleted_at).is_not(None))
                .order_by(col(Customer.deleted_at).desc(), col(Customer.name))
            ).all()
        return [DeletedCustomer(row[0], row[1], row[2]) for row in rows if row[2] is not None]

    def purge_customer(self, customer_id: uuid.UUID) -> PurgeOutcome:
        """Remove the customer (live or soft-deleted) and all of theirs from the file for good."""
        removed: dict[str, int] = {}
        with self.db.write() as session:
            if session.get(Customer, customer_id) is None:
                raise NotFound(_what(), str(customer_id))
            conn = session.connection()
            for table in _all_tables_of_customer():
                if table is Proposal:
                    count = _delete_proposals(conn, customer_id)
                else:
                    count = conn.execute(delete(table).where(_belongs(table, customer_id))
                                         ).rowcount
                if count:
                    removed[str(table.__tablename__)] = int(count)
            # The delete triggers queued the customer's document; removing it from the index
            # leaves a tombstone beside the old segment, and 'optimize' merges both away.
            sync_search_index(conn)
            conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
            # Committed with the delete: should the scrub not finish (a reader elsewhere, a
            # kill), the next open or close of the database finishes it.
            mark_pending(conn, self.now().isoformat())
        done = scrub(self.db.engine, self.db.path)
        return PurgeOutcome(removed, pending=not done)

    # -- helpers --------------------------------------------------------------------------

    def _mark(self, session: Any, customer: Customer, value: datetime | None,
              now: datetime) -> None:
        """Set the customer's deleted_at and write it to the edit history (policy IV)."""
        old = customer.deleted_at
        customer.deleted_at = value
        customer.updated_at = now  # not last_activity_at: deleting is no sales activity
        session.add(customer)
        session.add(FieldEdit(
            customer_id=customer.id, entity=str(Customer.__tablename__), entity_id=customer.id,
            field="deleted_at", old_value=old.isoformat() if old else None,
            new_value=value.isoformat() if value else None, edited_at=now,
            edited_by=self.actor or None, created_at=now, updated_at=now,
        ))


def _what() -> str:
    return str(Customer.__tablename__)
