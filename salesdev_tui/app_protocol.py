"""What screens, dialogs, forms and widgets need of the app: a Protocol, not the App class.

Screens type against `SalesApp` (through `DbMixin.sales_app`), so no module under screens/
or widgets/ imports `salesdev_tui.app`, and the App imports screens without a cycle. The
Textual side of the app (push_screen, notify, call_from_thread, …) is reached through the
screen's own `self.app`; only what salesdev adds is listed here. mypy checks that the App
conforms (`salesdev_tui.app._conforms`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from textual.signal import Signal

    from salesdev_tui.config import Settings
    from salesdev_tui.domain.sync_state import SyncView
    from salesdev_tui.models.views import TodayData
    from salesdev_tui.store.combined import Store

Clock = Callable[[], datetime]


class TeamSyncState(Protocol):
    """What the footer's sync state reads of the background sync (`app_sync.TeamSync`)."""

    enabled: bool
    """A team server is configured."""
    view: SyncView
    """The sync's state now."""
    signal: Signal[SyncView]
    """Publishes each new state."""


class SalesApp(Protocol):
    """The app as screens see it: settings, clock, the store and the way to say "saved"."""

    settings: Settings
    """The rep's settings (time zone, currency, …), loaded once by the CLI."""
    config_path: Path | None
    """The settings file (import mappings are kept beside it); None in some tests."""
    clock: Clock
    """Now, in UTC: the tests fix it (FIXED_NOW)."""
    data_version: int
    """Bumped when the store opens and after every save: screens watch it and reload."""
    early_today: TodayData | None
    """Today's rows read before the store opens (`store.quick_today`)."""
    @property
    def team_sync(self) -> TeamSyncState:
        """The background sync with the team server (`app_sync.TeamSync`; inert without a
        team configured)."""
        ...

    @property
    def store(self) -> Store | None:
        """The open store, or None until the worker has opened the database."""
        ...

    @property
    def store_error(self) -> str | None:
        """Why the database could not be opened, shown by screens that need it."""
        ...

    def changed(self) -> None:
        """Tell every screen that data changed (after each successful save)."""
        ...

    def open_customer(self, customer_id: uuid.UUID) -> None:
        """Show a customer's page on top of the current screen."""
        ...

    def plan_contact(self, customer_id: uuid.UUID, *,
                     initial: dict[str, object] | None = None, focus: str = "") -> None:
        """Open the form that plans a contact (the plan form and the outcome dialog open
        each other: through the app, neither module imports the other back)."""
        ...
