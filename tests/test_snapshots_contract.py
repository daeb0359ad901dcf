"""Snapshots: negotiation minutes and the contract, on the demo data (policy III.6-7).

Update the baselines only after looking at the report: `pytest tests/test_snapshots_contract.py
--snapshot-update` writes them; run without it first and open snapshot_report.html.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select
from textual.pilot import Pilot

from salesdev_tui.forms.contract_editor import ContractScreen
from salesdev_tui.forms.negotiation_editor import NegotiationScreen
from salesdev_tui.models.enums import Stage
from salesdev_tui.models.tables import Contract, Customer, Negotiation
from tests.test_snapshots import SIZE, demo_app, demo_db, settle

__all__ = ["demo_app", "demo_db"]  # fixtures shared with tests/test_snapshots.py


def _first(pilot: Pilot[Any], model: type[Any], stage: Stage) -> Any:
    """The latest record of `model` of the first customer (by name) at `stage`."""
    with pilot.app.store.db.read() as session:  # type: ignore[attr-defined]
        return session.exec(
            select(model)
            .join(Customer, col(Customer.id) == model.customer_id)
            .where(Customer.stage == stage, col(model.deleted_at).is_(None))
            .order_by(col(Customer.name), col(model.created_at).desc())
        ).first()


class TestMinutesAndContract:
    def test_minutes(self, snap_compare: Any, demo_app: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            minutes = _first(pilot, Negotiation, Stage.NEGOTIATION)
            pilot.app.push_screen(NegotiationScreen(minutes.customer_id, minutes.id))
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run_before)

    def test_contract_draft(self, snap_compare: Any, demo_app: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            contract = _first(pilot, Contract, Stage.CONTRACT)
            pilot.app.push_screen(ContractScreen(contract.customer_id, contract.id))
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run_before)

    def test_sign_refused_names_what_is_missing(self, snap_compare: Any, demo_app: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            minutes = _first(pilot, Negotiation, Stage.NEGOTIATION)
            pilot.app.push_screen(ContractScreen(minutes.customer_id, None))
            await settle(pilot)
            await pilot.press(*"SD-2026-0100", "tab", "tab", *"250000", "tab", *"180000")
            await pilot.press("tab", *"Both parties as in annex A", "ctrl+g")
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run_before)
