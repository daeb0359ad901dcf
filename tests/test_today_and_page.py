"""Pilot: Today's agenda, logging an outcome, and stage moves on a customer's page."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from rich.text import Text
from sqlmodel import select
from textual.widgets import DataTable, Static

from salesdev_tui.dialogs.stage_move import StageMoveScreen
from salesdev_tui.domain.validation import (
    ContactInput,
    ContactPlanInput,
    CustomerInput,
    validate,
)
from salesdev_tui.models.enums import PlanStatus, Stage
from salesdev_tui.models.tables import ContactPlan, Customer, StageChange
from salesdev_tui.screens.customer_page import CustomerPageScreen
from salesdev_tui.screens.today import AgendaTable, TodayScreen
from salesdev_tui.widgets.scorecard_strip import ScorecardStrip
from tests.conftest import FIXED_NOW, wait_ready

MakeApp = Callable[..., Any]


def add_customer(store: Any, name: str, **fields: object) -> uuid.UUID:
    customer = validate(CustomerInput, {"name": name, **fields})
    contact = validate(ContactInput, {"name": f"{name} contact", "phone": "0912 345 678"})
    return store.customers.add_lead(customer, contact).id


def plan(store: Any, customer_id: uuid.UUID, hours_from_now: float, agenda: str) -> uuid.UUID:
    when = FIXED_NOW + timedelta(hours=hours_from_now)
    data = {"method": "phone", "scheduled_at": when, "agenda": agenda}
    return store.plans.plan_contact(customer_id, validate(ContactPlanInput, data)).id


def cells(table: DataTable[Any]) -> list[list[str]]:
    return [
        [cell.plain if isinstance(cell, Text) else str(cell) for cell in table.get_row_at(i)]
        for i in range(table.row_count)
    ]


async def test_today_sorts_plans_and_logging_updates_the_strip(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        store = app.store
        acme = add_customer(store, "Acme Trading")
        # FIXED_NOW is 14:30 in Taipei: -20 h is yesterday, +2 h later today, +50 h upcoming.
        overdue = plan(store, acme, -20, "Follow up the catalogue")
        plan(store, acme, 2, "Call about samples")
        plan(store, acme, 50, "Visit the factory")
        app.changed()
        await wait_ready(pilot)
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        assert [r[5] for r in cells(screen.query_one("#overdue", AgendaTable))] == [
            "Follow up the catalogue"
        ]
        assert [r[5] for r in cells(screen.query_one("#today", AgendaTable))] == [
            "Call about samples"
        ]
        assert [r[5] for r in cells(screen.query_one("#upcoming", AgendaTable))] == [
            "Visit the factory"
        ]
        strip = screen.query_one(ScorecardStrip)
        assert strip.data is not None and strip.data.prospects_contacted == 0

        screen.query_one("#overdue", AgendaTable).focus()
        await pilot.press("l")
        await wait_ready(pilot)
        await pilot.press("d")  # choose "done" (nothing is preselected)
        await pilot.press(*"Interested in samples")
        await pilot.press("ctrl+s")
        await wait_ready(pilot)

        with store.db.read() as session:
            logged = session.get(ContactPlan, overdue)
            assert logged is not None
            assert logged.status == PlanStatus.DONE
            assert logged.outcome == "Interested in samples"
            assert session.get(Customer, acme).first_contacted_at is not None  # type: ignore[union-attr]
        # The strip changed with no refresh key: the save bumped the app's data version.
        assert strip.data is not None and strip.data.prospects_contacted == 1
        assert cells(screen.query_one("#overdue", AgendaTable)) == []


async def _open_page(pilot: Any, app: Any, customer_id: uuid.UUID) -> CustomerPageScreen:
    app.open_customer(customer_id)
    await wait_ready(pilot)
    screen = app.screen
    assert isinstance(screen, CustomerPageScreen)
    return screen


def _stage_rows(app: Any, customer_id: uuid.UUID) -> list[tuple[Stage | None, Stage, str | None]]:
    with app.store.db.read() as session:
        rows = session.exec(
            select(StageChange)
            .where(StageChange.customer_id == customer_id)
            .order_by(StageChange.changed_at, StageChange.created_at)  # type: ignore[arg-type]
        ).all()
        return [(r.from_stage, r.to_stage, r.reason) for r in rows]


async def test_soft_gate_asks_for_a_reason_then_moves(make_app: MakeApp, clock: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        customer_id = add_customer(app.store, "Beta Foods")
        page = await _open_page(pilot, app, customer_id)
        header = page.query_one("#customer-header", Static)
        assert "Beta Foods" in str(header.render())

        clock.current = FIXED_NOW + timedelta(minutes=5)
        await pilot.press("right_square_bracket")
        await wait_ready(pilot)
        dialog = app.screen
        assert isinstance(dialog, StageMoveScreen)
        verdict = str(dialog.query_one("#stage-verdict", Static).render())
        assert "contact" in verdict.lower()  # the soft gate: no completed contact plan yet

        await pilot.press("ctrl+s")  # no reason given: refused, the dialog stays
        await wait_ready(pilot)
        assert isinstance(app.screen, StageMoveScreen)
        assert app.store.customers.get_customer(customer_id).stage == Stage.PROSPECT

        await pilot.press(*"Met at the show, talked 10 min")
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        assert isinstance(app.screen, CustomerPageScreen)
        assert app.store.customers.get_customer(customer_id).stage == Stage.CONTACTED
        assert _stage_rows(app, customer_id)[-1] == (
            Stage.PROSPECT,
            Stage.CONTACTED,
            "Met at the show, talked 10 min",
        )
        # The page header follows the move without a refresh.
        assert "contacted" in str(page.query_one("#customer-header", Static).render())


async def test_hard_gate_blocks_won_and_lost_needs_a_reason(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        customer_id = add_customer(app.store, "Gamma Steel")
        for stage in (Stage.CONTACTED, Stage.NEEDS, Stage.PROPOSAL, Stage.NEGOTIATION,
                      Stage.CONTRACT):
            app.store.customers.change_stage(customer_id, stage, reason="test setup")
        page = await _open_page(pilot, app, customer_id)

        await pilot.press("right_square_bracket")  # contract -> won: no ready contract
        await wait_ready(pilot)
        dialog = app.screen
        assert isinstance(dialog, StageMoveScreen)
        assert "contract" in str(dialog.query_one("#stage-verdict", Static).render()).lower()
        assert dialog.query_one("#stage-confirm").disabled
        await pilot.press(*"please")
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        assert app.store.customers.get_customer(customer_id).stage == Stage.CONTRACT
        await pilot.press("escape")
        await wait_ready(pilot)
        assert app.screen is page

        await pilot.press("L")
        await wait_ready(pilot)
        assert isinstance(app.screen, StageMoveScreen)
        await pilot.press("ctrl+s")  # lost without a reason: refused
        await wait_ready(pilot)
        assert app.store.customers.get_customer(customer_id).stage == Stage.CONTRACT
        await pilot.press(*"went with a cheaper supplier")
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        customer = app.store.customers.get_customer(customer_id)
        assert customer.stage == Stage.LOST
        assert customer.lost_reason == "went with a cheaper supplier"


async def test_markup_in_names_is_shown_literally(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        names = ["[@click=app.quit]x[/]", "[/]", "[b]bold?"]
        ids = [add_customer(app.store, name) for name in names]
        for customer_id, name in zip(ids, names, strict=True):
            page = await _open_page(pilot, app, customer_id)
            rendered = str(page.query_one("#customer-header", Static).render())
            assert rendered.startswith(name)
            await pilot.press("escape")
            await wait_ready(pilot)
        assert app.is_running
