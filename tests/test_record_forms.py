"""Pilot: the simple record forms of a customer's page, driven by keys, checked in the DB."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlmodel import select
from textual.widgets import DataTable, Input, Label

from salesdev_tui.dialogs.confirm import ConfirmScreen
from salesdev_tui.domain.validation import CustomerInput, validate
from salesdev_tui.forms.competitor_form import CompetitorNoteFormScreen
from salesdev_tui.forms.followup_forms import MilestoneFormScreen
from salesdev_tui.forms.survey_form import SurveyFormScreen
from salesdev_tui.models.enums import (
    CreditRating,
    LegalReview,
    MilestoneKind,
    NeedKind,
    Priority,
    SurveyMethod,
)
from salesdev_tui.models.tables import (
    CompetitorNote,
    Contract,
    CreditCheck,
    FieldEdit,
    Milestone,
    NeedsNote,
    ProgressReport,
    Record,
    Survey,
)
from salesdev_tui.screens.customer_page import CustomerPageScreen
from tests.conftest import FIXED_NOW, wait_ready

MakeApp = Callable[..., Any]


def add_customer(store: Any, name: str) -> uuid.UUID:
    return store.customers.add_lead(validate(CustomerInput, {"name": name})).id


def live(app: Any, model: type[Record], customer_id: uuid.UUID) -> list[Any]:
    with app.store.db.read() as session:
        return list(session.exec(
            select(model).where(
                model.customer_id == customer_id,  # type: ignore[attr-defined]
                model.deleted_at.is_(None),  # type: ignore[union-attr]
            )
        ).all())


async def open_tab(pilot: Any, app: Any, customer_id: uuid.UUID, key: str) -> CustomerPageScreen:
    app.open_customer(customer_id)
    await wait_ready(pilot)
    page = app.screen
    assert isinstance(page, CustomerPageScreen)
    await pilot.press(key)
    await wait_ready(pilot)
    return page


async def press(pilot: Any, *keys: str) -> None:
    await pilot.press(*keys)
    await wait_ready(pilot)


async def test_needs_note_by_keys(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        customer_id = add_customer(app.store, "Acme Trading")
        await open_tab(pilot, app, customer_id, "3")
        await press(pilot, "a")
        await pilot.press(*"Deliveries are late")
        await press(pilot, "tab", "enter", *"pain", "enter")  # kind: type to find
        await press(pilot, "tab", "enter", *"high", "enter")
        await pilot.press("tab", *"12,500", "tab", *"Mr Lin, buyer")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, CustomerPageScreen)
        [note] = live(app, NeedsNote, customer_id)
        assert (note.text, note.kind, note.priority) == (
            "Deliveries are late", NeedKind.PAIN_POINT, Priority.HIGH)
        assert str(note.budget) == "12500.00" and note.decision_maker == "Mr Lin, buyer"
        assert note.noted_at == FIXED_NOW  # the app's clock, not the real time


async def test_survey_bad_score_is_refused_at_its_field(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        customer_id = add_customer(app.store, "Beta Foods")
        await open_tab(pilot, app, customer_id, "8")
        await press(pilot, "a")
        form = app.screen
        assert isinstance(form, SurveyFormScreen)
        await pilot.press("7", "tab", "tab", "enter", *"phone", "enter")
        await press(pilot, "tab", *"Quick answers")
        await press(pilot, "ctrl+s")
        assert app.screen is form  # refused: the form stays, everything typed kept
        error = form.query_one("#e-score", Label)
        assert not error.has_class("-hidden")
        assert "Score" in str(error.render()) and "1 to 5" in str(error.render())
        score = form.query_one("#f-score", Input)
        assert score.value == "7" and score.has_focus
        assert live(app, Survey, customer_id) == []

        await press(pilot, "backspace", "4", "ctrl+s")
        assert isinstance(app.screen, CustomerPageScreen)
        [survey] = live(app, Survey, customer_id)
        assert (survey.score, survey.method, survey.comment) == (
            4, SurveyMethod.PHONE, "Quick answers")
        assert survey.taken_at == FIXED_NOW.replace(second=0)


async def test_credit_check_worst_rating_warns(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        customer_id = add_customer(app.store, "Gamma Steel")
        await open_tab(pilot, app, customer_id, "9")
        await press(pilot, "a")
        await press(pilot, "enter", "d", "enter")  # rating D, the worst
        await pilot.press("tab", "tab", *"Credit agency", "tab", *"100000")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, CustomerPageScreen)
        [check] = live(app, CreditCheck, customer_id)
        assert check.rating == CreditRating.D and check.source == "Credit agency"
        assert check.checked_on == date(2026, 11, 16)  # today, in the rep's zone
        messages = [n.message for n in app._notifications]
        assert any("worst grade" in m and "override" in m for m in messages)


async def test_competitor_note_add_edit_delete(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        customer_id = add_customer(app.store, "Delta Paper")
        page = await open_tab(pilot, app, customer_id, "0")
        await press(pilot, "a")
        form = app.screen
        assert isinstance(form, CompetitorNoteFormScreen)
        assert form.query_one("#form-delete").has_class("-hidden")  # nothing to delete yet
        await pilot.press(*"Acmex", "left", "ctrl+d")  # adding: ctrl+d edits the text
        assert form.query_one("#f-competitor", Input).value == "Acme"
        await pilot.press("tab", *"10% cheaper")
        await press(pilot, "ctrl+s")
        [note] = live(app, CompetitorNote, customer_id)
        assert (note.competitor, note.offer) == ("Acme", "10% cheaper")

        table = page.query_one("#table-competitors", DataTable)
        table.focus()
        await press(pilot, "enter")
        form = app.screen
        assert isinstance(form, CompetitorNoteFormScreen) and form.record_id == note.id
        assert form.query_one("#f-competitor", Input).value == "Acme"
        await press(pilot, "end", *" Ltd", "ctrl+s")
        with app.store.db.read() as session:
            edits = session.exec(select(FieldEdit).where(FieldEdit.entity_id == note.id)).all()
        assert [(e.field, e.old_value, e.new_value) for e in edits] == [
            ("competitor", "Acme", "Acme Ltd")]

        table.focus()
        await press(pilot, "enter", "ctrl+d")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "y")
        assert isinstance(app.screen, CustomerPageScreen)
        assert live(app, CompetitorNote, customer_id) == []
        assert table.row_count == 0


async def test_follow_up_kickoff_milestone_and_report(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        customer_id = add_customer(app.store, "Epsilon Glass")
        with app.store.db.write() as session:
            contract = Contract(customer_id=customer_id, legal_review=LegalReview.APPROVED,
                                signed_at=FIXED_NOW - timedelta(days=2))
            session.add(contract)
        await open_tab(pilot, app, customer_id, "7")

        await press(pilot, "a", "1")  # the first of the tab's two editors: a milestone
        form = app.screen
        assert isinstance(form, MilestoneFormScreen)
        # No kick-off yet: the form starts as one.
        assert form.query_one("#f-title", Input).value == "Kick-off meeting"
        await press(pilot, "ctrl+s")
        await press(pilot, "a", "1")
        assert app.screen.query_one("#f-title", Input).value == ""
        await pilot.press(*"First delivery", "tab", "tab", *"2026-11-10", "tab", "space")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, CustomerPageScreen)
        milestones = sorted(live(app, Milestone, customer_id), key=lambda m: m.title)
        assert [(m.title, m.kind, m.contract_id) for m in milestones] == [
            ("First delivery", MilestoneKind.MILESTONE, contract.id),
            ("Kick-off meeting", MilestoneKind.KICKOFF, contract.id),
        ]
        assert milestones[0].due_on == date(2026, 11, 10)
        assert milestones[0].done_at == FIXED_NOW and milestones[1].done_at is None

        await press(pilot, "a", "2")
        await pilot.press(*"Delivery on track", "tab", *"e-mail")
        await press(pilot, "ctrl+s")
        [report] = live(app, ProgressReport, customer_id)
        assert (report.summary, report.channel, report.contract_id) == (
            "Delivery on track", "e-mail", contract.id)
