"""The end-of-day review: the day's contacts against the plan, what moved, what is open,
tomorrow, and the month so far against target. `f` plans a follow-up for a missed contact;
`e` writes the Markdown daily report for the manager. Live like Today.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.reactive import var
from textual.widgets import DataTable, Header, Label, Static

from salesdev_tui.domain.visible import visible
from salesdev_tui.i18n import N_, _
from salesdev_tui.screens.base import DbScreen
from salesdev_tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from salesdev_tui.domain.review import Review
    from salesdev_tui.models.views import PlanFact
    from salesdev_tui.store.combined import Store

#: The plan tables of the screen: id, and how the row's time reads.
_PLAN_TABLES = (("missed", "%H:%M"), ("to-come", "%H:%M"), ("done", "%H:%M"),
                ("overdue", "%m-%d %H:%M"), ("tomorrow", "%H:%M"))


class ReviewScreen(DbScreen):
    """`ReviewScreen()` reviews today; `[` and `]` go a day back and forth."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Close"), id="review-close", tooltip=N_("Back")),
        Binding("f", "follow_up", N_("Follow up"), id="review-follow-up",
                tooltip=N_("Plan a follow-up contact for the highlighted missed contact")),
        Binding("e", "export", N_("Export report"), id="review-export",
                tooltip=N_("Write the day's report as Markdown for your manager")),
        Binding("left_square_bracket", "step(-1)", N_("Day before"), id="review-previous",
                tooltip=N_("Review the day before")),
        Binding("right_square_bracket", "step(1)", N_("Day after"), id="review-next",
                tooltip=N_("Review the day after")),
    ]

    day: var[date | None] = var(None, init=False)
    """The local day reviewed."""
    review: var[Review | None] = var(None, init=False)

    def __init__(self, day: date | None = None) -> None:
        super().__init__()
        self._start_day = day

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="review-body"):
            yield Label("", id="review-title", classes="section-title")
            yield Static("", id="review-summary")
            for name, _fmt in _PLAN_TABLES:
                yield Label("", id=f"review-title-{name}", classes="section-title")
                yield DataTable(id=f"review-{name}", cursor_type="row", classes="review-table")
            yield Label(_("Leads, stage moves and records of the day"), classes="section-title")
            yield Static("", id="review-moves")
            yield Label("", id="review-month-title", classes="section-title")
            yield Static("", id="review-month")
        yield KeyFooter()

    def on_mount(self) -> None:
        for name, _fmt in _PLAN_TABLES:
            self.query_one(f"#review-{name}", DataTable).add_columns(
                _("when"), _("customer"), _("how"), _("agenda"), _("outcome"))
        app = self.sales_app
        from salesdev_tui.domain.periods import local_date

        self.day = self._start_day or local_date(app.clock(), app.settings.zone)
        self.watch(self.app, "data_version", self._data_changed)

    def _data_changed(self, version: int) -> None:
        if version:
            self._reload()

    def watch_day(self, day: date | None) -> None:
        self._reload()

    def _reload(self) -> None:
        day, app = self.day, self.sales_app
        if day is None or app.store is None:
            return
        now = app.clock()

        def load(store: Store) -> Review:
            from salesdev_tui.store.reports import day_review

            return day_review(store, day, app.settings, now)

        self.run_db(load, self._loaded, group="review")

    def _loaded(self, review: Review) -> None:
        if review.day == self.day:
            self.review = review

    def watch_review(self, review: Review | None) -> None:
        if review is None:
            return
        from salesdev_tui.domain.review_render import day_heading, month_line, sections

        settings = self.sales_app.settings
        self.query_one("#review-title", Label).update(Text(
            _("End-of-day review {day}").format(day=day_heading(review.day))))
        self.query_one("#review-summary", Static).update(Text(
            _("Contacts: {done} of {planned} planned done, {all} done in all; "
              "{missed} missed, {moved} rescheduled.").format(
                  done=review.planned_done, planned=len(review.planned), all=len(review.done),
                  missed=len(review.missed), moved=len(review.rescheduled))))
        lists = {"missed": review.missed, "to-come": review.to_come, "done": review.done,
                 "overdue": review.overdue, "tomorrow": review.tomorrow}
        titles = {
            "missed": _("Missed ({n}) — f plans a follow-up").format(n=len(review.missed)),
            "to-come": _("Still to come today ({n})").format(n=len(review.to_come)),
            "done": _("Done ({n})").format(n=len(review.done)),
            "overdue": _("Overdue, still open ({n})").format(n=review.overdue_count),
            "tomorrow": _("Tomorrow ({n})").format(n=len(review.tomorrow)),
        }
        for name, fmt in _PLAN_TABLES:
            self.query_one(f"#review-title-{name}", Label).update(Text(titles[name]))
            self._fill(self.query_one(f"#review-{name}", DataTable), lists[name], fmt,
                       done=name == "done", missed=name == "missed")
        shown_above = {"contacts", "missed", "to_come", "done", "overdue", "tomorrow", "month"}
        moved = [section for section in sections(review, settings.zone, settings.currency, str)
                 if section.key not in shown_above]
        text = "\n".join(f"{section.title}\n" + "\n".join(f"  {line}" for line in section.lines)
                         for section in moved) or _("Nothing else moved.")
        # Stored text: control characters shown, never sent to the terminal.
        self.query_one("#review-moves", Static).update(Text(visible(text, multiline=True)))
        self.query_one("#review-month-title", Label).update(Text(
            _("Month to date {label}: against target, with pace").format(
                label=review.month.period.label)))
        self.query_one("#review-month", Static).update(Text("\n".join(
            month_line(i, settings.currency) for i in review.month_indicators)))

    def _fill(self, table: DataTable[Text], plans: list[PlanFact], fmt: str, *,
              done: bool, missed: bool = False) -> None:
        zone = self.sales_app.settings.zone
        table.clear()
        day = self.review.day if self.review else None
        for plan in plans:
            moment = (plan.done_at if done and plan.done_at else plan.scheduled_at).astimezone(zone)
            # A contact logged missed today but planned for another day shows that day.
            shown = moment.strftime("%m-%d %H:%M" if missed and moment.date() != day else fmt)
            table.add_row(
                Text(shown),
                Text(visible(plan.customer_name)),
                Text(_(plan.method.value)),
                Text(visible(" ".join((plan.agenda or "").split())[:50])),
                Text(visible(" ".join((plan.outcome or "").split())[:40])),
                key=f"{plan.plan_id.hex}:{plan.customer_id.hex}",
            )
        table.set_class(not plans, "-hidden")

    def _highlighted(self) -> tuple[str, PlanFact | None]:
        """(table name, plan) of the focused plan table's highlighted row."""
        table = self.focused
        if not isinstance(table, DataTable) or table.row_count == 0 or self.review is None:
            return "", None
        name = (table.id or "").removeprefix("review-")
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        plan_hex = key.split(":", 1)[0]
        lists = {"missed": self.review.missed, "to-come": self.review.to_come,
                 "done": self.review.done, "overdue": self.review.overdue,
                 "tomorrow": self.review.tomorrow}
        found = next((p for p in lists.get(name, []) if p.plan_id.hex == plan_hex), None)
        return name, found

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value
        if key and ":" in key:
            self.sales_app.open_customer(uuid.UUID(key.split(":", 1)[1]))

    def action_follow_up(self) -> None:
        name, plan = self._highlighted()
        if plan is None or name not in ("missed", "overdue"):
            self.notify(_("Highlight a missed or overdue contact first."), severity="warning")
            return
        try:
            from salesdev_tui.forms.plan_form import PlanFormScreen
        except ImportError:  # the plan form is not there: open the customer instead
            self.sales_app.open_customer(plan.customer_id)
            return
        initial: dict[str, object] = {"method": plan.method, "agenda": plan.agenda or ""}
        self.app.push_screen(PlanFormScreen(plan.customer_id, None, initial=initial))

    def action_step(self, step: int) -> None:
        if self.day is not None:
            self.day = self.day + timedelta(days=step)

    def action_export(self) -> None:
        from salesdev_tui.dialogs.review_export import ReviewExportScreen

        if self.review is not None:
            self.app.push_screen(ReviewExportScreen(self.review))

    def action_close(self) -> None:
        self.dismiss()
