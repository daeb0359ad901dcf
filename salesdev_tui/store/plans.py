"""Contact plans (policy III.3): plan a contact, log its outcome, reschedule it; and the
regular revisits of won customers (policy II: "revisit customers regularly")."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlmodel import Session, col, select

from salesdev_tui.domain.validation import ContactPlanInput, PlanOutcomeInput
from salesdev_tui.models.enums import PlanStatus, Stage
from salesdev_tui.models.tables import Contact, ContactPlan, Customer
from salesdev_tui.models.views import AgendaItem, CalendarItem, RevisitDue
from salesdev_tui.store import today_queries
from salesdev_tui.store.base import NotFound, StoreBase, utc_now

if TYPE_CHECKING:
    from salesdev_tui.db import Database
    from salesdev_tui.store.customers import CustomerStore
    from salesdev_tui.store.records import RecordStore

# Literal (not a bound parameter) so SQLite can use the partial index ix_contact_plan_open.
_OPEN_PLAN = text("contact_plan.status = 'planned' AND contact_plan.deleted_at IS NULL")

#: A plan that did not happen gets a new time: it is open again.
_REOPENED_BY_NEW_TIME = frozenset({PlanStatus.MISSED, PlanStatus.CANCELLED})


def _aware(value: object) -> datetime | None:
    """A scalar subquery bypasses the column type on SQLite: read the stored UTC text."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


