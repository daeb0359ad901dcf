"""Acting on several customers at once (issue 21.1): the rules (`services.bulk_actions`)
and the keys on the customer list and Today."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from salesdev_tui.db import open_database
from salesdev_tui.db.search_index import create_search_index, has_search_index
from salesdev_tui.dialogs.bulk_plan import BulkPlanScreen
from salesdev_tui.domain.validation import ContactInput, ContactPlanInput, CustomerInput, validate
from salesdev_tui.models.enums import ContactMethod, PlanStatus, Stage
from salesdev_tui.usecases import bulk_actions
from salesdev_tui.widgets import CustomerTable
from tests.conftest import FIXED_NOW, wait_ready

MakeApp = Callable[..., Any]

NAMES = ["台北精機", "新竹電子", "台南食品", "高雄五金", "台中機械", "桃園物流", "宜蘭農產",
         "花蓮石材"]


@pytest.fixture(autouse=True)
def _search_index(db_path: Path) -> None:
    db = open_database(db_path)
    with db.engine.begin() as conn:
        if not has_search_index(conn):
            create_search_index(conn)
    db.close()


def add(store: Any, name: str, contact: str | None = None) -> uuid.UUID:
    person = validate(ContactInput, {"name": contact}) if contact else None
    customer_id: uuid.UUID = store.customers.add_lead(
        validate(CustomerInput, {"name": name}), person).id
    return customer_id


def open_plans(store: Any, customer_id: uuid.UUID) -> list[Any]:
    return [p for p in store.plans.plans_of(customer_id) if p.status == PlanStatus.PLANNED]


# -- the rules -------------------------------------------------------------------------------


def test_spread_and_gap() -> None:
    times = bulk_actions.spread_times(FIXED_NOW, 3, 30)
    assert [t - FIXED_NOW for t in times] == [timedelta(0), timedelta(minutes=30),
                                              timedelta(minutes=60)]
    assert bulk_actions.spread_times(FIXED_NOW, 3, 0) == [FIXED_NOW] * 3
    assert bulk_actions.parse_gap("1h") == 60
    assert bulk_actions.parse_gap(" 45m ") == 45
    assert bulk_actions.parse_gap("") == 0
    with pytest.raises(ValueError, match="Gap"):
        bulk_actions.parse_gap("soon")
    with pytest.raises(ValueError, match="Gap"):
        bulk_actions.parse_gap("2000")


def test_plan_contacts_spreads_and_refuses_lost(store: Any) -> None:
    ids = [add(store, name, contact="王小明") for name in NAMES[:3]]
    store.customers.move_stage(ids[1], Stage.LOST, reason="budget")
    start = FIXED_NOW + timedelta(days=1)
    result = bulk_actions.plan_contacts(store, ids, method=ContactMethod.VISIT, start=start,
                                        gap_minutes=45, agenda="展後拜訪")
    assert result.done == [ids[0], ids[2]]
    assert [(r.name, r.why) for r in result.refused] == [(NAMES[1], "lost; reopen it first")]
    first, third = open_plans(store, ids[0])[0], open_plans(store, ids[2])[0]
    assert first.scheduled_at == start
    assert third.scheduled_at == start + timedelta(minutes=90)  # the lost one keeps its slot
    assert first.method == ContactMethod.VISIT and first.agenda == "展後拜訪"
    assert first.contact_id == store.customers.contacts_of(ids[0])[0].id  # the primary contact
    assert "Refused 1:" in result.summary("Planned {n} contacts.")


def test_reschedule_customers_moves_the_next_open_plan(store: Any) -> None:
    ids = [add(store, name) for name in NAMES[:2]]
    plan = validate(ContactPlanInput, {"method": "phone",
                                       "scheduled_at": FIXED_NOW + timedelta(hours=2)})
    store.plans.plan_contact(ids[0], plan)
    start = FIXED_NOW + timedelta(days=2)
    result = bulk_actions.reschedule_customers(store, ids, start=start, gap_minutes=0)
    assert result.done == [ids[0]]
    assert [r.why for r in result.refused] == ["no open contact"]
    assert open_plans(store, ids[0])[0].scheduled_at == start


def test_move_customers_names_each_gate(store: Any) -> None:
    ids = [add(store, name) for name in NAMES[:2]]
    result = bulk_actions.move_customers(store, ids, Stage.CONTACTED)
    assert result.done == []
    assert all("(a reason passes it)" in r.why for r in result.refused)
    result = bulk_actions.move_customers(store, ids, Stage.CONTACTED, reason="met at the show")
    assert result.done == ids
    assert {store.customers.get_customer(i).stage for i in ids} == {Stage.CONTACTED}
    won = bulk_actions.move_customers(store, ids[:1], Stage.WON, reason="x")
    assert won.done == [] and "contract" in won.refused[0].why.lower()


# -- the keys --------------------------------------------------------------------------------


async def test_plan_eight_marked_customers_in_few_keys(make_app: MakeApp) -> None:
    """Done when (issue 21): eight plans for eight marked customers in under 15 keys."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        ids = [add(app.store, name) for name in NAMES]
        app.changed()
        await wait_ready(pilot)
        keys = ["c", "down", *["shift+down"] * 7, "p", "enter"]
        for key in keys:
            await pilot.press(key)
            await wait_ready(pilot)
            if key == "p":
                assert isinstance(app.screen, BulkPlanScreen)
        assert len(keys) < 15
        plans = {i: open_plans(app.store, i) for i in ids}
        assert all(len(p) == 1 for p in plans.values()), plans
        times = sorted(p[0].scheduled_at for p in plans.values())
        assert times[1] - times[0] == timedelta(minutes=30)
        assert times[-1] - times[0] == timedelta(minutes=30 * 7)
        assert not app.screen.query_one(CustomerTable).marked  # the marks go once acted on


