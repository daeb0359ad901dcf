"""Pilot, issues 14.11 and 14.7: what the stage dialog says, and reopening a lost customer.

A hard gate names exactly what is missing and never offers a reason; the Lost dialog asks
for its reason without claiming every gate is passed; a soft gate says which warning a
reason passes. Reopening a lost customer asks whether to put its cancelled plans back.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlmodel import select
from textual.widgets import Checkbox, Label, Static
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.dialogs.stage_move import StageMoveScreen
from salesdev_tui.domain.validation import (
    ContactPlanInput,
    ContractInput,
    CustomerInput,
    validate,
)
from salesdev_tui.models.enums import PlanStatus, Stage
from salesdev_tui.models.tables import CONTRACT_CLAUSES, ContactPlan
from salesdev_tui.screens.customer_page import CustomerPageScreen
from tests.conftest import FIXED_NOW, wait_ready

MakeApp = Callable[..., Any]


def _customer(store: Any, name: str, stage: Stage | None = None) -> uuid.UUID:
    cid: uuid.UUID = store.customers.add_lead(validate(CustomerInput, {"name": name})).id
    if stage is not None:
        for step in (Stage.CONTACTED, Stage.NEEDS, Stage.PROPOSAL, Stage.NEGOTIATION,
                     Stage.CONTRACT):
            store.customers.change_stage(cid, step, reason="test setup")
            if step == stage:
                break
    return cid


async def _dialog(pilot: Any, app: Any, customer_id: uuid.UUID, key: str) -> StageMoveScreen:
    app.open_customer(customer_id)
    await wait_ready(pilot)
    assert isinstance(app.screen, CustomerPageScreen)
    await pilot.press(key)
    await wait_ready(pilot)
    dialog = app.screen
    assert isinstance(dialog, StageMoveScreen)
    return dialog


def _verdict(dialog: StageMoveScreen) -> str:
    return str(dialog.query_one("#stage-verdict", Static).render())


async def test_won_before_legal_approval_names_only_the_approval(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        cid = _customer(app.store, "Gamma Steel", Stage.CONTRACT)
        clauses = {clause: f"text of {clause}" for clause in CONTRACT_CLAUSES}
        app.store.contracts.create_contract(cid, validate(ContractInput, {"value": "1000",
                                                                          **clauses}))
        dialog = await _dialog(pilot, app, cid, "right_square_bracket")
        verdict = _verdict(dialog)
        assert "Legal review: not approved yet" in verdict
        for clause_word in ("Specification", "Delivery time", "Liability for breach"):
            assert clause_word not in verdict
        assert "reason" not in verdict.lower()
        assert dialog.query_one("#stage-confirm").disabled


async def test_the_lost_dialog_asks_for_its_reason_without_claiming_all_is_passed(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        cid = _customer(app.store, "Delta Foods")
        dialog = await _dialog(pilot, app, cid, "L")
        verdict = _verdict(dialog)
        assert "Every gate is passed" not in verdict
        assert "needs a reason" in verdict
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        error = str(dialog.query_one("#stage-error", Label).render())
        assert "needs a reason" in error
        assert "pass the warnings" not in error
        assert app.store.customers.get_customer(cid).stage == Stage.PROSPECT


async def test_a_soft_gate_says_which_warning_a_reason_passes(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        cid = _customer(app.store, "Epsilon Ltd")
        dialog = await _dialog(pilot, app, cid, "right_square_bracket")
        verdict = _verdict(dialog)
        assert "passes this warning: no completed contact" in verdict
        assert "Every gate is passed" not in verdict


async def test_reopening_a_lost_customer_asks_before_putting_plans_back(
    make_app: MakeApp, clock: Any
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        store = app.store
        kept = _customer(store, "Zeta Trading")
        left = _customer(store, "Eta Trading")
        plans = {}
        for cid in (kept, left):
            data = validate(ContactPlanInput, {"method": "phone",
                                               "scheduled_at": FIXED_NOW + timedelta(days=1)})
            plans[cid] = store.plans.plan_contact(cid, data).id
            store.customers.change_stage(cid, Stage.LOST, reason="price")
        clock.current = FIXED_NOW + timedelta(minutes=5)

        dialog = await _dialog(pilot, app, kept, "right_square_bracket")  # lost -> prospect
        box = dialog.query_one("#stage-restore-plans", Checkbox)
        assert box.display and box.value
        assert "1 planned contacts" in str(box.label)
        await pilot.press("ctrl+s")
        await wait_ready(pilot)

        dialog = await _dialog(pilot, app, left, "right_square_bracket")
        await pilot.press("tab", "space")  # from the reason to the question: no
        assert not dialog.query_one("#stage-restore-plans", Checkbox).value
        await pilot.press("ctrl+s")
        await wait_ready(pilot)

        with store.db.read() as session:
            status = {p.id: p.status for p in session.exec(select(ContactPlan)).all()}
        assert status[plans[kept]] is PlanStatus.PLANNED
        assert status[plans[left]] is PlanStatus.CANCELLED
        assert store.customers.get_customer(left).stage == Stage.PROSPECT


def test_cli_names_what_is_missing_and_offers_a_reason_only_for_warnings(
    db_path: Any,
) -> None:
    from salesdev_tui.db import open_database
    from salesdev_tui.store.combined import Store

    db = open_database(db_path)
    try:
        store = Store(db)
        cid = _customer(store, "Theta Co", Stage.CONTRACT)
        fresh = _customer(store, "Iota Co")
        store.contracts.create_contract(cid, validate(ContractInput, {"value": "10"}))
    finally:
        db.close()
    runner = CliRunner()
    won = runner.invoke(cli, ["--db", str(db_path), "stage", str(cid), "won", "--reason", "x",
                              "--credit-override", "y"])
    assert won.exit_code == 3
    assert "Legal review: not approved yet" in won.stderr
    assert "--reason" not in won.stderr and "warning" not in won.stderr
    soft = runner.invoke(cli, ["--db", str(db_path), "stage", str(fresh), "contacted"])
    assert soft.exit_code == 3
    assert "A reason in --reason passes this warning: no completed contact." in soft.stderr


async def test_enter_in_the_reason_box_moves_and_a_hard_gate_keeps_it_shut(
    make_app: MakeApp,
) -> None:
    """Enter submits the dialog like ctrl+s (a soft gate passed with a typed reason); where a
    hard gate refuses, Enter moves nothing."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        cid = _customer(app.store, "Zeta Tools")
        dialog = await _dialog(pilot, app, cid, "right_square_bracket")
        await pilot.press(*"met at the show", "enter")
        await wait_ready(pilot)
        assert app.store.customers.get_customer(cid).stage == Stage.CONTACTED
        assert not isinstance(app.screen, StageMoveScreen)

        gated = _customer(app.store, "Eta Metal", Stage.CONTRACT)
        dialog = await _dialog(pilot, app, gated, "right_square_bracket")  # won: no contract
        await pilot.press(*"please", "enter")
        await wait_ready(pilot)
        assert app.screen is dialog
        assert app.store.customers.get_customer(gated).stage == Stage.CONTRACT
