"""The scorecard (policy V): the indicators of a month, quarter or year against target, with
pace and a 12-month trend; which channels and industries bring customers; the open pipeline.

Live: it reloads whenever anything is saved (`app.data_version`), like Today. Enter on any
row lists the customers behind it; enter there opens one.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import var
from textual.widgets import DataTable, Header, Label

from salesdev_tui.domain.figure_format import figure_label, format_figure
from salesdev_tui.domain.scorecard_view import FIGURE_KPI, Figure, Indicator, ScorecardView
from salesdev_tui.i18n import N_, _
from salesdev_tui.models.enums import Kpi, PeriodKind, Stage
from salesdev_tui.screens.base import DbScreen
from salesdev_tui.widgets.key_footer import KeyFooter
from salesdev_tui.widgets.scorecard_tables import (
    NOT_RECORDED_KEY,
    BreakdownTable,
    KpiTable,
    PipelineTable,
)
from salesdev_tui.widgets.trend_chart import TrendChart, TrendData

if TYPE_CHECKING:
    from salesdev_tui.domain.periods import Period
    from salesdev_tui.store.combined import Store
    from salesdev_tui.store.reports import PeriodFigures

_KIND_NAMES = {PeriodKind.MONTH: "month", PeriodKind.QUARTER: "quarter", PeriodKind.YEAR: "year"}


class ScorecardScreen(DbScreen):
    """A period's scorecard. Keys change the period; enter shows the customers behind."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "kind('month')", N_("Month"), id="scorecard-month",
                tooltip=N_("Show the month")),
        Binding("q", "kind('quarter')", N_("Quarter"), id="scorecard-quarter",
                tooltip=N_("Show the quarter (a quarterly review)")),
        Binding("y", "kind('year')", N_("Year"), id="scorecard-year",
                tooltip=N_("Show the year (the annual review)")),
        Binding("left_square_bracket", "step(-1)", N_("Previous"), id="scorecard-previous",
                tooltip=N_("The period before")),
        Binding("right_square_bracket", "step(1)", N_("Next"), id="scorecard-next",
                tooltip=N_("The period after")),
        Binding("0", "current", N_("Now"), id="scorecard-current",
                tooltip=N_("Back to the current period")),
        Binding("T", "target", N_("Set target"), id="scorecard-target",
                tooltip=N_("Set this period's target of the highlighted indicator")),
    ]

    period: var[Period | None] = var(None, init=False)
    """The period shown (None until mounted)."""
    view: var[ScorecardView | None] = var(None, init=False)
    """The loaded scorecard; None while the first load runs."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="scorecard-body"):
            yield Label("", id="scorecard-title", classes="section-title")
            yield KpiTable(id="kpi-table")
            with Horizontal(id="scorecard-middle"):
                yield TrendChart(id="scorecard-trend")
                yield Label("", id="scorecard-note", classes="muted")
            with Horizontal(id="scorecard-bottom"):
                with Vertical(classes="scorecard-panel"):
                    yield Label(_("By source channel"), classes="section-title")
                    yield BreakdownTable("source", id="by-source")
                with Vertical(classes="scorecard-panel"):
                    yield Label(_("By industry"), classes="section-title")
                    yield BreakdownTable("industry", id="by-industry")
                with Vertical(classes="scorecard-panel"):
                    yield Label(_("Open pipeline by stage"), classes="section-title")
                    yield PipelineTable(id="pipeline")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.period = self._current(PeriodKind.MONTH)
        self.query_one(KpiTable).focus()
        self.watch(self.app, "data_version", self._data_changed)

    def _current(self, kind: PeriodKind) -> Period:
        from salesdev_tui.domain.periods import period_containing

        app = self.sales_app
        return period_containing(app.clock(), kind, app.settings.zone)

    def _data_changed(self, version: int) -> None:
        if version:
            self._reload()

    def watch_period(self, period: Period | None) -> None:
        if period is not None:
            self._show_title(period)
            self._reload()

    def _reload(self) -> None:
        period = self.period
        app = self.sales_app
        if period is None or app.store is None:
            return
        from salesdev_tui.domain.periods import local_date

        settings = app.settings
        today = local_date(app.clock(), settings.zone)

        def figures(store: Store) -> PeriodFigures:
            from salesdev_tui.store.reports import period_figures

            return period_figures(store, period, settings, today)

        def everything(store: Store) -> ScorecardView:
            from salesdev_tui.store.reports import scorecard_view

            return scorecard_view(store, period, settings, today)

        # The indicators first (a few indexed counts), then the trend, the breakdowns and
        # the pipeline, which read much more: a save shows in the figures at once.
        self.run_db(figures, self._figures_loaded, group="scorecard-figures")
        self.run_db(everything, self._loaded, group="scorecard")

    def _figures_loaded(self, figures: PeriodFigures) -> None:
        if figures.card.period != self.period:
            return
        view = self.view if self.view is not None and self.view.period == self.period else None
        trends = {i.figure: i.trend for i in view.indicators} if view else {}
        indicators = tuple(replace(i, trend=trends.get(i.figure, ()))
                           for i in figures.indicators)
        snapshot = tuple(i for i in view.indicators if not i.trend) if view else (
            Indicator(Figure.PIPELINE, None, None, None, None),
            Indicator(Figure.PIPELINE_WEIGHTED, None, None, None, None),
        )
        self.query_one(KpiTable).show(figures.card, indicators + snapshot)

    def _loaded(self, view: ScorecardView) -> None:
        if view.period == self.period:
            self.view = view

    def watch_view(self, view: ScorecardView | None) -> None:
        if view is None:
            return
        self.query_one(KpiTable).show(view.card, view.indicators)
        self.query_one("#by-source", BreakdownTable).show(view.by_source)
        self.query_one("#by-industry", BreakdownTable).show(view.by_industry)
        self.query_one(PipelineTable).show(view.pipeline)
        self._show_trend()

    def _show_title(self, period: Period) -> None:
        settings = self.sales_app.settings
        title = _("Scorecard: {kind} {label} ({first} – {last}) · amounts in {currency}").format(
            kind=_(_KIND_NAMES[period.kind]), label=period.label,
            first=period.first_day.isoformat(), last=period.last_day.isoformat(),
            currency=settings.currency,
        )
        self.query_one("#scorecard-title", Label).update(Text(title))
        note = _(
            "m q y: month, quarter, year · [ ]: previous, next · 0: now\n"
            "enter: the customers behind a row · T: set this period's target\n"
            "Dim targets come from the config's monthly [targets]: x3 for a\n"
            "quarter, x12 for a year (rates and satisfaction as they are)."
        )
        self.query_one("#scorecard-note", Label).update(Text(note))

    # -- the trend follows the highlighted indicator -------------------------------------

    @on(DataTable.RowHighlighted, "#kpi-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_trend()

    def _figure(self) -> Figure:
        table = self.query_one(KpiTable)
        if table.row_count == 0:
            return Figure.NEW_CUSTOMERS
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return Figure(key) if key else Figure.NEW_CUSTOMERS

    def _show_trend(self) -> None:
        view = self.view
        chart = self.query_one(TrendChart)
        if view is None:
            chart.data = None
            return
        figure = self._figure()
        values = view.indicator(figure).trend
        if not values:  # the pipeline is a snapshot: no history
            chart.data = None
            return
        known = [v for v in values if v is not None]
        chart.data = TrendData(
            title=_("{figure}, last 12 months").format(figure=figure_label(figure)),
            months=tuple(m.period.label for m in view.months),
            values=values,
            low=format_figure(figure, min(known)) if known else "—",
            high=format_figure(figure, max(known)) if known else "—",
        )

    # -- actions --------------------------------------------------------------------------

    def action_kind(self, kind: str) -> None:
        self.period = self._current(PeriodKind(kind))

    def action_step(self, step: int) -> None:
        if self.period is not None:
            self.period = self.period.next() if step > 0 else self.period.previous()

    def action_current(self) -> None:
        if self.period is not None:
            self.period = self._current(self.period.kind)

    def action_target(self) -> None:
        from salesdev_tui.forms.target_form import TargetFormScreen

        period = self.period
        if period is None:
            return
        kpi = FIGURE_KPI.get(self._figure(), Kpi.NEW_CUSTOMERS)
        self.app.push_screen(TargetFormScreen(period.kind, period.label, kpi))

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        from salesdev_tui.dialogs.figure_customers import FigureCustomersScreen, FigureQuery

        event.stop()
        period, key = self.period, event.row_key.value
        if period is None or key is None:
            return
        start, end = period.utc_bounds()
        table = event.data_table
        query: FigureQuery
        if isinstance(table, KpiTable):
            figure = Figure(key)
            query = FigureQuery(figure, start, end, _("{figure} in {label}").format(
                figure=figure_label(figure), label=period.label))
        elif isinstance(table, BreakdownTable):
            line = None if key == NOT_RECORDED_KEY else key
            if line is None:
                shown = _("not recorded")
            elif table.dimension == "source":
                # A channel reads as the table shows it ("trade show"), not its stored key.
                shown = _(line.replace("_", " "))
            else:
                shown = line
            query = FigureQuery(
                Figure.SUCCESS_RATE, start, end,
                _("Contacted or won in {label}: {name}").format(label=period.label, name=shown),
                by="source" if table.dimension == "source" else "industry", key=line,
            )
        else:
            stage = None if key == "*" else Stage(key)
            query = FigureQuery(
                Figure.PIPELINE, start, end,
                _("Open proposals: {stage}").format(
                    stage=_(stage.value) if stage else _("all stages")),
                stage=stage,
            )
        self.app.push_screen(FigureCustomersScreen(query))

