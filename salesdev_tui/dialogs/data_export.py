"""Write an export (CSV, vCard, JSON) or a backup to a file, in a worker, with a summary.

The same functions as `salesdev export` and `salesdev backup` (`data_transfer`,
`db.autobackup`); every file is created 0600.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, ProgressBar, Select, Static

from salesdev_tui.i18n import N_, _
from salesdev_tui.screens.base import DbModal, storage_message


@dataclass(frozen=True)
class ExportKind:
    key: str
    label: str
    fmt: str  # csv | vcard | json | backup
    what: str
    default_file: str


def export_kinds() -> list[ExportKind]:
    return [
        ExportKind("customers", _("Customers (CSV)"), "csv", "customers",
                   "~/salesdev-customers.csv"),
        ExportKind("contacts", _("Contacts (CSV)"), "csv", "contacts", "~/salesdev-contacts.csv"),
        ExportKind("plans", _("Contact plans (CSV)"), "csv", "plans", "~/salesdev-plans.csv"),
        ExportKind("vcard", _("Contacts for an address book (vCard)"), "vcard", "contacts",
                   "~/salesdev-contacts.vcf"),
        ExportKind("json", _("Everything (salesdev JSON)"), "json", "all",
                   "~/salesdev-export.json"),
        ExportKind("backup", _("A backup of the database"), "backup", "", ""),
    ]


class ExportScreen(DbModal[bool]):
    """Dismisses True when a file was written."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "write", N_("Write"), id="export-write", priority=True,
                tooltip=N_("Write the file")),
        Binding("escape", "close", N_("Close"), id="export-close", tooltip=N_("Close")),
    ]

    def __init__(self, kind: str = "customers") -> None:
        super().__init__()
        self.kinds = {k.key: k for k in export_kinds()}
        self.kind = self.kinds.get(kind, self.kinds["customers"])
        self.running = False
        self.written = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog data-export"):
            yield Label(_("Export or back up"), classes="dialog-title")
            yield Label(_("What"), classes="form-label")
            yield Select([(k.label, k.key) for k in self.kinds.values()], value=self.kind.key,
                         allow_blank=False, id="export-kind")
            yield Label(_("File"), classes="form-label")
            yield Input(self.kind.default_file, id="export-path",
                        placeholder=_("leave empty for the backups folder"))
            yield ProgressBar(show_eta=False, show_percentage=False, id="export-progress",
                              classes="-hidden")
            yield Static("", id="export-summary")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Write (ctrl+s)"), variant="primary", id="export-go")
                yield Button(_("Close (esc)"), id="export-cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Select.Changed, "#export-kind")
    def _kind(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.kind.key:
            self.kind = self.kinds[event.value]
            self.query_one(Input).value = self.kind.default_file

    def _say(self, message: str) -> None:
        self.query_one("#export-summary", Static).update(Text(message))

    @on(Input.Submitted)
    @on(Button.Pressed, "#export-go")
    def action_write(self) -> None:
        from salesdev_tui.db.autobackup import manual_backup
        from salesdev_tui.usecases.data_transfer import write_export

        if self.running:
            return
        text = self.query_one(Input).value.strip()
        kind, app = self.kind, self.sales_app
        if not text and kind.fmt != "backup":
            self._say(_("File: required"))
            return
        path = Path(text).expanduser() if text else None
        if path is not None and path.is_dir():
            self._say(_("File: {path} is a folder; add a file name.").format(path=path))
            return
        if kind.fmt == "backup" and path is not None and path.exists():
            self._say(_("File: {path} exists already; a backup goes to a new file.").format(
                path=path))
            return
        now: datetime = app.clock()
        zone, region = app.settings.zone, app.settings.phone_region

        def job(store: object) -> tuple[Path, int]:
            from salesdev_tui.store.combined import Store

            assert isinstance(store, Store)
            if kind.fmt == "backup":
                made = manual_backup(store.db.path, now, path)
                return made, made.stat().st_size
            assert path is not None
            return write_export(store, kind.fmt, kind.what, path, zone=zone, now=now,
                                region=region)

        def failed(exc: BaseException) -> bool:
            self._stop()
            if isinstance(exc, OSError):
                self._say(_("Cannot write {path}: {why}").format(
                    path=path, why=exc.strerror or exc))
                return True
            self._say(storage_message(exc) or str(exc))
            return False

        self.running = True
        self.query_one(ProgressBar).remove_class("-hidden")
        self._say(_("Writing…"))
        self.run_db(job, self._done, failed=failed, group="export")

    def _stop(self) -> None:
        self.running = False
        self.query_one(ProgressBar).add_class("-hidden")

    def _done(self, result: tuple[Path, int]) -> None:
        self._stop()
        path, count = result
        self.written = True
        if self.kind.fmt == "backup":
            message = _("Backed up to {path} ({size:,} bytes).").format(path=path, size=count)
        else:
            message = _("Wrote {n} records to {path}.").format(n=count, path=path)
        self._say(message)
        # The path is the rep's text: never read as markup.
        self.notify(message, markup=False)

    @on(Button.Pressed, "#export-cancel")
    def action_close(self) -> None:
        if not self.running:
            self.dismiss(self.written)
