"""The TUI's background sync with the team server (issue 18.3): a plain object the App
holds (`app.team_sync`), like `app_storage.Storage`.

Only when `[team] url` and `user` are configured; a rep without a team sees nothing of it
and pays nothing. The sync runs (`usecases.sync_attempt.attempt`, in a thread, so the UI
never waits):

- a moment after the store opens (not at once: the first screen is loading then);
- every `[team] sync_minutes` minutes;
- a few seconds after the rep's last save (`changed`: a burst of saves is one sync);
- on demand: `S`, the palette's "Sync now", a click on the footer's sync state.

One at a time: a request while one runs is kept and run after it. The database is the one
the UI writes too: every write of the sync is a short `BEGIN IMMEDIATE` transaction (a page
of pulled rows at most), and SQLite's lock makes the UI's save wait for it (busy_timeout)
rather than fail; a sync that finds the database busy says so and tries again later. The
server being down is normal: the footer says "offline" and how much waits to be sent.
After a sync that brought anything, the screens shown read again (`app.changed`).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.signal import Signal

from salesdev_tui.domain.sync_state import SyncPhase, SyncView
from salesdev_tui.i18n import N_, _

if TYPE_CHECKING:
    from textual.timer import Timer

    from salesdev_tui.app_protocol import SalesApp
    from salesdev_tui.config import Team
    from salesdev_tui.db import Database
    from salesdev_tui.usecases.sync_attempt import Attempt

#: Seconds after the store opens before the first sync (Today loads meanwhile).
START_DELAY = 2.0
#: Seconds after the last save before the sync that sends it.
CHANGE_DELAY = 5.0
#: The longest quitting waits for a sync under way to stop at its next step.
CLOSE_WAIT = 3.0


def sync_bindings() -> list[BindingType]:
    """The App's keys for the sync (hidden from solo reps by `TeamSync.allows`)."""
    return [
        Binding("S", "sync_now", N_("Sync now"), id="team-sync", show=False,
                tooltip=N_("Send your changes to the team server and bring back theirs")),
        Binding("C", "sync_conflicts", N_("Conflicts"), id="team-conflicts", show=False,
                tooltip=N_("Fields changed on two devices: keep the result or restore")),
    ]


