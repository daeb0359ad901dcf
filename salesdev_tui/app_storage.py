"""The app's database: opened off the UI thread, unlocked, locked when idle.

Order at start-up, each step in a thread worker so the UI never waits:

1. the first frame paints (no database, no SQLModel import yet); then, at once (the App's
   on_ready), the worker starts:
2. Today is read on a plain sqlite3 connection (`store.quick_today`) and shown;
3. the store opens (SQLModel is imported now, ~0.8 s); an encrypted file asks for its
   passphrase first (`screens.unlock`);
4. the day's first start backs the database up.

A plain object the App holds (`app.storage`), not a mixin: the App stays a short list of
what is app-wide, and this is one thing it owns.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App

from salesdev_tui.i18n import _

if TYPE_CHECKING:
    from salesdev_tui.config import Settings
    from salesdev_tui.db.cipher import Secret
    from salesdev_tui.dialogs.unlock import IdleLock, UnlockScreen
    from salesdev_tui.models.views import TodayData
    from salesdev_tui.store.combined import Store

#: Seconds after the app mounts by which Python's cyclic collections resume at the latest.
RESUME_COLLECTIONS_AFTER = 10.0


class Storage:
    """Holds the store and everything about getting it open and keeping it locked.

    `early(data)` receives Today's rows read before the store opens; `opened()` is called
    on the UI thread once the store is open (the App bumps `data_version`). `settled()` is
    called (once or more) when the start-up's first results are on screen: Today's early
    rows painted, or the store open, failed or asking for its passphrase. `failed(message)`
    when the store cannot be opened (`error` holds the message too).
    """

    def __init__(
        self,
        app: App[Any],
        settings: Settings,
        db_path: Path,
        clock: Callable[[], datetime],
        *,
        early: Callable[[TodayData], None],
        opened: Callable[[], None],
        settled: Callable[[], None],
        failed: Callable[[str], None],
    ) -> None:
        self.app = app
        self.settings = settings
        self.db_path = db_path
        self.clock = clock
        self._early = early
        self._opened = opened
        self._settled = settled
        self._failed = failed
        self.store: Store | None = None
        """The open store, or None until the worker has opened the database."""
        self.error: str | None = None
        """Why the database could not be opened (shown by screens that need it)."""
        self.idle_lock: IdleLock | None = None
        self._opening = False

    def start(self) -> None:
        """Called from on_mount: arm the idle lock (the store opens after the first frame:
        `first_frame`)."""
        if self.settings.idle_lock_minutes > 0:  # imported only then: not on the first frame
            from salesdev_tui.dialogs.unlock import IdleLock

            self.idle_lock = IdleLock(self.app, self.settings.idle_lock_minutes,
                                      self._lock_screen)
            self.idle_lock.start()
        # Whatever happens to the store, collections resume (paused by the CLI) in time.
        self.app.set_timer(RESUME_COLLECTIONS_AFTER, self.resume_collections)

    def first_frame(self) -> None:
        """Called from on_ready, once the first frame is on screen: open the store.

        Not before: the worker's imports hold the GIL for long stretches and would delay
        that frame. And not after the next refresh (`call_after_refresh`): that came a
        frame, ~20 ms, later, Textual's frames being at most 60 a second, while the UI
        thread had nothing to do (~15 ms of "Today filled" at 100,000 customers).
        """
        if not self._opening:
            self._opening = True
            self._start_worker(self._open_store, "open-store")

    def _start_worker(self, job: Callable[[], None], group: str) -> None:
        self.app.run_worker(job, thread=True, exit_on_error=False, group=group)

    def locked(self) -> bool:
        """While locked, no app key works but quit."""
        return self.idle_lock is not None and self.idle_lock.locked

    def touch(self) -> None:
        """A key press or a click: the idle lock starts counting again."""
        if self.idle_lock is not None:
            self.idle_lock.touch()

    def _open_store(self) -> None:
        """The worker (a thread): Today first, then the store, then the daily backup."""
        # Babel (CLDR) writes Today's times and money: imported and its data read here, off
        # the first frame and off the UI thread, rather than when the rows are shown.
        from salesdev_tui.domain.locale_format import load_data
        from salesdev_tui.store.quick_today import read_today

        load_data(self.settings.currency)

        early = read_today(self.db_path, self.settings, self.clock())
        if early is not None:
            painted = threading.Event()
            self.app.call_from_thread(self._show_early_today, early, painted)
            # Importing SQLModel now would compete with painting those rows.
            painted.wait(timeout=1.0)
        else:
            from salesdev_tui.db.raw import looks_encrypted

            if looks_encrypted(self.db_path):
                self.app.call_from_thread(self._ask_passphrase)
                return
        from salesdev_tui.db import Problem, StorageError

        try:
            store = self._make_store(None)
        except StorageError as exc:
            if exc.problem is Problem.PASSPHRASE_NEEDED:
                self.app.call_from_thread(self._ask_passphrase)
            else:
                self.app.call_from_thread(self._store_failed, exc.message)
            return
        self.app.call_from_thread(self._store_opened, store)
        self._daily_backup()

    def _make_store(self, passphrase: Secret | None) -> Store:
        from salesdev_tui.db import open_database
        from salesdev_tui.store.combined import Store

        # Every repository built here, in the worker: the store builds them on first use
        # (for the CLI's sake), and a first use on the UI thread would import there.
        return Store(open_database(self.db_path, passphrase=passphrase), clock=self.clock,
                     actor=self.settings.rep_name or None).build_all()

    def _daily_backup(self) -> None:
        """The day's first start backs the database up (runs in a thread)."""
        from salesdev_tui.db.autobackup import daily_backup_problem

        problem = daily_backup_problem(self.db_path, now=self.clock(), zone=self.settings.zone,
                                       keep=self.settings.backups_keep)
        if problem is not None:
            self.app.call_from_thread(self.app.notify, problem,
                                      title=_("The daily backup failed"), severity="warning",
                                      markup=False)

    def _show_early_today(self, data: TodayData, painted: threading.Event) -> None:
        self._early(data)
        self.app.call_after_refresh(painted.set)
        self.app.call_after_refresh(self._settled)

    def _store_opened(self, store: Store) -> None:
        from salesdev_tui.db.leftovers import take_notices

        self.store = store
        self._opened()
        self._settled()
        for notice in take_notices():  # leftovers of an interrupted backup or conversion
            self.app.notify(notice, severity="warning", timeout=15, markup=False)
        # A second on: Today has loaded.
        self.app.set_timer(1.0, self.resume_collections)

    def resume_collections(self) -> None:
        """Freeze what is alive now out of Python's cyclic collections, and let them run.

        With the store open, some 160,000 objects (modules, SQLAlchemy's and Textual's
        machinery) live as long as the app. Python's full collections scanned them all:
        pauses of 90-300 ms in the middle of a keystroke's work at 100,000 customers.
        Frozen, later scans leave them out (25-185 ms). The CLI pauses collections for the
        start-up (cli/tui.py); they resume here, when the store is open (or cannot be: a
        failure, a passphrase to ask, or `RESUME_COLLECTIONS_AFTER` seconds at the latest).
        """
        gc.freeze()
        gc.enable()

    def _store_failed(self, message: str) -> None:
        self.error = message
        self._failed(message)
        self._settled()
        self.resume_collections()
        self.app.notify(message, title=_("Cannot open the database"), severity="error",
                        timeout=30, markup=False)

    # -- encryption ------------------------------------------------------------------------

    def _ask_passphrase(self) -> None:
        self._settled()
        self.resume_collections()  # the passphrase may be a while coming
        from salesdev_tui.dialogs.unlock import UnlockScreen

        self.app.push_screen(UnlockScreen(self.db_path, self._make_store), self._unlocked)

    def _unlocked(self, store: Store | None) -> None:
        if store is not None:
            self._store_opened(store)
            self._start_worker(self._daily_backup, "daily-backup")

    def _lock_screen(self) -> UnlockScreen[bool] | None:
        from salesdev_tui.dialogs.unlock import UnlockScreen, relock_check

        store = self.store
        if store is None or not store.db.encrypted:
            return None
        return UnlockScreen(store.db.path, relock_check(store.db), locked=True)

    def close(self) -> None:
        """On unmount: close the database."""
        if self.store is not None:
            self.store.db.close()
