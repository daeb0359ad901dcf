"""Issue 14.7: marking a customer lost cancels its open plans; reopening offers them back."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import select
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.domain.validation import (
    ContactPlanInput,
    CustomerInput,
    PlanOutcomeInput,
    validate,
)
from salesdev_tui.models.enums import PlanStatus, Stage
from salesdev_tui.models.tables import ContactPlan
from tests.conftest import FIXED_NOW


def _customer(store: Any, name: str = "Lotus Foods") -> uuid.UUID:
    return store.customers.add_lead(validate(CustomerInput, {"name": name})).id  # type: ignore[no-any-return]


def _plan(store: Any, customer_id: uuid.UUID, when: datetime) -> uuid.UUID:
    data = validate(ContactPlanInput, {"method": "phone", "scheduled_at": when})
    return store.plans.plan_contact(customer_id, data).id  # type: ignore[no-any-return]


def _statuses(store: Any, ids: list[uuid.UUID]) -> list[PlanStatus]:
    with store.db.read() as session:
        rows = {p.id: p.status for p in session.exec(select(ContactPlan)).all()}
    return [rows[i] for i in ids]


def test_lost_cancels_open_plans_and_reopening_puts_them_back(store: Any, clock: Any) -> None:
    cid = _customer(store)
    later = [_plan(store, cid, FIXED_NOW + timedelta(days=d)) for d in (1, 3)]
    own = _plan(store, cid, FIXED_NOW + timedelta(days=2))
    store.plans.log_outcome(own, validate(PlanOutcomeInput, {"status": "cancelled"}))
    window = (FIXED_NOW, FIXED_NOW + timedelta(days=30))
    assert len(store.plans.upcoming_plans(*window)) == 2

    clock.current = FIXED_NOW + timedelta(minutes=5)
    moved = store.customers.move_stage(cid, Stage.LOST, reason="chose a competitor")
    assert moved.plans_cancelled == 2
    assert _statuses(store, later) == [PlanStatus.CANCELLED, PlanStatus.CANCELLED]
    assert store.plans.upcoming_plans(*window) == []  # off the agenda and `salesdev plans`
    assert len(store.customers.plans_cancelled_when_lost(cid)) == 2

    clock.current = FIXED_NOW + timedelta(minutes=10)
    back = store.customers.move_stage(cid, Stage.PROSPECT)
    assert back.plans_restored == 2
    assert _statuses(store, later) == [PlanStatus.PLANNED, PlanStatus.PLANNED]
    # The plan the rep had cancelled on their own stays cancelled.
    assert _statuses(store, [own]) == [PlanStatus.CANCELLED]
    assert len(store.plans.upcoming_plans(*window)) == 2


def test_reopening_may_leave_the_plans_cancelled(store: Any, clock: Any) -> None:
    cid = _customer(store)
    pid = _plan(store, cid, FIXED_NOW + timedelta(days=1))
    clock.current = FIXED_NOW + timedelta(minutes=5)
    store.customers.move_stage(cid, Stage.LOST, reason="no budget")
    clock.current = FIXED_NOW + timedelta(minutes=10)
    back = store.customers.move_stage(cid, Stage.PROSPECT, restore_plans=False)
    assert back.plans_restored == 0
    assert _statuses(store, [pid]) == [PlanStatus.CANCELLED]


def test_cli_stage_lost_and_back_says_what_happened_to_the_plans(db_path: Path) -> None:
    from salesdev_tui.db import open_database
    from salesdev_tui.store.combined import Store

    soon = datetime.now(UTC) + timedelta(days=2)
    db = open_database(db_path)
    try:
        store = Store(db)
        cid = _customer(store)
        _plan(store, cid, soon)
        _plan(store, cid, soon + timedelta(hours=3))
    finally:
        db.close()
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(cli, ["--db", str(db_path), *args])
        return result.exit_code, result.stdout, result.stderr

    code, out, err = run("plans", "--json")
    assert code == 0, err
    assert len(json.loads(out)) == 2
    code, out, err = run("stage", str(cid), "lost", "--reason", "price")
    assert code == 0, err
    assert "2 planned contacts cancelled" in out
    code, out, _err = run("plans", "--json")
    assert json.loads(out) == []
    code, out, err = run("stage", str(cid), "contacted", "--reason", "they called back")
    assert code == 0, err
    assert "2 planned contacts cancelled when it was lost are planned again" in out
    code, out, _err = run("plans", "--json")
    assert len(json.loads(out)) == 2
