"""The command palette's data commands: import a spreadsheet, export, back up."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import App, SystemCommand

from salesdev_tui.i18n import _


def transfer_commands(app: App[Any]) -> Iterable[SystemCommand]:
    """Import, export and backup, each opening its screen."""

    def open_import() -> None:
        from salesdev_tui.dialogs.import_wizard import ImportWizardScreen

        app.push_screen(ImportWizardScreen())

    def open_export(kind: str) -> None:
        from salesdev_tui.dialogs.data_export import ExportScreen

        app.push_screen(ExportScreen(kind))

    yield SystemCommand(_("Import a spreadsheet (CSV)"),
                        _("Leads, customers, contacts or plans from Excel or another CRM"),
                        open_import)
    yield SystemCommand(_("Export to a file (CSV, vCard, JSON)"),
                        _("Customers, contacts or plans for a spreadsheet; contacts for an "
                          "address book; everything as JSON"),
                        lambda: open_export("customers"))
    yield SystemCommand(_("Back up the database now"),
                        _("A consistent copy in the backups folder, or a file you name"),
                        lambda: open_export("backup"))
