"""The team sync's state at the right of the footer (issue 18.3): "synced 3 min ago · to
send 2 · conflicts 1", "offline · to send 2". Only with a team configured (`sync_badge`
gives None otherwise: a solo rep's footer is as before). A click opens the conflicts when
there are some, or syncs now."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import events
from textual.app import App
from textual.widgets import Static

from salesdev_tui.domain.sync_state import SyncPhase, SyncView, footer_text

if TYPE_CHECKING:
    from salesdev_tui.app_protocol import SalesApp

#: Seconds between redraws of "synced N min ago".
AGE_REFRESH = 30.0
#: Below this many columns the state is said in short ("3 min ago ↑2 ⚠1"): the footer's
#: keys need the room.
COMPACT_BELOW = 100


class SyncBadge(Static):
    DEFAULT_CSS = """
    SyncBadge {
        width: auto;
        height: 1;
        padding: 0 1;
        color: $footer-description-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        &.-trouble { color: $text-warning; }
        &.-conflicts { color: $text-error; }
        &:hover { background: $block-hover-background; }
    }
    """

    def __init__(self) -> None:
        super().__init__(id="sync-badge", markup=False)

    @property
    def _sales_app(self) -> SalesApp:
        return cast("SalesApp", self.app)

    def on_mount(self) -> None:
        sync = self._sales_app.team_sync
        sync.signal.subscribe(self, self._show)
        self._show(sync.view)
        self.set_interval(AGE_REFRESH, self.refresh_state)

    def refresh_state(self) -> None:
        """Say the state again (the age moves on; the terminal was resized)."""
        self._show(self._sales_app.team_sync.view)

    def on_unmount(self) -> None:
        self._sales_app.team_sync.signal.unsubscribe(self)

    def _show(self, view: SyncView) -> None:
        self.set_class(view.phase in (SyncPhase.OFFLINE, SyncPhase.FAILED, SyncPhase.BUSY,
                                      SyncPhase.SIGN_IN, SyncPhase.NOT_JOINED), "-trouble")
        self.set_class(view.conflicts > 0, "-conflicts")
        now = self._sales_app.clock()
        compact = self.app.size.width < COMPACT_BELOW
        self.update(Text("⇅ " + footer_text(view, now, compact=compact)))
        whole = footer_text(view, now)
        self.tooltip = "\n".join(filter(None, [whole if compact else "", view.problem])) or None

    async def on_click(self, event: events.Click) -> None:
        event.stop()
        action = "sync_conflicts" if self._sales_app.team_sync.view.conflicts else "sync_now"
        await self.app.run_action(action)


def sync_badge(app: App[object]) -> SyncBadge | None:
    """The badge for the footer, or None when no team is configured."""
    sync = getattr(app, "team_sync", None)
    return SyncBadge() if sync is not None and sync.enabled else None
