"""Adding a lead and moving a customer's stage: the one path `salesdev add` / `salesdev stage`
and the TUI's lead form, quick line and stage dialog share, so the two faces cannot give two
answers (issue 14.15, issue 15).

The rules are the domain's: what a valid lead is (`services.validation.check_lead`, which
both faces call before this), which existing customer a lead may be
(`services.dedupe.asks_before_saving`), the stage gates (`services.stages`). Each face only
decides how to ask: the CLI refuses a likely duplicate unless `--allow-duplicate`; the TUI
asks first and passes `allow_duplicate=True` once the rep chose to save anyway.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from salesdev_tui.domain.dedupe import DuplicateMatch
    from salesdev_tui.domain.validation import LeadDraft
    from salesdev_tui.models.enums import Stage
    from salesdev_tui.models.tables import Customer
    from salesdev_tui.store.combined import Store
    from salesdev_tui.store.customers import StageMove

__all__ = ["DuplicateLead", "add_lead", "lead_duplicates", "move_stage"]


class DuplicateLead(Exception):
    """The lead may be a customer already (`matches`, strongest first); nothing was saved."""

    def __init__(self, matches: list[DuplicateMatch]) -> None:
        super().__init__(matches[0].customer_name)
        self.matches = matches


def lead_duplicates(store: Store, draft: LeadDraft) -> list[DuplicateMatch]:
    """The live customers saving this checked lead asks about (none: save it)."""
    return store.leads.duplicates_of_lead(draft.customer, draft.contact)


def add_lead(store: Store, draft: LeadDraft, *, allow_duplicate: bool = False) -> Customer:
    """Save a checked lead (with its first contact) as a prospect.

    Raises DuplicateLead when it may be an existing customer, unless `allow_duplicate`.
    """
    if not allow_duplicate:
        matches = lead_duplicates(store, draft)
        if matches:
            raise DuplicateLead(matches)
    return store.customers.add_lead(draft.customer, draft.contact)


def move_stage(
    store: Store,
    customer_id: uuid.UUID,
    target: Stage,
    *,
    reason: str | None = None,
    credit_override: str | None = None,
    restore_plans: bool = True,
) -> StageMove:
    """Move a customer through the stage gates; raises StageRefused (`services.stages`) when
    they do not let it pass. Marking lost cancels the open plans; reopening puts them back
    unless `restore_plans` is False."""
    return store.customers.move_stage(
        customer_id, target, reason=reason, credit_override=credit_override,
        restore_plans=restore_plans,
    )
