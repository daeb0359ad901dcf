"""Issue 14.12: the outcome dialog preselects nothing, a bare Enter logs nothing and says
which field is missing, and the chosen outcome reads without colour (◉ / ○)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from textual.widgets import Label, RadioSet

from salesdev_tui.domain.validation import (
    ContactInput,
    ContactPlanInput,
    CustomerInput,
    validate,
)
from salesdev_tui.forms.plan_outcome import PlanOutcomeScreen
from salesdev_tui.models.enums import PlanStatus
from tests.conftest import FIXED_NOW, wait_ready

MakeApp = Callable[..., Any]


def _marks(dialog: PlanOutcomeScreen) -> list[str]:
    """The first visible glyph of each radio button, as a monochrome terminal shows it."""
    return [str(button.render()).strip()[0] for button in dialog.query_one(RadioSet).query(
        "RadioButton")]


async def test_bare_enter_logs_nothing_and_names_the_outcome(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        acme = app.store.customers.add_lead(validate(CustomerInput, {"name": "Acme Trading"}),
                                  validate(ContactInput, {"name": "Jane Wu"})).id
        plan_id = app.store.plans.plan_contact(acme, validate(ContactPlanInput, {
            "method": "phone", "scheduled_at": FIXED_NOW - timedelta(hours=1)})).id
        app.push_screen(PlanOutcomeScreen(plan_id))
        await wait_ready(pilot)
        dialog = app.screen
        assert isinstance(dialog, PlanOutcomeScreen)
        assert _marks(dialog) == ["○", "○", "○"]  # nothing preselected

        await pilot.press("enter")  # a bare Enter on the outcome, nothing chosen
        await wait_ready(pilot)
        assert app.screen is dialog and not dialog.outcome_saved
        assert "Outcome" in str(dialog.query_one("#outcome-error", Label).render())
        plan = app.store.plans.get_plan(plan_id)
        assert (plan.status, plan.done_at) == (PlanStatus.PLANNED, None)
        assert app.store.customers.get_customer(acme).first_contacted_at is None  # not "contacted"

        await pilot.press("down", "enter")  # the arrows, then Enter: "missed"
        assert _marks(dialog) == ["○", "◉", "○"]
        assert app.focused is dialog.query_one("#outcome-text")  # on to what happened
        await pilot.press(*"No answer", "enter")  # Enter now saves
        await wait_ready(pilot)
        assert dialog.outcome_saved
        plan = app.store.plans.get_plan(plan_id)
        assert (plan.status, plan.outcome) == (PlanStatus.MISSED, "No answer")
        assert app.store.customers.get_customer(acme).first_contacted_at is None


async def test_plan_next_opens_the_plan_form_filled_from_the_missed_contact(
    make_app: MakeApp,
) -> None:
    """`p` after a missed contact: the plan form (opened through the app, issue 15) with the
    same method and agenda, the time to fill in."""
    from textual.widgets import Input, Select, TextArea

    from salesdev_tui.forms.plan_form import PlanFormScreen

    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_ready(pilot)
        acme = app.store.customers.add_lead(validate(CustomerInput, {"name": "Acme Trading"}),
                                  validate(ContactInput, {"name": "Jane Wu"})).id
        plan_id = app.store.plans.plan_contact(acme, validate(ContactPlanInput, {
            "method": "visit", "agenda": "Show the pump",
            "scheduled_at": FIXED_NOW - timedelta(hours=1)})).id
        app.push_screen(PlanOutcomeScreen(plan_id))
        await wait_ready(pilot)
        await pilot.press("m", *"Out", "enter")  # missed
        await wait_ready(pilot)
        await pilot.press("p")
        await wait_ready(pilot)
        form = app.screen
        assert isinstance(form, PlanFormScreen) and form.record_id is None
        assert form.query_one("#f-method", Select).value == "visit"
        assert "Show the pump" in form.query_one("#f-agenda", TextArea).text
        assert isinstance(app.focused, Input) and app.focused.id == "f-scheduled_at"
