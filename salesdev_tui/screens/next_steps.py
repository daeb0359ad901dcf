"""Offers of the next step (issue 21.3): after a proposal is accepted, the negotiation
minutes; after signing, the kick-off meeting and then the first satisfaction survey.
Each offer is one key to take (enter or y) and escape to skip; taking it closes the
editor it came from (already saved) and opens the next form.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from salesdev_tui.i18n import _
from salesdev_tui.models.enums import ContactMethod, Stage

if TYPE_CHECKING:
    from salesdev_tui.store.combined import Store


#: The editor an offer comes from: a screen with `run_db` (a DbScreen or DbModal, or one
#: of their mixins, which mypy does not see as screens).
DbScreenLike = Any


def offer(origin: DbScreenLike, title: str, message: str, yes_label: str,
          taken: Callable[[], None], skipped: Callable[[], None] | None = None) -> None:
    """Ask once: enter (or y) takes the offer, escape (or n) skips it."""
    from salesdev_tui.dialogs.confirm import ConfirmScreen

    def answered(yes: bool | None) -> None:
        if yes:
            taken()
        elif skipped is not None:
            skipped()

    origin.app.push_screen(
        ConfirmScreen(title, message, yes_label=yes_label, no_label=_("Not now"),
                      yes_is_default=True),
        answered,
    )


def _replace(origin: DbScreenLike, screen: Screen[Any],
             done: Callable[[object], None] | None = None) -> None:
    """Close `origin` (saved already) and open `screen` in its place."""
    app = origin.app
    if app.screen is origin:
        app.pop_screen()
    app.push_screen(screen, done)


def offer_minutes(origin: DbScreenLike, customer_id: uuid.UUID) -> None:
    """The proposal was accepted: the customer moves to negotiation when nothing stands in
    the way (no dialog), and the minutes open."""
    from salesdev_tui.forms.negotiation_editor import NegotiationScreen
    from salesdev_tui.usecases.stage_flow import move_if_clear

    def take() -> None:
        def then(_moved: object) -> None:
            origin.sales_app.changed()
            _replace(origin, NegotiationScreen(customer_id))

        def at_proposal(store: Store) -> object:
            if store.customers.get_customer(customer_id).stage != Stage.PROPOSAL:
                return None
            return move_if_clear(store, customer_id, Stage.NEGOTIATION)

        origin.run_db(at_proposal, then, group="next-step")

    offer(origin, _("Accepted. Write the negotiation minutes now?"),
          _("The customer moves on to negotiation, and the minutes open: who attended, "
            "what was agreed."), _("Write minutes"), take)


def offer_kickoff(origin: DbScreenLike, customer_id: uuid.UUID) -> None:
    """Signed: the kick-off meeting, then (taken or skipped) the first survey's date."""
    from salesdev_tui.forms.followup_forms import MilestoneFormScreen

    def survey() -> None:
        offer_survey(origin, customer_id)

    def take() -> None:
        _replace(origin, MilestoneFormScreen(customer_id, None), lambda _saved: survey())

    offer(origin, _("Won. Plan the kick-off meeting now?"),
          _("The kick-off starts the project; then the first satisfaction survey."),
          _("Plan kick-off"), take, skipped=survey)


def offer_survey(origin: DbScreenLike, customer_id: uuid.UUID) -> None:
    """A contact planned for the first satisfaction survey (policy V), its date to type."""
    from salesdev_tui.forms.plan_form import PlanFormScreen

    def take() -> None:
        form = PlanFormScreen(customer_id, None, focus="scheduled_at", initial={
            "method": ContactMethod.PHONE, "agenda": _("First satisfaction survey")})
        _replace(origin, form)

    offer(origin, _("Plan the first satisfaction survey?"),
          _("A contact to ask how satisfied the customer is; you choose the date."),
          _("Plan survey"), take)
