"""Issue 15: one rule, one answer. Each use case runs through both faces (the CLI through
typer's CliRunner, the TUI through Pilot) with the same input, and the database ends the
same: adding a lead, refusing then allowing a likely duplicate, refusing then making a stage
move (`usecases.leads`), importing a spreadsheet and exporting customers to CSV
(`usecases.data_transfer`)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlmodel import col, select
from textual.widgets import Checkbox, Input
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.cli.app import Exit
from salesdev_tui.db import open_database
from salesdev_tui.dialogs.duplicate_choice import DuplicateChoice, DuplicateChoiceScreen
from salesdev_tui.domain.validation import ContactInput, CustomerInput, validate
from salesdev_tui.forms.lead_quick import QuickLeadScreen
from salesdev_tui.models.enums import Stage
from salesdev_tui.models.tables import Contact, Customer
from salesdev_tui.store.combined import Store
from tests.conftest import wait_ready
from tests.test_stage_dialog_words import _dialog as stage_dialog

MakeApp = Callable[..., Any]

Outcome = list[tuple[object, ...]]


def outcome(store: Any) -> Outcome:
    """What the database says, without ids and times (the two faces run on two files)."""
    with store.db.read() as session:
        customers = session.exec(select(Customer).order_by(col(Customer.name))).all()
        rows: Outcome = []
        for c in customers:
            contacts = session.exec(
                select(Contact).where(Contact.customer_id == c.id).order_by(col(Contact.name))
            ).all()
            rows.append((c.name, c.stage, c.lost_reason, tuple(
                (p.name, p.email, p.phone_normalized, p.is_primary) for p in contacts)))
        # Two customers of one name tie on the name: the order of ties is the index's (by
        # random id since schema 12), so compare the rows in an order of their own.
        return sorted(rows, key=repr)


class Cli:
    """`salesdev --db FILE …` on a file of its own."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.runner = CliRunner()

    def __call__(self, *args: str) -> tuple[int, str]:
        result = self.runner.invoke(cli, ["--db", str(self.path), *args])
        return result.exit_code, result.stdout + result.stderr

    def outcome(self) -> Outcome:
        db = open_database(self.path)
        try:
            return outcome(Store(db))
        finally:
            db.close()

    def seed(self, name: str) -> uuid.UUID:
        db = open_database(self.path)
        try:
            return seed(Store(db), name)
        finally:
            db.close()


def seed(store: Any, name: str) -> uuid.UUID:
    customer = validate(CustomerInput, {"name": name})
    contact = validate(ContactInput, {"name": "Jane Wu", "email": "jane@acme.tw"})
    customer_id: uuid.UUID = store.customers.add_lead(customer, contact).id
    return customer_id


async def quick_line(pilot: Any, line: str) -> Any:
    await wait_ready(pilot)
    await pilot.press("n")
    await wait_ready(pilot)
    assert isinstance(pilot.app.screen, QuickLeadScreen)
    await pilot.press(*line, "enter")
    await wait_ready(pilot)
    return pilot.app.screen


async def test_a_lead_is_the_same_lead_through_both_faces(
    make_app: MakeApp, tmp_path: Path
) -> None:
    run = Cli(tmp_path / "cli.db")
    code, said = run("add", "Acme Trading", "--contact", "Jane Wu", "--email", "jane@acme.tw",
                     "--phone", "0912 345 678")
    assert code == 0, said

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await quick_line(pilot, "Acme Trading; Jane Wu <jane@acme.tw> 0912 345 678")
        tui = outcome(app.store)

    assert tui == run.outcome() == [
        ("Acme Trading", Stage.PROSPECT, None,
         (("Jane Wu", "jane@acme.tw", "+886912345678", True),)),
    ]


