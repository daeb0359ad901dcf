"""Acceptance (issue 4): one customer walked through the policy's eight steps by keys alone.

Intake on the quick line; a call planned and logged done; a needs note; a proposal with three
lines, presented and accepted; negotiation minutes with a point agreed; the contract, whose
signing is refused until the six clauses and the legal approval are there, then signed (the
customer is won); the kick-off and a milestone; a satisfaction survey. Stage moves are `]` on
the customer's page. The UI is driven by key presses only; the store is only read, to check
what the keys wrote. The keys are counted: text typed into fields apart from every other key
(shortcuts, navigation, enter, tab, …). Texts are short: under Pilot every character costs
a few hundredths of a second.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select
from textual.widgets import Label, Static

from salesdev_tui.dialogs.confirm import ConfirmScreen
from salesdev_tui.dialogs.point_dialog import PointDialog
from salesdev_tui.dialogs.stage_move import StageMoveScreen
from salesdev_tui.forms.contract_editor import ContractScreen
from salesdev_tui.forms.followup_forms import MilestoneFormScreen
from salesdev_tui.forms.lead_quick import QuickLeadScreen
from salesdev_tui.forms.needs_form import NeedsNoteFormScreen
from salesdev_tui.forms.negotiation_editor import NegotiationScreen
from salesdev_tui.forms.plan_form import PlanFormScreen
from salesdev_tui.forms.plan_outcome import PlanOutcomeScreen
from salesdev_tui.forms.proposal_editor import ProposalScreen
from salesdev_tui.forms.survey_form import SurveyFormScreen
from salesdev_tui.models.enums import (
    LegalReview,
    MilestoneKind,
    PlanStatus,
    PointKind,
    Potential,
    Priority,
    ProposalStatus,
    Source,
    Stage,
)
from salesdev_tui.models.tables import (
    Contact,
    ContactPlan,
    Contract,
    Customer,
    Milestone,
    NeedsNote,
    Negotiation,
    NegotiationPoint,
    Proposal,
    ProposalLine,
    StageChange,
    Survey,
)
from salesdev_tui.screens.customer_page import CustomerPageScreen
from salesdev_tui.screens.customers import CustomersScreen
from salesdev_tui.screens.today import TodayScreen
from salesdev_tui.usecases.stage_flow import AUTOMATIC_REASON
from salesdev_tui.widgets.minutes_points import PointTable
from tests.conftest import FIXED_NOW, wait_ready

# About 40 s of CPU, and Pilot waits for idle after every key: over a minute in all.
pytestmark = pytest.mark.slow

MakeApp = Callable[..., Any]
T = TypeVar("T")
TAIPEI = ZoneInfo("Asia/Taipei")

LINE = "Acme Trading; Jane Wu <jane@acme.tw> +886 912 345 678 #trade_show #manufacturing !A"
CLAUSES = ("Annex A", "X-200", "1.25M", "03-01", "ISO 9001", "5%/wk")
#: The proposal's lines as typed, cell by cell ("" skips a cell: quantity 1, no discount).
LINES = (("X-200", "Pump", "40", "30000", "5"), ("Install", "", "", "50000"),
         ("Service", "1 year", "", "60000"))


class Keys:
    """Presses keys through the pilot and counts them: text typed apart from other keys."""

    def __init__(self, pilot: Any) -> None:
        self.pilot = pilot
        self.text = 0
        self.other = 0
        self.steps: list[tuple[str, int, int]] = []
        """(step, text characters, other keys) of each step, as marked."""

    async def type(self, text: str) -> None:
        """Type `text` into the focused field, one key per character."""
        self.text += len(text)
        await self.pilot.press(*text)

    async def press(self, *keys: str) -> None:
        """Press shortcuts, navigation, enter, tab: every key that is not text."""
        self.other += len(keys)
        await self.pilot.press(*keys)

    async def settle(self) -> None:
        await wait_ready(self.pilot)

    def mark(self, step: str) -> None:
        """Close a step: the keys pressed since the previous mark are its keys."""
        text = self.text - sum(t for _s, t, _o in self.steps)
        other = self.other - sum(o for _s, _t, o in self.steps)
        self.steps.append((step, text, other))


def taipei(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of November 2026 in Taipei; days past 30 run on into December."""
    month, day = (12, day - 30) if day > 30 else (11, day)
    return datetime(2026, month, day, hour, minute, tzinfo=TAIPEI)


