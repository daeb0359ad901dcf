"""Write the end-of-day review as a Markdown daily report, to a file the rep chooses (0600).

The report holds customer information (policy IV: confidential), so the file is readable by
the rep alone; an existing file is replaced only after the rep says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from salesdev_tui.i18n import N_, _
from salesdev_tui.screens.base import DbModal

if TYPE_CHECKING:
    from salesdev_tui.config import Settings
    from salesdev_tui.domain.review import Review
    from salesdev_tui.store.combined import Store


def default_report_path(review: Review) -> str:
    return str(Path.home() / f"salesdev-report-{review.day.isoformat()}.md")


def write_report(review: Review, settings: Settings, path: Path, *, replace: bool) -> Path:
    """Render and write the report (runs in a worker); returns the path written."""
    from salesdev_tui.domain.review_render import render_markdown
    from salesdev_tui.usecases.private_files import write_private_text

    text = render_markdown(review, settings.zone, settings.currency, settings.rep_name)
    return write_private_text(path, text, replace=replace)


class ReviewExportScreen(DbModal[bool]):
    """Dismisses True when the file was written."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="review-export-cancel",
                tooltip=N_("Close without writing")),
    ]

    def __init__(self, review: Review) -> None:
        super().__init__()
        self.review = review

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog review-export"):
            yield Label(_("Export the daily report (Markdown)"), classes="dialog-title")
            yield Static(Text(_("For your manager: the day's contacts, what moved, what is "
                                "open, tomorrow, and the month against target. The file is "
                                "readable by you alone.")), classes="muted")
            yield Label(_("File"), classes="form-label")
            yield Input(default_report_path(self.review), id="review-export-path")
            yield Label("", id="review-export-error", classes="field-error -hidden")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Write (enter)"), variant="primary", id="review-export-write")
                yield Button(_("Cancel (esc)"), id="review-export-cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def _problem(self, message: str) -> None:
        label = self.query_one("#review-export-error", Label)
        label.update(Text(message))
        label.set_class(not message, "-hidden")

    @on(Input.Submitted)
    @on(Button.Pressed, "#review-export-write")
    def action_write(self) -> None:
        text = self.query_one(Input).value.strip()
        if not text:
            self._problem(_("File: required"))
            return
        self._problem("")
        self._write(Path(text).expanduser(), replace=False)

    def _write(self, path: Path, *, replace: bool) -> None:
        review, settings = self.review, self.sales_app.settings

        def failed(exc: BaseException) -> bool:
            if isinstance(exc, FileExistsError):
                self._ask_replace(path)
            elif isinstance(exc, IsADirectoryError):
                self._problem(_("File: {path} is a folder; add a file name.").format(path=path))
            elif isinstance(exc, OSError):
                why = exc.strerror or str(exc)
                self._problem(_("Cannot write {path}: {why}").format(path=path, why=why))
            else:
                return False
            return True

        def job(_store: Store) -> Path:
            return write_report(review, settings, path, replace=replace)

        self.run_db(job, self._written, failed=failed, group="review-export")

    def _ask_replace(self, path: Path) -> None:
        from salesdev_tui.dialogs.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(path, replace=True)

        self.app.push_screen(
            ConfirmScreen(_("Replace the file?"),
                          _("{path} exists. Replace it with this report?").format(path=path),
                          yes_label=_("Replace"), no_label=_("Keep it")),
            answered,
        )

    def _written(self, path: Path) -> None:
        # The path is the rep's text: never read as markup.
        self.notify(_("Wrote {path}.").format(path=path), markup=False)
        self.dismiss(True)

    @on(Button.Pressed, "#review-export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
