"""The customers behind one figure of the scorecard; enter opens one."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Label

from salesdev_tui.domain.figure_format import MONEY_FIGURES
from salesdev_tui.domain.scorecard_view import Figure
from salesdev_tui.i18n import N_, _
from salesdev_tui.models.enums import Stage
from salesdev_tui.screens.base import DbModal

if TYPE_CHECKING:
    from salesdev_tui.store.combined import Store
    from salesdev_tui.store.kpi_details import Dimension, FigureCustomer

#: Most rows listed (the title says when there are more).
LIMIT = 500


@dataclass(frozen=True)
class FigureQuery:
    """Which customers to list: a figure in [start, end), narrowed to one breakdown line
    (`by` and `key`; key None = not recorded) or one pipeline stage."""

    figure: Figure
    start: datetime
    end: datetime
    title: str
    by: Dimension | None = None
    key: str | None = None
    stage: Stage | None = None

    def run(self, store: Store) -> list[FigureCustomer]:
        return store.kpis.customers_behind(self.figure, self.start, self.end, by=self.by,
                                      key=self.key, stage=self.stage, limit=LIMIT)


class FigureCustomersScreen(DbModal[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Close"), id="figure-close",
                tooltip=N_("Back to the scorecard")),
    ]

    def __init__(self, query: FigureQuery) -> None:
        super().__init__()
        self.query_spec = query

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog figure-customers"):
            yield Label(Text(self.query_spec.title), classes="dialog-title")
            yield Label(_("Loading…"), id="figure-count", classes="muted")
            yield DataTable(id="figure-table", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(_("customer"), _("stage"), _("when"), _("figure"))
        table.focus()
        self.watch(self.app, "data_version", self._reload)

    def _reload(self, _version: int) -> None:
        self.run_db(self.query_spec.run, self._show, group="figure-customers")

    def _show(self, rows: list[FigureCustomer]) -> None:
        settings = self.sales_app.settings
        table = self.query_one(DataTable)
        table.clear()
        for row in rows:
            when = row.at.astimezone(settings.zone).strftime("%Y-%m-%d") if row.at else ""
            table.add_row(
                Text(row.name), Text(_(row.stage.value)), Text(when),
                Text(self._figure_text(row), justify="right"),
                key=f"{row.customer_id.hex}:{table.row_count}",
            )
        more = _(" (the first {n})").format(n=LIMIT) if len(rows) >= LIMIT else ""
        self.query_one("#figure-count", Label).update(
            Text(_("{n} customers{more} — enter opens one, esc goes back").format(
                n=len(rows), more=more))
        )

    def _figure_text(self, row: FigureCustomer) -> str:
        figure = self.query_spec.figure
        currency = self.sales_app.settings.currency
        if row.score is not None:
            return _("score {n}").format(n=row.score)
        if row.amount is not None and figure in MONEY_FIGURES:
            title = f"{row.title} · " if row.title else ""
            return f"{title}{currency} {row.amount:,.2f}"
        marks = []
        if row.contacted:
            marks.append(_("first contacted"))
        if row.signed:
            marks.append(_("new customer"))
        return ", ".join(marks)

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value
        if key:
            self.sales_app.open_customer(uuid.UUID(key.split(":", 1)[0]))

    def action_close(self) -> None:
        self.dismiss(None)
