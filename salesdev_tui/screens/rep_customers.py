"""One rep's customers as the manager reads them (the team scorecard's drill-down): read on
the team server in a worker, never editable here (the manager's row-level security reads
every rep's rows and writes none of them but a hand-over)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label

from salesdev_tui.i18n import N_, _
from salesdev_tui.screens.team_server import ServerMixin, server_url
from salesdev_tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from salesdev_tui.server.assessments import RepCustomer


class RepCustomersScreen(ServerMixin, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", N_("Back"), id="rep-customers-back"),
    ]

    def __init__(self, rep: str) -> None:
        super().__init__()
        self.rep = rep

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="rep-customers-body"):
            yield Label(_("{rep}'s customers (read only)").format(rep=self.rep),
                        classes="section-title")
            yield Label(_("Reading the team server…"), id="rep-customers-status",
                        classes="muted")
            yield DataTable(id="rep-customers-table", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for head in (_("Customer"), _("Stage"), _("Industry"), _("First contacted"),
                     _("First signed")):
            table.add_column(head)
        table.focus()
        settings = self.sales_app.settings
        rep = self.rep

        def read() -> list[RepCustomer]:
            from salesdev_tui.usecases.team_view import customers_of

            return customers_of(server_url(settings), rep)

        self.run_server(read, self._loaded, self._failed, group="rep-customers")

    def _loaded(self, customers: list[RepCustomer]) -> None:
        zone = self.sales_app.settings.zone
        table = self.query_one(DataTable)

        def day(moment: datetime | None) -> str:
            return moment.astimezone(zone).strftime("%Y-%m-%d") if moment else "—"

        for customer in customers:
            table.add_row(Text(customer.name), Text(_(customer.stage)),
                          Text(customer.industry or "—"), Text(day(customer.first_contacted_at)),
                          Text(day(customer.first_signed_at)))
        self.query_one("#rep-customers-status", Label).update(
            _("{count} customers").format(count=len(customers)))

    def _failed(self, message: str) -> None:
        self.query_one("#rep-customers-status", Label).update(Text(message))
