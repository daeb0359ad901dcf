"""Pilot: the guided import, the export dialog and a backup, all from the command palette."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from sqlmodel import select
from textual.widgets import Checkbox, DataTable, Input, Select, Static

from salesdev_tui.db.autobackup import backup_files
from salesdev_tui.dialogs.choice import ChoiceScreen
from salesdev_tui.dialogs.data_export import ExportScreen
from salesdev_tui.dialogs.import_wizard import ImportWizardScreen
from salesdev_tui.models.tables import Contact, Customer
from salesdev_tui.screens.today import TodayScreen
from salesdev_tui.usecases.csv_mappings import list_mappings, mappings_dir
from tests.conftest import wait_ready
from tests.test_csv_import import write_csv

MakeApp = Callable[..., Any]

LEADS = [
    ["公司名稱", "聯絡人", "電話", "Email", "Deal - Value"],
    ["台灣精密工業股份有限公司", "王小明", "02-2345-6789", "wang@tpi.com.tw", "100"],
    ["Acme", "Bob", "12", "bob@acme", ""],
    ["[b]Globex[/b]", "Hank", "0912 345 678", "hank@globex.com", "7"],
]


def names(app: Any, model: type[Any]) -> list[str]:
    with app.store.db.read() as session:
        return sorted(row.name for row in session.exec(select(model)).all())


def summary(screen: Any, selector: str) -> str:
    rendered = screen.query_one(selector, Static).render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


async def palette(pilot: Any, text: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.press(*text)
    await wait_ready(pilot)
    await pilot.press("enter")
    await wait_ready(pilot)


async def test_guided_import(make_app: MakeApp, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "leads.csv", LEADS, encoding="cp950")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await palette(pilot, "Import a spreadsheet")
        wizard = app.screen
        assert isinstance(wizard, ImportWizardScreen)
        wizard.query_one("#import-path", Input).value = str(path)
        await pilot.press("enter")
        await wait_ready(pilot)
        table = wizard.query_one(DataTable)
        assert [table.get_row_at(i)[2].plain for i in range(table.row_count)] == [
            "Company", "Contact name", "Phone", "E-mail", "(not imported)"]
        assert "read as Big5" in summary(wizard, "#import-summary")
        assert app.focused is table  # the columns are next
        # The phone column is not imported after all: m, then "1  (not imported)".
        await pilot.press("down", "down", "m")
        await wait_ready(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("1")
        await wait_ready(pilot)
        assert table.get_row_at(2)[2].plain == "(not imported)"
        await pilot.press("ctrl+r")
        await wait_ready(pilot)
        text = summary(wizard, "#import-summary")
        assert "Would import:" in text and 'line 3, column "Email"' in text
        assert names(app, Customer) == []
        await pilot.press("ctrl+s")  # all or nothing: refused
        await wait_ready(pilot)
        assert "Nothing was imported" in summary(wizard, "#import-summary")
        assert names(app, Customer) == []
        wizard.query_one(Checkbox).value = True
        wizard.query_one("#import-on-match", Select).value = "update"
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        text = summary(wizard, "#import-summary")
        assert "Imported:" in text and "leads.rejects.csv" in text
        assert names(app, Customer) == ["[b]Globex[/b]", "台灣精密工業股份有限公司"]
        with app.store.db.read() as session:
            phones = [c.phone for c in session.exec(select(Contact)).all()]
        assert phones == [None, None]
        await pilot.press("escape")
        await wait_ready(pilot)
        assert isinstance(app.screen, TodayScreen)


async def test_saved_mapping_from_the_wizard(make_app: MakeApp, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "de.csv", [["Firma", "Notiz"], ["Müller GmbH", "x"]])
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.push_screen(ImportWizardScreen(str(path)))
        await wait_ready(pilot)
        wizard = app.screen
        await pilot.press("down", "enter")  # enter on a column: choose its field
        await wait_ready(pilot)
        choice = app.screen
        assert isinstance(choice, ChoiceScreen)
        choice.dismiss(choice.options.index("Company notes  [notes]"))
        await wait_ready(pilot)
        wizard.query_one("#import-save-as", Input).value = "german"
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        assert names(app, Customer) == ["Müller GmbH"]
        assert app.store.customers.list_customers(limit=5)[0].name == "Müller GmbH"
        await pilot.press("escape")
        await wait_ready(pilot)
        app.push_screen(ImportWizardScreen())
        await wait_ready(pilot)
        assert app.screen.query_one("#import-mapping", Select).display
        assert list_mappings(mappings_dir(app.config_path)) == ["german"]


async def test_export_and_backup_dialogs(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        from salesdev_tui.domain.validation import CustomerInput, validate

        app.store.customers.add_lead(validate(CustomerInput, {"name": "Acme, Inc."}))
        await palette(pilot, "Export to a file")
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        target = tmp_path / "customers.csv"
        dialog.query_one(Input).value = str(target)
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        assert "Wrote 1 records" in summary(dialog, "#export-summary")
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert '"Acme, Inc."' in target.read_text(encoding="utf-8-sig")
        await pilot.press("escape")
        await wait_ready(pilot)
        await palette(pilot, "Back up the database now")
        dialog = app.screen
        assert isinstance(dialog, ExportScreen) and dialog.query_one(Input).value == ""
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        [manual] = backup_files(app.db_path, "manual")
        assert stat.S_IMODE(manual.path.stat().st_mode) == 0o600
        assert "Backed up to" in summary(dialog, "#export-summary")


async def test_a_dry_run_in_the_wizard_saves_no_mapping(make_app: MakeApp, tmp_path: Path
                                                       ) -> None:
    """Issue 20.11: a dry run writes nothing, the mapping to save included."""
    path = write_csv(tmp_path / "de.csv", [["Firma", "Notiz"], ["Müller GmbH", "x"]])
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.push_screen(ImportWizardScreen(str(path)))
        await wait_ready(pilot)
        wizard = app.screen
        wizard.query_one("#import-save-as", Input).value = "german"
        await pilot.press("ctrl+r")
        await wait_ready(pilot)
        assert "Would import:" in summary(wizard, "#import-summary")
        assert names(app, Customer) == []
        assert list_mappings(mappings_dir(app.config_path)) == []
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        assert names(app, Customer) == ["Müller GmbH"]
        assert list_mappings(mappings_dir(app.config_path)) == ["german"]