def rows(app: Any, model: type[T], *order: Any) -> list[T]:
    with app.store.db.read() as session:
        return list(session.exec(select(model).order_by(*order)).all())


def text_of(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def add_on_tab(keys: Keys, tab: str, screen_type: type) -> Any:
    """On the customer's page: the tab's number, then `a` opens the tab's editor."""
    await keys.press(tab, "a")
    await keys.settle()
    screen = keys.pilot.app.screen
    assert isinstance(screen, screen_type)
    return screen


async def move_stage(keys: Keys, page: CustomerPageScreen, target: Stage) -> None:
    """`]` on the customer's page: every gate is met by then, so no dialog (issue 21.2)."""
    app = keys.pilot.app
    await keys.press("]")
    await keys.settle()
    assert not isinstance(app.screen, StageMoveScreen)
    assert app.screen is page
    assert app.store.customers.get_customer(page.customer_id).stage == target


# -- the steps ----------------------------------------------------------------------------


async def intake_and_open(keys: Keys, app: Any) -> CustomerPageScreen:
    """Step 2: the quick line; then the customer found in the list and opened."""
    await keys.press("n")
    await keys.settle()
    assert isinstance(app.screen, QuickLeadScreen)
    await keys.type(LINE)
    await keys.press("enter")
    await keys.settle()
    await keys.press("escape")
    await keys.settle()
    assert isinstance(app.screen, TodayScreen)
    [acme] = rows(app, Customer)
    assert (acme.name, acme.stage, acme.source, acme.industry, acme.potential) == (
        "Acme Trading", Stage.PROSPECT, Source.TRADE_SHOW, "manufacturing", Potential.A)
    [jane] = rows(app, Contact)
    assert (jane.customer_id, jane.name, jane.email, jane.phone_normalized, jane.is_primary) == (
        acme.id, "Jane Wu", "jane@acme.tw", "+886912345678", True)

    await keys.press("c")
    await keys.settle()
    assert isinstance(app.screen, CustomersScreen)
    await keys.type("acme")
    await keys.settle()
    await keys.press("enter", "enter")  # from the box into the list; open
    await keys.settle()
    page = app.screen
    assert isinstance(page, CustomerPageScreen) and page.customer_id == acme.id
    return page


async def contact(keys: Keys, app: Any, clock: Any, page: CustomerPageScreen) -> None:
    """Step 3: plan a call (phone is the default, Jane the primary contact), log it done."""
    await add_on_tab(keys, "2", PlanFormScreen)
    await keys.press("tab")
    await keys.type("tomorrow 10")
    await keys.press("tab", "tab")
    await keys.type("Intro")
    await keys.press("ctrl+s")
    await keys.settle()
    assert app.screen is page
    [plan] = rows(app, ContactPlan)
    [jane] = rows(app, Contact)
    assert (plan.customer_id, plan.method, plan.scheduled_at, plan.contact_id, plan.agenda,
            plan.status) == (page.customer_id, "phone", taipei(17, 10), jane.id,
                             "Intro", PlanStatus.PLANNED)

    clock.current = taipei(17, 10, 30)  # the call has been made
    await keys.press("tab", "enter")  # into the plans list; edit the plan …
    await keys.settle()
    assert isinstance(app.screen, PlanFormScreen)
    await keys.press("ctrl+o")  # … and log its outcome
    await keys.settle()
    assert isinstance(app.screen, PlanOutcomeScreen)
    await keys.press("d")  # choose "done" (nothing is preselected)
    await keys.type("Wants 40")
    await keys.press("ctrl+s")
    await keys.settle()
    # The first completed contact moved the prospect on by itself (issue 21.3).
    assert "moved to contacted" in str(app.screen.query_one("#outcome-saved", Label).render())
    await keys.press("enter")  # no next contact planned now
    await keys.settle()
    assert app.screen is page
    [plan] = rows(app, ContactPlan)
    assert (plan.status, plan.done_at, plan.outcome) == (
        PlanStatus.DONE, clock.current, "Wants 40")
    customer = app.store.customers.get_customer(page.customer_id)
    assert (customer.first_contacted_at, customer.stage) == (clock.current, Stage.CONTACTED)


async def needs(keys: Keys, app: Any, clock: Any, page: CustomerPageScreen) -> None:
    """Step 4: a needs note, high priority, with the budget."""
    clock.current = taipei(17, 11)
    await add_on_tab(keys, "3", NeedsNoteFormScreen)
    await keys.type("40 pumps")
    await keys.press("tab", "tab", "enter", "down", "enter", "tab")  # priority: high
    await keys.type("1200000")
    await keys.press("ctrl+s")
    await keys.settle()
    assert app.screen is page
    [need] = rows(app, NeedsNote)
    assert (need.customer_id, need.text, need.priority, need.budget, need.noted_at) == (
        page.customer_id, "40 pumps", Priority.HIGH, Decimal("1200000"),
        clock.current)
    await move_stage(keys, page, Stage.NEEDS)


async def proposal(keys: Keys, app: Any, clock: Any, page: CustomerPageScreen) -> Proposal:
    """Step 5: the terms, three lines by the grid's keys, saved; presented, accepted."""
    clock.current = taipei(18, 9)
    await move_stage(keys, page, Stage.PROPOSAL)
    editor = await add_on_tab(keys, "4", ProposalScreen)
    for index, text in enumerate(("Pumps", "+30d", "Truck")):  # title, valid, delivery
        if index:
            await keys.press("tab")
        await keys.type(text)
    for cells in LINES:
        await keys.press("ctrl+n")  # a new line, its first cell open
        for number, cell in enumerate(cells):
            await keys.type(cell)
            await keys.press("tab" if number < len(cells) - 1 else "enter")
    assert "1,250,000.00" in text_of(editor, "#proposal-total")
    await keys.press("ctrl+s")
    await keys.settle()
    for status, day in (("p", 19), ("A", 20)):  # presented, then accepted: asked first
        clock.current = taipei(day, 15)
        await keys.press(status)
        await keys.settle()
        assert isinstance(app.screen, ConfirmScreen)
        await keys.press("y")
        await keys.settle()
    # Accepted: the minutes are offered, one key; taken, the customer is at negotiation.
    assert isinstance(app.screen, ConfirmScreen)
    await keys.press("enter")
    await keys.settle()
    assert isinstance(app.screen, NegotiationScreen)
    assert app.store.customers.get_customer(page.customer_id).stage == Stage.NEGOTIATION

    [offer] = rows(app, Proposal)
    assert (offer.customer_id, offer.title, offer.version, offer.status, offer.presented_at,
            offer.valid_until, offer.delivery_method) == (
        page.customer_id, "Pumps", 1, ProposalStatus.ACCEPTED, taipei(19, 15),
        date(2026, 12, 18), "Truck")
    lines = rows(app, ProposalLine, col(ProposalLine.position))
    assert [(x.proposal_id, x.product, x.description, x.quantity, x.unit_price,
             x.discount_pct) for x in lines] == [
        (offer.id, "X-200", "Pump", Decimal("40"), Decimal("30000"), Decimal("5")),
        (offer.id, "Install", None, Decimal("1"), Decimal("50000"), Decimal("0")),
        (offer.id, "Service", "1 year", Decimal("1"), Decimal("60000"), Decimal("0")),
    ]
    return offer


async def negotiation(keys: Keys, app: Any, clock: Any, page: CustomerPageScreen) -> None:
    """Step 6: minutes held now, who attended, one point agreed (the editor is open: the
    accepted proposal's offer, held now: right after the acceptance)."""
    assert isinstance(app.screen, NegotiationScreen)
    await keys.press("tab")  # held on: now, as filled in
    await keys.type("Me")
    await keys.press("tab")
    await keys.type("Jane Wu")
    await keys.press("tab")
    assert isinstance(app.focused, PointTable)
    await keys.press("g")
    dialog = app.screen
    assert isinstance(dialog, PointDialog)
    await keys.type("By 03-01")
    await keys.press("ctrl+s")  # keep the point (in the draft) …
    await keys.settle()
    await keys.press("ctrl+s")  # … and save the minutes with it
    await keys.settle()
    assert app.screen is page
    [talk] = rows(app, Negotiation)
    assert (talk.customer_id, talk.held_at, talk.our_attendees, talk.their_attendees) == (
        page.customer_id, clock.current, "Me", "Jane Wu")
    [point] = rows(app, NegotiationPoint)
    assert (point.negotiation_id, point.kind, point.text) == (
        talk.id, PointKind.AGREED, "By 03-01")
    await move_stage(keys, page, Stage.CONTRACT)


async def contract(keys: Keys, app: Any, clock: Any, page: CustomerPageScreen,
                   offer: Proposal) -> Contract:
    """Step 7: signing refused until the clauses and the legal approval are in; then won."""
    clock.current = taipei(25, 10)
    screen = await add_on_tab(keys, "6", ContractScreen)
    await keys.type("SD-42")
    await keys.press("tab")  # the accepted proposal is chosen already, its total the value
    await keys.settle()
    await keys.press("tab", "tab")
    await keys.type("800000")  # the cost
    for text in CLAUSES[:3]:
        await keys.press("tab")
        await keys.type(text)
    await keys.press("ctrl+s")  # a draft, saved
    await keys.settle()
    await keys.press("ctrl+g")
    await keys.settle()
    refused = text_of(screen, "#contract-error")
    assert "Cannot sign yet" in refused
    for missing in ("Delivery time clause", "Quality standard", "Liability for breach",
                    "Legal review"):
        assert missing in refused
    assert "Price clause" not in refused
    [draft] = rows(app, Contract)
    assert (draft.signed_at, draft.value, draft.clause_price) == (
        None, Decimal("1250000"), CLAUSES[2])

    for text in CLAUSES[3:]:
        await keys.press("tab")
        await keys.type(text)
    await keys.press("ctrl+g")  # the clauses are there; legal has not approved
    await keys.settle()
    refused = text_of(screen, "#contract-error")
    assert "Legal review" in refused and "clause" not in refused
    assert [row.signed_at for row in rows(app, Contract)] == [None]

    await keys.press("ctrl+l")  # saved, and sent to legal
    await keys.settle()
    clock.current = taipei(26, 16)
    await keys.press("tab", "enter", "down", "enter", "tab")  # the verdict: approved
    await keys.type("Lin")
    await keys.press("tab")  # the review day: an approval needs it (issue 14.10)
    await keys.type("today")
    await keys.press("ctrl+g")
    await keys.settle()
    assert "is won" in text_of(screen, "#contract-status")
    assert isinstance(app.screen, ConfirmScreen)  # the kick-off is offered: taken below

    [signed] = rows(app, Contract)
    assert (signed.customer_id, signed.number, signed.proposal_id, signed.value,
            signed.cost) == (page.customer_id, "SD-42", offer.id, Decimal("1250000"),
                             Decimal("800000"))
    assert [signed.clause_rights_obligations, signed.clause_specification,
            signed.clause_price, signed.clause_delivery_time,
            signed.clause_quality_standard, signed.clause_breach_liability] == list(CLAUSES)
    assert (signed.legal_review, signed.legal_reviewer, signed.legal_sent_at,
            signed.signed_at) == (LegalReview.APPROVED, "Lin", taipei(25, 10), clock.current)
    won = app.store.customers.get_customer(page.customer_id)
    assert (won.stage, won.first_signed_at) == (Stage.WON, clock.current)
    return signed


async def follow_up(keys: Keys, app: Any, clock: Any, page: CustomerPageScreen,
                    signed: Contract) -> None:
    """Step 8: the kick-off, taken from the signing's offer (title and kind filled in for the
    first one); the survey offered next is skipped; then a milestone."""
    clock.current = taipei(30, 10)
    await keys.press("enter")
    await keys.settle()
    assert isinstance(app.screen, MilestoneFormScreen)
    await keys.press("tab", "tab")
    await keys.type("today")
    await keys.press("tab", "space", "ctrl+s")  # done
    await keys.settle()
    assert isinstance(app.screen, ConfirmScreen)  # the first survey: skipped here
    await keys.press("escape")
    await keys.settle()
    assert app.screen is page
    await keys.press("7", "a", "1")
    await keys.settle()
    assert isinstance(app.screen, MilestoneFormScreen)
    await keys.type("First delivery")
    await keys.press("tab", "tab")
    await keys.type("03-01")
    await keys.press("ctrl+s")
    await keys.settle()
    assert app.screen is page
    kickoff, delivery = rows(app, Milestone, col(Milestone.due_on))
    assert (kickoff.kind, kickoff.title, kickoff.due_on, kickoff.done_at) == (
        MilestoneKind.KICKOFF, "Kick-off meeting", date(2026, 11, 30), clock.current)
    assert (delivery.kind, delivery.title, delivery.due_on, delivery.done_at) == (
        MilestoneKind.MILESTONE, "First delivery", date(2027, 3, 1), None)
    assert {kickoff.contract_id, delivery.contract_id} == {signed.id}
    assert {kickoff.customer_id, delivery.customer_id} == {page.customer_id}


async def survey(keys: Keys, app: Any, clock: Any, page: CustomerPageScreen) -> None:
    """Satisfaction (policy V): a score, taken now, by phone, with a comment."""
    clock.current = taipei(45, 11)
    await add_on_tab(keys, "8", SurveyFormScreen)
    await keys.type("5")
    await keys.press("tab", "tab", "enter", "down", "enter", "tab")  # now; by phone
    await keys.type("Happy")
    await keys.press("ctrl+s")
    await keys.settle()
    assert app.screen is page
    [taken] = rows(app, Survey)
    assert (taken.customer_id, taken.score, taken.method, taken.taken_at, taken.comment) == (
        page.customer_id, 5, "phone", clock.current, "Happy")


# -- the walk -----------------------------------------------------------------------------


async def test_one_customer_through_the_eight_steps_by_keys(
    make_app: MakeApp, clock: Any, record_property: Callable[[str, object], None]
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        keys = Keys(pilot)
        await keys.settle()
        assert isinstance(app.screen, TodayScreen)
        page = await intake_and_open(keys, app)
        keys.mark("2 intake, open the customer")
        await contact(keys, app, clock, page)
        keys.mark("3 plan a call, log it done, stage")
        await needs(keys, app, clock, page)
        keys.mark("4 needs note, stage")
        offer = await proposal(keys, app, clock, page)
        keys.mark("5 stage, proposal, presented, accepted, stage")
        await negotiation(keys, app, clock, page)
        keys.mark("6 minutes with a point agreed, stage")
        signed = await contract(keys, app, clock, page, offer)
        keys.mark("7 contract: refused twice, legal, signed")
        await follow_up(keys, app, clock, page, signed)
        keys.mark("8 kick-off and a milestone")
        await survey(keys, app, clock, page)
        keys.mark("  satisfaction survey")

        # The stage history: prospect → … → won, in order, each move with its reason; every
        # soft gate was met when it was crossed, so no move carries a warning.
        history = rows(app, StageChange, col(StageChange.changed_at))
        assert [(h.customer_id, h.from_stage, h.to_stage, h.changed_at, h.reason)
                for h in history] == [
            (page.customer_id, None, Stage.PROSPECT, FIXED_NOW, None),
            (page.customer_id, Stage.PROSPECT, Stage.CONTACTED, taipei(17, 10, 30),
             AUTOMATIC_REASON),
            (page.customer_id, Stage.CONTACTED, Stage.NEEDS, taipei(17, 11), None),
            (page.customer_id, Stage.NEEDS, Stage.PROPOSAL, taipei(18, 9), None),
            (page.customer_id, Stage.PROPOSAL, Stage.NEGOTIATION, taipei(20, 15), None),
            (page.customer_id, Stage.NEGOTIATION, Stage.CONTRACT, taipei(20, 15), None),
            (page.customer_id, Stage.CONTRACT, Stage.WON, taipei(26, 16),
             "Contract SD-42 signed."),
        ]
        assert [h.warnings for h in history] == [None] * 7

    print(f"\neight-step walk: {keys.other} keys beyond {keys.text} characters of text")
    for step, text, other in keys.steps:
        print(f"  {step:<48} {other:4d} keys {text:4d} characters")
    record_property("text_keys", keys.text)
    record_property("other_keys", keys.other)
