"""Proposals (policy III.5): versioned offers with line items, and their status.

Rules kept here, for both faces (TUI and CLI):

- A proposal is numbered per customer: a new one, or a new version of an old one, takes the
  customer's highest version + 1 (deleted ones count too, so a number is never reused).
- Only a draft can change. Once presented, what the customer saw stays as it was; the rep
  makes a new version from it (`new_version_from`). The rep's own `notes` stay editable at any
  status: they are private and never part of the offer.
- Status: draft -> presented (sets `presented_at`; needs at least one line) -> accepted or
  rejected; accepted and rejected are final; only the current version (the customer's
  highest live one) may be presented or accepted. The rules are `services.proposals`'.
- One accepted proposal per customer at a time: the customer has agreed to one offer, and
  the contract is drawn from it. Accepting a second is refused until the first is deleted.
- Lines are replaced in one transaction, in the order given (`position` 0, 1, 2, …). A line
  that comes with the id of a stored line of the same proposal updates that row; stored lines
  not named are soft-deleted.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import Session, col, select

from salesdev_tui.domain.proposals import (
    LINE_FIELDS,
    LineEdit,
    ProposalRefused,
    as_edit,
    frozen_change_problem,
    frozen_message,
    second_acceptance_problem,
    status_move_problem,
)
from salesdev_tui.models.enums import ProposalStatus
from salesdev_tui.models.tables import Customer, Proposal, ProposalLine
from salesdev_tui.models.views import ProposalWithLines
from salesdev_tui.store.base import StoreBase
from salesdev_tui.store.customers import CustomerStore

if TYPE_CHECKING:  # the input models in the writes' signatures; a reader need not load them
    from salesdev_tui.domain.validation import ProposalInput, ProposalLineInput


class ProposalStore(StoreBase):
    def create_proposal(
        self,
        customer_id: uuid.UUID,
        header: ProposalInput,
        lines: Sequence[LineEdit | ProposalLineInput] = (),
    ) -> Proposal:
        """A new draft with its lines, numbered after the customer's last version."""
        now = self.now()
        with self.db.write() as session:
            customer = self._live(session, Customer, customer_id)
            row = Proposal(
                **header.model_dump(),
                customer_id=customer_id,
                version=self._next_version(session, customer_id),
                status=ProposalStatus.DRAFT,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            session.flush()
            self._replace_lines(session, row, lines, now)
            self._touch_customer(session, customer, now)
            CustomerStore.refresh_pipeline(session, {customer_id})
            return row

    def update_proposal(
        self,
        proposal_id: uuid.UUID,
        header: ProposalInput,
        lines: Sequence[LineEdit | ProposalLineInput] | None = None,
    ) -> Proposal:
        """Save the header (each change in the edit history) and, if given, the lines."""
        now = self.now()
        with self.db.write() as session:
            row = self._live(session, Proposal, proposal_id)
            changes = header.model_dump()
            if row.status != ProposalStatus.DRAFT:
                self._refuse_frozen_change(session, row, changes, lines)
            self.apply_proposal(session, row, changes, now)
            if lines is not None and row.status == ProposalStatus.DRAFT:
                _kept, changed = self._replace_lines(session, row, lines, now)
                if changed:
                    self._touch_proposal(session, row, now)
                    CustomerStore.refresh_pipeline(session, {row.customer_id})
            return row

    def replace_lines(
        self, proposal_id: uuid.UUID, lines: Sequence[LineEdit | ProposalLineInput]
    ) -> list[ProposalLine]:
        """Replace a draft's lines, in this order, in one transaction."""
        now = self.now()
        with self.db.write() as session:
            row = self._live(session, Proposal, proposal_id)
            if row.status != ProposalStatus.DRAFT:
                raise ProposalRefused(frozen_message(row))
            kept, changed = self._replace_lines(session, row, lines, now)
            if changed:
                self._touch_proposal(session, row, now)
                CustomerStore.refresh_pipeline(session, {row.customer_id})
            return kept

    def set_proposal_status(self, proposal_id: uuid.UUID, status: ProposalStatus) -> Proposal:
        """Move a proposal along draft -> presented -> accepted | rejected."""
        now = self.now()
        with self.db.write() as session:
            row = self._live(session, Proposal, proposal_id)
            if status == row.status:
                return row
            live = session.exec(
                select(Proposal.version).where(
                    Proposal.customer_id == row.customer_id, col(Proposal.deleted_at).is_(None)
                )
            ).all()
            problem = status_move_problem(
                row, status, max(live, default=None),
                has_lines=bool(self._lines_of(session, row.id)),
            )
            if problem is not None:
                raise ProposalRefused(problem)
            if status == ProposalStatus.ACCEPTED:
                other = session.exec(
                    select(Proposal).where(
                        Proposal.customer_id == row.customer_id,
                        Proposal.status == ProposalStatus.ACCEPTED,
                        Proposal.id != row.id,
                        col(Proposal.deleted_at).is_(None),
                    )
                ).first()
                if other is not None:
                    raise ProposalRefused(second_acceptance_problem(other.version))
            changes: dict[str, object] = {"status": status}
            if status == ProposalStatus.PRESENTED:
                changes["presented_at"] = now
            self.apply_proposal(session, row, changes, now)
            return row

    def new_version_from(self, proposal_id: uuid.UUID) -> Proposal:
        """A new draft copying the header and lines; the old proposal stays as it was."""
        from salesdev_tui.domain.validation import ProposalInput

        now = self.now()
        with self.db.write() as session:
            old = self._live(session, Proposal, proposal_id)
            customer = self._live(session, Customer, old.customer_id)
            header = {name: getattr(old, name) for name in ProposalInput.model_fields}
            row = Proposal(
                **header,
                customer_id=old.customer_id,
                previous_id=old.id,
                version=self._next_version(session, old.customer_id),
                status=ProposalStatus.DRAFT,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            session.flush()
            for line in self._lines_of(session, old.id):
                values = {name: getattr(line, name) for name in LINE_FIELDS}
                session.add(
                    ProposalLine(
                        **values,
                        proposal_id=row.id,
                        position=line.position,
                        created_at=now,
                        updated_at=now,
                    )
                )
            self._touch_customer(session, customer, now)
            CustomerStore.refresh_pipeline(session, {old.customer_id})
            return row

    def proposal_with_lines(self, proposal_id: uuid.UUID) -> ProposalWithLines:
        with self.db.read() as session:
            row = self._live(session, Proposal, proposal_id)
            customer = session.get(Customer, row.customer_id)
            first, seen = row, {row.id}
            while first.previous_id is not None and first.previous_id not in seen:
                earlier = session.get(Proposal, first.previous_id)
                if earlier is None:
                    break
                first = earlier
                seen.add(first.id)
            return ProposalWithLines(
                proposal=row,
                lines=self._lines_of(session, row.id),
                customer_name=customer.name if customer is not None else "",
                customer_tax_id=customer.tax_id if customer is not None else None,
                first_id=first.id,
                first_created_at=first.created_at,
            )

    def proposals_of(self, customer_id: uuid.UUID) -> list[Proposal]:
        """A customer's live proposals, the latest version first."""
        with self.db.read() as session:
            stmt = (
                select(Proposal)
                .where(Proposal.customer_id == customer_id, col(Proposal.deleted_at).is_(None))
                .order_by(col(Proposal.version).desc())
            )
            return list(session.exec(stmt).all())

    # -- helpers ------------------------------------------------------------------------------

    def apply_proposal(self, session: Session, row: Proposal | ProposalLine,
                       changes: dict[str, object], now: datetime) -> None:
        """Every change of a proposal or line (here or through `RecordStore.apply`: a status, a
        deletion or its undoing) keeps the customer's pipeline value right."""
        self._log_changes(session, row, changes, now)
        customer_id: uuid.UUID | None = None
        if isinstance(row, Proposal):
            customer_id = row.customer_id
        elif isinstance(row, ProposalLine):
            proposal = session.get(Proposal, row.proposal_id)
            customer_id = proposal.customer_id if proposal is not None else None
        if customer_id is not None:
            CustomerStore.refresh_pipeline(session, {customer_id})

    @staticmethod
    def _next_version(session: Session, customer_id: uuid.UUID) -> int:
        highest = session.exec(
            select(func.max(Proposal.version)).where(Proposal.customer_id == customer_id)
        ).one()
        return int(highest or 0) + 1

    @staticmethod
    def _lines_of(session: Session, proposal_id: uuid.UUID) -> list[ProposalLine]:
        stmt = (
            select(ProposalLine)
            .where(
                ProposalLine.proposal_id == proposal_id,
                col(ProposalLine.deleted_at).is_(None),
            )
            .order_by(col(ProposalLine.position), col(ProposalLine.created_at))
        )
        return list(session.exec(stmt).all())

    def _replace_lines(
        self,
        session: Session,
        proposal: Proposal,
        lines: Sequence[LineEdit | ProposalLineInput],
        now: datetime,
    ) -> tuple[list[ProposalLine], bool]:
        """Write `lines` as the proposal's lines; returns them and whether anything changed."""
        stored = {line.id: line for line in self._lines_of(session, proposal.id)}
        kept: list[ProposalLine] = []
        changed = False
        for position, item in enumerate(as_edit(line) for line in lines):
            values = item.data.model_dump()
            row = stored.pop(item.line_id, None) if item.line_id is not None else None
            if row is None:
                changed = True
                row = ProposalLine(
                    **values, proposal_id=proposal.id, position=position,
                    created_at=now, updated_at=now,
                )
            else:
                before = (row.position, *(getattr(row, name) for name in LINE_FIELDS))
                for name, value in values.items():
                    setattr(row, name, value)
                row.position = position
                if before != (row.position, *(getattr(row, name) for name in LINE_FIELDS)):
                    changed = True
                    row.updated_at = now
            session.add(row)
            kept.append(row)
        for gone in stored.values():
            changed = True
            gone.deleted_at = now
            gone.updated_at = now
            session.add(gone)
        return kept, changed

    def _touch_proposal(self, session: Session, row: Proposal, now: datetime) -> None:
        row.updated_at = now
        session.add(row)
        customer = session.get(Customer, row.customer_id)
        if customer is not None:
            self._touch_customer(session, customer, now)

    def _refuse_frozen_change(
        self,
        session: Session,
        row: Proposal,
        changes: dict[str, object],
        lines: Sequence[LineEdit | ProposalLineInput] | None,
    ) -> None:
        """Past draft, only the private notes may change (`services.proposals`)."""
        stored = [
            tuple(getattr(line, name) for name in LINE_FIELDS)
            for line in self._lines_of(session, row.id)
        ]
        problem = frozen_change_problem(row, changes, stored, lines)
        if problem is not None:
            raise ProposalRefused(problem)

