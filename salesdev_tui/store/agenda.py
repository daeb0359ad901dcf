"""Today's agenda: open contact plans by when they fall due, and customers gone quiet."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlmodel import col, select

from salesdev_tui.models import (
    OPEN_STAGES,
    Contact,
    ContactMethod,
    ContactPlan,
    Customer,
    Stage,
)
from salesdev_tui.store.base import StoreBase

# Written out literally (not as a bound parameter) so SQLite can match the partial index
# ix_contact_plan_open; with `status = ?` the planner cannot prove the index applies and
# scans (PERFORMANCE-NOTES: 90-110 ms instead of ~4 ms at 1M plans).
_OPEN_PLAN = text("contact_plan.status = 'planned' AND contact_plan.deleted_at IS NULL")


@dataclass(frozen=True)
class AgendaItem:
    plan_id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str
    stage: Stage
    method: ContactMethod
    scheduled_at: datetime
    agenda: str | None
    contact_name: str | None


@dataclass(frozen=True)
class IdleCustomer:
    customer_id: uuid.UUID
    name: str
    stage: Stage
    last_activity_at: datetime | None


@dataclass(frozen=True)
class Agenda:
    overdue: list[AgendaItem]
    today: list[AgendaItem]
    upcoming: list[AgendaItem]
    idle: list[IdleCustomer]


class AgendaStore(StoreBase):
    def agenda(
        self,
        *,
        day_start: datetime,
        day_end: datetime,
        upcoming_end: datetime,
        idle_before: datetime,
        limit: int = 50,
    ) -> Agenda:
        """Open plans before today, during today, and up to `upcoming_end`; idle customers."""
        with self.db.read() as session:

            def plans(start: datetime | None, end: datetime) -> list[AgendaItem]:
                stmt = (
                    select(ContactPlan, Customer.name, Customer.stage, Contact.name)
                    .join(Customer, col(Customer.id) == ContactPlan.customer_id)
                    .outerjoin(Contact, col(Contact.id) == ContactPlan.contact_id)
                    .where(_OPEN_PLAN, col(ContactPlan.scheduled_at) < end)
                    .where(col(Customer.deleted_at).is_(None))
                )
                if start is not None:
                    stmt = stmt.where(col(ContactPlan.scheduled_at) >= start)
                stmt = stmt.order_by(col(ContactPlan.scheduled_at)).limit(limit)
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

            overdue = plans(None, day_start)
            today = plans(day_start, day_end)
            upcoming = plans(day_end, upcoming_end)
            # Idle: open, quiet for too long, and no contact planned: nobody is on it.
            has_open_plan = (
                select(ContactPlan.id)
                .where(col(ContactPlan.customer_id) == Customer.id, _OPEN_PLAN)
                .exists()
            )
            idle_rows = session.exec(
                select(Customer.id, Customer.name, Customer.stage, Customer.last_activity_at)
                .where(
                    col(Customer.deleted_at).is_(None),
                    col(Customer.stage).in_([s.value for s in OPEN_STAGES]),
                    col(Customer.last_activity_at) < idle_before,
                    ~has_open_plan,
                )
                .order_by(col(Customer.last_activity_at))
                .limit(limit)
            ).all()
        idle = [IdleCustomer(cid, name, Stage(stage), last) for cid, name, stage, last in idle_rows]
        return Agenda(overdue=overdue, today=today, upcoming=upcoming, idle=idle)