async def test_a_likely_duplicate_is_held_by_both_faces_until_the_rep_says_so(
    make_app: MakeApp, tmp_path: Path
) -> None:
    run = Cli(tmp_path / "cli.db")
    run.seed("Acme Trading")
    code, said = run("add", "Acme Trading")
    assert code == Exit.INVALID and "may be the same customer" in said
    cli_held = run.outcome()
    assert run("add", "Acme Trading", "--allow-duplicate")[0] == 0

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        seed(app.store, "Acme Trading")
        screen = await quick_line(pilot, "Acme Trading")
        assert isinstance(screen, DuplicateChoiceScreen)  # asked, not saved
        tui_held = outcome(app.store)
        assert screen.choices[-1][0] is DuplicateChoice.SAVE_ANYWAY
        await pilot.press(str(len(screen.choices)))  # the last choice: save anyway
        await wait_ready(pilot)
        tui_saved = outcome(app.store)

    assert tui_held == cli_held and len(cli_held) == 1
    assert tui_saved == run.outcome() and len(tui_saved) == 2


async def test_a_stage_move_is_refused_then_made_alike_through_both_faces(
    make_app: MakeApp, tmp_path: Path
) -> None:
    run = Cli(tmp_path / "cli.db")
    cid = run.seed("Delta Foods")
    code, said = run("stage", cid.hex[:8], "lost")
    assert code == Exit.INVALID and "reason" in said
    cli_refused = run.outcome()
    code, said = run("stage", cid.hex[:8], "lost", "--reason", "price")
    assert code == 0, said

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        tid = seed(app.store, "Delta Foods")
        dialog = await stage_dialog(pilot, app, tid, "L")
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        tui_refused = outcome(app.store)
        dialog.query_one("#stage-reason", Input).focus()
        await pilot.press(*"price", "ctrl+s")
        await wait_ready(pilot)
        tui_moved = outcome(app.store)

    assert tui_refused == cli_refused
    assert cli_refused[0][1:3] == (Stage.PROSPECT, None)
    assert tui_moved == run.outcome()
    assert tui_moved[0][1:3] == (Stage.LOST, "price")


async def test_an_export_writes_the_same_file_through_both_faces(
    make_app: MakeApp, db_path: Path, tmp_path: Path
) -> None:
    from salesdev_tui.dialogs.data_export import ExportScreen
    from tests.test_import_wizard import palette

    by_tui, by_cli = tmp_path / "tui.csv", tmp_path / "cli.csv"
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        seed(app.store, "Acme, Inc.")
        seed(app.store, "台灣精密工業")
        await palette(pilot, "Export to a file")
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        dialog.query_one(Input).value = str(by_tui)
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
    code, said = Cli(db_path)("export", "--format", "csv", "--what", "customers",
                              "--out", str(by_cli))
    assert code == 0, said
    assert by_tui.read_bytes() == by_cli.read_bytes()
    assert "台灣精密工業" in by_cli.read_text(encoding="utf-8-sig")


async def test_an_import_is_the_same_import_through_both_faces(
    make_app: MakeApp, tmp_path: Path
) -> None:
    from salesdev_tui.dialogs.import_wizard import ImportWizardScreen
    from tests.test_csv_import import write_csv
    from tests.test_import_wizard import palette

    rows = [["company", "contact_name", "email", "stage", "lost_reason"],
            ["Acme Trading", "Jane Wu", "jane@acme.tw", "", ""],
            ["台灣精密工業", "王小明", "wang@tpi.com.tw", "lost", "price"],
            ["Beta Corp", "", "", "lost", ""]]  # lost needs a reason: the file is refused
    path = write_csv(tmp_path / "leads.csv", rows)
    run = Cli(tmp_path / "cli.db")
    code, said = run("import", str(path))
    assert code == Exit.INVALID and "lost needs a reason" in said
    cli_refused = run.outcome()
    code, said = run("import", str(path), "--skip-bad-rows")
    assert code == 0, said

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await palette(pilot, "Import a spreadsheet")
        wizard = app.screen
        assert isinstance(wizard, ImportWizardScreen)
        wizard.query_one("#import-path", Input).value = str(path)
        await pilot.press("enter")
        await wait_ready(pilot)
        await pilot.press("ctrl+s")  # all or nothing: refused, as the CLI did
        await wait_ready(pilot)
        tui_refused = outcome(app.store)
        wizard.query_one(Checkbox).value = True  # skip the bad rows, as --skip-bad-rows
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        tui_imported = outcome(app.store)

    assert tui_refused == cli_refused == []
    assert tui_imported == run.outcome()
    assert [row[:3] for row in tui_imported] == [
        ("Acme Trading", Stage.PROSPECT, None), ("台灣精密工業", Stage.LOST, "price")]
