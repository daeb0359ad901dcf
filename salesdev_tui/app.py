"""The App: app-wide bindings, modes, theme and keymap, and the store opened after first paint.

Features live in screens. Nothing here imports SQLModel at module level: the database is
opened in a thread worker once the first frame is on screen (PERFORMANCE-NOTES: SQLModel
costs more to import than Textual).
"""

from __future__ import annotations

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
from salesdev_tui.screens.customers import CustomersScreen
from salesdev_tui.screens.today import TodayScreen

if TYPE_CHECKING:
    from salesdev_tui.store import Store

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


class SalesdevApp(App[None]):
    """salesdev's terminal face."""

    CSS_PATH = "salesdev.tcss"
    TITLE = "salesdev"
    MODES: ClassVar[dict[str, str | Callable[[], Screen[None]]]] = {
        "today": TodayScreen,
        "customers": CustomersScreen,
    }
    COMMANDS = App.COMMANDS | {CustomerJumpProvider}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "go('today')", _("Today"), id="go-today", tooltip=_("The day's agenda")),
        Binding("c", "go('customers')", _("Customers"), id="go-customers",
                tooltip=_("Find, filter and open customers")),
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
        self.switch_mode("today")
        self._open_store()

    @work(thread=True, exit_on_error=False, group="open-store")
    def _open_store(self) -> None:
        from salesdev_tui.db import StorageError, open_database
        from salesdev_tui.store import Store

        try:
            store = Store(open_database(self.db_path), clock=self.clock)
        except StorageError as exc:
            self.call_from_thread(self._store_failed, exc.message)
            return
        self.call_from_thread(self._store_opened, store)

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
        self.switch_mode("customers")
        screen = self.screen
        if isinstance(screen, CustomersScreen):
            screen.focus_search()

    def action_help(self) -> None:
        from salesdev_tui.screens.help import HelpScreen, keys_of

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(keys_of(self.screen)))

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
        yield SystemCommand(_("New lead (quick line)"), _("Type a lead on one line"),
                            self.action_new_lead)
        yield SystemCommand(_("New lead (full form)"), _("Every field; batch mode"),
                            self.action_new_lead_form)
        yield SystemCommand(_("Help"), _("Keys and KPI definitions"), self.action_help)


def create_app(
    settings: Settings,
    db_path: Path,
    *,
    config_path: Path | None = None,
    clock: Clock = system_clock,
) -> SalesdevApp:
    """The one factory the CLI and the tests use."""
    return SalesdevApp(settings, db_path, config_path=config_path, clock=clock)
