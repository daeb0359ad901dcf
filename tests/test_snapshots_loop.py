"""The daily loop at 80x24 (issue 21): marked rows on the customer list, the bulk-plan
dialog, and the empty Today of a new database. Fixed size, fixed dates (the demo data of
tests/test_snapshots.py at FIXED_NOW; the empty database on the fixed clock).

Update the baselines only after looking at the report (see tests/test_snapshots.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from salesdev_tui.app import create_app
from tests.conftest import Clock, make_settings
from tests.test_snapshots import demo_app, demo_db, settle

__all__ = ["demo_app", "demo_db"]  # fixtures shared with tests/test_snapshots.py

SMALL = (80, 24)


async def _press(pilot: Pilot[Any], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def _marked_list(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await _press(pilot, "c", "down", "space", "shift+down", "shift+down", "down")


def test_selection(snap_compare: Any, demo_app: Any) -> None:
    assert snap_compare(demo_app, terminal_size=SMALL, run_before=_marked_list)


def test_bulk_plan_dialog(snap_compare: Any, demo_app: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _marked_list(pilot)
        await _press(pilot, "p")

    assert snap_compare(demo_app, terminal_size=SMALL, run_before=run_before)


def test_empty_today(snap_compare: Any, db_path: Path) -> None:
    app = create_app(make_settings(), db_path, clock=Clock())  # type: ignore[arg-type]
    assert snap_compare(app, terminal_size=SMALL, run_before=settle)
