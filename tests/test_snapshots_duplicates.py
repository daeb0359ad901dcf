"""The question asked before saving a likely duplicate, at 80x24, with CJK names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from salesdev_tui.app import create_app
from salesdev_tui.domain.validation import ContactInput, CustomerInput, validate
from tests.conftest import Clock, make_settings
from tests.test_snapshots import settle


def test_duplicate_question(snap_compare: Any, db_path: Path) -> None:
    app = create_app(make_settings(), db_path, clock=Clock())  # type: ignore[arg-type]

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        store = pilot.app.store  # type: ignore[attr-defined]
        store.customers.add_lead(validate(CustomerInput, {"name": "台灣精密工業股份有限公司"}),
                       validate(ContactInput, {"name": "王大明", "phone": "0912 345 678"}))
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"台灣精密工業; 李美玲 0912-345-678", "enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
