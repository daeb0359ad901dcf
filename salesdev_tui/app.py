"""The App: app-wide bindings, modes, theme and keymap, and the store opened after first paint.

Features live in screens. Nothing here imports SQLModel at module level: the database is
opened in a thread worker once the first frame is on screen (PERFORMANCE-NOTES: SQLModel
costs more to import than Textual).
"""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen

from salesdev_tui.commands import CustomerJumpProvider
from salesdev_tui.config import Settings, save_setting
from salesdev_tui.i18n import _
from salesdev_tui.screens.today import TodayScreen

if TYPE_CHECKING:
    from salesdev_tui.store import Store

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def _screen(module: str, name: str) -> Screen[None]:
    screen_class = getattr(importlib.import_module(f"salesdev_tui.screens.{module}"), name)
    screen: Screen[None] = screen_class()
    return screen


class SalesdevApp(App[None]):
    """salesdev's terminal face."""

    CSS_PATH = "salesdev.tcss"
    TITLE = "salesdev"
    MODES: ClassVar[dict[str, str | Callable[[], Screen[None]]]] = {
        "today": TodayScreen,
        # Imported when first shown: only Today is needed for the first frame.
        "customers": lambda: _screen("customers", "CustomersScreen"),
        "scorecard": lambda: _screen("scorecard", "ScorecardScreen"),
    }
    # Start straight in Today: no blank default screen painted first.
    DEFAULT_MODE = "today"
    COMMANDS = App.COMMANDS | {CustomerJumpProvider}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "go('today')", _("Today"), id="go-today", tooltip=_("The day's agenda")),
        Binding("c", "go('customers')", _("Customers"), id="go-customers",
                tooltip=_("Find, filter and open customers")),
        # Two keys each: Today binds r (reschedule) and Customers binds r and s (filters);
        # the capitals reach these from every screen.
        Binding("s,S", "go('scorecard')", _("Scorecard"), id="go-scorecard",
                tooltip=_("The indicators against target: month, quarter, year")),
        Binding("r,R", "review", _("Review"), id="review",
                tooltip=_("The end-of-day review, and the daily report for your manager")),
        Binding("n", "new_lead", _("New lead"), id="lead-new",
                tooltip=_("Type a lead on one line")),
        Binding("N", "new_lead_form", _("Lead form"), id="lead-form", show=False,
                tooltip=_("The full lead form, with batch mode for trade shows")),
        Binding("slash", "search", _("Search"), id="search", tooltip=_("Search customers")),
        Binding("question_mark", "help", _("Help"), id="help",
                tooltip=_("Keys of this screen, and the KPI definitions")),
        Binding("ctrl+q", "quit", _("Quit"), id="quit", show=False),
    ]

    data_version: reactive[int] = reactive(0)
    """Bumped when the store opens and after every save: screens reload when it changes."""

    def __init__(
        self,
        settings: Settings,
        db_path: Path,
        *,
        config_path: Path | None = None,
        clock: Clock = system_clock,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.db_path = db_path
        self.config_path = config_path
        self.clock = clock
        self._store: Store | None = None
        self.store_error: str | None = None

    @property
    def store(self) -> Store | None:
        """The open store, or None until the worker has opened the database."""
        return self._store

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.set_keymap(self.settings.keymap)
        # Open the database after the first frame is on screen: the worker imports SQLModel,
        # which holds the GIL for ~0.3 s and would otherwise delay that frame.
        self.call_after_refresh(self._open_store)

    @work(thread=True, exit_on_error=False, group="open-store")
    def _open_store(self) -> None:
        from salesdev_tui.db import StorageError, open_database
        from salesdev_tui.store import Store

        try:
            store = Store(
                open_database(self.db_path),
                clock=self.clock,
                actor=self.settings.rep_name or None,
            )
        except StorageError as exc:
            self.call_from_thread(self._store_failed, exc.message)
            return
        self.call_from_thread(self._store_opened, store)
        # The day's first start backs the database up (once the store is usable).
        from salesdev_tui.db.autobackup import daily_backup_problem

        problem = daily_backup_problem(self.db_path, now=self.clock(), zone=self.settings.zone,
                                       keep=self.settings.backups_keep)
        if problem is not None:
            self.call_from_thread(self.notify, problem, title=_("The daily backup failed"),
                                  severity="warning", markup=False)

    def _store_opened(self, store: Store) -> None:
        self._store = store
        self.data_version += 1

    def _store_failed(self, message: str) -> None:
        self.store_error = message
        self.notify(message, title=_("Cannot open the database"), severity="error", timeout=30)

    def changed(self) -> None:
        """Tell every screen that data changed (called after each successful save)."""
        self.data_version += 1

    def watch_theme(self, theme: str) -> None:
        if self.config_path is not None and theme != self.settings.theme:
            self.settings = self.settings.model_copy(update={"theme": theme})
            try:
                save_setting(self.config_path, "theme", theme)
            except OSError as exc:
                self.notify(str(exc), title=_("Theme not saved"), severity="warning")

    def on_unmount(self) -> None:
        if self._store is not None:
            self._store.db.close()

    # -- actions --------------------------------------------------------------------------

    def action_go(self, mode: str) -> None:
        self.switch_mode(mode)

    def action_new_lead(self) -> None:
        from salesdev_tui.screens.lead_quick import QuickLeadScreen

        self.push_screen(QuickLeadScreen())

    def action_new_lead_form(self) -> None:
        from salesdev_tui.screens.lead_form import LeadFormScreen

        self.push_screen(LeadFormScreen())

    def action_search(self) -> None:
        from salesdev_tui.screens.customers import CustomersScreen

        self.switch_mode("customers")
        screen = self.screen
        if isinstance(screen, CustomersScreen):
            screen.focus_search()

    def action_help(self) -> None:
        from salesdev_tui.screens.help import HelpScreen, keys_of

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(keys_of(self.screen)))

    def action_export_plans(self) -> None:
        from salesdev_tui.screens.ics_export import IcsExportScreen

        self.push_screen(IcsExportScreen())

    def action_competitors(self) -> None:
        from salesdev_tui.screens.competitors import CompetitorsScreen

        if not isinstance(self.screen, CompetitorsScreen):
            self.push_screen(CompetitorsScreen())

    def action_research(self) -> None:
        from salesdev_tui.screens.research import ResearchScreen

        if not isinstance(self.screen, ResearchScreen):
            self.push_screen(ResearchScreen())

    def action_review(self) -> None:
        from salesdev_tui.screens.review import ReviewScreen

        if not isinstance(self.screen, ReviewScreen):
            self.push_screen(ReviewScreen())

    def open_customer(self, customer_id: uuid.UUID) -> None:
        """Show a customer's page on top of the current screen."""
        from salesdev_tui.screens.customer_page import CustomerPageScreen

        self.push_screen(CustomerPageScreen(customer_id))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(_("Today"), _("The day's agenda"), lambda: self.action_go("today"))
        yield SystemCommand(
            _("Customers"), _("Find, filter and open customers"),
            lambda: self.action_go("customers"),
        )
        yield SystemCommand(_("Scorecard"), _("The indicators against target, pace and trend"),
                            lambda: self.action_go("scorecard"))
        yield SystemCommand(_("End-of-day review"), _("The day against the plan; daily report"),
                            self.action_review)
        yield SystemCommand(_("New lead (quick line)"), _("Type a lead on one line"),
                            self.action_new_lead)
        yield SystemCommand(_("New lead (full form)"), _("Every field; batch mode"),
                            self.action_new_lead_form)
        yield SystemCommand(_("Help"), _("Keys and KPI definitions"), self.action_help)
        yield SystemCommand(_("Export upcoming plans to a calendar (.ics)"),
                            _("A file your calendar app imports"), self.action_export_plans)
        yield SystemCommand(_("Competitors"), _("Whom you meet at customers, and whom you lose to"),
                            self.action_competitors)
        yield SystemCommand(_("Market research"), _("Research notes and the customers they found"),
                            self.action_research)
        from salesdev_tui.screens.transfer_commands import transfer_commands

        yield from transfer_commands(self)
        # Then what the current screen offers (a customer's page: its stage moves, …).
        offer = getattr(screen, "palette_commands", None)
        if callable(offer):
            yield from offer()


def create_app(
    settings: Settings,
    db_path: Path,
    *,
    config_path: Path | None = None,
    clock: Clock = system_clock,
) -> SalesdevApp:
    """The one factory the CLI and the tests use."""
    return SalesdevApp(settings, db_path, config_path=config_path, clock=clock)
