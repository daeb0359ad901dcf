"""Contact plans (policy III.3): plan a contact, log its outcome, reschedule it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import col, select

from salesdev_tui.models import ContactPlan, Customer, PlanStatus
from salesdev_tui.services.validation import ContactPlanInput, PlanOutcomeInput
from salesdev_tui.store.customers import CustomerStore


class PlanStore(CustomerStore):
    def plan_contact(self, customer_id: uuid.UUID, plan: ContactPlanInput) -> ContactPlan:
        now = self.now()
        with self.db.write() as session:
            customer = self._live(session, Customer, customer_id)
            row = ContactPlan(
                **plan.model_dump(), customer_id=customer_id, created_at=now, updated_at=now
            )
            session.add(row)
            customer.updated_at = now
            session.add(customer)
            return row

    def log_outcome(self, plan_id: uuid.UUID, outcome: PlanOutcomeInput) -> ContactPlan:
        """Record what happened; a done contact counts for 'prospects contacted' at once."""
        now = self.now()
        with self.db.write() as session:
            plan = self._live(session, ContactPlan, plan_id)
            plan.status = outcome.status
            plan.done_at = now if outcome.status == PlanStatus.DONE else None
            plan.outcome = outcome.outcome
            plan.next_step = outcome.next_step
            plan.updated_at = now
            session.add(plan)
            customer = self._live(session, Customer, plan.customer_id)
            customer.updated_at = now
            customer.last_activity_at = now
            session.add(customer)
            session.flush()
            self.refresh_customer_facts(session, {plan.customer_id})
            return plan

    def reschedule(self, plan_id: uuid.UUID, when: datetime) -> ContactPlan:
        now = self.now()
        with self.db.write() as session:
            plan = self._live(session, ContactPlan, plan_id)
            plan.scheduled_at = when
            plan.status = PlanStatus.PLANNED
            plan.done_at = None
            plan.updated_at = now
            session.add(plan)
            session.flush()
            self.refresh_customer_facts(session, {plan.customer_id})
            return plan

    def plans_of(self, customer_id: uuid.UUID) -> list[ContactPlan]:
        """A customer's plans, the latest first."""
        with self.db.read() as session:
            stmt = (
                select(ContactPlan)
                .where(
                    ContactPlan.customer_id == customer_id, col(ContactPlan.deleted_at).is_(None)
                )
                .order_by(col(ContactPlan.scheduled_at).desc())
            )
            return list(session.exec(stmt).all())

    def get_plan(self, plan_id: uuid.UUID) -> ContactPlan:
        with self.db.read() as session:
            return self._live(session, ContactPlan, plan_id)
