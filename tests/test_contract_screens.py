"""Pilot: minutes and a contract written by keys only, then signing through the gates."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlmodel import col, select
from textual.widgets import Static

from salesdev_tui.dialogs.choice import ChoiceScreen
from salesdev_tui.dialogs.point_dialog import PointDialog
from salesdev_tui.dialogs.reason_prompt import ReasonScreen
from salesdev_tui.domain.validation import (
    ContractInput,
    CreditCheckInput,
    CustomerInput,
    validate,
)
from salesdev_tui.forms.contract_editor import ContractScreen
from salesdev_tui.forms.negotiation_editor import NegotiationScreen, PointTable
from salesdev_tui.models.enums import PointKind, Stage
from salesdev_tui.models.tables import (
    Contract,
    CreditCheck,
    Negotiation,
    NegotiationPoint,
    StageChange,
)
from salesdev_tui.screens.customer_page import CustomerPageScreen
from tests.conftest import FIXED_NOW, wait_ready

MakeApp = Callable[..., Any]


def add_customer(store: Any, name: str = "Acme Trading") -> uuid.UUID:
    return store.customers.add_lead(validate(CustomerInput, {"name": name})).id  # type: ignore[no-any-return]


async def open_tab(pilot: Any, app: Any, customer_id: uuid.UUID, key: str) -> None:
    app.open_customer(customer_id)
    await wait_ready(pilot)
    assert isinstance(app.screen, CustomerPageScreen)
    await pilot.press(key)
    await wait_ready(pilot)


def text_of(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_minutes_by_keys_then_carry_an_agreed_point(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        cid = add_customer(app.store)
        contract_id = app.store.contracts.create_contract(cid, validate(ContractInput,
                                                                        {"number": "SD-7"})).id
        await open_tab(pilot, app, cid, "5")
        await pilot.press("a")
        await wait_ready(pilot)
        screen = app.screen
        assert isinstance(screen, NegotiationScreen)

        await pilot.press("tab", *"Me, Tom", "tab", *"Jane Wu", "tab")
        assert isinstance(app.focused, PointTable)
        await pilot.press("g")
        assert isinstance(app.screen, PointDialog)
        await pilot.press(*"Delivery by March", "ctrl+s")
        await pilot.press("o")
        await pilot.press(*"Payment terms", "ctrl+s")
        await wait_ready(pilot)
        assert isinstance(app.screen, NegotiationScreen)
        assert [p.data.kind for p in screen.points] == [PointKind.AGREED, PointKind.OPEN]

        await pilot.press("c")  # the open point is highlighted: refused, nothing asked
        assert isinstance(app.screen, NegotiationScreen)
        await pilot.press("up", "c")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("4")  # delivery time
        await wait_ready(pilot)

        with app.store.db.read() as session:
            minutes = session.exec(select(Negotiation)).one()
            assert (minutes.our_attendees, minutes.their_attendees) == ("Me, Tom", "Jane Wu")
            points = session.exec(
                select(NegotiationPoint).order_by(col(NegotiationPoint.position))
            ).all()
            assert [(p.kind, p.text) for p in points] == [
                (PointKind.AGREED, "Delivery by March"), (PointKind.OPEN, "Payment terms")]
            contract = session.get(Contract, contract_id)
            assert contract is not None
            assert contract.clause_delivery_time == "Delivery by March"

        # Tick the open point resolved, write a private note, save: one transaction.
        await pilot.press("down", "space")
        screen.query_one("#strategy_notes").focus()
        await pilot.press(*"Walk away below 5%", "ctrl+s")
        await wait_ready(pilot)
        assert isinstance(app.screen, CustomerPageScreen)
        with app.store.db.read() as session:
            minutes = session.exec(select(Negotiation)).one()
            assert minutes.strategy_notes == "Walk away below 5%"
            resolved = session.exec(
                select(NegotiationPoint.resolved).order_by(col(NegotiationPoint.position))
            ).all()
            assert resolved == [False, True]


async def test_carry_without_a_contract_says_so(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        cid = add_customer(app.store)
        await open_tab(pilot, app, cid, "5")
        await pilot.press("a")
        await wait_ready(pilot)
        app.screen.query_one(PointTable).focus()
        await pilot.press("g", *"Price fixed for 2027", "ctrl+s", "c")
        await wait_ready(pilot)
        assert isinstance(app.screen, NegotiationScreen)
        assert any("no open contract" in str(n.message) for n in app._notifications)
        await pilot.press("escape")  # unsaved: asks first
        await pilot.press("y")
        await wait_ready(pilot)
        assert isinstance(app.screen, CustomerPageScreen)
        with app.store.db.read() as session:
            assert session.exec(select(Negotiation)).all() == []


# Short texts: every character is a key press, and the test types them all.
CLAUSE_TEXTS = ("Annex A", "X-200 x40", "TWD 1.2M", "By 03-01", "ISO 9001", "5%/week")


def error_text(screen: Any) -> str:
    return text_of(screen, "#contract-error")


async def test_contract_by_keys_sign_refused_until_ready_then_won(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        cid = add_customer(app.store)
        await open_tab(pilot, app, cid, "6")
        await pilot.press("a")
        await wait_ready(pilot)
        screen = app.screen
        assert isinstance(screen, ContractScreen)

        # Number, (proposal: none), value, cost, then the first three clauses.
        await pilot.press(*"SD-2026-0099", "tab", "tab", *"1200000", "tab", *"800000")
        for text in CLAUSE_TEXTS[:3]:
            await pilot.press("tab", *text)
        assert "400,000.00" in text_of(screen, "#contract-profit")
        await pilot.press("ctrl+g")
        await wait_ready(pilot)
        refused = error_text(screen)
        for label in ("Delivery time clause", "Quality standard", "Liability for breach",
                      "Legal review"):
            assert label in refused
        assert "Price clause" not in refused
        with app.store.db.read() as session:
            assert session.exec(select(Contract)).all() == []  # refused before any write

        for text in CLAUSE_TEXTS[3:]:
            await pilot.press("tab", *text)
        await pilot.press("ctrl+g")
        await wait_ready(pilot)
        refused = error_text(screen)
        assert "Legal review" in refused and "clause" not in refused

        await pilot.press("ctrl+l")  # saves, then sends to legal
        await wait_ready(pilot)
        with app.store.db.read() as session:
            row = session.exec(select(Contract)).one()
            assert row.legal_sent_at == FIXED_NOW and row.signed_at is None
            assert row.value == 1200000 and row.clause_breach_liability == CLAUSE_TEXTS[5]

        # The verdict: tab to it from the last clause, open it, pick "approved".
        await pilot.press("tab", "enter", "down", "enter", "tab", *"Lin (legal)")
        await pilot.press("tab", *"today")  # the review day: an approval needs it
        await wait_ready(pilot)
        await pilot.press("ctrl+g")
        await wait_ready(pilot)

        assert "is won" in text_of(screen, "#contract-status")
        with app.store.db.read() as session:
            row = session.exec(select(Contract)).one()
            assert row.signed_at == FIXED_NOW
            assert row.legal_reviewer == "Lin (legal)"
            assert row.legal_reviewed_at == FIXED_NOW
        customer = app.store.customers.get_customer(cid)
        assert customer.stage == Stage.WON
        assert customer.first_signed_at == FIXED_NOW
        history = app.store.customers.stage_history(cid)
        assert (history[-1].from_stage, history[-1].to_stage) == (Stage.PROSPECT, Stage.WON)
        assert "SD-2026-0099" in (history[-1].reason or "")

        await pilot.press("ctrl+g")  # signed already: nothing changes
        await wait_ready(pilot)
        with app.store.db.read() as session:
            assert len(session.exec(select(StageChange)).all()) == len(history)


async def test_poor_credit_asks_for_the_override_reason(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        store = app.store
        cid = add_customer(store)
        store.records.add_record(CreditCheck, cid, validate(
            CreditCheckInput, {"checked_on": date(2026, 11, 2), "rating": "D"}))
        data = validate(ContractInput, {"number": "SD-5", "value": "100",
                                        **{c: "x" for c in ContractInput.model_fields
                                           if c.startswith("clause_")}})
        kid = store.contracts.create_contract(cid, data).id
        store.contracts.send_to_legal(kid)
        await open_tab(pilot, app, cid, "6")
        app.screen.query_one("#table-contract").focus()
        await pilot.press("enter")  # edit the highlighted contract
        await wait_ready(pilot)
        screen = app.screen
        assert isinstance(screen, ContractScreen)
        assert "worst" in text_of(screen, "#contract-credit")
        screen.query_one("#legal_review").focus()
        await pilot.press("enter", "down", "enter")
        await pilot.press("tab", *"Lin", "tab", *"today")  # an approval names who and when
        await pilot.press("ctrl+g")
        await wait_ready(pilot)
        assert isinstance(app.screen, ReasonScreen)
        await pilot.press("enter")  # blank: refused, the prompt stays
        assert isinstance(app.screen, ReasonScreen)
        await pilot.press(*"Paid in advance", "enter")
        await wait_ready(pilot)
        # Signed: the kick-off and then the first survey are offered; escape skips each.
        from salesdev_tui.dialogs.confirm import ConfirmScreen

        for _offer in range(2):
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("escape")
            await wait_ready(pilot)
        assert isinstance(app.screen, ContractScreen)
        row = store.records.get_record(Contract, kid)
        assert row.signed_at == FIXED_NOW
        assert row.credit_override_reason == "Paid in advance"
        assert store.customers.get_customer(cid).stage == Stage.WON


async def test_linking_an_accepted_proposal_fills_the_value(make_app: MakeApp) -> None:
    from decimal import Decimal

    from textual.widgets import Input, Select

    from salesdev_tui.models.enums import ProposalStatus
    from salesdev_tui.models.tables import Proposal, ProposalLine

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        cid = add_customer(app.store)
        with app.store.db.write() as session:
            # A title with markup in it must show literally, never as markup.
            proposal = Proposal(customer_id=cid, title="[b]Offer[/b] 2027",
                                status=ProposalStatus.ACCEPTED)
            session.add(proposal)
            session.flush()
            session.add(ProposalLine(proposal_id=proposal.id, product="X-200",
                                     quantity=Decimal("3"), unit_price=Decimal("10.05"),
                                     discount_pct=Decimal("10")))
        await open_tab(pilot, app, cid, "6")
        await pilot.press("a")
        await wait_ready(pilot)
        screen = app.screen
        assert isinstance(screen, ContractScreen)
        # The one accepted proposal is chosen for a new contract (no keys needed).
        await wait_ready(pilot)
        assert screen.query_one("#value", Input).value == "27.14"
        shown = text_of(screen.query_one("#proposal_id", Select), "SelectCurrent #label")
        assert "[b]Offer[/b] 2027" in shown
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        with app.store.db.read() as session:
            row = session.exec(select(Contract)).one()
            assert (row.proposal_id, row.value) == (proposal.id, Decimal("27.14"))


async def test_a_new_contract_starts_from_the_one_accepted_proposal(make_app: MakeApp) -> None:
    """With one accepted proposal, a new contract has it chosen and its total as the value;
    nothing was typed, so escape closes without asking."""
    from decimal import Decimal

    from textual.widgets import Input, Select

    from salesdev_tui.models.enums import ProposalStatus
    from salesdev_tui.models.tables import Proposal, ProposalLine

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        cid = add_customer(app.store)
        with app.store.db.write() as session:
            proposal = Proposal(customer_id=cid, title="Offer", status=ProposalStatus.ACCEPTED)
            session.add(proposal)
            session.flush()
            session.add(ProposalLine(proposal_id=proposal.id, product="X-200",
                                     quantity=Decimal("2"), unit_price=Decimal("1500")))
        await open_tab(pilot, app, cid, "6")
        await pilot.press("a")
        await wait_ready(pilot)
        screen = app.screen
        assert isinstance(screen, ContractScreen)
        assert screen.query_one("#proposal_id", Select).value == proposal.id.hex
        assert screen.query_one("#value", Input).value == "3,000.00"
        assert not screen.is_dirty()
        await pilot.press("escape")
        await wait_ready(pilot)
        assert not isinstance(app.screen, ContractScreen)
