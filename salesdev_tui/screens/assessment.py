"""The month-end assessment (issue 19.2): each rep against target with the below-target
flags and the periods in a row below, and for the highlighted rep the talk's notes and the
improvement plan (ctrl+s saves them on the team server; the rep's next sync brings them to
the rep). `x` exports the sheet as Markdown and CSV beside the database. Every server call
runs in a worker; offline, the screen says so and keeps what was typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, TextArea

from salesdev_tui.i18n import N_, _
from salesdev_tui.screens.team_server import ServerMixin, server_url
from salesdev_tui.widgets.key_footer import KeyFooter
from salesdev_tui.widgets.theme_colours import Colours

if TYPE_CHECKING:
    from salesdev_tui.domain.assessment import AssessmentLine
    from salesdev_tui.domain.periods import Period
    from salesdev_tui.usecases.team_view import AssessmentSheet


class AssessmentScreen(ServerMixin, Screen[None]):
    DEFAULT_CSS = """
    AssessmentScreen #assessment-table { height: auto; max-height: 60%; }
    AssessmentScreen #assessment-texts { height: 10; }
    AssessmentScreen #assessment-texts TextArea { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save talk"), id="assessment-save", priority=True),
        Binding("x", "export", N_("Export"), id="assessment-export",
                tooltip=N_("Write the sheet as Markdown and CSV beside the database")),
        Binding("escape", "app.pop_screen", N_("Back"), id="assessment-back"),
    ]

    def __init__(self, period: Period) -> None:
        super().__init__()
        self.period = period
        self.sheet: AssessmentSheet | None = None
        self.rep: str | None = None

    def compose(self) -> ComposeResult:
        from salesdev_tui.domain.locale_format import format_period

        yield Header()
        with Vertical(id="assessment-body"):
            yield Label(_("Assessment {period}").format(period=format_period(self.period)),
                        classes="section-title")
            yield Label(_("Reading the team server…"), id="assessment-status", classes="muted")
            yield DataTable(id="assessment-table", cursor_type="row", zebra_stripes=True)
            yield Label("", id="assessment-rep", classes="section-title")
            with Horizontal(id="assessment-texts"):
                with Vertical():
                    yield Label(_("Talk notes"))
                    yield TextArea(id="assessment-notes", soft_wrap=True)
                with Vertical():
                    yield Label(_("Improvement plan"))
                    yield TextArea(id="assessment-plan", soft_wrap=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for head in (_("Rep"), _("New customers"), _("Success rate"), _("Revenue"),
                     _("Profit"), _("Satisfaction"), _("Below target"), _("In a row"),
                     _("Talk")):
            table.add_column(head)
        table.focus()
        self._reload()

    def _reload(self) -> None:
        from salesdev_tui.domain.periods import local_date

        app = self.sales_app
        settings, period = app.settings, self.period
        today = local_date(app.clock(), settings.zone)

        def read() -> AssessmentSheet:
            from salesdev_tui.usecases.team_view import assessment_sheet

            return assessment_sheet(server_url(settings), settings, period, today)

        self.run_server(read, self._loaded, self._failed, group="assessment")

    def _loaded(self, sheet: AssessmentSheet) -> None:
        from salesdev_tui.domain.figure_format import figure_label, format_figure
        from salesdev_tui.domain.scorecard_view import Figure

        self.sheet = sheet
        table = self.query_one(DataTable)
        table.clear()
        currency = self.sales_app.settings.currency
        error = Colours.of(self.app).error  # two periods below in a row: the theme's error
        for line in sheet.lines:
            cells = [line.row.rep]
            for figure in (Figure.NEW_CUSTOMERS, Figure.SUCCESS_RATE, Figure.REVENUE,
                           Figure.PROFIT, Figure.SATISFACTION):
                indicator = line.row.indicator(figure)
                text = format_figure(figure, indicator.value, currency, with_currency=False)
                if indicator.target is not None:
                    text += " / " + format_figure(figure, indicator.target.value, currency,
                                                  with_currency=False)
                cells.append(("▼ " if figure in line.below else "") + text)
            cells += [", ".join(figure_label(f) for f in line.below) or "—",
                      str(line.periods_below), "✔" if line.note else "—"]
            style = f"bold {error}" if line.periods_below >= 2 else ""
            table.add_row(*(Text(cell, style=style) for cell in cells), key=line.row.rep)
        self.query_one("#assessment-status", Label).update(_(
            "{count} reps · ▼ below target · enter writes the talk, ctrl+s saves it"
        ).format(count=len(sheet.lines)))
        if sheet.lines:
            self._show(sheet.lines[0])

    def _failed(self, message: str) -> None:
        self.query_one("#assessment-status", Label).update(Text(message))

    def _line(self, rep: str) -> AssessmentLine | None:
        if self.sheet is None:
            return None
        return next((line for line in self.sheet.lines if line.row.rep == rep), None)

    def _show(self, line: AssessmentLine) -> None:
        self.rep = line.row.rep
        self.query_one("#assessment-rep", Label).update(
            _("The talk with {rep}").format(rep=line.row.rep))
        note = line.note
        self.query_one("#assessment-notes", TextArea).text = (note.talk_notes or "") if note else ""
        self.query_one("#assessment-plan", TextArea).text = (
            (note.improvement_plan or "") if note else "")

    @on(DataTable.RowSelected)
    def _write(self) -> None:
        """Enter on a rep: on to the talk's notes."""
        self.query_one("#assessment-notes", TextArea).focus()

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        line = self._line(str(event.row_key.value))
        if line is not None and line.row.rep != self.rep:
            self._show(line)

    def action_save(self) -> None:
        from datetime import UTC, datetime

        from salesdev_tui.usecases.team_view import clean_assessment

        rep = self.rep
        if rep is None:
            return
        notes = self.query_one("#assessment-notes", TextArea).text
        plan = self.query_one("#assessment-plan", TextArea).text
        try:
            clean_assessment(notes, plan)
        except ValueError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        settings, period = self.sales_app.settings, self.period

        def write() -> str:
            from salesdev_tui.usecases.team_view import record_assessment

            record_assessment(server_url(settings), rep, period, talk_notes=notes or None,
                              improvement_plan=plan or None, now=datetime.now(UTC))
            return rep

        def saved(who: str) -> None:
            self.notify(_("Saved the talk with {rep}; the rep sees it after the next"
                          " sync.").format(rep=who), markup=False)
            self._reload()

        def failed(message: str) -> None:
            self.notify(_("Not saved: {problem}").format(problem=message), severity="error",
                        markup=False, timeout=12)

        self.run_server(write, saved, failed, group="assessment-save")

    def action_export(self) -> None:
        from salesdev_tui.domain.assessment import sheet_csv, sheet_markdown
        from salesdev_tui.usecases.private_files import write_private_text

        store = self.sales_app.store
        if self.sheet is None or store is None:
            self.notify(_("Nothing to export yet."), severity="warning")
            return
        folder = store.db.path.parent
        label = self.period.label
        settings = self.sales_app.settings
        try:
            md = write_private_text(folder / f"assessment-{label}.md", sheet_markdown(
                self.period, self.sheet.lines, settings.currency), replace=True)
            write_private_text(folder / f"assessment-{label}.csv",
                               sheet_csv(self.period, self.sheet.lines), replace=True)
        except OSError as exc:
            self.notify(_("Not exported: {problem}").format(problem=exc), severity="error",
                        markup=False)
            return
        self.notify(_("Exported to {path} (and .csv)").format(path=md), markup=False)
