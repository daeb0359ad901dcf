"""Today, the home screen: overdue, due today, upcoming, revisits due, idle customers, the
month's strip."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.reactive import var
from textual.widgets import DataTable, Header, Label, Static

from salesdev_tui.i18n import N_, _
from salesdev_tui.screens.base import DbScreen
from salesdev_tui.widgets.key_footer import KeyFooter
from salesdev_tui.widgets.marks import MarkableTable
from salesdev_tui.widgets.scorecard_strip import ScorecardStrip
from salesdev_tui.widgets.theme_colours import Colours

if TYPE_CHECKING:
    from salesdev_tui.config import Settings
    from salesdev_tui.models.views import AgendaItem, OverdueMilestone, RevisitDue, TodayData
    from salesdev_tui.store.combined import Store


#: Seconds after Today mounts by which the sections after the agenda are mounted even
#: without data (they are mounted a frame after the first data otherwise).
MORE_SECTIONS_AFTER = 1.0


def _today_view(store: Store, settings: Settings, now: datetime) -> TodayData:
    from salesdev_tui.store.reports import today_view

    return today_view(store, settings, now)


def _empty_today_text() -> str:
    # Lines short enough for an 80-column terminal.
    return _(
        "Nothing on your agenda yet. Add your first lead: press n, type one line:\n"
        "  Acme Trading; Jane Wu <jane@acme.tw> 0912 345 678 #show #retail !A\n"
        "Only the name is needed; N opens the full form.\n"
        "From a spreadsheet: salesdev import FILE.csv (in a terminal).\n"
        "Then p plans a contact, c lists customers, ? shows every key."
    )


class OpenRowTable(DataTable[Text]):
    """A table of Today whose enter opens the row's customer, and says so in the footer.

    A focused DataTable's own (hidden) enter binding hides the screen's "Open customer"
    from the footer, right when the cursor is on a row.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", N_("Open customer"), id="today-open-row",
                tooltip=N_("Open the customer of the highlighted row")),
    ]


class AgendaTable(MarkableTable, OpenRowTable):
    """Plans of one agenda section; row keys are plan ids (marks: `MarkableTable`)."""

    def __init__(self, css_class: str, *, id: str) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.row_class = css_class
        self.customers: dict[str, uuid.UUID] = {}

    def on_mount(self) -> None:
        self.add_columns(_("when"), _("customer"), _("stage"), _("how"), _("with"), _("agenda"))

    def show(self, items: list[AgendaItem], fmt: str, zone: object) -> None:
        # Babel (CLDR) is imported by the store's worker before Today's rows arrive: not
        # for the first frame, which shows no time (`app_storage.Storage._open_store`).
        from salesdev_tui.domain.locale_format import format_moment

        self.clear()
        self.customers.clear()
        colours = Colours.of(self.app)
        style = {"agenda-overdue": f"bold {colours.error}", "agenda-today": colours.success,
                 "agenda-upcoming": "dim"}.get(self.row_class, "")
        for item in items:
            key = item.plan_id.hex
            self.customers[key] = item.customer_id
            when = format_moment(item.scheduled_at.astimezone(zone), fmt)  # type: ignore[arg-type]
            self.add_row(
                Text(when, style=style),
                Text(item.customer_name),
                Text(_(item.stage.value)),
                Text(_(item.method.value)),
                Text(item.contact_name or ""),
                Text((item.agenda or "").replace("\n", " ")[:60]),
                key=key,
            )
        self.show_marks()


