"""The footer of every screen: Textual's, rebuilt only when the keys it shows change."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel

from salesdev_tui.i18n import _, language
from salesdev_tui.textual_patches.footer_keys import footer_keys


class KeyFooter(Footer):
    """Textual's `Footer`, minus the rebuilds that would show the same keys again.

    The stock footer removes and mounts a widget per key on every binding refresh: each
    focus move, each screen shown, each worker that ends. Opening a customer's page set off
    about six such rebuilds of some twenty keys, most of the ~200 ms the page took to show
    (profiled: stylesheet work on the new key widgets). Here a rebuild happens only when
    what the footer would show differs from what it shows.
    """

    # Textual's compact footer sets the keys of a group, and a group's label and the next
    # key, with no space between ("alt+↑alt+↓ Move^s Save … pAR Status", issue 14.17).
    # Each key, group and label keeps one cell of space after it, compact or not.
    DEFAULT_CSS = """
    KeyFooter.-compact {
        KeyGroup.-compact FooterKey.-grouped, KeyGroup FooterKey.-grouped {
            margin: 0 1 0 0;
        }
        KeyGroup, KeyGroup.-compact {
            margin: 0;
            padding-left: 0;
        }
        FooterLabel {
            margin: 0 1 0 0;
        }
    }
    KeyFooter {
        KeyGroup.-compact FooterKey.-grouped {
            margin: 0 1 0 0;
        }
        /* The team sync's state and the palette key share the right edge (two widgets
           docked on one edge would overlap). */
        #footer-right {
            dock: right;
            width: auto;
            height: 1;
            FooterKey.-command-palette { dock: none; }
        }
    }
    """

    _shown: Hashable = None
    _held = False
    """True while the first keys wait for the start-up to settle (`bindings_changed`)."""

    def compose(self) -> ComposeResult:
        badge = self._sync_badge()
        # Binding descriptions are class attributes, marked with N_() and left in English at
        # import: they are translated here, when shown, so a language switch reaches them.
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                self._settle_compact(widget)
                widget.description = _(widget.description)
                if isinstance(widget.tooltip, str):
                    widget.tooltip = _(widget.tooltip)
                if badge is not None and widget.has_class("-command-palette"):
                    yield HorizontalGroup(badge, widget, id="footer-right")
                    badge = None
                    continue
            elif isinstance(widget, FooterLabel):
                widget = FooterLabel(_(str(widget.content)))
            yield widget
        if badge is not None and self._bindings_ready:
            yield HorizontalGroup(badge, id="footer-right")

    def _settle_compact(self, key: FooterKey) -> None:
        """Give a new key the compact state it ends up with, before it mounts.

        A key starts compact (its reactive's default) and learns the footer's state from
        that binding after it mounts: its watcher added and then removed the "-compact"
        class, each change restyling the key. With ~20 keys that was ~20 ms of the
        interpreter just after the first frame, while the store's worker reads Today.
        Set here, both changes find nothing to do.
        """
        # The palette's key has no binding (Footer.compose): it stays compact, its default.
        compact = True if key.has_class("-command-palette") else self.compact
        key.set_reactive(FooterKey.compact, compact)
        key.set_class(compact, "-compact", update=False)

    def on_resize(self) -> None:
        from salesdev_tui.widgets.sync_badge import SyncBadge

        for badge in self.query(SyncBadge):
            badge.refresh_state()  # short or whole, as the new width allows

    def _sync_badge(self) -> Widget | None:
        """The team sync's state (widgets/sync_badge.py), on full screens, with a team."""
        if isinstance(self.screen, ModalScreen):
            return None
        from salesdev_tui.widgets.sync_badge import sync_badge

        return sync_badge(self.app)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """The first keys wait until the app's start-up settles (`SalesdevApp.after_start`):
        mounting and styling ~12 keys is ~17 ms of the interpreter, which after the first
        frame is the store's worker's, reading Today's rows; the rep waits for those."""
        after_start = getattr(self.app, "after_start", None)
        if self.children or after_start is None:
            super().bindings_changed(screen)
            return
        self._bindings_ready = True  # what Footer's own does first; compose reads it
        if not self._held:
            self._held = True
            # Through the footer's own queue: its compose binds each key to the footer, which
            # must be the message pump running it (the app's would raise ReactiveError).
            after_start(lambda: self.call_later(self._release, screen))

    def _release(self, screen: Screen[Any]) -> None:
        self._held = False
        super().bindings_changed(screen)

    async def recompose(self) -> None:
        shown = (footer_keys(self), language())  # a language switch shows new words
        if shown == self._shown and self.children:
            return
        self._shown = shown
        await super().recompose()
