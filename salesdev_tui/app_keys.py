"""How the App hands keys on: tab between fields, and no key read before the last landed."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widget import Widget

#: The longest the App waits for a widget to handle a key before reading the next one
#: (a widget busy longer than this lets keys through as Textual does by default).
KEY_WAIT_SECONDS = 0.25


async def key_handled(app: App[Any]) -> None:
    """Wait (briefly) until the focused widget has handled the key just handed to it.

    Textual hands each key to whatever has focus when the App reads it; a widget handles
    its keys later, from its own queue. Keys typed faster than that (a fast typist, a
    card scanner, a paste through tmux) were then read by an action before they landed:
    "0911 111 111" + ctrl+s saved "0911 11", and the rest went into the cleared field.
    A callback queued behind the key fires once the widget is through with it.
    """
    target = app.screen.focused
    if target is None:
        return
    handled = asyncio.Event()
    if target.call_later(handled.set):
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(handled.wait(), KEY_WAIT_SECONDS)


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


def next_field(app: App[Any]) -> None:
    app.screen.focus_next()


def previous_field(app: App[Any]) -> None:
    app.screen.focus_previous()