async def test_space_marks_and_select_all_marks_the_search(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        for name in NAMES:
            add(app.store, name)
        app.changed()
        await pilot.press("c")
        await wait_ready(pilot)
        await pilot.press(*"台")
        await wait_ready(pilot)
        await pilot.press("enter")
        await wait_ready(pilot)
        table = app.screen.query_one(CustomerTable)
        assert table.row_count == 3  # 台北, 台中, 台南
        await pilot.press("space")
        assert len(table.marked) == 1
        assert table.get_row_at(0)[0].plain.startswith("✓ ")
        await pilot.press("space")  # the second row
        await pilot.press("up", "space")  # unmark the second again
        assert len(table.marked) == 1
        await pilot.press("ctrl+a")
        await wait_ready(pilot)
        assert len(table.marked) == 3
        await pilot.press("escape")
        assert not table.marked
        assert not table.get_row_at(0)[0].plain.startswith("✓")


async def test_today_marks_reschedule_together(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        ids = [add(app.store, name) for name in NAMES[:3]]
        for n, customer_id in enumerate(ids):
            app.store.plans.plan_contact(customer_id, validate(ContactPlanInput, {
                "method": "phone", "scheduled_at": FIXED_NOW + timedelta(hours=1 + n)}))
        app.changed()
        await wait_ready(pilot)
        await pilot.press("shift+down", "shift+down", "e")
        await wait_ready(pilot)
        assert isinstance(app.screen, BulkPlanScreen)
        await pilot.press("ctrl+u", *"tomorrow 10", "enter")
        await wait_ready(pilot)
        days = {open_plans(app.store, i)[0].scheduled_at.date() for i in ids}
        assert days == {(FIXED_NOW + timedelta(days=1)).date()}


# -- the CLI ---------------------------------------------------------------------------------


def test_cli_plans_add_by_ids_and_by_search(db_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from salesdev_tui.cli import cli
    from salesdev_tui.store.combined import Store

    db = open_database(db_path)
    try:
        store = Store(db)
        ids = [add(store, name) for name in NAMES[:3]]
        store.customers.move_stage(ids[2], Stage.LOST, reason="budget")
    finally:
        db.close()
    runner = CliRunner()

    def run(*args: str) -> Any:
        return runner.invoke(cli, ["--db", str(db_path), "plans", "add", *args])

    both = ",".join(i.hex[:8] for i in ids[:2])
    result = run("--customers", both, "--at", "2027-01-04 09:00", "--gap", "1h",
                 "--method", "visit", "--agenda", "展後拜訪", "--json")
    assert result.exit_code == 0, result.stderr
    planned = json.loads(result.stdout)["planned"]
    assert [p["customer_id"] for p in planned] == [str(i) for i in ids[:2]]
    # JSON times are UTC with Z (docs/json/README.md): 09:00 and 10:00 in Taipei.
    assert [p["scheduled_at"][11:16] for p in planned] == ["01:00", "02:00"]

    result = run("--search", "台南食品")  # lost: refused, nothing planned
    assert result.exit_code == 3
    assert "lost; reopen it first" in result.stdout
    assert run().exit_code == 2  # neither --customers nor --search
    assert run("--customers", both, "--gap", "soon").exit_code == 3
    assert "Gap" in run("--customers", both, "--gap", "soon").stderr
    assert run("--customers", "ffffffff").exit_code == 4
    assert runner.invoke(cli, ["--db", str(db_path), "plans", "--json"]).exit_code == 0


async def test_move_marked_asks_one_reason_for_the_warnings(make_app: MakeApp) -> None:
    from textual.widgets import Static

    from salesdev_tui.dialogs.reason_prompt import ReasonScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        ids = [add(app.store, name) for name in NAMES[:2]]
        app.changed()
        for key in ("c", "down", "shift+down", "m", "2"):  # 2: contacted
            await pilot.press(key)
            await wait_ready(pilot)
        prompt = app.screen
        assert isinstance(prompt, ReasonScreen)
        message = str(prompt.query_one(".reason-message", Static).render())
        assert message.count("No contact with this customer") == 1  # grouped: said once
        assert NAMES[0] in message and NAMES[1] in message
        await pilot.press(*"展會上談過", "enter")
        await wait_ready(pilot)
        assert {app.store.customers.get_customer(i).stage for i in ids} == {Stage.CONTACTED}
        assert app.store.customers.stage_history(ids[0])[-1].reason == "展會上談過"