class TeamSync:
    """Runs the background sync and holds its state (`view`), published on `signal`."""

    def __init__(self, app: App[Any], team: Team, clock: Callable[[], datetime],
                 database: Callable[[], Database | None]) -> None:
        self.app = app
        self.team = team
        self.clock = clock
        self._database = database
        # A rep's laptop syncs its working copy; the manager's and legal's screens read the
        # server itself (they keep no customers of their own to send).
        self.enabled = team.configured and team.role == "rep"
        self.view = SyncView()
        self.signal: Signal[SyncView] = Signal(app, "team-sync")
        self._running = False
        self._again = False
        self._quiet = False  # set while the sync itself tells the screens to read again
        self._stop = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._soon: Timer | None = None
        self.asked = False
        """The rep asked for this sync (S): its outcome, if not a success, is said."""
        # Each read of the state takes a ticket when it starts; a read that ends after a
        # later-started one does not show its older counts.
        self._tickets = 0
        self._shown_ticket = 0

    def allows(self, action: str) -> bool | None:
        """For the App's check_action: the sync's keys exist only with a team; None for
        any other action (not the sync's to decide)."""
        if action in ("sync_now", "sync_conflicts"):
            return self.enabled
        return None

    # -- when to sync ----------------------------------------------------------------------

    def store_opened(self) -> None:
        if not self.enabled:
            return
        self.refresh_counts()
        self.app.set_timer(START_DELAY, self.sync_now)
        if self.team.sync_minutes:
            self.app.set_interval(self.team.sync_minutes * 60, self.sync_now)

    def local_change(self) -> None:
        """A save: sync a few seconds after the last one of a burst."""
        if not self.enabled or self._quiet:
            return
        self.refresh_counts()  # "to send 3" at once, even offline
        if self._soon is not None:
            self._soon.stop()
        self._soon = self.app.set_timer(CHANGE_DELAY, self.sync_now)

    def sync_now(self) -> None:
        db = self._database()
        if not self.enabled or db is None or self._stop.is_set():
            return
        if self._running:
            self._again = True
            return
        self._running = True
        self._idle.clear()
        if self.view.phase not in (SyncPhase.NOT_JOINED, SyncPhase.SIGN_IN):
            self._publish(replace(self.view, phase=SyncPhase.SYNCING))
        self.app.run_worker(self._drive(db), group="team-sync", exit_on_error=False)

    def refresh_counts(self) -> None:
        """Read the counts again (after a save, a resolved conflict): a quick read."""
        if self.enabled and self._database() is not None:
            self.app.run_worker(self._read_counts(self._ticket()), group="team-sync",
                                exit_on_error=False)

    def _ticket(self) -> int:
        self._tickets += 1
        return self._tickets

    # -- the work ----------------------------------------------------------------------------

    async def _drive(self, db: Database) -> None:
        # An async worker on the UI's loop awaiting a thread: the result comes back here,
        # on the UI thread, with no call_from_thread that could wait on a closing app. A
        # daemon thread of its own, not the loop's executor: Python joins the executor's
        # threads at exit, so quitting while a sync waited on a silent network (libpq's
        # connect_timeout: 10 s) would hang the terminal. Ended mid-way at exit, the sync
        # is finished by the next one (it is resumable by design).
        loop = asyncio.get_running_loop()
        done: asyncio.Future[Attempt] = loop.create_future()

        def deliver(result: Attempt) -> None:
            if not done.done():
                done.set_result(result)

        def work() -> None:
            try:
                result = self._attempt(db)
            except BaseException as exc:  # attempt() catches all but this: keep going
                from salesdev_tui.usecases.sync_attempt import Attempt

                result = Attempt(replace(self.view, phase=SyncPhase.FAILED,
                                         problem=type(exc).__name__))
            with contextlib.suppress(RuntimeError):  # the loop closed: the app has quit
                loop.call_soon_threadsafe(deliver, result)

        threading.Thread(target=work, name="salesdev-team-sync", daemon=True).start()
        try:
            result = await done
        finally:
            self._running = False
        self._finished(result)

    def _attempt(self, db: Database) -> Attempt:
        from salesdev_tui.usecases.sync_attempt import attempt

        try:
            return attempt(db, self.team, clock=self.clock, stop=self._stop.is_set)
        finally:
            self._idle.set()

    async def _read_counts(self, ticket: int) -> None:
        from salesdev_tui.usecases.sync_attempt import read_view

        db = self._database()
        if db is None:
            return
        try:
            view = await asyncio.to_thread(read_view, db, self.view.phase, self.view.problem)
        except Exception:  # noqa: BLE001 - the next sync reads again and says why
            return
        if view.phase is not SyncPhase.NOT_JOINED:
            view = replace(view, phase=self.view.phase)  # a sync may have begun meanwhile
        self._publish(view, ticket)

    def _finished(self, result: Attempt) -> None:
        before = self.view.conflicts
        self._publish(result.view, self._ticket())  # counts read before this are older
        if result.brought_changes or result.view.conflicts != before:
            self._quiet = True
            try:
                cast("SalesApp", self.app).changed()
            finally:
                self._quiet = False
        if result.view.conflicts > before:
            self.app.notify(_("A field was changed on two devices; press C to see the"
                              " conflicts."), title=_("Sync"), timeout=8, markup=False)
        if self.asked:  # the rep pressed S: say why it did not go through, once, briefly
            self.asked = False
            self._tell_outcome(result.view)
        if self._again:
            self._again = False
            self.sync_now()

    def _tell_outcome(self, view: SyncView) -> None:
        if view.phase is SyncPhase.OFFLINE:
            self.app.notify(_("The team server cannot be reached; your changes wait here for"
                              " the next sync."), title=_("Sync"), markup=False)
        elif view.phase in (SyncPhase.FAILED, SyncPhase.BUSY):
            self.app.notify(view.problem or _("sync failed"), title=_("Sync"),
                            severity="warning", timeout=12, markup=False)

    def _publish(self, view: SyncView, ticket: int | None = None) -> None:
        if ticket is not None:
            if ticket < self._shown_ticket:
                return
            self._shown_ticket = ticket
        self.view = view
        self.signal.publish(view)

    def close(self) -> None:
        """On unmount, before the database closes: stop a sync at its next step (the next
        start goes on from there) and wait a little for it."""
        self._stop.set()
        self._idle.wait(CLOSE_WAIT)


# -- the App's actions and palette commands (the App binds them: app.py) ----------------------


def sync_now(app: App[Any]) -> None:
    """`S` and the palette: sync now, whatever the timers say."""
    sync: TeamSync = getattr(app, "team_sync")  # noqa: B009 - the App's, not typed here
    if sync.view.phase is SyncPhase.SIGN_IN:
        app.notify(_("The team server wants your password: run `salesdev team join` once in"
                     " a terminal; it is kept in a private file."), title=_("Sync"),
                   markup=False)
    sync.asked = True
    sync.sync_now()


def show_conflicts(app: App[Any]) -> None:
    """`C` and the palette: the conflicts screen."""
    from salesdev_tui.screens.conflicts import ConflictsScreen

    if not isinstance(app.screen, ConflictsScreen):
        app.push_screen(ConflictsScreen())


def sync_commands(app: App[Any]) -> Iterator[SystemCommand]:
    sync: TeamSync | None = getattr(app, "team_sync", None)
    if sync is None or not sync.enabled:
        return
    yield SystemCommand(_("Sync now"), _("Send your changes to the team server and bring"
                                         " back theirs"), partial(app.run_action, "sync_now"))
    yield SystemCommand(_("Sync conflicts"), _("Fields changed on two devices: keep the"
                                               " result or restore the other value"),
                        partial(app.run_action, "sync_conflicts"))
