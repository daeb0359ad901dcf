"""Market research notes (policy III.1) and the customers found through them (III.2).

A research note belongs to no customer, so it is added here rather than through the
customer path of `records.py`; edits and deletes still go through the generic
`update_record`/`delete_record` (the same shape, only without a customer's history). Linking
a customer to a note is an edit of the customer, logged in its history like any other.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import col, select

from salesdev_tui.domain.validation import ResearchNoteInput
from salesdev_tui.models.enums import Source
from salesdev_tui.models.tables import Customer, ResearchNote
from salesdev_tui.store.base import StoreBase, utc_now

if TYPE_CHECKING:
    from salesdev_tui.db import Database
    from salesdev_tui.store.records import RecordStore


@dataclass(frozen=True)
class LinkedCustomer:
    customer_id: uuid.UUID
    name: str


@dataclass(frozen=True)
class ResearchRow:
    """A research note with the live customers linked to it (by name)."""

    note: ResearchNote
    customers: tuple[LinkedCustomer, ...]


class ResearchStore(StoreBase):
    def __init__(self, db: Database, *, records: RecordStore,
                 clock: Callable[[], datetime] = utc_now, actor: str | None = None) -> None:
        super().__init__(db, clock=clock, actor=actor)
        self.records = records

    def add_research_note(self, data: ResearchNoteInput) -> ResearchNote:
        now = self.now()
        with self.db.write() as session:
            row = ResearchNote(**data.model_dump(), created_at=now, updated_at=now)
            session.add(row)
            return row

    def update_research_note(self, note_id: uuid.UUID, data: ResearchNoteInput) -> ResearchNote:
        return self.records.update_record(ResearchNote, note_id, data)

    def research_notes(self) -> list[ResearchRow]:
        """Live notes, newest first, each with its linked live customers."""
        with self.db.read() as session:
            notes = session.exec(
                select(ResearchNote)
                .where(col(ResearchNote.deleted_at).is_(None))
                .order_by(col(ResearchNote.noted_on).desc(), col(ResearchNote.created_at).desc())
            ).all()
            links = session.exec(
                select(Customer.research_note_id, Customer.id, Customer.name)
                .where(
                    col(Customer.research_note_id).is_not(None),
                    col(Customer.deleted_at).is_(None),
                )
                .order_by(col(Customer.name))
            ).all()
        by_note: dict[uuid.UUID, list[LinkedCustomer]] = {}
        for note_id, customer_id, name in links:
            if note_id is not None:
                by_note.setdefault(note_id, []).append(LinkedCustomer(customer_id, name))
        return [ResearchRow(note, tuple(by_note.get(note.id, ()))) for note in notes]

    def link_research_note(self, customer_id: uuid.UUID, note_id: uuid.UUID | None) -> Customer:
        """Link a customer to a research note (None unlinks), logged as an edit of the customer.

        A customer with no source yet gets "research" as its source: that is where it came
        from (policy III.2). A source already recorded is left as it is.
        """
        now = self.now()
        with self.db.write() as session:
            customer = self._live(session, Customer, customer_id)
            if note_id is not None:
                self._live(session, ResearchNote, note_id)
            changes: dict[str, object] = {"research_note_id": note_id}
            if note_id is not None and customer.source is None:
                changes["source"] = Source.RESEARCH
            self.records.apply(session, customer, changes, now)
            return customer
