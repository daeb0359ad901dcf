"""Pilot: plan a contact from a customer's page, log it and plan the next with one key,
reschedule from Today, revisits due on Today, and the calendar export from the palette."""

from __future__ import annotations

import stat
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar
from rich.text import Text
from sqlmodel import select
from textual.widgets import DataTable, Input, Select, TextArea

from salesdev_tui.dialogs.ics_export import IcsExportScreen
from salesdev_tui.domain.validation import (
    ContactInput,
    ContactPlanInput,
    CustomerInput,
    PlanOutcomeInput,
    validate,
)
from salesdev_tui.forms.plan_form import PlanFormScreen
from salesdev_tui.forms.plan_outcome import PlanOutcomeScreen
from salesdev_tui.models.enums import PlanStatus, Stage
from salesdev_tui.models.tables import ContactPlan, Customer
from salesdev_tui.screens.customer_page import CustomerPageScreen
from salesdev_tui.screens.today import TodayScreen
from tests.conftest import FIXED_NOW, wait_ready

MakeApp = Callable[..., Any]
TAIPEI = ZoneInfo("Asia/Taipei")


def add_customer(store: Any, name: str, person: str) -> uuid.UUID:
    customer = store.customers.add_lead(validate(CustomerInput, {"name": name}),
                              validate(ContactInput, {"name": person}))
    return customer.id  # type: ignore[no-any-return]


def plans_of(app: Any, customer_id: uuid.UUID) -> list[ContactPlan]:
    with app.store.db.read() as session:
        return list(session.exec(
            select(ContactPlan)
            .where(ContactPlan.customer_id == customer_id)
            .order_by(ContactPlan.created_at, ContactPlan.scheduled_at)  # type: ignore[arg-type]
        ).all())


def taipei(moment: datetime) -> datetime:
    return moment.astimezone(TAIPEI)


def cells(table: DataTable[Any]) -> list[list[str]]:
    return [
        [cell.plain if isinstance(cell, Text) else str(cell) for cell in table.get_row_at(i)]
        for i in range(table.row_count)
    ]


async def open_page(pilot: Any, app: Any, customer_id: uuid.UUID) -> CustomerPageScreen:
    app.open_customer(customer_id)
    await wait_ready(pilot)
    assert isinstance(app.screen, CustomerPageScreen)
    return app.screen


