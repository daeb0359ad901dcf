"""Hostile text in every RecordForm (issue 7): never a crash; refused at its field and kept,
or stored as documented and shown back literally."""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import Input, Label, Select, TextArea

from salesdev_tui.domain.validation import field_label
from salesdev_tui.forms.record_form import FieldSpec, RecordForm
from salesdev_tui.models.enums import Kpi, PeriodKind
from salesdev_tui.models.tables import (
    CompetitorNote,
    Contact,
    ContactPlan,
    CreditCheck,
    Customer,
    Milestone,
    NeedsNote,
    ProgressReport,
    Record,
    ResearchNote,
    Survey,
    Target,
)
from salesdev_tui.screens.customer_page import CustomerPageScreen
from tests.hostile.forms import (
    AppSession,
    add_customer,
    assert_alive,
    assert_shown_literally,
    expect,
    label_text,
    one_line,
    page_cells,
    rows_of,
    set_text,
    settle,
    widget_text,
)
from tests.hostile.strategies import EXAMPLES, OUTCOMES, PILOT_PHASES, hostile_text

MakeApp = Callable[..., Any]


@dataclass(frozen=True)
class Case:
    """One RecordForm: how to open it and what the customer page shows of its record."""

    form: str
    model: type[Record]
    #: "customer": adds a record to a new customer; "edit": edits that customer; "none".
    owner: str = "customer"
    #: Valid text for fields that are not free text (numbers, times, phones, ...).
    valid: dict[str, str] = field(default_factory=dict)
    #: Page cells that show a free-text field: field -> _one_line width (None: in full).
    shown: dict[str, int | None] = field(default_factory=dict)
    build: Callable[[uuid.UUID | None], RecordForm] | None = None

    @property
    def name(self) -> str:
        return self.form.rpartition(":")[2]

    def open(self, customer_id: uuid.UUID | None, record_id: uuid.UUID | None) -> RecordForm:
        if self.build is not None:
            return self.build(customer_id)
        module_name, _sep, class_name = self.form.partition(":")
        module = importlib.import_module(f"salesdev_tui.forms.{module_name}")
        form = getattr(module, class_name)(customer_id, record_id)
        assert isinstance(form, RecordForm)
        return form


def _target_form(_customer: uuid.UUID | None) -> RecordForm:
    from salesdev_tui.forms.target_form import TargetFormScreen

    return TargetFormScreen(PeriodKind.MONTH, "2026-11", Kpi.REVENUE)


CASES = (
    Case("competitor_form:CompetitorNoteFormScreen", CompetitorNote,
         shown={"competitor": None, "offer": 30, "strengths": 30, "weaknesses": 30}),
    Case("contact_form:ContactFormScreen", Contact,
         valid={"phone": "0912 345 678", "email": "jane@acme.tw", "mobile": "0912 000 111"},
         shown={"name": None, "role": None}),
    Case("research_form:ResearchNoteFormScreen", ResearchNote, owner="none",
         valid={"noted_on": "2026-11-01"}),
    Case("survey_form:SurveyFormScreen", Survey, valid={"score": "4"}, shown={"comment": 60}),
    Case("needs_form:NeedsNoteFormScreen", NeedsNote, valid={"budget": "12,500"},
         shown={"text": 60}),
    Case("customer_form:CustomerFormScreen", Customer, owner="edit",
         valid={"revisit_days": "30", "tax_id": "04595257"}),
    Case("followup_forms:MilestoneFormScreen", Milestone, valid={"due_on": "2026-12-01"},
         shown={"title": None}),
    Case("followup_forms:ProgressReportFormScreen", ProgressReport,
         shown={"summary": 40, "channel": None}),
    Case("credit_form:CreditCheckFormScreen", CreditCheck, valid={"credit_limit": "500,000"},
         shown={"source": None, "notes": 40}),
    Case("plan_form:PlanFormScreen", ContactPlan, valid={"scheduled_at": "2026-12-01 10:00"},
         shown={"agenda": 40}),
    Case("target_form:TargetFormScreen", Target, owner="none",
         valid={"value": "950,000", "period_label": "2026-11"},
         build=_target_form),
)

#: Fields whose rules go beyond text (a phone, an e-mail, a number, a time): they get either
#: their valid value or hostile text, and hostile text there need only be refused cleanly.
_FREE_TEXT_KINDS = ("text", "multiline")


@dataclass
class Drawn:
    strict: dict[str, str] = field(default_factory=dict)
    loose: dict[str, str] = field(default_factory=dict)
    valid: dict[str, str] = field(default_factory=dict)


def _limits(case: Case) -> dict[str, tuple[int, int]]:
    from salesdev_tui.models.tables import length_limits

    return length_limits(case.model)


