"""A language switch without a restart: the texts already on screen, said again.

Screens compose their labels once; recomposing them would lose what the rep typed and the
rows loaded. Instead every widget's own text that is a whole catalogue message (a label, a
column header, a button, a tab, a placeholder, a border title) is swapped for the same
message in the new language. Text built from data ("Overdue (3)") is not a message: the
views that format it reload after the switch (`data_version`) and format it again; a
widget that keeps translated text of its own (labels cached for its rows) says it again in
a `language_changed()` method, which is called here.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Static, Tab

Convert = Callable[[str, str | None], tuple[str, str] | None]

# Each node remembers the English of what it shows (slot -> msgid): several English
# messages can share a translation ("Stage", "stage": 階段), and going back must find the
# right one.
_MSGIDS = "_salesdev_msgids"


def _said_again(node: DOMNode, slot: str, value: object, convert: Convert) -> str | None:
    """`value` in the new language, or None when it is not a message or does not change."""
    if isinstance(value, (Text, Content)):
        value = value.plain
    if not isinstance(value, str) or not value:
        return None
    remembered: dict[str, str] = node.__dict__.setdefault(_MSGIDS, {})
    result = convert(value, remembered.get(slot))
    if result is None:
        return None
    msgid, text = result
    remembered[slot] = msgid
    return None if text == value else text


def _relabel_widget(widget: Widget, convert: Convert) -> None:
    for name in ("border_title", "border_subtitle"):
        new = _said_again(widget, name, getattr(widget, name), convert)
        if new is not None:
            setattr(widget, name, new)
    if isinstance(widget, (Button, Tab)):
        new = _said_again(widget, "label", widget.label, convert)
        if new is not None:
            widget.label = new
    elif isinstance(widget, Static):
        new = _said_again(widget, "content", widget.content, convert)
        if new is not None:
            widget.update(new)
    elif isinstance(widget, Input):
        new = _said_again(widget, "placeholder", widget.placeholder, convert)
        if new is not None:
            widget.placeholder = new
    elif isinstance(widget, DataTable):
        changed = False
        for key, column in widget.columns.items():
            new = _said_again(widget, f"column:{key.value}", column.label, convert)
            if new is not None:
                column.label = Text(new)
                changed = True
        if changed:
            widget.refresh()


def relabel(screen: Screen[object], convert: Convert) -> None:
    """Say every message shown on `screen` in the new language (see the module's doc)."""
    for name in ("title", "sub_title"):
        new = _said_again(screen, name, getattr(screen, name, None), convert)
        if new is not None:
            setattr(screen, name, new)
    for widget in screen.walk_children(Widget, with_self=False):
        _relabel_widget(widget, convert)
        hook = getattr(widget, "language_changed", None)
        if callable(hook):
            hook()
    screen.refresh_bindings()
