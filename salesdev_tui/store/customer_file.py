"""Everything recorded about one customer, read in one transaction for the customer's page."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TypeVar

from sqlmodel import Session, col, select

from salesdev_tui.models.tables import (
    CompetitorNote,
    Contact,
    ContactPlan,
    Contract,
    CreditCheck,
    Customer,
    FieldEdit,
    Milestone,
    NeedsNote,
    Negotiation,
    NegotiationPoint,
    ProgressReport,
    Proposal,
    ProposalLine,
    Record,
    StageChange,
    Survey,
)
from salesdev_tui.store.base import StoreBase

R = TypeVar("R", bound=Record)


@dataclass
class CustomerFile:
    """A customer with all its records, each list newest first (history oldest first)."""

    customer: Customer
    contacts: list[Contact] = field(default_factory=list)
    plans: list[ContactPlan] = field(default_factory=list)
    needs: list[NeedsNote] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    proposal_lines: dict[uuid.UUID, list[ProposalLine]] = field(default_factory=dict)
    negotiations: list[Negotiation] = field(default_factory=list)
    points: dict[uuid.UUID, list[NegotiationPoint]] = field(default_factory=dict)
    contracts: list[Contract] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    progress_reports: list[ProgressReport] = field(default_factory=list)
    surveys: list[Survey] = field(default_factory=list)
    credit_checks: list[CreditCheck] = field(default_factory=list)
    competitor_notes: list[CompetitorNote] = field(default_factory=list)
    stage_changes: list[StageChange] = field(default_factory=list)
    field_edits: list[FieldEdit] = field(default_factory=list)


def _children(session: Session, model: type[R], customer_id: uuid.UUID, order: object) -> list[R]:
    stmt = (
        select(model)
        .where(
            col(model.customer_id) == customer_id,  # type: ignore[attr-defined]
            col(model.deleted_at).is_(None),
        )
        .order_by(order)  # type: ignore[arg-type]
    )
    return list(session.exec(stmt).all())


class CustomerFileStore(StoreBase):
    def customer_file(self, customer_id: uuid.UUID) -> CustomerFile:
        with self.db.read() as session:
            customer = self._live(session, Customer, customer_id)
            file = CustomerFile(customer=customer)
            file.contacts = _children(
                session, Contact, customer_id, col(Contact.is_primary).desc()
            )
            file.plans = _children(
                session, ContactPlan, customer_id, col(ContactPlan.scheduled_at).desc()
            )
            file.needs = _children(session, NeedsNote, customer_id, col(NeedsNote.noted_at).desc())
            file.proposals = _children(
                session, Proposal, customer_id, col(Proposal.version).desc()
            )
            proposal_ids = [p.id for p in file.proposals]
            if proposal_ids:
                lines = session.exec(
                    select(ProposalLine)
                    .where(
                        col(ProposalLine.proposal_id).in_(proposal_ids),
                        col(ProposalLine.deleted_at).is_(None),
                    )
                    .order_by(col(ProposalLine.position))
                ).all()
                for line in lines:
                    file.proposal_lines.setdefault(line.proposal_id, []).append(line)
            file.negotiations = _children(
                session, Negotiation, customer_id, col(Negotiation.held_at).desc()
            )
            negotiation_ids = [n.id for n in file.negotiations]
            if negotiation_ids:
                points = session.exec(
                    select(NegotiationPoint)
                    .where(
                        col(NegotiationPoint.negotiation_id).in_(negotiation_ids),
                        col(NegotiationPoint.deleted_at).is_(None),
                    )
                    .order_by(col(NegotiationPoint.position))
                ).all()
                for point in points:
                    file.points.setdefault(point.negotiation_id, []).append(point)
            file.contracts = _children(
                session, Contract, customer_id, col(Contract.created_at).desc()
            )
            file.milestones = _children(session, Milestone, customer_id, col(Milestone.due_on))
            file.progress_reports = _children(
                session, ProgressReport, customer_id, col(ProgressReport.sent_at).desc()
            )
            file.surveys = _children(session, Survey, customer_id, col(Survey.taken_at).desc())
            file.credit_checks = _children(
                session, CreditCheck, customer_id, col(CreditCheck.checked_on).desc()
            )
            file.competitor_notes = _children(
                session, CompetitorNote, customer_id, col(CompetitorNote.created_at).desc()
            )
            file.stage_changes = _children(
                session, StageChange, customer_id, col(StageChange.changed_at)
            )
            file.field_edits = _children(
                session, FieldEdit, customer_id, col(FieldEdit.edited_at)
            )
        return file