class PlanStore(StoreBase):
    def __init__(self, db: Database, *, records: RecordStore, customers: CustomerStore,
                 clock: Callable[[], datetime] = utc_now, actor: str | None = None) -> None:
        super().__init__(db, clock=clock, actor=actor)
        self.records = records
        self.customers = customers

    def plan_contact(self, customer_id: uuid.UUID, plan: ContactPlanInput) -> ContactPlan:
        now = self.now()
        with self.db.write() as session:
            customer = self._live(session, Customer, customer_id)
            self._check_contact(session, customer_id, plan.contact_id)
            row = ContactPlan(
                **plan.model_dump(), customer_id=customer_id, created_at=now, updated_at=now
            )
            session.add(row)
            customer.updated_at = now
            session.add(customer)
            return row

    def update_plan(self, plan_id: uuid.UUID, plan: ContactPlanInput) -> ContactPlan:
        """Edit a plan (method, time, person, agenda), each change logged in the history.

        A new time for a missed or cancelled contact reopens it: that is a reschedule.
        """
        now = self.now()
        with self.db.write() as session:
            row = self._live(session, ContactPlan, plan_id)
            self._check_contact(session, row.customer_id, plan.contact_id)
            changes: dict[str, object] = plan.model_dump()
            if row.scheduled_at != plan.scheduled_at:
                # A bookkeeping time, not the rep's information: set, not logged as an edit.
                row.rescheduled_at = now
                if row.status in _REOPENED_BY_NEW_TIME:
                    changes["status"] = PlanStatus.PLANNED
            self.records.apply(session, row, changes, now)
            session.flush()
            self.customers.refresh_customer_facts(session, {row.customer_id})
            return row

    def log_outcome(self, plan_id: uuid.UUID, outcome: PlanOutcomeInput) -> ContactPlan:
        """Record what happened; a done contact counts for 'prospects contacted' at once.

        `done_at` is set only for a done contact (the table's CHECK insists). Changing an
        outcome already logged is an edit, and goes into the history.
        """
        now = self.now()
        with self.db.write() as session:
            plan = self._live(session, ContactPlan, plan_id)
            done = outcome.status == PlanStatus.DONE
            changes: dict[str, object] = {
                "status": outcome.status,
                "done_at": (plan.done_at or now) if done else None,
                "outcome": outcome.outcome,
                "next_step": outcome.next_step,
            }
            # When the outcome was logged (the review's day for it); an outcome edited
            # without changing it keeps its time. Set, not logged as an edit.
            if plan.status != outcome.status or plan.outcome_at is None:
                plan.outcome_at = now
            if plan.status == PlanStatus.PLANNED:
                for field, value in changes.items():
                    setattr(plan, field, value)
                plan.updated_at = now
                session.add(plan)
                customer = self._live(session, Customer, plan.customer_id)
                self._touch_customer(session, customer, now)
            else:
                self.records.apply(session, plan, changes, now)
            session.flush()
            self.customers.refresh_customer_facts(session, {plan.customer_id})
            return plan

    def reschedule(self, plan_id: uuid.UUID, when: datetime) -> ContactPlan:
        """Give a plan a new time; whatever its outcome was, it is open again."""
        now = self.now()
        with self.db.write() as session:
            plan = self._live(session, ContactPlan, plan_id)
            if plan.scheduled_at != when:
                plan.rescheduled_at = now  # set, not logged: the review's "rescheduled"
            self.records.apply(
                session,
                plan,
                {"scheduled_at": when, "status": PlanStatus.PLANNED, "done_at": None},
                now,
            )
            session.flush()
            self.customers.refresh_customer_facts(session, {plan.customer_id})
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

    def set_revisit_interval(self, customer_id: uuid.UUID, days: int | None) -> Customer:
        """Revisit this customer every `days` days once won (None: no regular revisits)."""
        if days is not None and not 1 <= days <= 3650:
            raise ValueError(days)
        now = self.now()
        with self.db.write() as session:
            customer = self._live(session, Customer, customer_id)
            self.records.apply(session, customer, {"revisit_days": days}, now)
            return customer

    # -- what Today and the calendar read -------------------------------------------------

    def revisits_due(
        self, today_end: datetime, limit: int = 50, *, zone: tzinfo = UTC
    ) -> list[RevisitDue]:
        """Won customers whose revisit falls due before `today_end` (`today_queries`)."""
        with self._raw_read() as conn:
            return today_queries.revisits_due(conn, today_end, limit, zone=zone)

    def upcoming_plans(
        self, start: datetime, end: datetime, limit: int = 2000
    ) -> list[AgendaItem]:
        """Open plans scheduled from `start` (inclusive) to `end` (exclusive), by time."""
        with self.db.read() as session:
            stmt = (
                select(ContactPlan, Customer.name, Customer.stage, Contact.name)
                .join(Customer, col(Customer.id) == ContactPlan.customer_id)
                .outerjoin(
                    Contact,
                    (col(Contact.id) == ContactPlan.contact_id)
                    & col(Contact.deleted_at).is_(None),
                )
                .where(
                    _OPEN_PLAN,
                    col(ContactPlan.scheduled_at) >= start,
                    col(ContactPlan.scheduled_at) < end,
                    col(Customer.deleted_at).is_(None),
                )
                .order_by(col(ContactPlan.scheduled_at), col(ContactPlan.id))
                .limit(limit)
            )
            return [
                AgendaItem(
                    plan_id=plan.id,
                    customer_id=plan.customer_id,
                    customer_name=name,
                    stage=Stage(stage),
                    method=plan.method,
                    scheduled_at=plan.scheduled_at,
                    agenda=plan.agenda,
                    contact_name=contact_name,
                )
                for plan, name, stage, contact_name in session.exec(stmt).all()
            ]

    def calendar_plans(
        self, start: datetime, end: datetime, limit: int = 2000
    ) -> list[CalendarItem]:
        """Plans for the .ics export, scheduled from `start` to `end` (exclusive), by time:
        the open ones and the cancelled ones (exported as cancelled, so a calendar that
        holds the event from an earlier export drops it), with the customer's address and
        the contact's numbers."""
        with self.db.read() as session:
            stmt = (
                select(ContactPlan, Customer.name, Customer.address, Contact)
                .join(Customer, col(Customer.id) == ContactPlan.customer_id)
                .outerjoin(
                    Contact,
                    (col(Contact.id) == ContactPlan.contact_id)
                    & col(Contact.deleted_at).is_(None),
                )
                .where(
                    col(ContactPlan.status).in_([PlanStatus.PLANNED, PlanStatus.CANCELLED]),
                    col(ContactPlan.deleted_at).is_(None),
                    col(ContactPlan.scheduled_at) >= start,
                    col(ContactPlan.scheduled_at) < end,
                    col(Customer.deleted_at).is_(None),
                )
                .order_by(col(ContactPlan.scheduled_at), col(ContactPlan.id))
                .limit(limit)
            )
            return [
                CalendarItem(
                    plan_id=plan.id, customer_name=name, method=plan.method,
                    scheduled_at=plan.scheduled_at, agenda=plan.agenda,
                    contact_name=person.name if person else None,
                    status=PlanStatus(plan.status), customer_address=address,
                    contact_phone=person.phone if person else None,
                    contact_mobile=person.mobile if person else None,
                )
                for plan, name, address, person in session.exec(stmt).all()
            ]

    @staticmethod
    def _check_contact(
        session: Session, customer_id: uuid.UUID, contact_id: uuid.UUID | None
    ) -> None:
        """A plan's contact person must be a live contact of the same customer."""
        if contact_id is None:
            return
        contact = session.get(Contact, contact_id)
        if contact is None or contact.deleted_at is not None or contact.customer_id != customer_id:
            raise NotFound("contact", str(contact_id))
