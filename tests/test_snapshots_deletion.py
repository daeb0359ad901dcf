"""Snapshots of deleting a customer: the choice, the purge dialog, and a page after delete.

Same rules as tests/test_snapshots.py: fixed size, demo data made at a fixed date, no cursor
blink; update the baselines only after looking at the report.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from salesdev_tui.models.enums import Stage
from tests.test_snapshots import SIZE, settle
from tests.test_snapshots_records import demo_app, open_page

__all__ = ["demo_app"]  # the fixture, shared with the record forms' snapshots


class TestDeleteCustomer:
    def test_choice(self, snap_compare: Any, demo_app: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await open_page(pilot, Stage.PROPOSAL, "ctrl+d")

        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run_before)

    def test_purge_dialog_refuses_a_wrong_name(self, snap_compare: Any, demo_app: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await open_page(pilot, Stage.PROPOSAL, "ctrl+d", "2")
            await pilot.press(*"Wrong", "enter")
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run_before)

    def test_page_after_delete_offers_undo(self, snap_compare: Any, demo_app: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await open_page(pilot, Stage.PROPOSAL, "ctrl+d", "1")
            await pilot.app.workers.wait_for_complete()
            await settle(pilot)
            pilot.app.clear_notifications()  # the toast times out; the page is the subject
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run_before)