async def test_plan_a_contact_from_the_customer_page_by_keys(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        acme = add_customer(app.store, "Acme Trading", "Jane Wu")
        jane = app.store.customers.contacts_of(acme)[0]
        await open_page(pilot, app, acme)

        await pilot.press("2", "a")  # the plans tab, then add
        await wait_ready(pilot)
        form = app.screen
        assert isinstance(form, PlanFormScreen)
        # The method is a Select: open it, go down to "visit", take it.
        await pilot.press("enter", "down", "down", "enter")
        await pilot.press("tab", *"tomorrow 10")
        await pilot.press("tab")  # the contact person: the primary one is already chosen
        assert form.query_one("#f-contact_id", Select).value == str(jane.id)
        await pilot.press("tab", *"Bring the samples")
        await pilot.press("ctrl+s")
        await wait_ready(pilot)

        assert isinstance(app.screen, CustomerPageScreen)
        [saved] = plans_of(app, acme)
        assert saved.method == "visit"
        assert taipei(saved.scheduled_at) == datetime(2026, 11, 17, 10, 0, tzinfo=TAIPEI)
        assert saved.contact_id == jane.id
        assert saved.agenda == "Bring the samples"
        assert saved.status == PlanStatus.PLANNED
        # The page's plans tab lists it without a refresh key.
        rows = cells(app.screen.query_one("#table-plans", DataTable))
        assert rows[0][:4] == ["2026-11-17 10:00", "visit", "planned", "Bring the samples"]


async def test_bad_time_is_named_and_nothing_typed_is_lost(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        acme = add_customer(app.store, "Acme Trading", "Jane Wu")
        await open_page(pilot, app, acme)
        await pilot.press("2", "a")
        await wait_ready(pilot)
        await pilot.press("tab", *"someday", "tab", "tab", *"Agenda kept")
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        form = app.screen
        assert isinstance(form, PlanFormScreen)
        assert "someday" in str(form.query_one("#e-scheduled_at").render())
        assert form.query_one("#f-scheduled_at", Input).value == "someday"
        assert form.query_one("#f-agenda", TextArea).text == "Agenda kept"
        assert plans_of(app, acme) == []


async def test_log_done_then_one_key_plans_the_next(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        acme = add_customer(app.store, "Acme Trading", "Jane Wu")
        jane = app.store.customers.contacts_of(acme)[0]
        first = app.store.plans.plan_contact(acme, validate(ContactPlanInput, {
            "method": "meeting", "scheduled_at": FIXED_NOW - timedelta(hours=1),
            "contact_id": str(jane.id), "agenda": "Introduce the company"}))
        page = await open_page(pilot, app, acme)
        await pilot.press("2")
        page.query_one("#table-plans", DataTable).focus()
        await pilot.press("enter")  # edit the plan ...
        await wait_ready(pilot)
        assert isinstance(app.screen, PlanFormScreen)
        await pilot.press("ctrl+o")  # ... and log its outcome from there
        await wait_ready(pilot)
        dialog = app.screen
        assert isinstance(dialog, PlanOutcomeScreen)
        await pilot.press("d")  # choose "done" (nothing is preselected)
        await pilot.press(*"Interested in samples", "tab", *"Send the price list")
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        assert app.screen is dialog and dialog.outcome_saved  # now asking about the next one

        await pilot.press("p")
        await wait_ready(pilot)
        form = app.screen
        assert isinstance(form, PlanFormScreen)
        assert form.focused is form.query_one("#f-scheduled_at", Input)
        await pilot.press(*"fri 15")
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        assert app.screen is page

        done, following = plans_of(app, acme)
        assert done.id == first.id
        assert (done.status, done.done_at) == (PlanStatus.DONE, FIXED_NOW)
        assert done.outcome == "Interested in samples"
        assert done.next_step == "Send the price list"
        assert following.status == PlanStatus.PLANNED
        assert (following.method, following.contact_id) == ("meeting", jane.id)
        assert following.agenda == "Send the price list"
        assert taipei(following.scheduled_at) == datetime(2026, 11, 20, 15, 0, tzinfo=TAIPEI)
        assert app.store.customers.get_customer(acme).first_contacted_at == FIXED_NOW


async def test_enter_closes_the_prompt_and_cancelled_asks_nothing(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        acme = add_customer(app.store, "Acme Trading", "Jane Wu")
        ids = [
            app.store.plans.plan_contact(acme, validate(ContactPlanInput, {
                "method": "phone", "scheduled_at": FIXED_NOW + timedelta(hours=h)})).id
            for h in (1, 2)
        ]
        app.push_screen(PlanOutcomeScreen(ids[0]))
        await wait_ready(pilot)
        await pilot.press("2")  # the status by its number: missed
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        assert isinstance(app.screen, PlanOutcomeScreen)
        assert app.store.plans.get_plan(ids[0]).status == PlanStatus.MISSED
        await pilot.press("enter")
        await wait_ready(pilot)
        assert isinstance(app.screen, TodayScreen)

        app.push_screen(PlanOutcomeScreen(ids[1]))
        await wait_ready(pilot)
        await pilot.press("up", "enter")  # the arrows wrap around: cancelled
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        assert isinstance(app.screen, TodayScreen)
        statuses = [p.status for p in plans_of(app, acme)]
        assert statuses == [PlanStatus.MISSED, PlanStatus.CANCELLED]


async def test_reschedule_from_today(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        acme = add_customer(app.store, "Acme Trading", "Jane Wu")
        plan_id = app.store.plans.plan_contact(acme, validate(ContactPlanInput, {
            "method": "phone", "scheduled_at": FIXED_NOW - timedelta(days=1)})).id
        app.changed()
        await wait_ready(pilot)
        today = app.screen
        assert isinstance(today, TodayScreen)
        today.query_one("#overdue", DataTable).focus()
        await pilot.press("e")  # r is the review everywhere
        await wait_ready(pilot)
        form = app.screen
        assert isinstance(form, PlanFormScreen)
        when = form.query_one("#f-scheduled_at", Input)
        assert form.focused is when and when.value == "2026-11-15 14:30"
        await pilot.press(*"tomorrow 9:30", "ctrl+s")  # typing replaces the selected time
        await wait_ready(pilot)
        assert app.screen is today, when.value
        moved = app.store.plans.get_plan(plan_id)
        assert taipei(moved.scheduled_at) == datetime(2026, 11, 17, 9, 30, tzinfo=TAIPEI)
        assert cells(today.query_one("#overdue", DataTable)) == []
        assert [r[1] for r in cells(today.query_one("#upcoming", DataTable))] == ["Acme Trading"]


async def test_today_shows_revisits_due_and_p_plans_one(make_app: MakeApp, clock: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        store = app.store
        won = add_customer(store, "Won Trading", "Amy Chen")
        quiet = add_customer(store, "Recently Seen Ltd.", "Ben Ho")
        for customer_id, days_ago in ((won, 40), (quiet, 10)):
            clock.current = FIXED_NOW - timedelta(days=days_ago)
            visit = store.plans.plan_contact(customer_id, validate(ContactPlanInput, {
                "method": "visit", "scheduled_at": clock.current}))
            store.plans.log_outcome(visit.id, validate(PlanOutcomeInput, {"status": "done"}))
            with store.db.write() as session:
                customer = session.get(Customer, customer_id)
                customer.stage = Stage.WON
                session.add(customer)
            store.plans.set_revisit_interval(customer_id, 30)
        clock.current = FIXED_NOW
        app.changed()
        await wait_ready(pilot)
        today = app.screen
        assert isinstance(today, TodayScreen)
        revisits = today.query_one("#revisits", DataTable)
        assert cells(revisits) == [["11-06", "Won Trading", "30 days", "2026-10-07"]]

        revisits.focus()
        await pilot.press("p")
        await wait_ready(pilot)
        form = app.screen
        assert isinstance(form, PlanFormScreen)
        await pilot.press("tab", *"wed 10", "ctrl+s")
        await wait_ready(pilot)
        assert app.screen is today
        [_done, revisit] = plans_of(app, won)
        assert revisit.method == "visit" and revisit.agenda == "Regular revisit"
        assert revisit.contact_id == store.customers.contacts_of(won)[0].id
        # Someone is on it now: no longer due.
        assert cells(today.query_one("#revisits", DataTable)) == []


async def test_calendar_export_from_the_palette(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        acme = add_customer(app.store, "Acme Trading", "Jane Wu")
        plan_id = app.store.plans.plan_contact(acme, validate(ContactPlanInput, {
            "method": "phone", "scheduled_at": FIXED_NOW + timedelta(days=1)})).id
        await pilot.press("ctrl+p")
        await pilot.press(*"calendar (.ics)")
        await wait_ready(pilot)
        await pilot.press("enter")
        await wait_ready(pilot)
        dialog = app.screen
        assert isinstance(dialog, IcsExportScreen)
        path_input = dialog.query_one(Input)
        assert path_input.value == "~/salesdev-plans.ics"
        target = tmp_path / "out" / "plans.ics"
        path_input.value = str(target)
        await pilot.press("enter")  # the folder does not exist: said plainly, input kept
        await wait_ready(pilot)
        assert app.screen is dialog
        assert "Cannot write" in str(dialog.query_one("#ics-error").render())
        assert path_input.value == str(target)

        target.parent.mkdir()
        await pilot.press("enter")
        await wait_ready(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        calendar = Calendar.from_ical(target.read_bytes())
        [event] = calendar.walk("VEVENT")
        assert str(event["UID"]) == str(plan_id)
        assert event.start == datetime(2026, 11, 17, 14, 30, tzinfo=TAIPEI)
        assert event["DTSTART"].params["TZID"] == "Asia/Taipei"


async def test_untouched_form_closes_at_once_and_markup_is_literal(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        acme = add_customer(app.store, "[b]Acme[/b] [@click=app.quit]x[/]", "[/]Jane")
        page = await open_page(pilot, app, acme)
        await pilot.press("2", "a")
        await wait_ready(pilot)
        form = app.screen
        assert isinstance(form, PlanFormScreen)
        assert str(form.query_one("#plan-context").render()).startswith("[b]Acme[/b]")
        select = form.query_one("#f-contact_id", Select)
        assert select.value == str(app.store.customers.contacts_of(acme)[0].id)
        # The defaults (phone, the primary contact) are not typing: escape closes at once.
        await pilot.press("escape")
        await wait_ready(pilot)
        assert app.screen is page

        await pilot.press("a", "tab", *"tomorrow")
        await pilot.press("escape")  # typed something: asks first
        await wait_ready(pilot)
        assert not isinstance(app.screen, PlanFormScreen | CustomerPageScreen)
        await pilot.press("escape")  # keep editing
        await wait_ready(pilot)
        assert isinstance(app.screen, PlanFormScreen)
        assert app.screen.query_one("#f-scheduled_at", Input).value == "tomorrow"
        assert app.is_running


async def test_log_outcome_key_waits_for_unsaved_edits(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        acme = add_customer(app.store, "Acme Trading", "Jane Wu")
        plan_id = app.store.plans.plan_contact(acme, validate(ContactPlanInput, {
            "method": "phone", "scheduled_at": FIXED_NOW})).id
        app.push_screen(PlanFormScreen(acme, plan_id))
        await wait_ready(pilot)
        form = app.screen
        await pilot.press("tab", "tab", "tab", *"New agenda")
        await pilot.press("ctrl+o")
        await wait_ready(pilot)
        assert app.screen is form  # not thrown away
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        assert app.store.plans.get_plan(plan_id).agenda == "New agenda"

        # A new plan has no outcome to log: the key does nothing there.
        app.push_screen(PlanFormScreen(acme, None))
        await wait_ready(pilot)
        await pilot.press("ctrl+o")
        await wait_ready(pilot)
        assert isinstance(app.screen, PlanFormScreen)
