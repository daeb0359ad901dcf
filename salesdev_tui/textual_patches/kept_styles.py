"""Screens shown again and again keep their styles instead of recomputing them each time.

Textual restyles every widget of a screen each time it is shown again (`ScreenResume` with
`refresh_styles`), in case the app's CSS changed while the screen was away. For the kept
customer page that was 15-30 ms of a 60-90 ms open at 100,000 customers, and the same on
every switch between Today, Customers and the scorecard. Class and focus changes made
while a screen is away are styled when they happen, so the one thing a hidden screen can
miss is a change of the app's CSS variables: the theme, ANSI colours, terminal focus. Those
are what `_style_context` holds; when any differs from the last time the screen was
styled, it is restyled as before.

Relies on: `ScreenResume.refresh_styles` (public, but undocumented) being what
`Screen._on_screen_resume` checks before restyling; `MessagePump._post_mount` (private)
being called once the Mount event has been handled (`MessagePump._pre_process`).
Upstream: Textual restyling a resumed screen only when the CSS (or its variables) changed
since it was last styled removes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.message import Message


class KeptStyles:
    """Mixed into a Screen subclass before it (`class S(KeptStyles, Screen)`)."""

    _styled_under: tuple[object, ...] | None = None
    """The style context the screen was last fully styled in (None: never shown)."""

    app: App[object]

    def _style_context(self) -> tuple[object, ...]:
        app = self.app
        return (app.theme, app.ansi_color, app.app_focus)

    def post_message(self, message: Message) -> bool:
        if (
            isinstance(message, events.ScreenResume)
            and self._styled_under is not None
            and self._styled_under == self._style_context()
        ):
            message.refresh_styles = False
        posted: bool = super().post_message(message)  # type: ignore[misc]
        return posted

    def _post_mount(self) -> None:
        # Composed and mounted, every on_mount handler run: every widget was styled as it
        # was mounted (and the focused one's branch again when the auto focus moved), so the
        # first show need not restyle the whole screen (~4 ms of Today's first frame)
        # unless the context changed since.
        super()._post_mount()  # type: ignore[misc]
        self._styled_under = self._style_context()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's own handler (this class is before Screen in the MRO), which
        # restyles when `refresh_styles` is left set. The first resume of a screen is
        # posted before it has mounted, so the context is checked here too, not only when
        # the message is posted. Either way the styles are those of the present context
        # from here on.
        if self._styled_under is not None and self._styled_under == self._style_context():
            event.refresh_styles = False
        self._styled_under = self._style_context()
