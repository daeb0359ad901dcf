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
from textual.widgets import DataTable, Header, Label

from salesdev_tui.i18n import _
from salesdev_tui.models.enums import ContactMethod, MilestoneKind
from salesdev_tui.screens.base import DbScreen
from salesdev_tui.widgets.key_footer import KeyFooter
from salesdev_tui.widgets.scorecard_strip import ScorecardStrip

if TYPE_CHECKING:
    from salesdev_tui.config import Settings
    from salesdev_tui.models.views import AgendaItem, OverdueMilestone, RevisitDue, TodayData
    from salesdev_tui.store.combined import Store


def _today_view(store: Store, settings: Settings, now: datetime) -> TodayData:
    from salesdev_tui.store.reports import today_view

    return today_view(store, settings, now)


class OpenRowTable(DataTable[Text]):
    """A table of Today whose enter opens the row's customer, and says so in the footer.

    A focused DataTable's own (hidden) enter binding hides the screen's "Open customer"
    from the footer, right when the cursor is on a row.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", _("Open customer"), id="today-open-row",
                tooltip=_("Open the customer of the highlighted row")),
    ]


class AgendaTable(OpenRowTable):
    """Plans of one agenda section; row keys are plan ids."""

    def __init__(self, css_class: str, *, id: str) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.row_class = css_class
        self.customers: dict[str, uuid.UUID] = {}

    def on_mount(self) -> None:
        self.add_columns(_("when"), _("customer"), _("stage"), _("how"), _("with"), _("agenda"))

    def show(self, items: list[AgendaItem], fmt: str, zone: object) -> None:
        self.clear()
        self.customers.clear()
        style = {"agenda-overdue": "bold red", "agenda-today": "green",
                 "agenda-upcoming": "dim"}.get(self.row_class, "")
        for item in items:
            key = item.plan_id.hex
            self.customers[key] = item.customer_id
            when = item.scheduled_at.astimezone(zone).strftime(fmt)  # type: ignore[arg-type]
            self.add_row(
                Text(when, style=style),
                Text(item.customer_name),
                Text(_(item.stage.value)),
                Text(_(item.method.value)),
                Text(item.contact_name or ""),
                Text((item.agenda or "").replace("\n", " ")[:60]),
                key=key,
            )


class TodayScreen(DbScreen):
    """The rep's day at a glance. Reloads whenever anything is saved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", _("Open customer"), id="today-open",
                tooltip=_("Open the customer of the highlighted row")),
        Binding("l", "log", _("Log outcome"), id="today-log",
                tooltip=_("Log what happened in the highlighted contact")),
        # Not r: r is the review everywhere (one key, one meaning; issue 14.13).
        Binding("e", "reschedule", _("Reschedule"), id="today-reschedule",
                tooltip=_("Edit the highlighted contact: a new time, person or agenda")),
        Binding("p", "plan", _("Plan contact"), id="today-plan",
                tooltip=_("Plan a contact with the customer of the highlighted row")),
    ]

    data: var[TodayData | None] = var(None)
    """What is shown; None until the first load."""

    _all_sections = False
    """True once the sections after the agenda are mounted (see on_mount)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="today-body"):
            yield Label(_("Overdue"), id="title-overdue", classes="section-title")
            yield AgendaTable("agenda-overdue", id="overdue")
            yield Label(_("Today"), id="title-today", classes="section-title")
            yield AgendaTable("agenda-today", id="today")
            yield Label(_("Upcoming"), id="title-upcoming", classes="section-title")
            yield AgendaTable("agenda-upcoming", id="upcoming")
        yield ScorecardStrip()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "data_version", self._reload)
        self.watch(self.app, "early_today", self._early)
        # The agenda first; the other sections one frame later. Each DataTable costs ~35 ms
        # to style and mount, and the first frame is what the rep waits for (PERFORMANCE.md).
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
        self._focus_agenda()

    def _focus_agenda(self) -> None:
        """The cursor on the first agenda row, unless the rep has put it somewhere: at start
        the scrolling body had the focus, and enter opened nothing."""
        if self.focused is not None and self.focused.id != "today-body":
            return
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
        for item in revisits:
            due = item.due_at.astimezone(zone).date()
            last = item.last_contact_at
            table.add_row(
                Text(due.strftime("%m-%d"), style="bold red" if due < today else "green"),
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
        for m in milestones:
            table.add_row(
                Text(m.due_on.strftime("%m-%d"), style="bold red"),
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

    def action_log(self) -> None:
        from salesdev_tui.screens.plan_outcome import PlanOutcomeScreen

        _customer, plan_id = self._highlighted()
        if plan_id is None:
            self.notify(_("Highlight a planned contact first."), severity="warning")
            return
        self.app.push_screen(PlanOutcomeScreen(plan_id))

    def action_reschedule(self) -> None:
        from salesdev_tui.screens.plan_form import PlanFormScreen

        customer_id, plan_id = self._highlighted()
        if plan_id is None:
            self.notify(_("Highlight a planned contact first."), severity="warning")
            return
        self.app.push_screen(PlanFormScreen(customer_id, plan_id, focus="scheduled_at"))

    def action_plan(self) -> None:
        from salesdev_tui.screens.plan_form import PlanFormScreen

        customer_id, _plan = self._highlighted()
        if customer_id is None:
            self.notify(_("Highlight a customer first."), severity="warning")
            return
        # From the revisits section the plan is the revisit itself.
        initial: dict[str, object] = {}
        if self.focused is self.query_one("#revisits", DataTable):
            initial = {"method": ContactMethod.VISIT, "agenda": _("Regular revisit")}
        self.app.push_screen(PlanFormScreen(customer_id, None, initial=initial))
