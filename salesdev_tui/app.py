"""The App: app-wide bindings, modes, theme and keymap; the rest lives beside it.

`app_bindings` (the keys), `app_navigation` (the modes and the keys' actions), `app_keys`
(tab and key handling), `app_commands` (the palette), `app_storage` (the database, opened
after first paint). Nothing here imports SQLModel at module level (PERFORMANCE-NOTES:
SQLModel costs more to import than Textual).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.reactive import reactive
from textual.screen import Screen

from salesdev_tui import app_keys, app_language, app_navigation, app_sync
from salesdev_tui.app_bindings import app_bindings
from salesdev_tui.app_first_screen import first_screen
from salesdev_tui.app_protocol import Clock
from salesdev_tui.app_storage import Storage
from salesdev_tui.app_sync import TeamSync, sync_bindings
from salesdev_tui.commands import CustomerJumpProvider
from salesdev_tui.config import Settings, save_setting
from salesdev_tui.i18n import (
    N_,
    _,
    choose_language,
    set_language,
)
from salesdev_tui.screens.today import TodayScreen
from salesdev_tui.textual_patches.mode_switch import FastModeSwitch

if TYPE_CHECKING:
    from salesdev_tui.app_protocol import SalesApp
    from salesdev_tui.db import Database
    from salesdev_tui.models.views import TodayData
    from salesdev_tui.store.combined import Store

def system_clock() -> datetime:
    return datetime.now(UTC)


#: Seconds after the app mounts by which the start-up counts as settled (`after_start`)
#: whatever the store is doing: it normally settles with Today's first rows, ~0.2 s.
START_SETTLES_AFTER = 1.0


#: The titles and descriptions of Textual's own palette commands, for extraction.
TEXTUAL_COMMANDS = (
    N_("Theme"), N_("Change the current theme"),
    N_("Quit"), N_("Quit the application as soon as possible"),
    N_("Keys"), N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"), N_("Minimize the widget and restore to normal size"),
    N_("Maximize"), N_("Maximize the focused widget"),
    N_("Screenshot"), N_("Save an SVG 'screenshot' of the current screen"),
    # The footer's key for the palette, which Textual adds itself.
    N_("palette"), N_("Open the command palette"),
)


class SalesdevApp(FastModeSwitch):
    """salesdev's terminal face."""

    CSS_PATH = "salesdev.tcss"
    TITLE = "salesdev"
    # Built when first shown: only Today is needed for the first frame.
    MODES: ClassVar[dict[str, str | Callable[[], Screen[None]]]] = {
        "customers": app_navigation.customers_screen,
        "scorecard": app_navigation.scorecard_screen,
    }
    # Today starts as the default screen, registered as a mode in on_mount: from MODES it got
    # two extra parses of salesdev.tcss, ~60 ms of a ~500 ms first paint (PERFORMANCE.md).
    DEFAULT_MODE = "today"
    COMMANDS = App.COMMANDS | {CustomerJumpProvider}
    BINDINGS: ClassVar[list[BindingType]] = app_bindings() + sync_bindings()

    data_version: reactive[int] = reactive(0)
    """Bumped when the store opens and after every save: screens reload when it changes."""
    early_today: reactive[TodayData | None] = reactive(None)
    """Today's data read at start-up before the store opens (`store.quick_today`)."""
    store_problem: reactive[str | None] = reactive(None)
    """Why the store could not be opened, once that is known (screens stop "loading")."""

    def __init__(self, settings: Settings, db_path: Path, *, config_path: Path | None = None,
                 clock: Clock = system_clock) -> None:
        from salesdev_tui.textual_patches.toast_cells import keep_wide_characters_whole

        keep_wide_characters_whole()  # a toast over a form kept dropping CJK characters
        set_language(choose_language(settings.language))  # before anything is composed
        super().__init__()
        from salesdev_tui.paths import cache_dir
        from salesdev_tui.textual_patches.css_cache import keep_parsed_css

        keep_parsed_css(self.stylesheet, cache_dir() / "css")  # ~10 ms less before 1st frame
        self.settings, self.db_path, self.config_path, self.clock = (
            settings, db_path, config_path, clock)
        self._after_start: list[Callable[[], None]] | None = []
        self.storage = Storage(self, settings, db_path, clock, opened=self._store_opened,
                               early=lambda data: setattr(self, "early_today", data),
                               settled=self._start_settled,
                               failed=lambda message: setattr(self, "store_problem", message))
        self._change_pending = False
        self.team_sync = TeamSync(self, settings.team, clock, self._database)

    @property
    def store(self) -> Store | None:
        """The open store, or None until the worker has opened the database."""
        return self.storage.store

    @property
    def store_error(self) -> str | None:  # why the database could not be opened
        return self.storage.error

    def changed(self) -> None:
        """Tell every screen that data changed (after each save), once the next frame is
        painted: at 100,000 customers the screens' reload threads delayed the frame showing
        the save (79 ms, not 45). The timer tells should the screen shown close first."""
        self._change_pending = True
        self.call_after_refresh(self._data_changed)
        self.set_timer(0.5, self._data_changed)
        self.team_sync.local_change()  # a team's laptop sends it a few seconds later

    def _data_changed(self) -> None:
        if self._change_pending:
            self._change_pending = False
            self._bump()

    def _bump(self) -> None:
        self.data_version += 1

    def after_start(self, callback: Callable[[], None]) -> None:
        """Run `callback` once the start-up has settled (`Storage`'s `settled`): now if it
        has. For work that can wait a frame or two, such as the footer's keys: after the
        first frame the interpreter goes to what the rep waits for, Today's rows."""
        if self._after_start is None:
            callback()
        else:
            self._after_start.append(callback)

    def _start_settled(self) -> None:
        callbacks, self._after_start = self._after_start, None
        for callback in callbacks or ():
            callback()

    def _store_opened(self) -> None:
        self._bump()
        self.team_sync.store_opened()

    def _database(self) -> Database | None:
        return self.store.db if self.store is not None else None

    def get_default_screen(self) -> Screen[None]:
        return TodayScreen()

    def on_mount(self) -> None:
        self.add_mode("today", TodayScreen)
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        if self.settings.keymap:  # setting even an empty one rebuilds the footer: ~20 ms
            self.set_keymap(self.settings.keymap)
        self.storage.start()
        self.set_timer(START_SETTLES_AFTER, self._start_settled)  # whatever the store does
        first = first_screen(self.settings)  # a team role's own screen (app_first_screen)
        if first is not None:
            self.push_screen(first)

    def on_ready(self) -> None:  # the first frame is on screen
        self.storage.first_frame()

    def on_unmount(self) -> None:
        self.team_sync.close()  # before the database closes under it
        self.storage.close()

    def watch_theme(self, theme: str) -> None:
        if self.config_path is not None and theme != self.settings.theme:
            self.settings = self.settings.model_copy(update={"theme": theme})
            try:
                save_setting(self.config_path, "theme", theme)
            except OSError as exc:
                self.notify(str(exc), title=_("Theme not saved"), severity="warning")

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown):
            self.storage.touch()  # the idle lock counts from the last key or click
        fresh_key = isinstance(event, events.Key) and not event.is_forwarded
        await super().on_event(event)
        if fresh_key:
            await app_keys.key_handled(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.storage.locked() and action != "quit":
            return False  # while locked, no app key works but quit (no palette either)
        if action in ("next_field", "previous_field") and app_keys.owns_tab(self.focused):
            return False  # a grid or list with its own tab: the key goes on to it
        if (team := self.team_sync.allows(action)) is not None:
            return team  # the sync's keys: only with a team server configured
        return super().check_action(action, parameters)

    # The keys' actions: each imports its screen when first used (app_navigation).
    action_next_field = app_keys.next_field
    action_previous_field = app_keys.previous_field
    action_go = app_navigation.go
    action_new_lead = app_navigation.new_lead
    action_new_lead_form = app_navigation.new_lead_form
    action_search = app_navigation.search
    action_help = app_navigation.show_help
    action_export_plans = app_navigation.export_plans
    action_competitors = app_navigation.competitors
    action_research = app_navigation.research
    action_review = app_navigation.review
    action_switch_language = app_language.switch_language
    action_sync_now = app_sync.sync_now
    action_sync_conflicts = app_sync.show_conflicts
    plan_contact = app_navigation.plan_contact

    def open_customer(self, customer_id: uuid.UUID) -> None:
        """Show a customer's page on top of the current screen."""
        from salesdev_tui.screens.customer_page import open_page

        open_page(self, customer_id)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        from salesdev_tui.app_commands import app_commands

        # Textual's own commands, in the rep's language (their English is in TEXTUAL_COMMANDS).
        for command in super().get_system_commands(screen):
            yield command._replace(title=_(command.title), help=_(command.help))
        yield from app_commands(self, screen)


def create_app(settings: Settings, db_path: Path, *, config_path: Path | None = None,
               clock: Clock = system_clock) -> SalesdevApp:
    """The one factory the CLI and the tests use."""
    return SalesdevApp(settings, db_path, config_path=config_path, clock=clock)


if TYPE_CHECKING:

    def _conforms(app: SalesdevApp) -> SalesApp:
        return app  # mypy checks here that the App is what screens are typed against
