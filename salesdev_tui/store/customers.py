"""Customers and their contacts: intake, lookup, listing, stage changes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from salesdev_tui.domain.contracts import missing_for_signing
from salesdev_tui.domain.dedupe import company_key
from salesdev_tui.domain.stages import (
    StageDecision,
    StageFacts,
    StageRefused,
    can_proceed,
    decide_stage_change,
)
from salesdev_tui.domain.validation import ContactInput, CustomerInput
from salesdev_tui.models.enums import CreditRating, PlanStatus, Stage
from salesdev_tui.models.tables import (
    Contact,
    ContactPlan,
    Contract,
    CreditCheck,
    Customer,
    NeedsNote,
    Negotiation,
    StageChange,
)
from salesdev_tui.store import customer_list
from salesdev_tui.store.base import StoreBase
from salesdev_tui.store.customer_edit import customer_changes
from salesdev_tui.store.customer_list import CustomerRow as CustomerRow  # re-exported
from salesdev_tui.store.lost_plans import (
    cancel_open_plans,
    plans_cancelled_when_lost,
    restore_cancelled_plans,
)
from salesdev_tui.store.pipeline_value import refresh_pipeline_values

if TYPE_CHECKING:  # the input models (pydantic) only for the writes' signatures: a read
    # command need not load them (issue 15.8)
    from salesdev_tui.domain.validation import ContactInput, CustomerInput


@dataclass(frozen=True)
class StageMove:
    """A stage change written: the gates' decision, and the contact plans it moved.

    `plans_cancelled`: open plans cancelled because the customer was marked lost;
    `plans_restored`: plans that move to lost had cancelled, put back by reopening.
    """

    decision: StageDecision
    plans_cancelled: int = 0
    plans_restored: int = 0


@dataclass(frozen=True)
class StageOutcome:
    """The decision on a stage change and whether it was written."""

    decision: StageDecision
    applied: bool


class CustomerStore(StoreBase):
    def add_lead(self, customer: CustomerInput, contact: ContactInput | None = None) -> Customer:
        """Save a new prospect (and its first contact, as primary) in one transaction."""
        now = self.now()
        with self.db.write() as session:
            data = customer.model_dump()
            row = Customer(
                **data,
                name_key=company_key(data["name"]),
                stage=Stage.PROSPECT,
                created_at=now,
                updated_at=now,
                last_activity_at=now,
            )
            session.add(row)
            session.flush()
            session.add(
                StageChange(
                    customer_id=row.id,
                    from_stage=None,
                    to_stage=Stage.PROSPECT,
                    changed_at=now,
                    created_at=now,
                    updated_at=now,
                )
            )
            if contact is not None:
                data = contact.model_dump()
                data["is_primary"] = True
                session.add(Contact(**data, customer_id=row.id, created_at=now, updated_at=now))
            return row

    def update_customer(self, customer_id: uuid.UUID, data: Any) -> Customer:
        """Apply a validated `CustomerInput` to the customer, logging each changed field.

        Only the fields the input was given are applied (`exclude_unset`): a form that does
        not show a field (the research note link, say) leaves it as it is.
        """
        now = self.now()
        with self.db.write() as session:
            row = self._live(session, Customer, customer_id)
            changes = customer_changes(row, data.model_dump(exclude_unset=True))
            self._log_changes(session, row, changes, now)
            return row

    def get_customer(self, customer_id: uuid.UUID) -> Customer:
        with self.db.read() as session:
            return self._live(session, Customer, customer_id)

    def contacts_of(self, customer_id: uuid.UUID) -> list[Contact]:
        with self.db.read() as session:
            stmt = (
                select(Contact)
                .where(Contact.customer_id == customer_id, col(Contact.deleted_at).is_(None))
                .order_by(col(Contact.is_primary).desc(), col(Contact.name))
            )
            return list(session.exec(stmt).all())

    def stage_history(self, customer_id: uuid.UUID) -> list[StageChange]:
        """Every stage change of a customer, oldest first."""
        with self.db.read() as session:
            stmt = (
                select(StageChange)
                .where(
                    StageChange.customer_id == customer_id,
                    col(StageChange.deleted_at).is_(None),
                )
                .order_by(col(StageChange.changed_at), col(StageChange.created_at))
            )
            return list(session.exec(stmt).all())

    def list_customers(
        self, *, stage: Stage | None = None, limit: int = 100, offset: int = 0
    ) -> list[CustomerRow]:
        """Live customers, most recently changed first, with their next planned contact
        (`customer_list`: the same SQL as `salesdev list` on a plain connection)."""
        with self._raw_read() as conn:
            return customer_list.list_customers(conn, stage=stage, limit=limit, offset=offset)

    def list_and_count(self, *, stage: Stage | None, limit: int) -> tuple[list[CustomerRow],
                                                                          int | None]:
        """The first `limit` customers (at `stage`) and, when the limit cut the list, how
        many there are, in one read transaction (`salesdev list`)."""
        with self._raw_read() as conn:
            return customer_list.list_and_count(conn, stage=stage, limit=limit)

    def count_at_stage(self, stage: Stage | None = None) -> int:
        """How many live customers `list_customers` would list with no limit."""
        with self._raw_read() as conn:
            return customer_list.count_at_stage(conn, stage)

    # -- stages ---------------------------------------------------------------------------

    def stage_facts(self, customer_id: uuid.UUID) -> StageFacts:
        with self.db.read() as session:
            return self.stage_facts_in(session, customer_id)

    @staticmethod
    def _exists(session: Session, stmt: object) -> bool:
        return session.exec(stmt).first() is not None  # type: ignore[call-overload]

    def stage_facts_in(self, session: Session, customer_id: uuid.UUID) -> StageFacts:
        done = self._exists(
            session,
            select(ContactPlan.id).where(
                ContactPlan.customer_id == customer_id,
                ContactPlan.status == PlanStatus.DONE,
                col(ContactPlan.deleted_at).is_(None),
            ),
        )
        needs = self._exists(
            session,
            select(NeedsNote.id).where(
                NeedsNote.customer_id == customer_id, col(NeedsNote.deleted_at).is_(None)
            ),
        )
        minutes = self._exists(
            session,
            select(Negotiation.id).where(
                Negotiation.customer_id == customer_id, col(Negotiation.deleted_at).is_(None)
            ),
        )
        contracts = session.exec(
            select(Contract)
            .where(Contract.customer_id == customer_id, col(Contract.deleted_at).is_(None))
            .order_by(col(Contract.created_at).desc())
        ).all()
        signed = any(c.signed_at is not None for c in contracts)
        unsigned = [c for c in contracts if c.signed_at is None]
        ready = any(not missing_for_signing(c) for c in unsigned)
        # What the latest unsigned contract lacks: the won gate names exactly that.
        missing = tuple(missing_for_signing(unsigned[0])) if unsigned else None
        rating = session.exec(
            select(CreditCheck.rating)
            .where(CreditCheck.customer_id == customer_id, col(CreditCheck.deleted_at).is_(None))
            .order_by(col(CreditCheck.checked_on).desc(), col(CreditCheck.created_at).desc())
            .limit(1)
        ).first()
        return StageFacts(
            has_completed_contact=done,
            has_needs_note=needs,
            has_negotiation=minutes,
            has_ready_contract=ready,
            latest_credit_rating=CreditRating(rating) if rating else None,
            has_signed_contract=signed,
            contract_missing=missing,
        )

    def preview_stage_change(
        self,
        customer_id: uuid.UUID,
        target: Stage,
        *,
        reason: str | None = None,
        credit_override: str | None = None,
    ) -> StageDecision:
        """What the gates say about a move, without writing anything."""
        with self.db.read() as session:
            customer = self._live(session, Customer, customer_id)
            facts = self.stage_facts_in(session, customer_id)
        return decide_stage_change(
            customer.stage, target, facts, reason=reason, credit_override=credit_override
        )

    def change_stage(
        self,
        customer_id: uuid.UUID,
        target: Stage,
        *,
        reason: str | None = None,
        credit_override: str | None = None,
        restore_plans: bool = True,
    ) -> StageDecision:
        """Move a customer through the gates; raises StageRefused if they do not let it pass
        (`move_stage`, returning only the decision)."""
        return self.move_stage(
            customer_id, target, reason=reason, credit_override=credit_override,
            restore_plans=restore_plans,
        ).decision

    def move_stage(
        self,
        customer_id: uuid.UUID,
        target: Stage,
        *,
        reason: str | None = None,
        credit_override: str | None = None,
        restore_plans: bool = True,
    ) -> StageMove:
        """Move a customer through the gates; raises StageRefused if they do not let it pass.

        The decision is taken inside the write transaction, so no other save can change the
        facts between the check and the move. Marking lost cancels the open contact plans;
        reopening a lost customer puts them back unless `restore_plans` is False.
        """
        reason = (reason or "").strip() or None
        credit_override = (credit_override or "").strip() or None
        now = self.now()
        with self.db.write() as session:
            customer = self._live(session, Customer, customer_id)
            return self.change_stage_in(
                session, customer, target, reason, credit_override, now,
                restore_plans=restore_plans,
            )

    def plans_cancelled_when_lost(self, customer_id: uuid.UUID) -> list[ContactPlan]:
        """The plans a reopening of this lost customer would put back (none if not lost)."""
        with self.db.read() as session:
            customer = self._live(session, Customer, customer_id)
            if customer.stage != Stage.LOST:
                return []
            return plans_cancelled_when_lost(session, customer_id)

    def change_stage_in(
        self,
        session: Session,
        customer: Customer,
        target: Stage,
        reason: str | None,
        credit_override: str | None,
        now: datetime,
        *,
        restore_plans: bool = True,
    ) -> StageMove:
        """Decide and write a stage move inside the caller's write transaction.

        The one code path of the gates: `move_stage` and contract signing both come here.
        Raises StageRefused (the caller's transaction then rolls back).
        """
        facts = self.stage_facts_in(session, customer.id)
        decision = decide_stage_change(
            customer.stage, target, facts, reason=reason, credit_override=credit_override
        )
        # A recorded credit override is itself the reason for passing the credit warning.
        if not can_proceed(decision, reason or credit_override):
            raise StageRefused(decision)
        session.add(
            StageChange(
                customer_id=customer.id,
                from_stage=customer.stage,
                to_stage=target,
                changed_at=now,
                reason=_join(reason, credit_override),
                warnings="\n".join(w.message for w in decision.warnings) or None,
                created_at=now,
                updated_at=now,
            )
        )
        cancelled = restored = 0
        if target == Stage.LOST:
            cancelled = cancel_open_plans(session, customer.id, now, self.actor)
        elif customer.stage == Stage.LOST and restore_plans:
            restored = restore_cancelled_plans(session, customer.id, now, self.actor)
        customer.stage = target
        customer.lost_reason = reason if target == Stage.LOST else None
        customer.updated_at = now
        customer.last_activity_at = now
        session.add(customer)
        return StageMove(decision, cancelled, restored)

    # -- maintained columns ---------------------------------------------------------------

    @staticmethod
    def refresh_customer_facts(session: Session, customer_ids: set[uuid.UUID]) -> None:
        """Recompute the maintained KPI columns of these customers from their records.

        Called by every write path that touches contact plans or contracts, and by imports,
        so `first_contacted_at` / `last_contacted_at` / `first_signed_at` always agree with
        the records. One UPDATE per batch of ids (correlated MIN/MAX subqueries over the
        customer's plans, found through ix_contact_plan_customer_id: about nine rows each in
        the demo; schema 12 dropped the partial index that made each a single seek).
        `pipeline_value` too (`refresh_pipeline`), so an import needs this one call.
        """

        def done(edge: Any) -> Any:
            return (
                select(edge(ContactPlan.done_at))
                .where(
                    ContactPlan.customer_id == Customer.id,
                    ContactPlan.status == PlanStatus.DONE,
                    col(ContactPlan.deleted_at).is_(None),
                )
                .correlate(Customer)
                .scalar_subquery()
            )

        first_signed = (
            select(func.min(Contract.signed_at))
            .where(
                Contract.customer_id == Customer.id,
                col(Contract.signed_at).is_not(None),
                col(Contract.deleted_at).is_(None),
            )
            .correlate(Customer)
            .scalar_subquery()
        )
        ids = sorted(customer_ids)
        for start in range(0, len(ids), 500):
            session.execute(
                update(Customer)
                .where(col(Customer.id).in_(ids[start : start + 500]))
                .values(
                    first_contacted_at=done(func.min),
                    last_contacted_at=done(func.max),
                    first_signed_at=first_signed,
                )
            )
        CustomerStore.refresh_pipeline(session, customer_ids)

    @staticmethod
    def refresh_pipeline(session: Session, customer_ids: set[uuid.UUID]) -> None:
        """Recompute `pipeline_value` of these customers (`store.pipeline_value`).

        Called by every write path that touches proposals or their lines, and through
        `refresh_customer_facts` by imports. Flushes first: the SQL runs on the session's
        connection and must see the session's pending rows.
        """
        session.flush()
        refresh_pipeline_values(session.connection(), customer_ids)


def _join(*parts: str | None) -> str | None:
    text = "\n".join(p for p in parts if p)
    return text or None