def _draw_values(case: Case, specs: list[FieldSpec], data: st.DataObject) -> Drawn:
    """What to put in each typed field (drawn in the test thread: Hypothesis needs it).

    Free text always gets hostile text; the other typed fields their valid value or, as
    often, hostile text too ("loose": it only has to be refused cleanly).
    """
    limits = _limits(case)
    drawn = Drawn()
    for spec in specs:
        if spec.kind in ("choice", "flag"):
            continue
        if spec.kind in _FREE_TEXT_KINDS and spec.name not in case.valid and spec.name in limits:
            drawn.strict[spec.name] = data.draw(hostile_text, label=spec.name)
        elif data.draw(st.booleans(), label=f"hostile {spec.name}"):
            drawn.loose[spec.name] = data.draw(hostile_text, label=spec.name)
        elif spec.name in case.valid:
            drawn.valid[spec.name] = case.valid[spec.name]
    return drawn


async def _example(pilot: Any, case: Case, drawn: Drawn) -> None:
    app = pilot.app
    customer_id = None
    if case.owner != "none":
        customer_id = add_customer(app.store)
    record_id = customer_id if case.owner == "edit" else None
    before = {row.id for row in rows_of(app, case.model)}
    form = case.open(customer_id, record_id)
    app.push_screen(form)
    await settle(pilot)

    typed: dict[str, str] = {}
    strict = list(drawn.strict)
    loose = list(drawn.loose)
    for spec in form.fields():
        widget = form.query_one(f"#f-{spec.name}")
        if isinstance(widget, Select):
            if spec.required and widget.value is Select.NULL:
                widget.value = spec.choices[0][1]
            continue
        if not isinstance(widget, Input | TextArea):
            continue
        value = {**drawn.valid, **drawn.loose, **drawn.strict}.get(spec.name)
        typed[spec.name] = widget_text(widget) if value is None else set_text(widget, value)
    expected = {
        name: expect(case.model, name, typed[name],
                     multiline=isinstance(form.query_one(f"#f-{name}"), TextArea),
                     blank_by_strip=True)
        for name in strict
    }
    await pilot.pause()
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert_alive(app)

    refused = {name for name, result in expected.items() if result.refused}
    saved = not form.is_attached
    EXAMPLES[case.name] += 1
    OUTCOMES[f"{case.name}: {'saved' if saved else 'refused'}"] += 1

    if not saved:
        assert app.screen is form
        # Nothing typed is lost.
        for name, text in typed.items():
            assert widget_text(form.query_one(f"#f-{name}")) == text, name
        errors = {spec.name: label_text(form.query_one(f"#e-{spec.name}", Label))
                  for spec in form.fields()}
        general = label_text(form.query_one("#form-error", Label))
        for name in refused:
            label = field_label(name, form.input_model())
            assert label in errors[name], (name, errors[name], typed[name][:80])
        # A refusal names a field: a strict one we expected, or a loose (hostile) one.
        assert refused or any(errors[n] for n in loose) or general, (errors, general)
        assert {row.id for row in rows_of(app, case.model)} == before
        return

    assert not refused, {n: typed[n][:80] for n in refused}
    if case.owner == "edit":
        assert customer_id is not None
        record = rows_of(app, case.model, id=customer_id)[0]
    else:
        new = [row for row in rows_of(app, case.model) if row.id not in before]
        assert len(new) == 1, new
        record = new[0]
    for name in strict:
        assert getattr(record, name) == expected[name].value, name

    # Shown back: the reopened form holds the stored text, the page lists it literally.
    if case.build is None:
        again = case.open(customer_id, record.id)
        app.push_screen(again)
        await settle(pilot)
        for name in strict:
            assert widget_text(again.query_one(f"#f-{name}")) == (
                getattr(record, name) or ""), name
        again.dismiss(False)
        await settle(pilot)
    if case.shown and customer_id is not None:
        app.push_screen(CustomerPageScreen(customer_id))
        await settle(pilot)
        page = app.screen
        for index in range(len(page.tabs)):  # a tab's table is mounted when first shown
            page.action_tab(index)
            await settle(pilot)
        texts = {name: one_line(getattr(record, name), width)
                 for name, width in case.shown.items() if getattr(record, name)}
        assert_shown_literally(page_cells(page, record.id), texts)
    assert_alive(app)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_record_form_takes_hostile_text(make_app: MakeApp, case: Case) -> None:
    @settings(max_examples=10, deadline=None, database=None, phases=PILOT_PHASES,
              suppress_health_check=[HealthCheck.too_slow,
                                     HealthCheck.function_scoped_fixture])
    @given(data=st.data())
    def example(data: st.DataObject) -> None:
        drawn = _draw_values(case, specs, data)
        session.run(lambda pilot: _example(pilot, case, drawn))

    specs = case.open(None, None).fields()

    with AppSession(make_app()) as session:
        example()
