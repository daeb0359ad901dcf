"""Marking rows of a table to act on them together (issue 21.1): space marks the row under
the cursor and moves on, shift+down / shift+up mark as they move, the screen may mark a
whole search result.

Marks are row keys, kept in the order they were made (a spread of contact times follows
it), and survive the table's rows being rebuilt: a marked row shows a "✓" before its
first cell whenever it is on screen, also one loaded later by scrolling.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from salesdev_tui.i18n import N_

MARK = "✓ "


class MarkableTable(DataTable[Text]):
    """A row table whose rows the rep can mark."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Not in the footer: it keeps room for the daily keys; Help lists it, and the status
        # line says what the marks are for once there are some.
        Binding("space", "toggle_mark", N_("Mark"), id="mark-toggle", show=False,
                tooltip=N_("Mark or unmark this row, to act on all marked rows at once")),
        Binding("shift+down", "mark_down", N_("Mark down"), id="mark-down", show=False,
                tooltip=N_("Mark this row and the next")),
        Binding("shift+up", "mark_up", N_("Mark up"), id="mark-up", show=False,
                tooltip=N_("Mark this row and the one above")),
    ]

    class MarksChanged(Message):
        """The set of marked rows changed; `count` is how many are marked now."""

        def __init__(self, table: MarkableTable, count: int) -> None:
            super().__init__()
            self.table = table
            self.count = count

        @property
        def control(self) -> MarkableTable:
            return self.table

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.marked: dict[str, None] = {}
        """Marked row keys, in the order they were marked."""
        self._plain: dict[str, Text] = {}
        """The first cell of each marked row on screen, as it was before the mark."""

    # -- what the screen calls -------------------------------------------------------------

    def marked_keys(self) -> list[str]:
        return list(self.marked)

    def mark_all(self, keys: Iterable[str]) -> None:
        for key in keys:
            self.marked.setdefault(key, None)
        self.show_marks()
        self._changed()

    def clear_marks(self) -> None:
        for key in list(self._plain):
            self._restore(key)
        self.marked.clear()
        self._changed()

    def show_marks(self) -> None:
        """Put the mark on every marked row on screen (after rows were added)."""
        if not self.ordered_columns:
            return
        column = self.ordered_columns[0].key
        for key in self.marked:
            if key in self._plain or key not in self.rows:
                continue
            plain = self.get_cell(key, column)
            self._plain[key] = plain
            self.update_cell(key, column, Text.assemble((MARK, "bold green"), plain))

    def clear(self, columns: bool = False) -> MarkableTable:
        self._plain.clear()  # the rows go, and the marks' cells with them
        super().clear(columns)
        return self

    # -- keys -----------------------------------------------------------------------------

    def _cursor_key(self) -> str | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return None if key is None else str(key)

    def _restore(self, key: str) -> None:
        plain = self._plain.pop(key, None)
        if plain is not None and key in self.rows and self.ordered_columns:
            self.update_cell(key, self.ordered_columns[0].key, plain)

    def _set(self, key: str, on: bool) -> None:
        if on:
            self.marked.setdefault(key, None)
            self.show_marks()
        else:
            self.marked.pop(key, None)
            self._restore(key)

    def _changed(self) -> None:
        self.post_message(self.MarksChanged(self, len(self.marked)))

    def action_toggle_mark(self) -> None:
        key = self._cursor_key()
        if key is None:
            return
        self._set(key, key not in self.marked)
        self._changed()
        self.action_cursor_down()

    def _mark_moving(self, step: int) -> None:
        key = self._cursor_key()
        if key is None:
            return
        self._set(key, True)
        if step > 0:
            self.action_cursor_down()
        else:
            self.action_cursor_up()
        moved = self._cursor_key()
        if moved is not None:
            self._set(moved, True)
        self._changed()

    def action_mark_down(self) -> None:
        self._mark_moving(1)

    def action_mark_up(self) -> None:
        self._mark_moving(-1)
