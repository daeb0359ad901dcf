"""The facts of one day for the end-of-day review: what was planned and done, what moved.

Every list is an index range read, so a day's review stays fast at a million contact
plans. Records with no index on the time asked for (a proposal's `presented_at`, minutes'
`created_at`, a customer's `created_at`, a missed plan's time) are found through the
customers touched since the day began: every write path that records them also sets the
customer's `updated_at`, and `ix_customer_stage (stage, updated_at)` finds those customers
with one short range per stage.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, text
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from salesdev_tui.models.enums import PlanStatus, Stage
from salesdev_tui.models.tables import (
    ContactPlan,
    Contract,
    Customer,
    Negotiation,
    Proposal,
    StageChange,
    Survey,
)
from salesdev_tui.models.views import (
    CustomerFact,
    DayFacts,
    PlanFact,
    RecordFact,
    StageMoveFact,
)
from salesdev_tui.store.base import StoreBase

#: A contact done this long after its planned day still counts as done for that day's plan.
_LATE_LOGGING = timedelta(days=7)

# Literal, so SQLite matches the partial index ix_contact_plan_open (see store/agenda.py).
_OPEN_PLAN = text("contact_plan.status = 'planned' AND contact_plan.deleted_at IS NULL")


#: The columns of a plan line: plain columns, not ORM objects (several times cheaper a row).
def _cols(*columns: Any) -> tuple[Any, ...]:
    """Plain columns, not ORM objects: several times cheaper a row."""
    return tuple(col(column) for column in columns)


_PLAN_COLUMNS = _cols(
    ContactPlan.id, ContactPlan.customer_id, Customer.name, Customer.stage, ContactPlan.method,
    ContactPlan.scheduled_at, ContactPlan.status, ContactPlan.done_at, ContactPlan.agenda,
    ContactPlan.outcome,
)


class ReviewStore(StoreBase):
    def day_facts(
        self,
        day_start: datetime,
        day_end: datetime,
        next_end: datetime,
        *,
        limit: int = 200,
        overdue_limit: int = 50,
    ) -> DayFacts:
        """What happened in [day_start, day_end) (UTC); the next day ends at `next_end`.

        Lists hold at most `limit` rows (the overdue ones the oldest `overdue_limit`, with
        their full count): a day's report, not an export.
        """
        with self.db.read() as session:
            touched = (
                select(Customer.id)
                .where(col(Customer.stage).in_([s.value for s in Stage]),
                       col(Customer.updated_at) >= day_start)
                .scalar_subquery()
            )

            def plans(*where: Any, order: Any = None, limit: int = limit) -> list[PlanFact]:
                stmt = (
                    sa_select(*_PLAN_COLUMNS)
                    .join(Customer, col(Customer.id) == ContactPlan.customer_id)
                    .where(*where, col(Customer.deleted_at).is_(None))
                    .order_by(order if order is not None else col(ContactPlan.scheduled_at))
                    .limit(limit)
                )
                return [PlanFact(*row) for row in session.execute(stmt).all()]

            scheduled_at = col(ContactPlan.scheduled_at)
            in_day = (scheduled_at >= day_start, scheduled_at < day_end)
            done_at = col(ContactPlan.done_at)
            live = col(ContactPlan.deleted_at).is_(None)
            # One read of the done plans serves both lists: those done in the day, and those
            # planned for the day and done then or within the week after (logged late).
            done_any = plans(
                done_at >= day_start, done_at < day_end + _LATE_LOGGING, live,
                col(ContactPlan.status) == PlanStatus.DONE,
                or_(done_at < day_end, and_(*in_day)), order=done_at,
            )
            scheduled = (
                plans(_OPEN_PLAN, *in_day)
                + [p for p in done_any if day_start <= p.scheduled_at < day_end]
                + plans(col(ContactPlan.customer_id).in_(touched), *in_day, live,
                        col(ContactPlan.status).in_([PlanStatus.MISSED.value,
                                                     PlanStatus.CANCELLED.value]))
            )
            scheduled.sort(key=lambda p: (p.scheduled_at, p.customer_name))
            done = [p for p in done_any if p.done_at is not None and p.done_at < day_end]
            overdue = plans(_OPEN_PLAN, scheduled_at < day_start, limit=overdue_limit)
            overdue_count = int(session.exec(
                select(func.count()).select_from(ContactPlan)
                .where(_OPEN_PLAN, scheduled_at < day_start)
            ).one())
            tomorrow = plans(_OPEN_PLAN, scheduled_at >= day_end, scheduled_at < next_end)
            # Logged in the day, planned for any day (issue 14.6): index ranges on the times.
            outcome_at, rescheduled_at = (col(ContactPlan.outcome_at),
                                          col(ContactPlan.rescheduled_at))
            missed_logged = plans(outcome_at >= day_start, outcome_at < day_end, live,
                                  col(ContactPlan.status) == PlanStatus.MISSED,
                                  order=outcome_at)
            rescheduled = plans(rescheduled_at >= day_start, rescheduled_at < day_end, live,
                                order=rescheduled_at)
            return DayFacts(
                scheduled=scheduled,
                done=done,
                new_leads=self._day_new_leads(session, day_start, day_end, limit),
                stage_moves=self._day_stage_moves(session, day_start, day_end, limit),
                proposals_sent=self._day_proposals(session, touched, day_start, day_end, limit),
                minutes=self._day_minutes(session, touched, day_start, day_end, limit),
                contracts=self._day_contracts(session, day_start, day_end, limit),
                surveys=self._day_surveys(session, day_start, day_end, limit),
                overdue=overdue,
                overdue_count=overdue_count,
                tomorrow=tomorrow,
                missed_logged=missed_logged,
                rescheduled=rescheduled,
            )

    @staticmethod
    def _day_new_leads(session: Session, start: datetime, end: datetime,
                       limit: int) -> list[CustomerFact]:
        stmt = (
            sa_select(*_cols(Customer.id, Customer.name, Customer.stage, Customer.created_at,
                             Customer.source))
            .where(col(Customer.stage).in_([s.value for s in Stage]),
                   col(Customer.updated_at) >= start,
                   col(Customer.created_at) >= start, col(Customer.created_at) < end,
                   col(Customer.deleted_at).is_(None))
            .order_by(col(Customer.created_at)).limit(limit)
        )
        return [CustomerFact(*row) for row in session.execute(stmt).all()]

    @staticmethod
    def _day_stage_moves(session: Session, start: datetime, end: datetime,
                         limit: int) -> list[StageMoveFact]:
        stmt = (
            sa_select(*_cols(StageChange.customer_id, Customer.name, StageChange.from_stage,
                             StageChange.to_stage, StageChange.changed_at, StageChange.reason))
            .join(Customer, col(Customer.id) == StageChange.customer_id)
            .where(col(StageChange.changed_at) >= start, col(StageChange.changed_at) < end,
                   # A new lead's first stage is its entry, listed with the new leads.
                   col(StageChange.from_stage).is_not(None),
                   col(StageChange.deleted_at).is_(None), col(Customer.deleted_at).is_(None))
            .order_by(col(StageChange.changed_at)).limit(limit)
        )
        return [StageMoveFact(*row) for row in session.execute(stmt).all()]

    @staticmethod
    def _day_proposals(session: Session, touched: Any, start: datetime, end: datetime,
                       limit: int) -> list[RecordFact]:
        stmt = (
            sa_select(*_cols(Proposal.customer_id, Customer.name, Proposal.presented_at,
                             Proposal.title, Proposal.version))
            .join(Customer, col(Customer.id) == Proposal.customer_id)
            .where(col(Proposal.customer_id).in_(touched),
                   col(Proposal.presented_at) >= start, col(Proposal.presented_at) < end,
                   col(Proposal.deleted_at).is_(None), col(Customer.deleted_at).is_(None))
            .order_by(col(Proposal.presented_at)).limit(limit)
        )
        return [RecordFact(cid, name, when, title=f"{title} (v{version})")
                for cid, name, when, title, version in session.execute(stmt).all()]

    @staticmethod
    def _day_minutes(session: Session, touched: Any, start: datetime, end: datetime,
                     limit: int) -> list[RecordFact]:
        stmt = (
            sa_select(*_cols(Negotiation.customer_id, Customer.name, Negotiation.held_at))
            .join(Customer, col(Customer.id) == Negotiation.customer_id)
            .where(col(Negotiation.customer_id).in_(touched),
                   col(Negotiation.created_at) >= start, col(Negotiation.created_at) < end,
                   col(Negotiation.deleted_at).is_(None), col(Customer.deleted_at).is_(None))
            .order_by(col(Negotiation.created_at)).limit(limit)
        )
        return [RecordFact(*row) for row in session.execute(stmt).all()]

    @staticmethod
    def _day_contracts(session: Session, start: datetime, end: datetime,
                       limit: int) -> list[RecordFact]:
        stmt = (
            sa_select(*_cols(Contract.customer_id, Customer.name, Contract.signed_at,
                             Contract.number, Contract.value, Contract.cost))
            .join(Customer, col(Customer.id) == Contract.customer_id)
            .where(col(Contract.signed_at) >= start, col(Contract.signed_at) < end,
                   col(Contract.deleted_at).is_(None))
            .order_by(col(Contract.signed_at)).limit(limit)
        )
        return [RecordFact(cid, name, when, title=number, value=value, cost=cost)
                for cid, name, when, number, value, cost in session.execute(stmt).all()]

    @staticmethod
    def _day_surveys(session: Session, start: datetime, end: datetime,
                     limit: int) -> list[RecordFact]:
        stmt = (
            sa_select(*_cols(Survey.customer_id, Customer.name, Survey.taken_at, Survey.comment,
                             Survey.score))
            .join(Customer, col(Customer.id) == Survey.customer_id)
            .where(col(Survey.taken_at) >= start, col(Survey.taken_at) < end,
                   col(Survey.deleted_at).is_(None))
            .order_by(col(Survey.taken_at)).limit(limit)
        )
        return [RecordFact(cid, name, when, title=comment, score=score)
                for cid, name, when, comment, score in session.execute(stmt).all()]
