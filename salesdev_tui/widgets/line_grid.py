"""A grid of line items walked by keys: arrows and tab move across cells, keys act on lines.

The grid only shows rows and moves its cursor; the screen owns the lines and does the editing
(the bindings below call `screen.` actions). Every cell is a `rich.text.Text`, so a product
called `[/]` shows as typed.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from salesdev_tui.i18n import N_

_MOVE = Binding.Group(N_("Move"), compact=True)


class LineGrid(DataTable[Text]):
    """Columns 0 .. `editable - 1` can be edited; later ones (computed totals) cannot."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "next_cell", N_("Next cell"), show=False, id="grid-next-cell",
                tooltip=N_("Move to the next cell (then the next line)")),
        Binding("shift+tab", "previous_cell", N_("Previous cell"), show=False,
                id="grid-previous-cell", tooltip=N_("Move to the previous cell")),
        Binding("f2", "screen.edit_cell", N_("Edit"), id="grid-edit",
                tooltip=N_("Edit the cell under the cursor (enter does too)")),
        Binding("ctrl+d,delete", "screen.delete_line", N_("Delete"), id="grid-delete",
                tooltip=N_("Delete the line under the cursor (asks first)")),
        Binding("alt+up,ctrl+up", "screen.move_line(-1)", N_("Line up"), id="grid-line-up",
                tooltip=N_("Move the line up"), group=_MOVE),
        Binding("alt+down,ctrl+down", "screen.move_line(1)", N_("Line down"),
                id="grid-line-down", tooltip=N_("Move the line down"), group=_MOVE),
    ]

    def __init__(self, editable: int, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, cursor_type="cell", zebra_stripes=True)
        self.editable = editable

    def action_next_cell(self) -> None:
        row, column = self.cursor_coordinate
        if self.row_count == 0:
            self.screen.focus_next()
        elif column + 1 < self.editable:
            self.move_cursor(column=column + 1)
        elif row + 1 < self.row_count:
            self.move_cursor(row=row + 1, column=0)
        else:
            self.screen.focus_next()  # past the last cell, tab leaves the grid as usual

    def action_previous_cell(self) -> None:
        row, column = self.cursor_coordinate
        column = min(column, self.editable)
        if self.row_count == 0:
            self.screen.focus_previous()
        elif column > 0:
            self.move_cursor(column=column - 1)
        elif row > 0:
            self.move_cursor(row=row - 1, column=self.editable - 1)
        else:
            self.screen.focus_previous()