class TodayScreen(DbScreen):
    """The rep's day at a glance. Reloads whenever anything is saved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", N_("Open customer"), id="today-open",
                tooltip=N_("Open the customer of the highlighted row")),
        Binding("l", "log", N_("Log outcome"), id="today-log",
                tooltip=N_("Log what happened in the highlighted contact")),
        # Not r: r is the review everywhere (one key, one meaning; issue 14.13).
        Binding("e", "reschedule", N_("Reschedule"), id="today-reschedule",
                tooltip=N_("Edit the highlighted contact: a new time, person or agenda")),
        Binding("p", "plan", N_("Plan contact"), id="today-plan",
                tooltip=N_("Plan a contact with the customer of the highlighted row")),
        Binding("m", "move", N_("Move stage"), id="today-move", show=False,
                tooltip=N_("Move the customers of the marked rows to a stage")),
    ]

    data: var[TodayData | None] = var(None)
    """What is shown; None until the first load."""

    _all_sections = False
    """True once the sections after the agenda are mounted (see on_mount)."""
    _more_sections_asked = False
    """True once their mounting is asked for (`_more_sections_soon`)."""

    def compose(self) -> ComposeResult:
        yield Header()
        # The body's sections are mounted in on_mount, after the screen's auto focus has
        # gone to the body: focusing it restyles the body and all it holds, and with the
        # three agenda tables inside that was ~4 ms of the first frame, styling them twice.
        yield VerticalScroll(id="today-body")
        yield ScorecardStrip()
        yield KeyFooter()

    async def on_mount(self) -> None:
        self.watch(self.app, "data_version", self._reload)
        self.watch(self.app, "early_today", self._early)
        self.watch(self.app, "store_problem", self._store_problem)
        # Shown only while nothing at all is on Today: a new database teaches its keys.
        empty = Static(Text(_empty_today_text()), id="today-empty")
        empty.display = False
        # Awaited: the screen is first shown with these in it (its resume waits for this).
        await self.query_one("#today-body").mount_all([
            empty,
            Label(_("Overdue"), id="title-overdue", classes="section-title"),
            AgendaTable("agenda-overdue", id="overdue"),
            Label(_("Today"), id="title-today", classes="section-title"),
            AgendaTable("agenda-today", id="today"),
            Label(_("Upcoming"), id="title-upcoming", classes="section-title"),
            AgendaTable("agenda-upcoming", id="upcoming"),
        ])
        # The agenda first; the other sections (below the fold) a frame after the agenda is
        # filled. Each DataTable costs ~35 ms to style and mount, and the first frame is what
        # the rep waits for, then the filled agenda (PERFORMANCE.md): mounted in between,
        # they held the GIL the store's worker reads Today with (~30 ms of "Today filled" at
        # 100,000 customers). Without data by then (a failed or locked store), after a while.
        self.set_timer(MORE_SECTIONS_AFTER, self._more_sections_soon)

    def _more_sections_soon(self) -> None:
        """Mount the sections after the agenda after the next frame (once)."""
        if not self._more_sections_asked:
            self._more_sections_asked = True
            self.call_after_refresh(self._mount_more_sections)

    async def _mount_more_sections(self) -> None:
        await self.query_one("#today-body").mount_all([
            Label(_("Revisits due"), id="title-revisits", classes="section-title"),
            OpenRowTable(id="revisits", cursor_type="row"),
            Label(_("Overdue milestones"), id="title-milestones", classes="section-title"),
            OpenRowTable(id="milestones", cursor_type="row"),
            Label(_("Idle customers"), id="title-idle", classes="section-title"),
            OpenRowTable(id="idle", cursor_type="row"),
        ])
        self.query_one("#idle", DataTable).add_columns(
            _("customer"), _("stage"), _("last activity")
        )
        self.query_one("#revisits", DataTable).add_columns(
            _("due"), _("customer"), _("every"), _("last contact")
        )
        self.query_one("#milestones", DataTable).add_columns(
            _("due"), _("customer"), _("kind"), _("milestone")
        )
        self._all_sections = True
        if self.data is not None:
            self.watch_data(self.data)

    def _store_problem(self, problem: str | None) -> None:
        if problem is not None:
            self.query_one(ScorecardStrip).unavailable()
            self.refresh_bindings()  # no rows will come: the row keys go (check_action)

    def _early(self, data: TodayData | None) -> None:
        if data is not None and self.data is None:
            self.data = data

    def _reload(self, version: int) -> None:
        if version == 0:
            return
        app = self.sales_app
        if version == 1 and self.data is not None:
            return  # the store just opened: the early read is on screen and nothing changed
        self.run_db(lambda store: _today_view(store, app.settings, app.clock()),
                    self._loaded, group="today")

    def _loaded(self, data: TodayData) -> None:
        self.data = data

    def watch_data(self, data: TodayData | None) -> None:
        if data is None:
            return
        from salesdev_tui.models.views import UPCOMING_DAYS

        zone = self.sales_app.settings.zone
        agenda = data.agenda
        sections = (
            ("overdue", _("Overdue ({n})"), agenda.overdue, "%m-%d %H:%M"),
            ("today", _("Today ({n})"), agenda.today, "%H:%M"),
            ("upcoming", _("Upcoming, next {days} days ({n})"), agenda.upcoming, "%a %m-%d %H:%M"),
        )
        for name, title, items, fmt in sections:
            self.query_one(f"#title-{name}", Label).update(
                Text(title.format(n=len(items), days=UPCOMING_DAYS))
            )
            self.query_one(f"#{name}", AgendaTable).show(items, fmt, zone)
        self.query_one(ScorecardStrip).data = data.strip
        if self._all_sections:
            self._show_more_sections(data)
        empty = self._is_empty(data)
        self.query_one("#today-empty").display = empty
        self.refresh_bindings()  # the row keys are hidden while there is no row
        self._focus_agenda()
        self._more_sections_soon()  # after the frame that shows the agenda filled

    @staticmethod
    def _is_empty(data: TodayData) -> bool:
        agenda = data.agenda
        return not (agenda.overdue or agenda.today or agenda.upcoming or agenda.idle
                    or data.revisits or data.milestones)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # On an empty Today the row keys act on nothing: hidden, they leave the footer to
        # the keys a newcomer needs (n for a new lead, at 120 columns; issue 21.6).
        # Nor while no rows can come (the database could not be opened).
        if action in ("open", "log", "reschedule", "plan", "move"):
            if self.data is None:
                return self.sales_app.store_error is None
            return not self._is_empty(self.data)
        return True

    def _focus_agenda(self) -> None:
        """The cursor on the first agenda row, unless the rep has put it somewhere: at start
        the scrolling body had the focus, and enter opened nothing."""
        focused = self.focused
        emptied = isinstance(focused, AgendaTable) and not focused.row_count
        if focused is not None and focused.id != "today-body" and not emptied:
            return  # an emptied section (its calls moved on) hands the focus on
        for name in ("overdue", "today", "upcoming"):
            table = self.query_one(f"#{name}", AgendaTable)
            if table.row_count:
                table.focus(scroll_visible=False)
                return

    def _show_more_sections(self, data: TodayData) -> None:
        zone = self.sales_app.settings.zone
        agenda = data.agenda
        self._show_revisits(data.revisits)
        self._show_milestones(data.milestones)
        idle_title = _("Idle: no activity for {days}+ days and nothing planned ({n})")
        self.query_one("#title-idle", Label).update(
            Text(idle_title.format(days=self.sales_app.settings.idle_days, n=len(agenda.idle)))
        )
        idle = self.query_one("#idle", DataTable)
        idle.clear()
        for customer in agenda.idle:
            last = customer.last_activity_at
            idle.add_row(
                Text(customer.name),
                Text(_(customer.stage.value)),
                Text(last.astimezone(zone).strftime("%Y-%m-%d") if last else "—"),
                key=customer.customer_id.hex,
            )

    def _show_revisits(self, revisits: list[RevisitDue]) -> None:
        zone = self.sales_app.settings.zone
        self.query_one("#title-revisits", Label).update(
            Text(_("Revisits due: won customers to see again ({n})").format(n=len(revisits)))
        )
        table = self.query_one("#revisits", DataTable)
        table.clear()
        today = self.sales_app.clock().astimezone(zone).date()
        colours = Colours.of(self.app)
        for item in revisits:
            due = item.due_at.astimezone(zone).date()
            last = item.last_contact_at
            table.add_row(
                Text(due.strftime("%m-%d"), style=f"bold {colours.error}" if due < today
                     else colours.success),
                Text(item.name),
                Text(_("{n} days").format(n=item.revisit_days)),
                Text(last.astimezone(zone).strftime("%Y-%m-%d") if last else "—"),
                key=item.customer_id.hex,
            )
        table.set_class(not revisits, "-hidden")

    def _show_milestones(self, milestones: list[OverdueMilestone]) -> None:
        self.query_one("#title-milestones", Label).update(
            Text(_("Overdue milestones: past due and not done ({n})").format(n=len(milestones)))
        )
        table = self.query_one("#milestones", DataTable)
        table.clear()
        from salesdev_tui.models.enums import MilestoneKind

        overdue = f"bold {Colours.of(self.app).error}"
        for m in milestones:
            table.add_row(
                Text(m.due_on.strftime("%m-%d"), style=overdue),
                Text(m.customer_name),
                Text(_("kick-off") if m.kind == MilestoneKind.KICKOFF else _("milestone")),
                Text(m.title),
                # One customer may have several: the key is customer:milestone.
                key=f"{m.customer_id.hex}:{m.milestone_id.hex}",
            )
        table.set_class(not milestones, "-hidden")

    def _highlighted(self) -> tuple[uuid.UUID | None, uuid.UUID | None]:
        """(customer id, plan id) of the focused table's highlighted row."""
        table = self.focused
        if not isinstance(table, DataTable) or table.row_count == 0:
            return None, None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is None:
            return None, None
        if isinstance(table, AgendaTable):
            return table.customers.get(key), uuid.UUID(key)
        return uuid.UUID(key.partition(":")[0]), None

    def action_open(self) -> None:
        customer_id, _plan = self._highlighted()
        if customer_id is not None:
            self.sales_app.open_customer(customer_id)

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    # -- marked rows (issue 21.1): space, shift+arrows; p, e and m act on all of them ----

    def _marked(self) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
        """(customers, plans) of the marked agenda rows, in the order marked."""
        customers: dict[uuid.UUID, None] = {}
        plans: list[uuid.UUID] = []
        for table in self.query(AgendaTable):
            for key in table.marked:
                customer = table.customers.get(key)
                if customer is None:
                    continue  # the plan left the agenda (done, moved) since it was marked
                customers.setdefault(customer, None)
                plans.append(uuid.UUID(key))
        return list(customers), plans

    def _after_bulk(self, saved: bool | None) -> None:
        if saved:
            self._clear_marks()

    def _clear_marks(self) -> None:
        for table in self.query(AgendaTable):
            table.clear_marks()

    @on(MarkableTable.MarksChanged)
    def _marks_changed(self, event: MarkableTable.MarksChanged) -> None:
        event.stop()
        customers, _plans = self._marked()
        self.sub_title = (
            _("{n} marked: p plan, e reschedule, m move").format(n=len(customers))
            if customers else ""
        )

    def action_move(self) -> None:
        from salesdev_tui.dialogs.bulk_plan import move_marked

        customers, _plans = self._marked()
        if not customers:
            customer_id, _plan = self._highlighted()
            customers = [customer_id] if customer_id is not None else []
        if customers:
            move_marked(self, customers, self._clear_marks)

    def action_log(self) -> None:
        from salesdev_tui.forms.plan_outcome import PlanOutcomeScreen

        _customer, plan_id = self._highlighted()
        if plan_id is None:
            self.notify(_("Highlight a planned contact first."), severity="warning")
            return
        self.app.push_screen(PlanOutcomeScreen(plan_id))

    def action_reschedule(self) -> None:
        from salesdev_tui.dialogs.bulk_plan import BulkPlanScreen
        from salesdev_tui.forms.plan_form import PlanFormScreen

        customers, plans = self._marked()
        if plans:
            self.app.push_screen(BulkPlanScreen(customers, plan_ids=plans),
                                 self._after_bulk)
            return
        customer_id, plan_id = self._highlighted()
        if plan_id is None:
            self.notify(_("Highlight a planned contact first."), severity="warning")
            return
        self.app.push_screen(PlanFormScreen(customer_id, plan_id, focus="scheduled_at"))

    def action_plan(self) -> None:
        from salesdev_tui.dialogs.bulk_plan import BulkPlanScreen
        from salesdev_tui.forms.plan_form import PlanFormScreen

        customers, _plans = self._marked()
        if customers:
            self.app.push_screen(BulkPlanScreen(customers),
                                 self._after_bulk)
            return
        customer_id, _plan = self._highlighted()
        if customer_id is None:
            self.notify(_("Highlight a customer first."), severity="warning")
            return
        # From the revisits section the plan is the revisit itself.
        from salesdev_tui.models.enums import ContactMethod

        initial: dict[str, object] = {}
        if self.focused is self.query_one("#revisits", DataTable):
            initial = {"method": ContactMethod.VISIT, "agenda": _("Regular revisit")}
        self.app.push_screen(PlanFormScreen(customer_id, None, initial=initial))
