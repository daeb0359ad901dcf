"""Deleting a customer from their page: undoable deletion, or a purge confirmed by name.

A purge answers a confidentiality request and cannot be undone, so the rep types the
company's name to confirm it, as GitHub does before deleting a repository: a key pressed by
mistake can never purge. Restoring a deleted customer picks one from a list.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import tzinfo
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from salesdev_tui.i18n import N_, _
from salesdev_tui.textual_patches.dimmed_background import DimmedBackground
from salesdev_tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from salesdev_tui.screens.base import DbMixin
    from salesdev_tui.store.deletion import DeletedCustomer

#: The choice's options, in order (the index is what ChoiceScreen returns).
DELETE, PURGE = 0, 1


def deletion_options() -> list[str]:
    return [
        _("Delete (can be undone)"),
        _("Purge for good (confidentiality request)"),
    ]


def same_name(typed: str, name: str) -> bool:
    """True when `typed` is the company's name (spacing and letter case aside)."""
    def fold(text: str) -> str:
        return " ".join(text.split()).casefold()

    return bool(typed.strip()) and fold(typed) == fold(name)


class PurgeConfirmScreen(DimmedBackground, ModalScreen[bool]):
    """Type the company's name to purge it; dismisses True only when the name matches."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "confirm", N_("Purge"), id="purge-confirm", priority=True,
                tooltip=N_("Remove the customer and all their records for good")),
        Binding("escape", "cancel", N_("Cancel"), id="purge-cancel",
                tooltip=N_("Keep the customer")),
    ]

    def __init__(self, name: str) -> None:
        super().__init__()
        self.company = name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog purge-dialog"):
            yield Label(Text(_("Purge {name} for good?").format(name=self.company)),
                        classes="dialog-title")
            yield Static(Text(_(
                "The customer and every record of theirs (contacts, plans, needs, proposals, "
                "negotiations, contracts, surveys, credit checks, history) are removed from "
                "the database file for good. This cannot be undone. Backups taken before now "
                "still hold them: delete those too if the request covers backups."
            )), classes="purge-message")
            yield Label(Text(_("Type the company name to confirm:")), classes="purge-label")
            yield Input(id="purge-name", compact=True, placeholder=self.company)
            yield Static("", id="purge-error", classes="field-error -hidden")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def action_confirm(self) -> None:
        if same_name(self.query_one(Input).value, self.company):
            self.dismiss(True)
            return
        error = self.query_one("#purge-error", Static)
        error.update(Text(_("The name does not match. Type “{name}” to purge, or press "
                            "escape to keep the customer.").format(name=self.company)))
        error.remove_class("-hidden")

    def action_cancel(self) -> None:
        self.dismiss(False)


def restore_label(row: DeletedCustomer, zone: tzinfo) -> str:
    when = row.deleted_at.astimezone(zone)
    return _("{name} (deleted {when:%Y-%m-%d %H:%M})").format(name=row.name, when=when)


def ask_restore(screen: DbMixin, restored: Callable[[uuid.UUID], None] | None = None) -> None:
    """List the deleted customers; restore the one the rep picks, then open it."""
    from salesdev_tui.dialogs.choice import ChoiceScreen

    app, ui = screen.sales_app, screen.textual_app

    def loaded(rows: list[DeletedCustomer]) -> None:
        if not rows:
            ui.notify(_("No deleted customers."), markup=False)
            return
        labels = [restore_label(row, app.settings.zone) for row in rows]

        def chosen(index: int | None) -> None:
            if index is None:
                return
            row = rows[index]
            screen.run_db(lambda store: store.deletion.undelete_customer(row.id),
                          lambda _customer: done(row))

        ui.push_screen(ChoiceScreen(_("Restore deleted customer"), labels), chosen)

    def done(row: DeletedCustomer) -> None:
        app.changed()
        ui.notify(_("Restored {name}.").format(name=row.name), markup=False)
        if restored is not None:
            restored(row.id)

    screen.run_db(lambda store: store.deletion.deleted_customers(), loaded)
