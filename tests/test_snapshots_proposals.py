"""Snapshots of the proposal editor and its export dialog.

Same rules as tests/test_snapshots.py: fixed size, demo data made at a fixed date, no cursor
blink; update the baselines only after looking at the report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select
from textual.pilot import Pilot

from salesdev_tui.app import create_app
from salesdev_tui.models.enums import Stage
from salesdev_tui.models.tables import Customer
from tests.conftest import FIXED_NOW, Clock, make_settings
from tests.test_snapshots import SIZE, settle


@pytest.fixture
def demo_app(db_path: Path) -> Any:
    from salesdev_tui.db import open_database
    from salesdev_tui.domain.demo import generate_demo
    from salesdev_tui.store.combined import Store

    db = open_database(db_path)
    try:
        records = generate_demo(customers=40, seed=11, now=FIXED_NOW, zone=ZoneInfo("Asia/Taipei"))
        Store(db, clock=Clock()).exchange.bulk_insert(records)
    finally:
        db.close()
    return create_app(make_settings(), db_path, clock=Clock())  # type: ignore[arg-type]


async def open_proposals(pilot: Pilot[Any], stage: Stage, *keys: str) -> None:
    """The proposals tab of the first customer (by name) at `stage`, then `keys`."""
    await settle(pilot)
    app: Any = pilot.app
    with app.store.db.read() as session:
        customer_id = session.exec(
            select(Customer.id)
            .where(Customer.stage == stage, col(Customer.deleted_at).is_(None))
            .order_by(col(Customer.name))
        ).first()
    app.open_customer(customer_id)
    await settle(pilot)
    for key in ("4", *keys):
        await pilot.press(key)
        await settle(pilot)


class TestProposalEditor:
    def test_presented_proposal_is_frozen(self, snap_compare: Any, demo_app: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await open_proposals(pilot, Stage.NEGOTIATION, "enter")

        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run_before)

    def test_new_proposal_typed_by_keys(self, snap_compare: Any, demo_app: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await open_proposals(pilot, Stage.NEEDS, "a")
            await pilot.press(*"Smart warehouse, phase 1", "tab", *"+30d")
            for cells in (("AGV robot", "Autonomous, 500 kg load", "3", "1,234.50", "12.5"),
                          ("Installation", "", "2.5", "8000")):
                await pilot.press("ctrl+n")
                for index, text in enumerate(cells):
                    await pilot.press(*text, "tab" if index < len(cells) - 1 else "enter")
            # A third line, with a quantity the editor refuses at the cell.
            await pilot.press("ctrl+n", *"Training", "tab", "tab", *"0", "tab")
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run_before)

    def test_export_dialog(self, snap_compare: Any, demo_app: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await open_proposals(pilot, Stage.NEGOTIATION, "enter", "x", "2")

        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run_before)
