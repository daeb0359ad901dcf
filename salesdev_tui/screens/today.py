"""Today, the home screen: overdue, due today, upcoming, idle customers, the month's strip."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.reactive import var
from textual.widgets import DataTable, Footer, Header, Label

from salesdev_tui.i18n import _
from salesdev_tui.screens.base import DbScreen
from salesdev_tui.widgets.scorecard_strip import ScorecardStrip, StripData

if TYPE_CHECKING:
    from salesdev_tui.config import Settings
    from salesdev_tui.store import Agenda, AgendaItem, Store

UPCOMING_DAYS = 7


@dataclass(frozen=True)
class TodayData:
    agenda: Agenda
    strip: StripData


def load_today(store: Store, settings: Settings, now: datetime) -> TodayData:
    """Everything Today shows, in one worker call (runs off the UI thread)."""
    from salesdev_tui.models import PeriodKind
    from salesdev_tui.services.periods import day_bounds, local_date, period_containing
    from salesdev_tui.services.scorecard import build_scorecard

    zone = settings.zone
    today = local_date(now, zone)
    day_start, day_end = day_bounds(today, zone)
    upcoming_end = day_bounds(today + timedelta(days=UPCOMING_DAYS), zone)[1]
    agenda = store.agenda(
        day_start=day_start,
        day_end=day_end,
        upcoming_end=upcoming_end,
        idle_before=now - timedelta(days=settings.idle_days),
    )
    month = period_containing(now, PeriodKind.MONTH, zone)
    card = build_scorecard(month, store.kpi_figures(*month.utc_bounds()),
                           settings.commission_rate)
    targets = settings.targets
    strip = StripData(
        label=month.label,
        currency=settings.currency,
        new_customers=card.new_customers,
        new_customers_target=targets.new_customers,
        prospects_contacted=card.prospects_contacted,
        success_rate=card.success_rate,
        success_rate_target=targets.success_rate,
        revenue=card.revenue,
        revenue_target=targets.revenue,
        profit=card.profit,
        satisfaction=card.satisfaction,
        satisfaction_responses=card.satisfaction_responses,
    )
    return TodayData(agenda=agenda, strip=strip)


class AgendaTable(DataTable[Text]):
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
    ]

    data: var[TodayData | None] = var(None)
    """What is shown; None until the first load."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="today-body"):
            yield Label(_("Overdue"), id="title-overdue", classes="section-title")
            yield AgendaTable("agenda-overdue", id="overdue")
            yield Label(_("Today"), id="title-today", classes="section-title")
            yield AgendaTable("agenda-today", id="today")
            yield Label(_("Upcoming"), id="title-upcoming", classes="section-title")
            yield AgendaTable("agenda-upcoming", id="upcoming")
            yield Label(_("Idle customers"), id="title-idle", classes="section-title")
            yield DataTable(id="idle", cursor_type="row")
        yield ScorecardStrip()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#idle", DataTable).add_columns(
            _("customer"), _("stage"), _("last activity")
        )
        self.watch(self.app, "data_version", self._reload)

    def _reload(self, version: int) -> None:
        if version == 0:
            return
        app = self.sales_app
        self.run_db(lambda store: load_today(store, app.settings, app.clock()),
                    self._loaded, group="today")

    def _loaded(self, data: TodayData) -> None:
        self.data = data

    def watch_data(self, data: TodayData | None) -> None:
        if data is None:
            return
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
        self.query_one(ScorecardStrip).data = data.strip

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
        return uuid.UUID(key), None

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
