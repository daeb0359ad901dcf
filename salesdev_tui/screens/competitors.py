"""Competitors across customers (policy VI): whom the rep meets, and whom they lose to.

The upper table lists each competitor (most losses first) with the number of customers where
it appears and how those ended; the lower one lists the highlighted competitor's customers.
Enter on a competitor moves into its customers; enter on a customer opens the customer.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import var
from textual.widgets import DataTable, Header, Label, Static

from salesdev_tui.i18n import N_, _
from salesdev_tui.screens.base import DbScreen
from salesdev_tui.widgets.key_footer import KeyFooter
from salesdev_tui.widgets.theme_colours import PLAIN, Colours

if TYPE_CHECKING:
    from salesdev_tui.store.competitors import CompetitorRow, Outcome



def outcome_text(outcome: Outcome, colours: Colours = PLAIN) -> Text:
    labels = {"won": _("won"), "lost": _("lost"), "open": _("open")}
    style = {"won": f"bold {colours.success}", "lost": f"bold {colours.error}"}
    return Text(labels[outcome.value], style=style.get(outcome.value, ""))


class CompetitorTable(DataTable[Text]):
    """The competitors; enter moves into the highlighted one's customers."""

    # Replaces DataTable's hidden enter, so the footer says what enter does here.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", N_("Its customers"), id="competitors-customers",
                tooltip=N_("Move into the customers where this competitor appears")),
    ]


class CompetitorCustomerTable(DataTable[Text]):
    """The highlighted competitor's customers; enter opens one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", N_("Open customer"), id="competitors-open",
                tooltip=N_("Open the highlighted customer's page")),
    ]


class CompetitorsScreen(DbScreen):
    """Every competitor noted at a customer, grouped by name."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back"), id="competitors-back"),
        Binding("tab", "switch", N_("Switch list"), id="competitors-switch",
                tooltip=N_("Move between the competitors and their customers")),
    ]

    rows: var[list[CompetitorRow]] = var(list)
    """The competitors shown, most losses first."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_("Competitors"), classes="section-title")
        yield Static(Text(_("No competitor noted yet: note them on a customer's Competitors "
                            "tab.")), id="competitors-empty", classes="muted -hidden")
        yield CompetitorTable(id="competitor-table", cursor_type="row")
        yield Label("", id="competitor-customers-title", classes="section-title")
        yield CompetitorCustomerTable(id="competitor-customers", cursor_type="row")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Competitors")
        self._competitors.add_columns(
            _("competitor"), _("customers"), _("lost"), _("won"), _("open")
        )
        self._customers.add_columns(_("customer"), _("stage"), _("outcome"))
        self.watch(self.app, "data_version", self._reload)

    @property
    def _competitors(self) -> CompetitorTable:
        return self.query_one(CompetitorTable)

    @property
    def _customers(self) -> CompetitorCustomerTable:
        return self.query_one(CompetitorCustomerTable)

    def _reload(self, version: int) -> None:
        if version == 0:
            return
        self.run_db(lambda store: store.competitors.competitor_overview(), self._loaded,
                    group="competitors")

    def _loaded(self, rows: list[CompetitorRow]) -> None:
        self.rows = rows

    def watch_rows(self, rows: list[CompetitorRow]) -> None:
        table = self._competitors
        keep = table.cursor_row
        table.clear()
        lost = f"bold {Colours.of(self.app).error}"
        for index, row in enumerate(rows):
            table.add_row(
                Text(row.name), Text(str(row.total), justify="right"),
                Text(str(row.lost), justify="right", style=lost if row.lost else ""),
                Text(str(row.won), justify="right"), Text(str(row.open), justify="right"),
                key=str(index),
            )
        if rows:
            table.move_cursor(row=min(keep, len(rows) - 1))
        self.query_one("#competitors-empty").set_class(bool(rows), "-hidden")
        self._show_customers()

    def _current(self) -> CompetitorRow | None:
        index = self._competitors.cursor_row
        return self.rows[index] if 0 <= index < len(self.rows) else None

    @on(DataTable.RowHighlighted, "#competitor-table")
    def _show_customers(self) -> None:
        row = self._current()
        title = self.query_one("#competitor-customers-title", Label)
        table = self._customers
        table.clear()
        if row is None:
            title.update("")
            return
        title.update(Text(_("Customers where {name} appears ({n})").format(
            name=row.name, n=row.total)))
        colours = Colours.of(self.app)
        for customer in row.customers:
            table.add_row(Text(customer.name), Text(_(customer.stage.value)),
                          outcome_text(customer.outcome, colours), key=customer.customer_id.hex)

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.data_table is self._customers:
            self._open_customer()
        else:
            self._customers.focus()

    # -- actions --------------------------------------------------------------------------

    def _open_customer(self) -> None:
        table = self._customers
        if table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key:
            self.sales_app.open_customer(uuid.UUID(key))

    def action_switch(self) -> None:
        target = self._competitors if self.focused is self._customers else self._customers
        target.focus()

    def action_back(self) -> None:
        self.app.pop_screen()
