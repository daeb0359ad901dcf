"""The main screens in Traditional Chinese at 80×24 and 120×40, beside the English ones.

Baselines made before the UI strings' catalogue part (zhui) was merged show the core's
Chinese (stages, channels, figures, formats) among English labels: regenerate them after
merging the parts (`pytest tests/test_snapshots_zh.py --snapshot-update`, after looking).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from salesdev_tui.app import create_app
from salesdev_tui.forms.contract_editor import ContractScreen
from salesdev_tui.models.enums import Stage
from salesdev_tui.models.tables import Contract
from tests.conftest import Clock, make_settings
from tests.test_snapshots import demo_db, settle
from tests.test_snapshots_contract import _first

__all__ = ["demo_db"]  # the fixture shared with tests/test_snapshots.py

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
#: The customer page's tab keys (screens/customer_page.py): 1…0 and h (History).
TAB_KEYS = list("1234567890h")


@pytest.fixture
def zh_app(demo_db: Path) -> Any:
    return create_app(make_settings(language="zh_TW"), demo_db,  # type: ignore[arg-type]
                      clock=Clock())


def keys(*pressed: str) -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
class TestChineseScreens:
    def test_today(self, snap_compare: Any, zh_app: Any, size: tuple[int, int]) -> None:
        assert snap_compare(zh_app, terminal_size=size, run_before=keys())

    def test_help(self, snap_compare: Any, zh_app: Any, size: tuple[int, int]) -> None:
        assert snap_compare(zh_app, terminal_size=size, run_before=keys("question_mark"))

    def test_quick_intake(self, snap_compare: Any, zh_app: Any, size: tuple[int, int]) -> None:
        line = "大同公司；王小明 0912-345-678 ＃show ！A // 展位認識"

        async def run_before(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            await pilot.press("n")
            await settle(pilot)
            await pilot.press(*line)
            await settle(pilot)

        assert snap_compare(zh_app, terminal_size=size, run_before=run_before)

    def test_lead_form(self, snap_compare: Any, zh_app: Any, size: tuple[int, int]) -> None:
        assert snap_compare(zh_app, terminal_size=size, run_before=keys("N"))

    def test_scorecard(self, snap_compare: Any, zh_app: Any, size: tuple[int, int]) -> None:
        assert snap_compare(zh_app, terminal_size=size, run_before=keys("s"))

    def test_review(self, snap_compare: Any, zh_app: Any, size: tuple[int, int]) -> None:
        assert snap_compare(zh_app, terminal_size=size, run_before=keys("r"))

    def test_contract_checklist(
        self, snap_compare: Any, zh_app: Any, size: tuple[int, int]
    ) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            contract = _first(pilot, Contract, Stage.CONTRACT)
            pilot.app.push_screen(ContractScreen(contract.customer_id, contract.id))
            await settle(pilot)

        assert snap_compare(zh_app, terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("tab", TAB_KEYS)
    def test_customer_page_tab(
        self, snap_compare: Any, zh_app: Any, size: tuple[int, int], tab: str
    ) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            app = pilot.app
            rows = app.store.customers.list_customers(limit=500)  # type: ignore[attr-defined]
            chosen = sorted(
                (r for r in rows if r.stage.value == "negotiation"), key=lambda r: r.name
            )[0]
            app.open_customer(chosen.id)  # type: ignore[attr-defined]
            await settle(pilot)
            await pilot.press(tab)
            await settle(pilot)

        assert snap_compare(zh_app, terminal_size=size, run_before=run_before)
