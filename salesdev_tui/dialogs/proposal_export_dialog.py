"""Ask where to write a proposal for the customer (Markdown or HTML), then write it in a worker.

The file is created 0600 (it holds customer information); an existing file is replaced only
after the rep says so.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from salesdev_tui.i18n import N_, _
from salesdev_tui.screens.base import DbModal, storage_message

if TYPE_CHECKING:
    from salesdev_tui.config import Settings
    from salesdev_tui.store.combined import Store

ExportKind = Literal["md", "html"]


def write_proposal(
    store: Store,
    proposal_id: uuid.UUID,
    kind: ExportKind,
    path: Path,
    *,
    settings: Settings,
    replace: bool,
) -> Path:
    """Load, render and write (runs in a worker); returns the path written."""
    from salesdev_tui.domain.periods import local_date
    from salesdev_tui.domain.proposal_export import to_html, to_markdown, view_for
    from salesdev_tui.usecases.private_files import write_private_text

    found = store.proposals.proposal_with_lines(proposal_id)
    view = view_for(found, settings, local_date(store.now(), settings.zone))
    text = to_markdown(view) if kind == "md" else to_html(view)
    return write_private_text(path, text, replace=replace)


class ProposalExportScreen(DbModal[bool]):
    """Dismisses True when the file was written."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "export", N_("Export"), id="proposal-export-write", priority=True,
                tooltip=N_("Write the file")),
        Binding("escape", "cancel", N_("Cancel"), id="proposal-export-cancel",
                tooltip=N_("Close without writing")),
    ]

    def __init__(self, proposal_id: uuid.UUID, kind: ExportKind, default_path: str) -> None:
        super().__init__()
        self.proposal_id = proposal_id
        self.kind: ExportKind = kind
        self.default_path = default_path

    def compose(self) -> ComposeResult:
        title = (_("Export the proposal as Markdown") if self.kind == "md"
                 else _("Export the proposal as HTML"))
        with Vertical(classes="dialog proposal-export"):
            yield Label(title, classes="dialog-title")
            yield Static(
                Text(_("For the customer: the offer, its lines and terms. Your private notes "
                       "and negotiation strategy are never included.")),
                classes="muted",
            )
            yield Label(_("File"), classes="form-label")
            yield Input(self.default_path, id="proposal-export-path")
            yield Label("", id="proposal-export-error", classes="field-error -hidden")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Export (enter)"), variant="primary", id="proposal-export-write")
                yield Button(_("Cancel (esc)"), id="proposal-export-cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def _problem(self, message: str) -> None:
        label = self.query_one("#proposal-export-error", Label)
        label.update(Text(message))
        label.set_class(not message, "-hidden")

    @on(Input.Submitted)
    @on(Button.Pressed, "#proposal-export-write")
    def action_export(self) -> None:
        text = self.query_one(Input).value.strip()
        if not text:
            self._problem(_("File: required"))
            return
        self._problem("")
        self._write(Path(text).expanduser(), replace=False)

    def _write(self, path: Path, *, replace: bool) -> None:
        settings = self.sales_app.settings

        def failed(exc: BaseException) -> bool:
            if isinstance(exc, FileExistsError):
                self._ask_replace(path)
                return True
            if isinstance(exc, IsADirectoryError):
                self._problem(_("File: {path} is a folder; add a file name.").format(path=path))
                return True
            if isinstance(exc, OSError):
                why = exc.strerror or str(exc)
                self._problem(_("Cannot write {path}: {why}").format(path=path, why=why))
                return True
            self._problem(storage_message(exc) or str(exc))
            return False

        self.run_db(
            lambda store: write_proposal(
                store, self.proposal_id, self.kind, path, settings=settings, replace=replace
            ),
            self._written,
            failed=failed,
            group="proposal-export",
        )

    def _ask_replace(self, path: Path) -> None:
        from salesdev_tui.dialogs.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(path, replace=True)

        self.app.push_screen(
            ConfirmScreen(_("Replace the file?"),
                          _("{path} exists. Replace it with this proposal?").format(path=path),
                          yes_label=_("Replace"), no_label=_("Keep it")),
            answered,
        )

    def _written(self, path: Path) -> None:
        # The path is the rep's text: never read as markup.
        self.notify(_("Wrote {path}.").format(path=path), markup=False)
        self.dismiss(True)

    @on(Button.Pressed, "#proposal-export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
