"""Ask where to write the upcoming plans as an .ics calendar, then write it in a worker."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label

from salesdev_tui.i18n import N_, _
from salesdev_tui.screens.base import DbModal, storage_message
from salesdev_tui.usecases.calendar_export import DEFAULT_DAYS, DEFAULT_FILE


class IcsExportScreen(DbModal[bool]):
    """Dismisses True when the file was written."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "export", N_("Export"), id="ics-export", priority=True,
                tooltip=N_("Write the calendar file")),
        Binding("escape", "cancel", N_("Cancel"), id="ics-cancel", tooltip=N_("Close")),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog ics-export"):
            yield Label(_("Export upcoming plans to a calendar (.ics)"), classes="dialog-title")
            yield Label(
                _("Planned contacts from today to {days} days on, for your calendar app. "
                  "Importing a newer file updates the same events.").format(days=DEFAULT_DAYS),
                classes="muted ics-help",
            )
            yield Label(_("File"), classes="form-label")
            yield Input(DEFAULT_FILE, id="ics-path")
            yield Label("", id="ics-error", classes="field-error -hidden")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Export (enter)"), variant="primary", id="ics-export")
                yield Button(_("Cancel (esc)"), id="ics-cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def _problem(self, message: str) -> None:
        label = self.query_one("#ics-error", Label)
        label.update(Text(message))
        label.set_class(not message, "-hidden")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ics-export")
    def action_export(self) -> None:
        from salesdev_tui.usecases.calendar_export import export_upcoming_plans

        text = self.query_one(Input).value.strip()
        if not text:
            self._problem(_("File: required"))
            return
        path = Path(text).expanduser()
        if path.is_dir():
            self._problem(_("File: {path} is a folder; add a file name.").format(path=path))
            return
        self._problem("")
        app = self.sales_app
        zone, now = app.settings.zone, app.clock()

        def failed(exc: BaseException) -> bool:
            if isinstance(exc, OSError):
                why = exc.strerror or str(exc)
                self._problem(_("Cannot write {path}: {why}").format(path=path, why=why))
                return True
            self._problem(storage_message(exc) or str(exc))
            return False

        self.run_db(
            lambda store: export_upcoming_plans(
                store, path, zone=zone, now=now, days=DEFAULT_DAYS
            ),
            lambda count: self._written(count, path),
            failed=failed,
            group="ics-export",
        )

    def _written(self, count: int, path: Path) -> None:
        # The path is the rep's text: never read as markup.
        self.notify(
            _("Wrote {n} planned contacts to {path}.").format(n=count, path=path), markup=False
        )
        self.dismiss(True)

    @on(Button.Pressed, "#ics-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
