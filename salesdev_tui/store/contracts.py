"""Contracts (policy III.7): terms, legal review, carrying agreed points in, and signing.

Rules kept here, in the write transaction:
- only an accepted proposal of the same customer may be linked; a contract linked to one
  with no value yet takes the proposal's exact total;
- changing a clause after legal gave its verdict sends the review back to pending (legal
  reviewed other words than the ones that would be signed);
- a signed contract no longer changes;
- on a team, legal's verdict is the server's: the rep cannot record one, and signing
  needs the approval the server recorded (`domain.legal_approval.team_approval_problem`);
- signing needs the six clauses and legal approval (`services.contracts`), and a credit
  override reason when the latest rating is the worst; it moves the customer to won through
  the same gates as every other stage move (`CustomerStore.change_stage_in`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from salesdev_tui.domain.contract_numbers import DEFAULT_PREFIX, next_number, year_pattern
from salesdev_tui.domain.contracts import (
    ContractRefused,
    SigningRefused,
    carried_text,
    carry_problem,
    clause_length_problem,
    signed_problem,
    signing_refusal,
)
from salesdev_tui.domain.legal_approval import (
    approval_problems,
    team_approval_problem,
)
from salesdev_tui.domain.proposals import proposal_total
from salesdev_tui.domain.stages import StageRefused
from salesdev_tui.domain.validation import (
    ContractInput,
    FieldProblem,
    InvalidInput,
    LegalReviewInput,
    validate,
)
from salesdev_tui.i18n import _
from salesdev_tui.models import limits
from salesdev_tui.models.enums import (
    WORST_CREDIT_RATING,
    LegalReview,
    PointKind,
    ProposalStatus,
    Stage,
)
from salesdev_tui.models.tables import (
    CONTRACT_CLAUSES,
    Contract,
    Customer,
    Negotiation,
    NegotiationPoint,
    Proposal,
)
from salesdev_tui.store.base import StoreBase, utc_now
from salesdev_tui.store.contract_queries import (
    ContractDesk,
    linkable_proposals,
    live_contracts,
    proposal_lines,
)
from salesdev_tui.store.legal_review import on_team, review_evidence

if TYPE_CHECKING:
    from salesdev_tui.db import Database
    from salesdev_tui.store.customers import CustomerStore
    from salesdev_tui.store.records import RecordStore


@dataclass(frozen=True)
class Numbering:
    """How new contracts are numbered: the configured prefix, years cut in the rep's zone."""

    prefix: str = DEFAULT_PREFIX
    zone: tzinfo = UTC


_DEFAULT = Numbering()


@dataclass(frozen=True)
class SignResult:
    contract: Contract
    customer: Customer
    moved_to_won: bool


