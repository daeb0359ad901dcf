"""The daily loop without ceremony (issue 21.2, 21.3): a move every gate lets through needs
no dialog and ctrl+z takes it back; a warning opens the dialog with the reason box focused;
the first completed contact moves a prospect to contacted by itself, `u` undoes it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from textual.widgets import Input

from salesdev_tui.dialogs.stage_move import StageMoveScreen
from salesdev_tui.domain.validation import (
    ContactPlanInput,
    CustomerInput,
    PlanOutcomeInput,
    validate,
)
from salesdev_tui.forms.plan_outcome import PlanOutcomeScreen
from salesdev_tui.models.enums import Stage
from salesdev_tui.screens.customer_page import CustomerPageScreen
from salesdev_tui.usecases import stage_flow
from tests.conftest import FIXED_NOW, wait_ready

MakeApp = Callable[..., Any]


def _customer(store: Any, name: str) -> uuid.UUID:
    cid: uuid.UUID = store.customers.add_lead(validate(CustomerInput, {"name": name})).id
    return cid


def _plan(store: Any, cid: uuid.UUID) -> uuid.UUID:
    plan = store.plans.plan_contact(cid, validate(ContactPlanInput, {
        "method": "phone", "scheduled_at": FIXED_NOW + timedelta(hours=1)}))
    return plan.id  # type: ignore[no-any-return]


def _done() -> PlanOutcomeInput:
    return validate(PlanOutcomeInput, {"status": "done", "outcome": "談過了"})


def test_first_completed_contact_moves_a_prospect_once(store: Any) -> None:
    cid = _customer(store, "台北精機")
    logged = stage_flow.log_outcome(store, _plan(store, cid), _done())
    assert logged.advanced is not None and logged.advanced.to_stage == Stage.CONTACTED
    history = store.customers.stage_history(cid)
    assert (history[-1].to_stage, history[-1].reason) == (
        Stage.CONTACTED, stage_flow.AUTOMATIC_REASON)
    stage_flow.undo_move(store, logged.advanced)
    assert store.customers.get_customer(cid).stage == Stage.PROSPECT
    assert store.customers.stage_history(cid)[-1].reason == stage_flow.UNDO_REASON
    # Not the first completed contact any more: the rep's undo stands.
    again = stage_flow.log_outcome(store, _plan(store, cid), _done())
    assert again.advanced is None and store.customers.get_customer(cid).stage == Stage.PROSPECT


def test_the_outcome_and_its_move_are_one_transaction(store: Any, monkeypatch: Any) -> None:
    """A failure while moving the stage takes the outcome back too: never a done contact
    with its customer left in prospect."""
    from salesdev_tui.models.enums import PlanStatus

    cid = _customer(store, "台北精機")
    plan_id = _plan(store, cid)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(store.customers, "move_stage", broken)
    with pytest.raises(RuntimeError):
        stage_flow.log_outcome(store, plan_id, _done())
    assert store.plans.get_plan(plan_id).status == PlanStatus.PLANNED
    assert store.customers.get_customer(cid).stage == Stage.PROSPECT
    monkeypatch.undo()
    logged = stage_flow.log_outcome(store, plan_id, _done())  # the retry does both
    assert logged.advanced is not None
    assert store.plans.get_plan(plan_id).status == PlanStatus.DONE


def test_a_unit_rolls_back_a_failed_step_to_its_savepoint(store: Any) -> None:
    from salesdev_tui.domain.stages import StageRefused

    cid = _customer(store, "台北精機")
    with store.db.unit():
        store.customers.move_stage(cid, Stage.CONTACTED, reason="ok")
        with pytest.raises(StageRefused):
            store.customers.move_stage(cid, Stage.WON, reason="skips every gate")
        assert store.customers.get_customer(cid).stage == Stage.CONTACTED  # own write seen
    assert store.customers.get_customer(cid).stage == Stage.CONTACTED
    assert [h.to_stage for h in store.customers.stage_history(cid)][-1] == Stage.CONTACTED


def test_missed_contact_moves_nothing(store: Any) -> None:
    cid = _customer(store, "新竹電子")
    missed = validate(PlanOutcomeInput, {"status": "missed"})
    assert stage_flow.log_outcome(store, _plan(store, cid), missed).advanced is None
    assert store.customers.get_customer(cid).stage == Stage.PROSPECT


async def test_clear_move_has_no_dialog_and_ctrl_z_undoes_it(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        cid = _customer(app.store, "台中機械")
        stage_flow.log_outcome(app.store, _plan(app.store, cid), _done())  # now contacted
        app.open_customer(cid)
        await wait_ready(pilot)
        page = app.screen
        assert isinstance(page, CustomerPageScreen)
        await pilot.press("right_square_bracket")  # contacted -> needs: no gate in the way
        await wait_ready(pilot)
        assert app.screen is page
        assert app.store.customers.get_customer(cid).stage == Stage.NEEDS
        await pilot.press("ctrl+z")
        await wait_ready(pilot)
        assert app.store.customers.get_customer(cid).stage == Stage.CONTACTED
        await pilot.press("ctrl+z")  # nothing more to undo: nothing moves
        await wait_ready(pilot)
        assert app.store.customers.get_customer(cid).stage == Stage.CONTACTED

        # needs -> proposal warns (no needs note): the dialog, its reason box focused,
        # and enter moves.
        await pilot.press("right_square_bracket")
        await wait_ready(pilot)
        await pilot.press("right_square_bracket")
        await wait_ready(pilot)
        dialog = app.screen
        assert isinstance(dialog, StageMoveScreen) and dialog.target == Stage.PROPOSAL
        assert isinstance(app.focused, Input) and app.focused.id == "stage-reason"
        await pilot.press(*"電話談過", "enter")
        await wait_ready(pilot)
        assert app.screen is page
        assert app.store.customers.get_customer(cid).stage == Stage.PROPOSAL


async def test_outcome_dialog_says_the_automatic_move_and_u_undoes_it(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        cid = _customer(app.store, "高雄五金")
        plan_id = _plan(app.store, cid)
        app.push_screen(PlanOutcomeScreen(plan_id))
        await wait_ready(pilot)
        await pilot.press("d", "ctrl+s")  # done
        await wait_ready(pilot)
        saved = str(app.screen.query_one("#outcome-saved").render())
        assert "高雄五金 moved to contacted" in saved
        assert app.store.customers.get_customer(cid).stage == Stage.CONTACTED
        await pilot.press("u")
        await wait_ready(pilot)
        assert app.store.customers.get_customer(cid).stage == Stage.PROSPECT
        await pilot.press("p")  # the offer of the next contact is still one key away
        await wait_ready(pilot)
        assert app.screen.__class__.__name__ == "PlanFormScreen"


async def test_contract_form_without_an_accepted_proposal_says_why_and_offers_one(
    make_app: MakeApp,
) -> None:
    from decimal import Decimal

    from textual.widgets import Select

    from salesdev_tui.dialogs.confirm import ConfirmScreen
    from salesdev_tui.forms.contract_editor import ContractScreen
    from salesdev_tui.forms.proposal_editor import ProposalScreen
    from salesdev_tui.models.enums import ProposalStatus
    from salesdev_tui.models.tables import Proposal, ProposalLine

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        cid = _customer(app.store, "花蓮石材")
        with app.store.db.write() as session:
            row = Proposal(customer_id=cid, title="石材報價", status=ProposalStatus.PRESENTED)
            session.add(row)
            session.flush()
            session.add(ProposalLine(proposal_id=row.id, position=0, product="P",
                                     quantity=Decimal("2"), unit_price=Decimal("500"),
                                     discount_pct=Decimal("0")))
            offer_id = row.id
        app.push_screen(ContractScreen(cid))
        await wait_ready(pilot)
        form = app.screen
        assert isinstance(form, ContractScreen)
        hint = form.query_one("#proposal-none")
        assert hint.display and "No accepted proposal" in str(hint.render())
        await pilot.press("ctrl+o")
        await wait_ready(pilot)
        assert isinstance(app.screen, ProposalScreen)
        await pilot.press("A")
        await wait_ready(pilot)
        await pilot.press("y")  # accepted …
        await wait_ready(pilot)
        assert isinstance(app.screen, ConfirmScreen)  # … the minutes offered: not now
        await pilot.press("escape")
        await wait_ready(pilot)
        await pilot.press("escape")  # out of the proposal editor, back on the contract
        await wait_ready(pilot)
        assert app.screen is form
        assert not hint.display
        assert form.query_one("#proposal_id", Select).value == offer_id.hex


async def test_a_digit_puts_the_focus_in_the_tab_table_and_a_form_returns_to_its_row(
    make_app: MakeApp,
) -> None:
    from textual.widgets import DataTable

    from salesdev_tui.forms.plan_form import PlanFormScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        cid = _customer(app.store, "宜蘭農產")
        plans = [_plan(app.store, cid) for _n in range(3)]
        app.open_customer(cid)
        await wait_ready(pilot)
        await pilot.press("2")  # the plans tab
        await wait_ready(pilot)
        table = app.focused
        assert isinstance(table, DataTable) and table.id == "table-plans"
        await pilot.press("down", "down", "enter")  # arrows and enter reach the rows at once
        await wait_ready(pilot)
        form = app.screen
        assert isinstance(form, PlanFormScreen)
        edited = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        assert edited in {p.hex for p in plans}
        await pilot.press("ctrl+s")  # saved (nothing changed): the page reloads its rows
        await wait_ready(pilot)
        assert app.focused is table
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == edited
        assert table.cursor_row == 2
