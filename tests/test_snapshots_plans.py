"""Contact plans as the rep sees them: the plan form (new and edit), the outcome dialog and
its "plan the next contact?" prompt, the calendar export dialog, and Today's revisits.

Update the baselines only after looking at the report (see tests/test_snapshots.py).
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable

from salesdev_tui.models.enums import Stage
from tests.test_snapshots import SIZE, demo_app, demo_db, settle

__all__ = ["demo_app", "demo_db"]  # fixtures shared with tests/test_snapshots.py


async def _open_customer(pilot: Pilot[Any], stage: Stage) -> None:
    """The first customer (by name) at `stage` that has contact plans."""
    await settle(pilot)
    app: Any = pilot.app
    rows = sorted((r for r in app.store.customers.list_customers(limit=500) if r.stage == stage),
                  key=lambda r: r.name)
    chosen = next(r for r in rows if app.store.plans.plans_of(r.id))
    app.open_customer(chosen.id)
    await settle(pilot)


async def _press(pilot: Pilot[Any], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


class TestPlanForm:
    def test_new_plan(self, snap_compare: Any, demo_app: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await _open_customer(pilot, Stage.NEGOTIATION)
            await _press(pilot, "2", "a")

        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run_before)

    def test_edit_plan(self, snap_compare: Any, demo_app: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await _open_customer(pilot, Stage.NEGOTIATION)
            await _press(pilot, "2")
            pilot.app.screen.query_one("#table-plans", DataTable).focus()
            await _press(pilot, "enter")

        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run_before)


class TestPlanOutcome:
    async def _log_first_overdue(self, pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.screen.query_one("#overdue", DataTable).focus()
        await _press(pilot, "l")

    def test_outcome_dialog(self, snap_compare: Any, demo_app: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await self._log_first_overdue(pilot)
            await pilot.press("d", *"Talked to the buyer")
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run_before)

    def test_plan_next_prompt(self, snap_compare: Any, demo_app: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await self._log_first_overdue(pilot)
            await pilot.press("d")  # choose "done"
            await pilot.press(*"Talked to the buyer", "tab", *"Send the price list")
            await _press(pilot, "ctrl+s")

        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run_before)


class TestCalendarExport:
    def test_export_dialog(self, snap_compare: Any, demo_app: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            pilot.app.action_export_plans()  # type: ignore[attr-defined]
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run_before)


class TestTodayRevisits:
    def test_revisits_section(self, snap_compare: Any, demo_app: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            table = pilot.app.screen.query_one("#revisits", DataTable)
            table.focus()
            table.scroll_visible(animate=False, top=True)
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run_before)
