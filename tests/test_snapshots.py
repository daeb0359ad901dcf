"""Screens as the rep sees them, at a fixed size, on demo data made at a fixed date.

Update the baselines only after looking at the report: `pytest tests/test_snapshots.py
--snapshot-update` writes them; run without it first and open snapshot_report.html.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, TextArea

from salesdev_tui.app import create_app
from tests.conftest import FIXED_NOW, Clock, make_settings, wait_ready

SIZE = (120, 40)


@pytest.fixture
def demo_db(db_path: Path) -> Path:
    from salesdev_tui.db import open_database
    from salesdev_tui.domain.demo import generate_demo
    from salesdev_tui.store.combined import Store

    db = open_database(db_path)
    try:
        records = generate_demo(
            customers=40, seed=11, now=FIXED_NOW, zone=ZoneInfo("Asia/Taipei")
        )
        Store(db, clock=Clock()).exchange.bulk_insert(records)
    finally:
        db.close()
    return db_path


@pytest.fixture
def demo_app(demo_db: Path) -> Any:
    return create_app(make_settings(), demo_db, clock=Clock())  # type: ignore[arg-type]


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for workers, and stop cursors blinking so every picture is the same."""
    await wait_ready(pilot)
    for widget in pilot.app.screen.query("Input, TextArea"):
        if isinstance(widget, Input | TextArea):
            widget.cursor_blink = False
    await pilot.pause()
    # A DataTable sizes its columns to new rows on idle: under load the picture could be
    # taken between (columns as wide as their headers, every cell cut). Rows may also come
    # from a worker that finishes during the wait itself (CI once caught the customer page's
    # contacts unsized that way), so each look waits for the workers first.
    clean = 0
    for _ in range(150):  # at most ~3 s; two clean looks in a row, a late row may follow one
        await wait_ready(pilot)
        if any(table._require_update_dimensions or table._new_rows
               for table in pilot.app.screen.query(DataTable)):
            clean = 0
        else:
            clean += 1
            if clean == 2:
                break
        await pilot.pause(0.02)


def keys_then_settle(*keys: str) -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


class TestToday:
    def test_today(self, snap_compare: Any, demo_app: Any) -> None:
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=keys_then_settle())

    def test_help(self, snap_compare: Any, demo_app: Any) -> None:
        assert snap_compare(demo_app, terminal_size=SIZE,
                            run_before=keys_then_settle("question_mark"))


class TestCustomers:
    def test_list(self, snap_compare: Any, demo_app: Any) -> None:
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=keys_then_settle("c"))

    def test_customer_page(self, snap_compare: Any, demo_app: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            app = pilot.app
            rows = app.store.customers.list_customers(limit=500)  # type: ignore[attr-defined]
            chosen = sorted(
                (r for r in rows if r.stage.value == "negotiation"), key=lambda r: r.name
            )[0]
            app.open_customer(chosen.id)  # type: ignore[attr-defined]
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run_before)


class TestIntake:
    def test_quick_line(self, snap_compare: Any, demo_app: Any) -> None:
        line = "Acme Trading; Jane Wu <jane@acme.tw> +886 912 345 678 #trade_show #manufacturing !A"

        async def run_before(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            await pilot.press("n")
            await settle(pilot)
            await pilot.press(*line)
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run_before)

    def test_full_form(self, snap_compare: Any, demo_app: Any) -> None:
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=keys_then_settle("N"))
