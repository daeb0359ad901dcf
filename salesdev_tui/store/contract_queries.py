"""What the contract code reads: a customer's contracts, the proposals a contract may link.

Plain functions over an open session, shared by the contract store's reads and writes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session, col, select

from salesdev_tui.domain.proposals import proposal_total
from salesdev_tui.models.enums import WORST_CREDIT_RATING, CreditRating, ProposalStatus
from salesdev_tui.models.tables import Contract, Customer, Proposal, ProposalLine


@dataclass(frozen=True)
class LinkableProposal:
    """An accepted proposal a contract may be linked to, with its exact total."""

    id: uuid.UUID
    version: int
    title: str
    total: Decimal


@dataclass(frozen=True)
class ContractDesk:
    """What the contract screen needs, read at once."""

    customer: Customer
    contract: Contract | None
    proposals: list[LinkableProposal]
    latest_credit_rating: CreditRating | None

    @property
    def poor_credit(self) -> bool:
        return self.latest_credit_rating == WORST_CREDIT_RATING


def proposal_lines(session: Session, proposal_id: uuid.UUID) -> list[ProposalLine]:
    return list(session.exec(
        select(ProposalLine).where(
            ProposalLine.proposal_id == proposal_id, col(ProposalLine.deleted_at).is_(None)
        )
    ).all())


def linkable_proposals(session: Session, customer_id: uuid.UUID) -> list[LinkableProposal]:
    """The customer's accepted proposals, the latest version first."""
    proposals = session.exec(
        select(Proposal)
        .where(
            Proposal.customer_id == customer_id,
            Proposal.status == ProposalStatus.ACCEPTED,
            col(Proposal.deleted_at).is_(None),
        )
        .order_by(col(Proposal.version).desc())
    ).all()
    return [
        LinkableProposal(p.id, p.version, p.title, proposal_total(proposal_lines(session, p.id)))
        for p in proposals
    ]


def live_contracts(session: Session, customer_id: uuid.UUID) -> list[Contract]:
    """The customer's contracts, the latest drafted first."""
    stmt = (
        select(Contract)
        .where(Contract.customer_id == customer_id, col(Contract.deleted_at).is_(None))
        .order_by(col(Contract.created_at).desc())
    )
    return list(session.exec(stmt).all())
