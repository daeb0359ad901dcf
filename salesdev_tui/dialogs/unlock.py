"""Asking for the passphrase of an encrypted database: at start-up, and after the idle lock.

`UnlockScreen(path, check)` runs `check(secret)` in a thread worker (deriving a key takes
100-180 ms) and dismisses with its result. When `check` raises StorageError (a wrong
passphrase, a damaged file), its message shows under the field, the typed text stays, and
the rep tries again. Escape quits the app: there is nothing to show without the key.

`IdleLock` covers the app with an UnlockScreen after `idle_lock_minutes` without a key
press or mouse click. The App tells it about activity (`touch()`, from `App.on_event`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from salesdev_tui.i18n import N_, _
from salesdev_tui.textual_patches.dimmed_background import DimmedBackground
from salesdev_tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from salesdev_tui.db.cipher import Secret
    from salesdev_tui.db.database import Database

T = TypeVar("T")


class UnlockScreen(DimmedBackground, ModalScreen[T], Generic[T]):
    """A passphrase field over an opaque background; enter unlocks, escape quits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "unlock", N_("Unlock"), id="unlock", tooltip=N_(
            "Open the database with this passphrase"), priority=True),
        Binding("escape", "quit_app", N_("Quit"), id="unlock-quit",
                tooltip=N_("Quit salesdev without unlocking")),
    ]

    def __init__(self, path: Path, check: Callable[[Secret], T], *, locked: bool = False) -> None:
        super().__init__(classes="unlock-screen")
        self.path = path
        self.check = check
        #: True when this covers an open app (the idle lock), False at start-up.
        self.locked = locked
        self.busy = False

    def compose(self) -> ComposeResult:
        title = _("salesdev is locked") if self.locked else _("Unlock the database")
        with Vertical(classes="dialog unlock-dialog"):
            yield Label(Text(title), classes="dialog-title")
            yield Static(Text(_("{path} is encrypted. Type its passphrase.").format(
                path=self.path)), classes="unlock-path")
            yield Input(password=True, placeholder=_("Passphrase"), id="unlock-passphrase")
            yield Static(Text(""), id="unlock-message", classes="field-error")
        yield KeyFooter()

    @property
    def field(self) -> Input:
        return self.query_one("#unlock-passphrase", Input)

    @property
    def message(self) -> Static:
        return self.query_one("#unlock-message", Static)

    def on_mount(self) -> None:
        self.field.focus()

    def action_unlock(self) -> None:
        if self.busy:
            return
        from salesdev_tui.db.cipher import Secret

        try:
            secret = Secret(self.field.value)
        except ValueError:
            self._refused(_("Type the passphrase first."))
            return
        self.busy = True
        self.message.update(Text(_("Unlocking…")))
        check, app = self.check, self.app

        def job() -> None:
            from salesdev_tui.db.errors import StorageError

            try:
                result = check(secret)
            except StorageError as exc:
                app.call_from_thread(self._refused, exc.message)
                return
            except Exception as exc:  # noqa: BLE001 - shown at the field, never a traceback
                app.call_from_thread(self._refused, _("Unexpected problem: {problem}").format(
                    problem=type(exc).__name__))
                return
            app.call_from_thread(self._unlocked, result)

        self.run_worker(job, thread=True, exclusive=True, group="unlock", exit_on_error=False)

    def _refused(self, message: str) -> None:
        self.busy = False
        self.message.update(Text(message))
        self.field.focus()

    def _unlocked(self, result: T) -> None:
        self.busy = False
        self.field.value = ""  # the passphrase leaves the widget tree with the screen
        self.dismiss(result)

    def action_quit_app(self) -> None:
        self.app.exit()


def wrong_passphrase(path: Path) -> Exception:
    from salesdev_tui.db.errors import Problem, storage_error

    return storage_error(Problem.WRONG_PASSPHRASE, path)


def relock_check(db: Database) -> Callable[[Secret], bool]:
    """The idle lock's check: the passphrase the open database was opened with, or refused.

    Compares with the key held in memory (constant time): no key derivation, no file access.
    """

    def check(secret: Secret) -> bool:
        if not db.unlocks(secret):
            raise wrong_passphrase(db.path)
        return True

    return check


class IdleLock:
    """Locks the app after `minutes` without activity (0: never); a tick checks twice a minute."""

    TICK_SECONDS = 30.0

    def __init__(
        self,
        app: App[Any],
        minutes: int,
        make_screen: Callable[[], UnlockScreen[bool] | None],
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.minutes = minutes
        self.make_screen = make_screen
        self.clock = clock
        self.last_activity = clock()
        self.locked = False

    def start(self) -> None:
        if self.minutes > 0:
            self.app.set_interval(self.TICK_SECONDS, self.tick, name="idle-lock")

    def touch(self) -> None:
        """A key press or mouse click: the rep is here."""
        if not self.locked:
            self.last_activity = self.clock()

    def tick(self) -> None:
        if self.locked or self.minutes <= 0:
            return
        if self.clock() - self.last_activity >= self.minutes * 60:
            self.lock()

    def lock(self) -> None:
        screen = self.make_screen()
        if screen is None:  # nothing to lock (a plain database, or none open yet)
            return
        self.locked = True
        self.app.push_screen(screen, self._unlocked)

    def _unlocked(self, _result: bool | None) -> None:
        self.locked = False
        self.last_activity = self.clock()
