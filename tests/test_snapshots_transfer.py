"""Data in and out as the rep sees them: the guided import and the export dialog.

Update the baselines only after looking at the report (see tests/test_snapshots.py).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from salesdev_tui.dialogs.data_export import ExportScreen
from salesdev_tui.dialogs.import_wizard import ImportWizardScreen
from tests.test_csv_import import write_csv
from tests.test_snapshots import SIZE, demo_app, demo_db, settle

__all__ = ["demo_app", "demo_db"]  # fixtures shared with tests/test_snapshots.py

LEADS = [
    ["公司名稱", "聯絡人", "電話", "Email", "行業", "Deal - Value"],
    ["台灣精密工業股份有限公司", "王小明", "02-2345-6789", "wang@tpi.com.tw", "製造", "100"],
    ["Acme Trading", "Bob", "12", "bob@acme", "", ""],
    ["[b]Globex[/b]", "Hank", "0912 345 678", "hank@globex.com", "retail", "7"],
]


def _leads_at_home() -> str:
    # HOME is the test's own folder (conftest): "~/leads.csv" shows the same in every run.
    write_csv(Path(os.environ["HOME"]) / "leads.csv", LEADS, encoding="cp950")
    return "~/leads.csv"


class TestImportWizard:
    def test_file_read(self, snap_compare: Any, demo_app: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            pilot.app.push_screen(ImportWizardScreen(_leads_at_home()))
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run_before)

    def test_dry_run(self, snap_compare: Any, demo_app: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            pilot.app.push_screen(ImportWizardScreen(_leads_at_home()))
            await settle(pilot)
            await pilot.press("ctrl+r")
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run_before)


class TestExport:
    def test_export_dialog(self, snap_compare: Any, demo_app: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            pilot.app.push_screen(ExportScreen("contacts"))
            await settle(pilot)

        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run_before)
