"""A lost customer's planned contacts: cancelled when it is lost, offered back when reopened.

Marking a customer lost cancels every open (planned, live) contact plan of theirs in the same
write transaction, so nothing of a lost deal stays on Today's agenda or in `salesdev plans`.
Each cancellation is written to the edit history (`FieldEdit` status planned -> cancelled)
with the time of the move to lost: that is the record that lets a reopening find exactly
those plans again (not plans the rep had cancelled on their own) and put them back to
planned, each again in the history. No new column: the history already says it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session, col, select

from salesdev_tui.models.enums import PlanStatus, Stage
from salesdev_tui.models.tables import ContactPlan, FieldEdit, StageChange

_ENTITY = str(ContactPlan.__tablename__)


def _status_edit(plan: ContactPlan, old: PlanStatus, new: PlanStatus, now: datetime,
                 actor: str | None) -> FieldEdit:
    return FieldEdit(
        customer_id=plan.customer_id, entity=_ENTITY, entity_id=plan.id, field="status",
        old_value=old.value, new_value=new.value, edited_at=now, edited_by=actor or None,
        created_at=now, updated_at=now,
    )


def cancel_open_plans(session: Session, customer_id: uuid.UUID, now: datetime,
                      actor: str | None) -> int:
    """Cancel the customer's open plans (the customer is being marked lost at `now`)."""
    plans = session.exec(
        select(ContactPlan).where(
            ContactPlan.customer_id == customer_id,
            ContactPlan.status == PlanStatus.PLANNED,
            col(ContactPlan.deleted_at).is_(None),
        )
    ).all()
    for plan in plans:
        plan.status = PlanStatus.CANCELLED
        plan.updated_at = now
        session.add(plan)
        session.add(_status_edit(plan, PlanStatus.PLANNED, PlanStatus.CANCELLED, now, actor))
    return len(plans)


def plans_cancelled_when_lost(session: Session, customer_id: uuid.UUID) -> list[ContactPlan]:
    """The plans the customer's latest move to lost cancelled, still cancelled and live."""
    lost_at = session.exec(
        select(StageChange.changed_at)
        .where(
            StageChange.customer_id == customer_id,
            StageChange.to_stage == Stage.LOST,
            col(StageChange.deleted_at).is_(None),
        )
        .order_by(col(StageChange.changed_at).desc())
        .limit(1)
    ).first()
    if lost_at is None:
        return []
    edits = session.exec(
        select(FieldEdit.entity_id, FieldEdit.edited_at).where(
            FieldEdit.customer_id == customer_id,
            FieldEdit.entity == _ENTITY,
            FieldEdit.field == "status",
            FieldEdit.new_value == PlanStatus.CANCELLED.value,
        )
    ).all()
    ids = {entity_id for entity_id, edited_at in edits if edited_at == lost_at}
    if not ids:
        return []
    plans = session.exec(
        select(ContactPlan)
        .where(
            col(ContactPlan.id).in_(ids),
            ContactPlan.status == PlanStatus.CANCELLED,
            col(ContactPlan.deleted_at).is_(None),
        )
        .order_by(col(ContactPlan.scheduled_at))
    ).all()
    return list(plans)


def restore_cancelled_plans(session: Session, customer_id: uuid.UUID, now: datetime,
                            actor: str | None) -> int:
    """Put the plans cancelled by the latest move to lost back to planned."""
    plans = plans_cancelled_when_lost(session, customer_id)
    for plan in plans:
        plan.status = PlanStatus.PLANNED
        plan.updated_at = now
        session.add(plan)
        session.add(_status_edit(plan, PlanStatus.CANCELLED, PlanStatus.PLANNED, now, actor))
    return len(plans)
