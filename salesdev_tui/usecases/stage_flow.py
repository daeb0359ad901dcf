"""Stage moves in the daily loop (issue 21.2, 21.3): a move the gates let through without
a reason needs no dialog, the first completed contact moves a prospect on by itself, and
either can be undone. The TUI calls these; the gates stay `services.stages`, the writes
`store.move_stage`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from salesdev_tui.models.enums import PlanStatus, Stage

if TYPE_CHECKING:
    from salesdev_tui.domain.validation import PlanOutcomeInput
    from salesdev_tui.models.tables import ContactPlan
    from salesdev_tui.store.combined import Store
    from salesdev_tui.store.customers import StageMove

#: The reason kept in the stage history of a move nobody asked for (plain English, as
#: stored; the history shows it as it is).
AUTOMATIC_REASON = "automatic: first completed contact"
#: The reason kept when a move is taken back.
UNDO_REASON = "undone"


@dataclass(frozen=True)
class MoveDone:
    """A move written without a dialog: from where (for the undo) to where."""

    customer_id: uuid.UUID
    name: str
    from_stage: Stage
    to_stage: Stage
    move: StageMove


def move_if_clear(store: Store, customer_id: uuid.UUID, target: Stage) -> MoveDone | None:
    """Move the customer when every gate passes without a reason; None when the dialog
    must ask: a warning or a blocker, a move to lost (its reason), reopening a lost
    customer (which plans to put back)."""
    from salesdev_tui.domain.stages import StageRefused

    customer = store.customers.get_customer(customer_id)
    if Stage.LOST in (target, customer.stage):
        return None
    try:
        move = store.customers.move_stage(customer_id, target)
    except StageRefused:
        return None  # nothing written: the dialog shows why and takes the reason
    return MoveDone(customer_id, customer.name, customer.stage, target, move)


def undo_move(store: Store, done: MoveDone) -> StageMove:
    """Take a move back (a move the other way, in the history as undone). Raises
    StageRefused when the gates do not let it back (a signed contract stays won)."""
    return store.customers.move_stage(done.customer_id, done.from_stage, reason=UNDO_REASON)


@dataclass(frozen=True)
class OutcomeLogged:
    plan: ContactPlan
    advanced: MoveDone | None
    """The automatic move the outcome made (prospect → contacted), if any."""


def log_outcome(store: Store, plan_id: uuid.UUID, outcome: PlanOutcomeInput) -> OutcomeLogged:
    """Log a contact's outcome; the customer's first completed contact moves a prospect to
    contacted (policy III step 3 is exactly that contact), recorded as automatic."""
    # One transaction: a crash between the outcome and the move must not leave a contacted
    # customer in prospect (the move is what the outcome means, policy III step 3).
    with store.db.unit():
        return _log_outcome(store, plan_id, outcome)


def _log_outcome(store: Store, plan_id: uuid.UUID, outcome: PlanOutcomeInput) -> OutcomeLogged:
    from salesdev_tui.domain.stages import StageRefused

    plan = store.plans.log_outcome(plan_id, outcome)
    if plan.status != PlanStatus.DONE:
        return OutcomeLogged(plan, None)
    customer = store.customers.get_customer(plan.customer_id)
    done = [p for p in store.plans.plans_of(customer.id) if p.status == PlanStatus.DONE]
    if customer.stage != Stage.PROSPECT or len(done) != 1:
        return OutcomeLogged(plan, None)
    # The reason would pass any warning: move only when there is none (a poor credit
    # rating wants the rep's own word).
    preview = store.customers.preview_stage_change(customer.id, Stage.CONTACTED)
    if preview.blockers or preview.warnings:
        return OutcomeLogged(plan, None)
    try:
        move = store.customers.move_stage(customer.id, Stage.CONTACTED, reason=AUTOMATIC_REASON)
    except StageRefused:
        return OutcomeLogged(plan, None)  # the facts changed in between: no surprise move
    return OutcomeLogged(
        plan, MoveDone(customer.id, customer.name, Stage.PROSPECT, Stage.CONTACTED, move)
    )
