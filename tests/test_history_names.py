"""Issue 14.18: the history shows the rep by name (config `rep_name`), not the computer's
login, and every time in the configured zone, not raw ISO text: in the TUI's History tab
and in `salesdev show`. And `salesdev show` lists the contracts: number, who approved, when."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.widgets import DataTable
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.cli.app import CliState
from salesdev_tui.domain.history_view import login_name, shown_actor, shown_time_text
from salesdev_tui.domain.validation import (
    ContactPlanInput,
    ContractInput,
    CustomerInput,
    LegalReviewInput,
    validate,
)
from tests.conftest import FIXED_NOW, wait_ready

MakeApp = Callable[..., Any]
TAIPEI = ZoneInfo("Asia/Taipei")
ISO_UTC = "2026-11-17T02:00:00+00:00"  # 10:00 in Taipei


def test_pure_rules() -> None:
    assert shown_actor("root", "Mei Lin", "root") == "Mei Lin"
    assert shown_actor(None, "Mei Lin", "root") == "Mei Lin"
    assert shown_actor("Tom", "Mei Lin", "root") == "Tom"  # another name stays
    assert shown_actor("root", "", "root") == "root"  # no name configured: nothing to show
    assert shown_time_text(ISO_UTC, TAIPEI) == "2026-11-17 10:00"
    assert shown_time_text("2026-11-17", TAIPEI) == "2026-11-17"
    assert shown_time_text("Call 2026-11-17T02:00", TAIPEI) == "Call 2026-11-17T02:00"


def _book(store: Any) -> uuid.UUID:
    """A customer edited by the computer's login (as the CLI recorded before this fix)."""
    store.actor = login_name() or "root"
    cid = store.customers.add_lead(validate(CustomerInput, {"name": "火箭軸承有限公司"})).id
    plan = store.plans.plan_contact(cid, validate(ContactPlanInput, {
        "method": "phone", "scheduled_at": FIXED_NOW}))
    store.plans.reschedule(plan.id, FIXED_NOW + timedelta(hours=19, minutes=30))
    kid = store.contracts.create_contract(cid, validate(ContractInput, {"value": "1200000"})).id
    store.contracts.record_legal_review(kid, validate(LegalReviewInput, {
        "legal_review": "approved", "legal_reviewer": "Lin (legal)"}))
    return cid  # type: ignore[no-any-return]


def _cells(table: DataTable[Any]) -> list[list[str]]:
    return [[c.plain if isinstance(c, Text) else str(c) for c in table.get_row_at(i)]
            for i in range(table.row_count)]


async def test_history_tab_names_the_rep_in_local_times(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        cid = _book(app.store)
        app.open_customer(cid)
        await wait_ready(pilot)
        await pilot.press("h")
        await wait_ready(pilot)
        rows = _cells(app.screen.query_one("#table-history", DataTable))
        edits = [r for r in rows if r[1]]
        assert edits and {r[1] for r in edits} == {"Test Rep"}
        moved = next(r for r in edits if "2026-11-16 14:30" in r[3])
        assert moved[3].endswith("2026-11-17 10:00")  # 02:00 UTC shown in Taipei time
        assert not any("+00:00" in r[3] or "T0" in r[3] for r in rows)
        await pilot.press("6")
        await wait_ready(pilot)
        contract = _cells(app.screen.query_one("#table-contract", DataTable))
        assert contract[0][0] == "SD-2026-0001"
        assert contract[0][4] == "approved by Lin (legal) on 2026-11-16"


def test_cli_show_names_the_rep_and_lists_contracts(
    store: Any, db_path: Path, tmp_path: Path, monkeypatch: Any,
) -> None:
    cid = _book(store)
    store.db.close()
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('rep_name = "Mei Lin"\ntimezone = "Asia/Taipei"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["--db", str(db_path), "--config", str(config), "show",
                                      cid.hex[:8]], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Mei Lin" in out and f" {login_name() or 'root'} " not in out
    assert "2026-11-17 10:00" in out and "+00:00" not in out
    assert "SD-2026-0001" in out and "approved by Lin (legal) on 2026-11-16" in out
    # And the CLI records later changes under the rep's name.
    state = CliState(db_path=db_path, config_path=config)
    opened = state.open_store()
    try:
        assert opened.actor == "Mei Lin"
    finally:
        opened.db.close()
