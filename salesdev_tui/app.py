"""The App: app-wide bindings, modes, theme and keymap, and the store opened after first paint.

Features live in screens. Nothing here imports SQLModel at module level: the database is
opened in a thread worker once the first frame is on screen (PERFORMANCE-NOTES: SQLModel
costs more to import than Textual).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget

from salesdev_tui.app_modes import ModesApp
from salesdev_tui.app_navigation import show_mode
from salesdev_tui.app_storage import StorageApp
from salesdev_tui.commands import CustomerJumpProvider
from salesdev_tui.config import Settings, save_setting
from salesdev_tui.i18n import _
from salesdev_tui.screens.today import TodayScreen

if TYPE_CHECKING:
    from salesdev_tui.app_protocol import SalesApp
    from salesdev_tui.screens.base import DbMixin

Clock = Callable[[], datetime]

#: The longest the App waits for a widget to handle a key before reading the next one
#: (a widget busy longer than this lets keys through as Textual does by default).
KEY_WAIT_SECONDS = 0.25


def system_clock() -> datetime:
    return datetime.now(UTC)


def _screen(module: str, name: str) -> Screen[None]:
    screen_class = getattr(importlib.import_module(f"salesdev_tui.screens.{module}"), name)
    screen: Screen[None] = screen_class()
    return screen


class SalesdevApp(ModesApp, StorageApp):
    """salesdev's terminal face."""

    CSS_PATH = "salesdev.tcss"
    TITLE = "salesdev"
    MODES: ClassVar[dict[str, str | Callable[[], Screen[None]]]] = {
        # Imported when first shown: only Today is needed for the first frame.
        "customers": lambda: _screen("customers", "CustomersScreen"),
        "scorecard": lambda: _screen("scorecard", "ScorecardScreen"),
    }
    # Start straight in Today, as the default screen of the "today" mode, which on_mount then
    # registers. A screen that starts from MODES gets a full CSS re-parse before its first
    # frame (Textual's _init_mode), and with it a cache miss that parses once more: two extra
    # parses of salesdev.tcss, ~60 ms of a ~500 ms first paint (PERFORMANCE.md).
    DEFAULT_MODE = "today"
    COMMANDS = App.COMMANDS | {CustomerJumpProvider}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "go('today')", _("Today"), id="go-today", tooltip=_("The day's agenda")),
        Binding("c", "go('customers')", _("Customers"), id="go-customers",
                tooltip=_("Find, filter and open customers")),
        # One key, one meaning: no screen binds t, c, s, r, n, N, / or ? for anything else
        # (tests/test_keymap.py checks every screen).
        Binding("s", "go('scorecard')", _("Scorecard"), id="go-scorecard",
                tooltip=_("The indicators against target: month, quarter, year")),
        Binding("r", "review", _("Review"), id="review",
                tooltip=_("The end-of-day review, and the daily report for your manager")),
        Binding("n", "new_lead", _("New lead"), id="lead-new",
                tooltip=_("Type a lead on one line")),
        Binding("N", "new_lead_form", _("Lead form"), id="lead-form", show=False,
                tooltip=_("The full lead form, with batch mode for trade shows")),
        Binding("slash", "search", _("Search"), id="search", tooltip=_("Search customers")),
        Binding("question_mark", "help", _("Help"), id="help",
                tooltip=_("Keys of this screen, and the KPI definitions")),
        Binding("ctrl+q", "quit", _("Quit"), id="quit", show=False),
        # Priority, so focus moves before the next key is handed on: as screen bindings, a
        # fast typist's (or a pasted) "Acme<tab>Jane" put "AcmeJane" in one field, because
        # the App forwards the keys behind a tab to the old field before it moves.
        Binding("tab", "next_field", _("Next field"), id="focus-next", show=False,
                priority=True, tooltip=_("Move to the next field")),
        Binding("shift+tab", "previous_field", _("Previous field"), id="focus-previous",
                show=False, priority=True, tooltip=_("Move to the previous field")),
    ]


    def __init__(
        self,
        settings: Settings,
        db_path: Path,
        *,
        config_path: Path | None = None,
        clock: Clock = system_clock,
    ) -> None:
        from salesdev_tui.widgets.wide_cells import apply as keep_wide_characters_whole

        keep_wide_characters_whole()  # a toast over a form kept dropping CJK characters
        super().__init__()
        self.settings = settings
        self.db_path = db_path
        self.config_path = config_path
        self.clock = clock

    def get_default_screen(self) -> Screen[None]:
        return TodayScreen()

    def on_mount(self) -> None:
        self.add_mode("today", TodayScreen)
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        if self.settings.keymap:  # setting even an empty one rebuilds the footer: ~20 ms
            self.set_keymap(self.settings.keymap)
        self.start_storage()

    def watch_theme(self, theme: str) -> None:
        if self.config_path is not None and theme != self.settings.theme:
            self.settings = self.settings.model_copy(update={"theme": theme})
            try:
                save_setting(self.config_path, "theme", theme)
            except OSError as exc:
                self.notify(str(exc), title=_("Theme not saved"), severity="warning")

    async def on_event(self, event: events.Event) -> None:
        fresh_key = isinstance(event, events.Key) and not event.is_forwarded
        await super().on_event(event)
        if fresh_key:
            await self._key_handled()

    async def _key_handled(self) -> None:
        """Wait (briefly) until the focused widget has handled the key just handed to it.

        Textual hands each key to whatever has focus when the App reads it; a widget handles
        its keys later, from its own queue. Keys typed faster than that (a fast typist, a
        card scanner, a paste through tmux) were then read by an action before they landed:
        "0911 111 111" + ctrl+s saved "0911 11", and the rest went into the cleared field.
        A callback queued behind the key fires once the widget is through with it.
        """
        target = self.screen.focused
        if target is None:
            return
        handled = asyncio.Event()
        if target.call_later(handled.set):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(handled.wait(), KEY_WAIT_SECONDS)

    # -- actions --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_field", "previous_field") and owns_tab(self.focused):
            return False  # a grid or list with its own tab: the key goes on to it
        return super().check_action(action, parameters)

    def action_next_field(self) -> None:
        self.screen.focus_next()

    def action_previous_field(self) -> None:
        self.screen.focus_previous()

    async def action_go(self, mode: str) -> None:
        await show_mode(self, mode)

    # Awaited (as show_mode is): the App reads the key after `n` only once the form is up
    # with its line focused, so a name typed straight after lands in it, not on the screen
    # or the app's bindings (`c`, `t`, `s` …) while the form is still being built.
    async def action_new_lead(self) -> None:
        from salesdev_tui.screens.lead_quick import QuickLeadScreen

        await self.push_screen(QuickLeadScreen())

    async def action_new_lead_form(self) -> None:
        from salesdev_tui.screens.lead_form import LeadFormScreen

        await self.push_screen(LeadFormScreen())

    async def action_search(self) -> None:
        from salesdev_tui.screens.customers import CustomersScreen

        screen = await show_mode(self, "customers")
        if isinstance(screen, CustomersScreen):
            screen.focus_search(select=True)

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
        from salesdev_tui.screens.customer_page import open_page

        open_page(self, customer_id)

    def _restore_deleted(self, screen: DbMixin) -> None:
        from salesdev_tui.screens.delete_customer import ask_restore

        ask_restore(screen, self.open_customer)

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
        from salesdev_tui.screens.base import DbMixin

        if isinstance(screen, DbMixin):  # it runs the listing and the restore in workers
            yield SystemCommand(_("Restore deleted customer…"),
                                _("Bring back a customer deleted earlier"),
                                lambda: self._restore_deleted(screen))
        from salesdev_tui.screens.transfer_commands import transfer_commands

        yield from transfer_commands(self)
        # Then what the current screen offers (a customer's page: its stage moves, …).
        offer = getattr(screen, "palette_commands", None)
        if callable(offer):
            yield from offer()


def owns_tab(widget: Widget | None) -> bool:
    """True when `widget` or a container of it binds tab itself (a grid moving between
    cells, a screen switching lists), other than Textual's own "focus next"."""
    node: DOMNode | None = widget
    while node is not None and not isinstance(node, App):
        for cls in type(node).__mro__:
            for binding in vars(cls).get("BINDINGS", ()):
                if isinstance(binding, Binding) and "tab" in binding.key.split(",") and (
                    "focus_" not in binding.action
                ):
                    return True
        node = node.parent
    return False


def create_app(
    settings: Settings,
    db_path: Path,
    *,
    config_path: Path | None = None,
    clock: Clock = system_clock,
) -> SalesdevApp:
    """The one factory the CLI and the tests use."""
    return SalesdevApp(settings, db_path, config_path=config_path, clock=clock)


if TYPE_CHECKING:

    def _conforms(app: SalesdevApp) -> SalesApp:
        return app  # mypy checks here that the App is what screens are typed against
