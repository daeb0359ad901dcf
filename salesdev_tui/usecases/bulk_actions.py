"""Acting on several customers at once (issue 21.1): plan one contact for all of them,
give their contacts new times, move them to a stage.

The one place these rules live: the CLI (`salesdev plans add`) and the TUI (the customer
list and Today, with marked rows) both call these functions. Each customer goes through
the same store calls, and so the same gates, as a single action; a refusal is collected,
not raised, so the rep gets one summary of what was refused and why instead of a stop at
the first one. Each customer is its own transaction: one refusal keeps the others.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from salesdev_tui.i18n import _
from salesdev_tui.models.enums import ContactMethod, PlanStatus, Stage

if TYPE_CHECKING:
    from salesdev_tui.store.combined import Store

#: The largest gap between two spread contacts (a day): more is a typing slip.
MAX_GAP_MINUTES = 24 * 60
#: How many customers one action takes; a mistaken "select all" of 100,000 must not run.
MAX_CUSTOMERS = 500


@dataclass(frozen=True)
class Refusal:
    """One customer (or plan) the action left alone, and why, in the rep's words."""

    customer_id: uuid.UUID
    name: str
    why: str


@dataclass
class BulkResult:
    """What one action over several customers did."""

    done: list[uuid.UUID] = field(default_factory=list)
    """Customers acted on, in order."""
    plan_ids: list[uuid.UUID] = field(default_factory=list)
    """The plans written or moved, in order."""
    refused: list[Refusal] = field(default_factory=list)

    def summary(self, done_text: str) -> str:
        """`done_text` (with `{n}`), then every refusal on its own line."""
        lines = [done_text.format(n=len(self.done))]
        if self.refused:
            lines.append(_("Refused {n}:").format(n=len(self.refused)))
            lines.extend(f"· {r.name}: {r.why}" for r in self.refused)
        return "\n".join(lines)


def _check_gap(gap_minutes: int) -> None:
    if not 0 <= gap_minutes <= MAX_GAP_MINUTES:
        raise ValueError(_("Gap: between 0 and {most} minutes.").format(most=MAX_GAP_MINUTES))


def spread_times(start: datetime, count: int, gap_minutes: int) -> list[datetime]:
    """`count` moments from `start`, `gap_minutes` apart (0: all at `start`, "all on a
    day")."""
    _check_gap(gap_minutes)
    return [start + timedelta(minutes=gap_minutes * i) for i in range(count)]


def parse_gap(text: str) -> int:
    """The gap a rep typed: minutes ("30", "30m"), hours ("1h"), or blank for 0."""
    folded = text.strip().lower().replace(" ", "")
    if not folded:
        return 0
    try:
        if folded.endswith("h"):
            minutes = int(folded[:-1]) * 60
        else:
            minutes = int(folded.removesuffix("min").removesuffix("m"))
    except ValueError:
        raise ValueError(
            _("Gap: {text} is not a number of minutes (like 30, or 1h).").format(text=text)
        ) from None
    _check_gap(minutes)
    return minutes


