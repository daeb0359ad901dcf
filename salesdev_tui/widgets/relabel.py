"""A language switch without a restart: the texts already on screen, said again.

Screens compose their labels once; recomposing them would lose what the rep typed and the
rows loaded. Instead every widget's own text that is a whole catalogue message (a label, a
column header, a button, a tab, a placeholder, a border title) is swapped for the same
message in the new language. Text built from data ("Overdue (3)") is not a message: the
views that format it reload after the switch (`data_version`) and format it again.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Static, Tab

Convert = Callable[[str], str | None]


def _said_again(value: object, convert: Convert) -> str | None:
    if isinstance(value, str):
        return convert(value)
    if isinstance(value, (Text, Content)):
        return convert(value.plain)
    return None


def _relabel_widget(widget: Widget, convert: Convert) -> None:
    for name in ("border_title", "border_subtitle"):
        new = _said_again(getattr(widget, name), convert)
        if new is not None:
            setattr(widget, name, new)
    if isinstance(widget, (Button, Tab)):
        new = _said_again(widget.label, convert)
        if new is not None:
            widget.label = new
    elif isinstance(widget, Static):
        new = _said_again(widget.content, convert)
        if new is not None:
            widget.update(new)
    elif isinstance(widget, Input):
        new = _said_again(widget.placeholder, convert)
        if new is not None:
            widget.placeholder = new
    elif isinstance(widget, DataTable):
        changed = False
        for column in widget.columns.values():
            new = _said_again(column.label, convert)
            if new is not None:
                column.label = Text(new)
                changed = True
        if changed:
            widget.refresh()


def relabel(screen: Screen[object], convert: Convert) -> None:
    """Say every message shown on `screen` in the new language (see the module's doc)."""
    for name in ("title", "sub_title"):
        text = getattr(screen, name, None)
        new = convert(text) if isinstance(text, str) and text else None
        if new is not None:
            setattr(screen, name, new)
    for widget in screen.walk_children(Widget, with_self=False):
        _relabel_widget(widget, convert)
    screen.refresh_bindings()
