"""The manager's team scorecard (issue 19.1): every rep's indicators, commission and pace,
and the team's, for a month, quarter or year, read on the team server in a worker (the UI
never waits for the network; with the server out of reach it says so plainly and keeps the
keys working). Sort by any column, step through the periods, enter on a rep lists that
rep's customers (read only), `a` opens the month-end assessment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label

from salesdev_tui.domain.team_scorecard import SORTABLE, TeamScorecard, sorted_rows
from salesdev_tui.i18n import N_, _
from salesdev_tui.models.enums import PeriodKind
from salesdev_tui.screens.team_server import ServerMixin, server_url
from salesdev_tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from salesdev_tui.domain.periods import Period


class TeamScorecardScreen(ServerMixin, Screen[None]):
    """The team's scorecard of one period."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "kind('month')", N_("Month"), id="team-month"),
        Binding("q", "kind('quarter')", N_("Quarter"), id="team-quarter"),
        Binding("y", "kind('year')", N_("Year"), id="team-year"),
        Binding("left_square_bracket", "step(-1)", N_("Previous"), id="team-previous"),
        Binding("right_square_bracket", "step(1)", N_("Next"), id="team-next"),
        Binding("s", "sort", N_("Sort"), id="team-sort",
                tooltip=N_("Sort by the next column")),
        Binding("a", "assess", N_("Assess"), id="team-assess",
                tooltip=N_("The month-end assessment of this month")),
        Binding("r", "reload", N_("Refresh"), id="team-reload"),
    ]

    period: var[Period | None] = var(None, init=False)
    sort_by: var[str] = var("revenue", init=False)
    card: var[TeamScorecard | None] = var(None, init=False)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="team-body"):
            yield Label("", id="team-title", classes="section-title")
            yield Label(_("Reading the team server…"), id="team-status", classes="muted")
            yield DataTable(id="team-table", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        from salesdev_tui.domain.periods import period_containing

        app = self.sales_app
        self.period = period_containing(app.clock(), PeriodKind.MONTH, app.settings.zone)
        self.query_one(DataTable).focus()

    def watch_period(self, period: Period | None) -> None:
        if period is not None:
            self._reload()

    def watch_sort_by(self, _field: str) -> None:
        self._fill()

    def _reload(self) -> None:
        from salesdev_tui.domain.locale_format import format_period
        from salesdev_tui.domain.periods import local_date

        period = self.period
        if period is None:
            return
        app = self.sales_app
        settings = app.settings
        today = local_date(app.clock(), settings.zone)
        self.query_one("#team-title", Label).update(
            _("Team scorecard {period}").format(period=format_period(period)))

        def read() -> TeamScorecard:
            from salesdev_tui.usecases.team_view import team_scorecard

            return team_scorecard(server_url(settings), settings, period, today)

        self.run_server(read, self._loaded, self._failed, group="team-scorecard")

    def _loaded(self, card: TeamScorecard) -> None:
        if card.period != self.period:
            return  # an older period's answer arriving late
        self.card = card
        self.query_one("#team-status", Label).update(_(
            "{count} reps · sorted by {field} · enter: the rep's customers").format(
                count=len(card.reps), field=self._field_name(self.sort_by)))
        self._fill()

    def _failed(self, message: str) -> None:
        self.query_one("#team-status", Label).update(Text(message))

    @staticmethod
    def _field_name(field: str) -> str:
        from salesdev_tui.domain.figure_format import figure_label
        from salesdev_tui.domain.scorecard_view import Figure

        return _("rep") if field == "rep" else figure_label(Figure(field))

    def _fill(self) -> None:
        from salesdev_tui.domain.team_scorecard_render import headers, row_cells

        card = self.card
        table = self.query_one(DataTable)
        table.clear(columns=True)
        if card is None:
            return
        currency = self.sales_app.settings.currency
        for index, head in enumerate(headers()):
            sorted_here = index < len(SORTABLE) and SORTABLE[index] == self.sort_by
            table.add_column(Text(head + (" ▼" if sorted_here else ""),
                                  justify="left" if index == 0 else "right"), key=str(index))
        for row in sorted_rows(card.reps, self.sort_by):
            cells = row_cells(row, currency)
            table.add_row(Text(cells[0]), *(Text(c, justify="right") for c in cells[1:]),
                          key=row.rep)
        cells = row_cells(card.team, currency, team=True)
        table.add_row(*(Text(c, style="bold", justify="left" if i == 0 else "right")
                        for i, c in enumerate(cells)), key="")

    def action_kind(self, kind: str) -> None:
        from salesdev_tui.domain.periods import period_containing

        if self.period is not None:
            # From the period that holds today, the new kind's period holds today too (a
            # manager on this year who presses m wants this month, not January).
            now = self.sales_app.clock()
            anchor = now if self.period.start <= now < self.period.end else self.period.start
            self.period = period_containing(anchor, PeriodKind(kind),
                                            self.sales_app.settings.zone)

    def action_step(self, steps: int) -> None:
        if self.period is not None:
            self.period = self.period.next() if steps > 0 else self.period.previous()

    def action_sort(self) -> None:
        self.sort_by = SORTABLE[(SORTABLE.index(self.sort_by) + 1) % len(SORTABLE)]
        if self.card is not None:
            self._loaded(self.card)

    def action_reload(self) -> None:
        self._reload()

    def action_assess(self) -> None:
        from salesdev_tui.domain.periods import period_containing
        from salesdev_tui.screens.assessment import AssessmentScreen

        if self.period is not None:
            month = period_containing(self.period.end, PeriodKind.MONTH,
                                      self.sales_app.settings.zone).previous()
            self.app.push_screen(AssessmentScreen(month))

    @on(DataTable.RowSelected)
    def _drill(self, event: DataTable.RowSelected) -> None:
        from salesdev_tui.screens.rep_customers import RepCustomersScreen

        rep = event.row_key.value
        if rep:  # the team's row has no customers of its own
            self.app.push_screen(RepCustomersScreen(rep))