class ContractStore(StoreBase):
    def __init__(self, db: Database, *, records: RecordStore, customers: CustomerStore,
                 clock: Callable[[], datetime] = utc_now, actor: str | None = None) -> None:
        super().__init__(db, clock=clock, actor=actor)
        self.records = records
        self.customers = customers

    # -- reading --------------------------------------------------------------------------

    def contract_desk(self, customer_id: uuid.UUID, contract_id: uuid.UUID | None) -> ContractDesk:
        with self.db.read() as session:
            customer = self._live(session, Customer, customer_id)
            contract = None
            if contract_id is not None:
                contract = self._live(session, Contract, contract_id)
                if contract.customer_id != customer_id:
                    raise ContractRefused(_("That contract belongs to another customer."))
            rating = self.customers.stage_facts_in(session, customer_id).latest_credit_rating
            proposals = linkable_proposals(session, customer_id)
            return ContractDesk(customer, contract, proposals, rating)

    def contracts_of(self, customer_id: uuid.UUID) -> list[Contract]:
        """A customer's contracts, the latest drafted first."""
        with self.db.read() as session:
            return live_contracts(session, customer_id)

    def open_contract(self, customer_id: uuid.UUID) -> Contract | None:
        """The latest contract of the customer not signed yet, if any."""
        with self.db.read() as session:
            return next(
                (c for c in live_contracts(session, customer_id) if c.signed_at is None), None
            )

    # -- writing the terms ----------------------------------------------------------------

    def create_contract(
        self, customer_id: uuid.UUID, data: ContractInput, *, numbering: Numbering = _DEFAULT
    ) -> Contract:
        return self.save_contract(customer_id, None, data, numbering=numbering)

    def update_contract(self, contract_id: uuid.UUID, data: ContractInput) -> Contract:
        """Apply the changed terms (logged in the edit history)."""
        with self.db.read() as session:
            customer_id = self._live(session, Contract, contract_id).customer_id
        return self.save_contract(customer_id, contract_id, data)

    def save_contract(
        self,
        customer_id: uuid.UUID,
        contract_id: uuid.UUID | None,
        data: ContractInput,
        review: LegalReviewInput | None = None,
        *,
        numbering: Numbering = _DEFAULT,
    ) -> Contract:
        """Create (`contract_id` None) or update the terms, and record a legal verdict given
        with them, in one transaction. The verdict applies to the terms as saved here.

        A new contract with no number typed gets the next of its year (`numbering`)."""
        now = self.now()
        with self.db.write() as session:
            customer = self._live(session, Customer, customer_id)
            values = data.model_dump()
            values["value"] = self._linked_value(session, customer_id, data)
            if contract_id is None and values.get("number") is None:
                values["number"] = self._next_number(session, numbering, now)
            if contract_id is None:
                row = Contract(**values, customer_id=customer_id, created_at=now, updated_at=now)
                session.add(row)
                self._touch_customer(session, customer, now)
            else:
                row = self._unsigned(session, contract_id)
                if row.customer_id != customer_id:
                    raise ContractRefused(_("That contract belongs to another customer."))
                self._write_terms(session, row, values, now)
            if review is not None:
                self._review(session, row, review, now)
            return row

    def set_clauses(self, contract_id: uuid.UUID, clauses: Mapping[str, str | None]) -> Contract:
        """Set some of the six clauses (text checked as a form would check it)."""
        unknown = [name for name in clauses if name not in CONTRACT_CLAUSES]
        if unknown:
            raise InvalidInput(tuple(
                FieldProblem(name, _("{name}: not one of the six clauses").format(name=name))
                for name in unknown
            ))
        checked = validate(ContractInput, dict(clauses))
        values = {name: getattr(checked, name) for name in clauses}
        now = self.now()
        with self.db.write() as session:
            row = self._unsigned(session, contract_id)
            self._write_terms(session, row, values, now)
            return row

    def carry_point_into_clause(
        self, point_id: uuid.UUID, contract_id: uuid.UUID, clause: str
    ) -> Contract:
        """Append an agreed point's text to a clause (nothing when the clause has it already)."""
        known = carry_problem(clause, CONTRACT_CLAUSES, agreed=True, same_customer=True)
        if known is not None:
            raise ContractRefused(known)
        now = self.now()
        with self.db.write() as session:
            point = self._live(session, NegotiationPoint, point_id)
            agreed = carry_problem(clause, CONTRACT_CLAUSES,
                                   agreed=point.kind == PointKind.AGREED, same_customer=True)
            if agreed is not None:
                raise ContractRefused(agreed)
            minutes = self._live(session, Negotiation, point.negotiation_id)
            row = self._unsigned(session, contract_id)
            problem = carry_problem(clause, CONTRACT_CLAUSES,
                                    agreed=point.kind == PointKind.AGREED,
                                    same_customer=minutes.customer_id == row.customer_id)
            if problem is not None:
                raise ContractRefused(problem)
            text = carried_text(getattr(row, clause), point.text)
            if text is None:
                return row  # carried before: the clause holds it as its own line(s)
            too_long = clause_length_problem(clause, text, limits.TEXT)
            if too_long is not None:
                raise ContractRefused(too_long)
            self._write_terms(session, row, {clause: text}, now)
            return row

    # -- legal review ---------------------------------------------------------------------

    def send_to_legal(self, contract_id: uuid.UUID) -> Contract:
        """Record that the contract went to the legal department now (a new round: pending)."""
        now = self.now()
        with self.db.write() as session:
            row = self._unsigned(session, contract_id)
            changes: dict[str, object] = {
                "legal_sent_at": now,
                "legal_review": LegalReview.PENDING,
                "legal_reviewed_at": None,
            }
            self.records.apply(session, row, changes, now)
            return row

    def record_legal_review(self, contract_id: uuid.UUID, review: LegalReviewInput) -> Contract:
        """Record legal's verdict; the review date defaults to now (none while pending)."""
        now = self.now()
        with self.db.write() as session:
            row = self._unsigned(session, contract_id)
            self._review(session, row, review, now)
            return row

    def _review(
        self, session: Session, row: Contract, review: LegalReviewInput, now: datetime
    ) -> None:
        if on_team(session.connection()):
            raise ContractRefused(_("On a team, legal records its verdict on the team server:"
                                    " send the contract for review."))
        problems = approval_problems(review.legal_review, review.legal_reviewer,
                                     review.legal_reviewed_at, now, need_date=False)
        if problems:
            raise InvalidInput(problems)
        changes = review.model_dump()
        if review.legal_review == LegalReview.PENDING:
            changes["legal_reviewed_at"] = None
        elif review.legal_reviewed_at is None:
            # The same verdict again (a comment fixed) keeps the day it was given.
            same = review.legal_review == row.legal_review and row.legal_reviewed_at
            changes["legal_reviewed_at"] = row.legal_reviewed_at if same else now
        self.records.apply(session, row, changes, now)

    # -- signing --------------------------------------------------------------------------

    def sign(self, contract_id: uuid.UUID, *, credit_override: str | None = None) -> SignResult:
        """Sign the contract and move the customer to won, in one write transaction.

        Raises SigningRefused naming what is missing (clauses, legal approval, a credit
        override reason), or StageRefused when the stage gates refuse won.
        """
        override = (credit_override or "").strip() or None
        if override is not None and len(override) > limits.REASON:
            raise SigningRefused([_("Credit override reason: at most {limit} characters").format(
                limit=limits.REASON)])
        now = self.now()
        with self.db.write() as session:
            row = self._live(session, Contract, contract_id)
            signed = signed_problem(row.signed_at is not None, signing=True)
            if signed is not None:
                raise ContractRefused(signed)
            facts = self.customers.stage_facts_in(session, row.customer_id)
            poor = facts.latest_credit_rating == WORST_CREDIT_RATING
            refusal = signing_refusal(row, poor_credit=poor, worst=WORST_CREDIT_RATING.value,
                                      override=override)
            if refusal is not None:
                raise refusal
            if on_team(session.connection()):
                stamped_by, unsynced = review_evidence(session.connection(), row.id)
                unproven = team_approval_problem(row.legal_review, row.legal_reviewer,
                                                 stamped_by, unsynced)
                if unproven is not None:
                    raise SigningRefused([unproven])
            row.signed_at = now
            row.credit_override_reason = override if poor else None
            row.updated_at = now
            session.add(row)
            session.flush()
            self.customers.refresh_customer_facts(session, {row.customer_id})
            customer = self._live(session, Customer, row.customer_id)
            session.refresh(customer)
            moved = customer.stage != Stage.WON
            if moved:
                reason = _("Contract {number} signed.").format(number=row.number or "—")
                try:
                    self.customers.change_stage_in(
                        session, customer, Stage.WON, reason, override if poor else None, now
                    )
                except StageRefused as exc:
                    raise SigningRefused(
                        [issue.message for issue in exc.decision.blockers] or [str(exc)]
                    ) from exc
            else:
                self._touch_customer(session, customer, now)
            return SignResult(row, customer, moved)

    # -- shared ---------------------------------------------------------------------------

    @staticmethod
    def _next_number(session: Session, numbering: Numbering, now: datetime) -> str:
        """The year's next number; read inside the write transaction, so two contracts
        created at once cannot get the same one (SQLite has one writer)."""
        year = now.astimezone(numbering.zone).year
        stmt = sa_select(col(Contract.number)).where(
            col(Contract.number).like(year_pattern(numbering.prefix, year), escape="\\"))
        return next_number(numbering.prefix, year, session.execute(stmt).scalars())

    def _unsigned(self, session: Session, contract_id: uuid.UUID) -> Contract:
        row = self._live(session, Contract, contract_id)
        signed = signed_problem(row.signed_at is not None)
        if signed is not None:
            raise ContractRefused(signed)
        return row

    def _write_terms(
        self, session: Session, row: Contract, values: dict[str, object], now: datetime
    ) -> None:
        clause_changed = any(
            name in CONTRACT_CLAUSES and getattr(row, name) != value
            for name, value in values.items()
        )
        if clause_changed and row.legal_review != LegalReview.PENDING:
            values = {**values, "legal_review": LegalReview.PENDING, "legal_reviewed_at": None,
                      "legal_sent_at": None}
        self.records.apply(session, row, values, now)

    def _linked_value(
        self, session: Session, customer_id: uuid.UUID, data: ContractInput
    ) -> Decimal:
        """The value to store: as typed, or the linked proposal's total when none is typed."""
        if data.proposal_id is None:
            return data.value
        proposal = session.get(Proposal, data.proposal_id)
        if (
            proposal is None
            or proposal.deleted_at is not None
            or proposal.customer_id != customer_id
            or proposal.status != ProposalStatus.ACCEPTED
        ):
            raise InvalidInput((FieldProblem(
                "proposal_id",
                _("Proposal: only an accepted proposal of this customer can be linked"),
            ),))
        if data.value:
            return data.value
        return proposal_total(proposal_lines(session, proposal.id))
