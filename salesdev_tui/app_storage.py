"""The App's side of the database: open it off the UI thread, unlock it, lock it when idle.

Order at start-up, each step in a thread worker so the UI never waits:

1. the first frame paints (no database, no SQLModel import yet);
2. Today is read on a plain sqlite3 connection (`store.quick_today`) and shown;
3. the store opens (SQLModel is imported now, ~0.8 s); an encrypted file asks for its
   passphrase first (`screens.unlock`);
4. the day's first start backs the database up.
"""

from __future__ import annotations

import gc
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App
from textual.reactive import reactive

from salesdev_tui.i18n import _

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from salesdev_tui.config import Settings
    from salesdev_tui.db.cipher import Secret
    from salesdev_tui.models.views import TodayData
    from salesdev_tui.screens.unlock import IdleLock, UnlockScreen
    from salesdev_tui.store.combined import Store


class StorageApp(App[None]):
    """Holds the store and everything about getting it open and keeping it locked."""

    settings: Settings
    db_path: Path
    clock: Callable[[], datetime]

    data_version: reactive[int] = reactive(0)
    """Bumped when the store opens and after every save: screens reload when it changes."""

    early_today: reactive[TodayData | None] = reactive(None)
    """Today's data read at start-up before the store opens (`store.quick_today`)."""

    _store: Store | None = None
    store_error: str | None = None
    """Why the database could not be opened (shown by screens that need it)."""
    idle_lock: IdleLock | None = None
    _change_pending = False

    @property
    def store(self) -> Store | None:
        """The open store, or None until the worker has opened the database."""
        return self._store

    def changed(self) -> None:
        """Tell every screen that data changed (called after each successful save).

        Once the next frame is painted: every screen's reload starts a worker thread, and
        at 100,000 customers those threads held the GIL long enough to delay the frame that
        shows the rep the save itself (a lead took 79 ms to clear from the line, not 45).
        """
        self._change_pending = True
        self.call_after_refresh(self._data_changed)
        # Textual runs that callback with the screen shown when it is queued; should that
        # screen be closed first (a key right behind the save), the timer still tells.
        self.set_timer(0.5, self._data_changed)

    def _data_changed(self) -> None:
        if self._change_pending:
            self._change_pending = False
            self.data_version += 1

    def start_storage(self) -> None:
        """Called from on_mount: open after the first frame, and arm the idle lock."""
        if self.settings.idle_lock_minutes > 0:  # imported only then: not on the first frame
            from salesdev_tui.screens.unlock import IdleLock

            self.idle_lock = IdleLock(self, self.settings.idle_lock_minutes, self._lock_screen)
            self.idle_lock.start()
        # After the first frame is on screen: the worker's imports hold the GIL for long
        # stretches and would otherwise delay that frame.
        self.call_after_refresh(self._open_store)

    @work(thread=True, exit_on_error=False, group="open-store")
    def _open_store(self) -> None:
        from salesdev_tui.store.quick_today import read_today

        early = read_today(self.db_path, self.settings, self.clock())
        if early is not None:
            painted = threading.Event()
            self.call_from_thread(self._show_early_today, early, painted)
            # Importing SQLModel now would compete with painting those rows.
            painted.wait(timeout=1.0)
        else:
            from salesdev_tui.db.raw import looks_encrypted

            if looks_encrypted(self.db_path):
                self.call_from_thread(self._ask_passphrase)
                return
        from salesdev_tui.db import Problem, StorageError

        try:
            store = self._make_store(None)
        except StorageError as exc:
            if exc.problem is Problem.PASSPHRASE_NEEDED:
                self.call_from_thread(self._ask_passphrase)
            else:
                self.call_from_thread(self._store_failed, exc.message)
            return
        self.call_from_thread(self._store_opened, store)
        self._daily_backup()

    def _make_store(self, passphrase: Secret | None) -> Store:
        from salesdev_tui.db import open_database
        from salesdev_tui.store.combined import Store

        return Store(open_database(self.db_path, passphrase=passphrase), clock=self.clock,
                     actor=self.settings.rep_name or None)

    def _daily_backup(self) -> None:
        """The day's first start backs the database up (runs in a thread)."""
        from salesdev_tui.db.autobackup import daily_backup_problem

        problem = daily_backup_problem(self.db_path, now=self.clock(), zone=self.settings.zone,
                                       keep=self.settings.backups_keep)
        if problem is not None:
            self.call_from_thread(self.notify, problem, title=_("The daily backup failed"),
                                  severity="warning", markup=False)

    def _show_early_today(self, data: TodayData, painted: threading.Event) -> None:
        self.early_today = data
        self.call_after_refresh(painted.set)

    def _store_opened(self, store: Store) -> None:
        from salesdev_tui.db.leftovers import take_notices

        self._store = store
        self.data_version += 1
        for notice in take_notices():  # leftovers of an interrupted backup or conversion
            self.notify(notice, severity="warning", timeout=15, markup=False)
        # With the store open, some 160,000 objects (modules, SQLAlchemy's and Textual's
        # machinery) live as long as the app. Python's full collections scanned them all:
        # pauses of 90-300 ms in the middle of a keystroke's work at 100,000 customers.
        # Frozen, later scans leave them out (25-185 ms). A second on: Today has loaded.
        self.set_timer(1.0, gc.freeze)

    def _store_failed(self, message: str) -> None:
        self.store_error = message
        self.notify(message, title=_("Cannot open the database"), severity="error", timeout=30,
                    markup=False)

    # -- encryption ------------------------------------------------------------------------

    def _ask_passphrase(self) -> None:
        from salesdev_tui.screens.unlock import UnlockScreen

        self.push_screen(UnlockScreen(self.db_path, self._make_store), self._unlocked)

    def _unlocked(self, store: Store | None) -> None:
        if store is not None:
            self._store_opened(store)
            self._backup_after_unlock()

    @work(thread=True, exit_on_error=False, group="daily-backup")
    def _backup_after_unlock(self) -> None:
        self._daily_backup()

    def _lock_screen(self) -> UnlockScreen[bool] | None:
        from salesdev_tui.screens.unlock import UnlockScreen, relock_check

        store = self._store
        if store is None or not store.db.encrypted:
            return None
        return UnlockScreen(store.db.path, relock_check(store.db), locked=True)

    async def on_event(self, event: events.Event) -> None:
        if self.idle_lock is not None and isinstance(event, events.Key | events.MouseDown):
            self.idle_lock.touch()
        await super().on_event(event)

    def check_action(self, action: str, parameters: tuple[Any, ...]) -> bool | None:
        # While locked, no app key works but quit (no mode switch, no command palette).
        if self.idle_lock is not None and self.idle_lock.locked and action != "quit":
            return False
        return super().check_action(action, parameters)

    def on_unmount(self) -> None:
        if self._store is not None:
            self._store.db.close()
