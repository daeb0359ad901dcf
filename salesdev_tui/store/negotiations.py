"""Negotiation minutes (policy III.6): the header and its points, written all or nothing."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from salesdev_tui.domain.validation import (
    FieldProblem,
    InvalidInput,
    NegotiationInput,
    NegotiationPointInput,
)
from salesdev_tui.i18n import _
from salesdev_tui.models.tables import Customer, Negotiation, NegotiationPoint, Proposal
from salesdev_tui.store.base import NotFound, StoreBase, utc_now

if TYPE_CHECKING:
    from salesdev_tui.db import Database
    from salesdev_tui.store.records import RecordStore


@dataclass(frozen=True)
class PointDraft:
    """One point as the minutes editor holds it: `id` None for a point not saved yet."""

    data: NegotiationPointInput
    id: uuid.UUID | None = None


@dataclass(frozen=True)
class Minutes:
    """Negotiation minutes with their live points, in the order they were written."""

    negotiation: Negotiation
    points: list[NegotiationPoint]


class NegotiationStore(StoreBase):
    def __init__(self, db: Database, *, records: RecordStore,
                 clock: Callable[[], datetime] = utc_now, actor: str | None = None) -> None:
        super().__init__(db, clock=clock, actor=actor)
        self.records = records

    def minutes_with_points(self, negotiation_id: uuid.UUID) -> Minutes:
        with self.db.read() as session:
            negotiation = self._live(session, Negotiation, negotiation_id)
            return Minutes(negotiation, self._points(session, negotiation_id))

    def save_minutes(
        self,
        customer_id: uuid.UUID,
        minutes: NegotiationInput,
        points: Sequence[PointDraft | NegotiationPointInput],
        *,
        negotiation_id: uuid.UUID | None = None,
    ) -> Minutes:
        """Create (`negotiation_id` None) or update minutes and their points, all or nothing.

        `points` is the whole list as it should be: points given with an id are updated,
        points without one are added, and saved points left out are deleted (softly). Any
        failure (a bad point, a point of other minutes) rolls everything back.
        """
        drafts = [p if isinstance(p, PointDraft) else PointDraft(p) for p in points]
        now = self.now()
        with self.db.write() as session:
            customer = self._live(session, Customer, customer_id)
            self._check_proposal(session, customer_id, minutes.proposal_id)
            if negotiation_id is None:
                row = Negotiation(
                    **minutes.model_dump(), customer_id=customer_id, created_at=now,
                    updated_at=now,
                )
                session.add(row)
                self._touch_customer(session, customer, now)
            else:
                row = self._live(session, Negotiation, negotiation_id)
                if row.customer_id != customer_id:
                    raise NotFound(_("negotiation"), str(negotiation_id))
                self.records.apply(session, row, minutes.model_dump(), now)
            session.flush()
            existing = {p.id: p for p in self._points(session, row.id)}
            kept: list[NegotiationPoint] = []
            for position, draft in enumerate(drafts):
                values = {**draft.data.model_dump(), "position": position}
                if draft.id is None:
                    point = NegotiationPoint(
                        **values, negotiation_id=row.id, created_at=now, updated_at=now
                    )
                    session.add(point)
                else:
                    found = existing.pop(draft.id, None)
                    if found is None:
                        raise NotFound(_("negotiation point"), str(draft.id))
                    point = found
                    if any(getattr(point, k) != v for k, v in values.items()):
                        for key, value in values.items():
                            setattr(point, key, value)
                        point.updated_at = now
                        session.add(point)
                kept.append(point)
            for gone in existing.values():
                gone.deleted_at = now
                gone.updated_at = now
                session.add(gone)
            # Flush here so a bad point fails inside this transaction, never after it.
            session.flush()
            return Minutes(row, kept)

    def set_point_resolved(self, point_id: uuid.UUID, resolved: bool = True) -> NegotiationPoint:
        """Tick a point off (or un-tick it)."""
        now = self.now()
        with self.db.write() as session:
            point = self._live(session, NegotiationPoint, point_id)
            if point.resolved != resolved:
                point.resolved = resolved
                point.updated_at = now
                session.add(point)
                negotiation = self._live(session, Negotiation, point.negotiation_id)
                customer = session.get(Customer, negotiation.customer_id)
                if customer is not None:
                    self._touch_customer(session, customer, now)
            return point

    def minutes_of(self, customer_id: uuid.UUID) -> list[Negotiation]:
        """A customer's minutes, the latest meeting first."""
        with self.db.read() as session:
            stmt = (
                select(Negotiation)
                .where(
                    Negotiation.customer_id == customer_id,
                    col(Negotiation.deleted_at).is_(None),
                )
                .order_by(col(Negotiation.held_at).desc())
            )
            return list(session.exec(stmt).all())

    @staticmethod
    def _points(session: Session, negotiation_id: uuid.UUID) -> list[NegotiationPoint]:
        stmt = (
            select(NegotiationPoint)
            .where(
                NegotiationPoint.negotiation_id == negotiation_id,
                col(NegotiationPoint.deleted_at).is_(None),
            )
            .order_by(col(NegotiationPoint.position), col(NegotiationPoint.created_at))
        )
        return list(session.exec(stmt).all())

    @staticmethod
    def _check_proposal(
        session: Session, customer_id: uuid.UUID, proposal_id: uuid.UUID | None
    ) -> None:
        if proposal_id is None:
            return
        proposal = session.get(Proposal, proposal_id)
        if proposal is None or proposal.deleted_at is not None or (
            proposal.customer_id != customer_id
        ):
            raise InvalidInput(
                (FieldProblem("proposal_id", _("Proposal: not a proposal of this customer")),)
            )
