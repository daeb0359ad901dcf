"""Pick a customer by typing part of its name; dismisses with the customer's id or None."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from salesdev_tui.i18n import N_, _
from salesdev_tui.screens.base import DbModal

if TYPE_CHECKING:
    from salesdev_tui.store.customers import CustomerRow


class CustomerPickScreen(DbModal[uuid.UUID | None]):
    """Type, then enter picks the highlighted customer (the first one while typing)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="pick-cancel",
                tooltip=N_("Close without choosing")),
        Binding("down", "to_list", N_("Results"), id="pick-results", show=False,
                tooltip=N_("Move into the list of customers found")),
    ]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog customer-pick"):
            yield Label(Text(self.title_text), classes="dialog-title")
            yield Input(placeholder=_("Type part of the customer's name"), id="pick-name")
            yield OptionList(id="pick-found")
            yield Label(_("enter picks · ↓ into the list · esc cancels"), classes="muted")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Changed, "#pick-name")
    def _typed(self, event: Input.Changed) -> None:
        typed = event.value
        self.run_db(lambda store: (typed, store.search.quick_find(typed, 10)), self._found,
                    group="pick-find")

    def _found(self, found: tuple[str, list[CustomerRow]]) -> None:
        typed, rows = found
        if typed != self.query_one(Input).value:
            return  # an older search finished after a newer one was typed
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(
            Option(Text.assemble(row.name, ("  " + _(row.stage.value), "dim")), id=row.id.hex)
            for row in rows
        )
        if rows:
            options.highlighted = 0

    @on(Input.Submitted, "#pick-name")
    def _submitted(self) -> None:
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None:
            self.notify(_("No customer matches what you typed."), severity="warning")
            return
        self._pick(options.get_option_at_index(index).id)

    @on(OptionList.OptionSelected, "#pick-found")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._pick(event.option.id)

    def _pick(self, hex_id: str | None) -> None:
        if hex_id:
            self.dismiss(uuid.UUID(hex_id))

    def action_to_list(self) -> None:
        self.query_one(OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
