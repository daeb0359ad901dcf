"""Snapshots: the customer information form and the contact person form (policy IV).

Update the baselines only after looking at the report: `pytest tests/test_snapshots_contacts.py
--snapshot-update` writes them; run without it first and open snapshot_report.html.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable

from tests.test_snapshots import SIZE, demo_app, demo_db, settle

__all__ = ["demo_app", "demo_db"]  # fixtures shared with tests/test_snapshots.py


async def open_negotiation_customer(pilot: Pilot[Any]) -> None:
    """The page of the first customer (by name) in negotiation, as in test_snapshots."""
    await settle(pilot)
    app = pilot.app
    rows = app.store.customers.list_customers(limit=500)  # type: ignore[attr-defined]
    chosen = sorted((r for r in rows if r.stage.value == "negotiation"), key=lambda r: r.name)[0]
    app.open_customer(chosen.id)  # type: ignore[attr-defined]
    await settle(pilot)


class TestContactsAndCustomerInfo:
    def test_customer_form(self, snap_compare: Any, demo_app: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await open_negotiation_customer(pilot)
            await pilot.press("e")
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run_before)

    def test_contact_form(self, snap_compare: Any, demo_app: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await open_negotiation_customer(pilot)
            await pilot.press("1")
            await settle(pilot)  # the tab's table takes the focus (issue 21.5) before enter
            pilot.app.screen.query_one("#table-contacts", DataTable).focus()
            await settle(pilot)
            await pilot.press("enter")  # edit the primary contact (listed first)
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run_before)