def _unique(ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    seen: dict[uuid.UUID, None] = dict.fromkeys(ids)
    if len(seen) > MAX_CUSTOMERS:
        raise ValueError(
            _("{n} customers selected; one action takes at most {most}.").format(
                n=len(seen), most=MAX_CUSTOMERS
            )
        )
    return list(seen)


def _name(store: Store, customer_id: uuid.UUID) -> str:
    from salesdev_tui.store.base import NotFound

    try:
        return store.customers.get_customer(customer_id).name
    except NotFound:
        return customer_id.hex[:8]


def plan_contacts(
    store: Store,
    customer_ids: Sequence[uuid.UUID],
    *,
    method: ContactMethod,
    start: datetime,
    gap_minutes: int,
    agenda: str | None = None,
) -> BulkResult:
    """One planned contact per customer (the same method and agenda), their times spread
    from `start` by `gap_minutes` in the given order, each with the customer's primary
    contact.

    Refused: a customer deleted meanwhile, and a lost one (reopen it first: a planned
    contact with a lost customer would hide that it was lost).
    """
    from salesdev_tui.domain.validation import ContactPlanInput, InvalidInput, validate
    from salesdev_tui.store.base import NotFound

    ids = _unique(customer_ids)
    times = spread_times(start, len(ids), gap_minutes)
    result = BulkResult()
    for customer_id, when in zip(ids, times, strict=True):
        try:
            customer = store.customers.get_customer(customer_id)
        except NotFound:
            result.refused.append(Refusal(customer_id, customer_id.hex[:8], _("deleted")))
            continue
        if customer.stage == Stage.LOST:
            result.refused.append(Refusal(customer_id, customer.name, _("lost; reopen it first")))
            continue
        contacts = store.customers.contacts_of(customer_id)
        try:
            plan_input = validate(
                ContactPlanInput,
                {
                    "method": method.value,
                    "scheduled_at": when,
                    "contact_id": str(contacts[0].id) if contacts else None,
                    "agenda": agenda or "",
                },
            )
            plan = store.plans.plan_contact(customer_id, plan_input)
        except (InvalidInput, NotFound) as exc:
            result.refused.append(Refusal(customer_id, customer.name, str(exc)))
            continue
        result.done.append(customer_id)
        result.plan_ids.append(plan.id)
    return result


def next_open_plans(store: Store, customer_ids: Sequence[uuid.UUID]) -> BulkResult:
    """Each customer's next open contact (the one a reschedule moves); a customer with
    none is refused."""
    result = BulkResult()
    for customer_id in _unique(customer_ids):
        open_plans = [p for p in store.plans.plans_of(customer_id)
                      if p.status == PlanStatus.PLANNED]
        if not open_plans:
            result.refused.append(
                Refusal(customer_id, _name(store, customer_id), _("no open contact"))
            )
            continue
        result.done.append(customer_id)
        result.plan_ids.append(min(open_plans, key=lambda p: p.scheduled_at).id)
    return result


def reschedule_plans(
    store: Store, plan_ids: Sequence[uuid.UUID], *, start: datetime, gap_minutes: int
) -> BulkResult:
    """New times for these plans, spread from `start` in the given order."""
    from salesdev_tui.store.base import NotFound

    ids = _unique(plan_ids)
    times = spread_times(start, len(ids), gap_minutes)
    result = BulkResult()
    for plan_id, when in zip(ids, times, strict=True):
        try:
            plan = store.plans.reschedule(plan_id, when)
        except NotFound:
            result.refused.append(Refusal(plan_id, plan_id.hex[:8], _("deleted")))
            continue
        result.done.append(plan.customer_id)
        result.plan_ids.append(plan.id)
    return result


def reschedule_customers(
    store: Store, customer_ids: Sequence[uuid.UUID], *, start: datetime, gap_minutes: int
) -> BulkResult:
    """Each customer's next open contact gets a new time, spread from `start`."""
    found = next_open_plans(store, customer_ids)
    moved = reschedule_plans(store, found.plan_ids, start=start, gap_minutes=gap_minutes)
    moved.refused[:0] = found.refused
    return moved


def move_customers(
    store: Store,
    customer_ids: Sequence[uuid.UUID],
    target: Stage,
    *,
    reason: str | None = None,
) -> BulkResult:
    """Move each customer to `target` through the gates (`store.move_stage`). A refusal
    names what stands in the way: the hard gate's words, or the warnings a reason passes."""
    from salesdev_tui.domain.stages import StageRefused
    from salesdev_tui.store.base import NotFound

    result = BulkResult()
    for customer_id in _unique(customer_ids):
        try:
            store.customers.move_stage(customer_id, target, reason=reason)
        except StageRefused as exc:
            decision = exc.decision
            issues = decision.blockers or decision.warnings
            why = " ".join(issue.message for issue in issues)
            if not decision.blockers:
                why += " " + _("(a reason passes it)")
            result.refused.append(Refusal(customer_id, _name(store, customer_id), why))
            continue
        except NotFound:
            result.refused.append(Refusal(customer_id, customer_id.hex[:8], _("deleted")))
            continue
        result.done.append(customer_id)
    return result
