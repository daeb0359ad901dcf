"""The proposal editor's cell editor: one Input under the grid, for the cell at the cursor.

Enter keeps the cell, tab keeps it and edits the next one (shift+tab the previous one),
escape leaves it as it was. A value the line's input model refuses stays in the editor with
the reason under it, so nothing typed is lost.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Input, Label

from salesdev_tui.forms.proposal_actions import ProposalActions
from salesdev_tui.i18n import N_, _
from salesdev_tui.widgets.line_grid import LineGrid
from salesdev_tui.widgets.proposal_lines import LINE_FIELDS, column_labels


class CellInput(Input):
    """The cell editor: enter saves the cell, tab saves it and edits the next one.

    Tab, shift+tab and escape are acted on here, in the editor's own key handler, not
    through the bindings below (kept for the footer and `?`): a binding runs only after the
    key has bubbled up to the screen, by which time keys typed right behind it (a fast
    typist, a paste) were already inserted into this same editor, into the old cell.
    """

    _KEYS: ClassVar[dict[str, tuple[str, int]]] = {
        "tab": ("commit", 1), "shift+tab": ("commit", -1), "escape": ("cancel", 0),
    }

    def on_key(self, event: events.Key) -> None:
        # Runs before Input's own key handler (Textual walks the class's MRO, subclass
        # first); prevent_default() below keeps Input from inserting the key.
        what = self._KEYS.get(event.key)
        screen = self.screen
        if what is None or not isinstance(screen, ProposalCells):
            return
        event.stop()
        event.prevent_default()
        action, step = what
        if action == "commit":
            screen.action_commit_cell(step)
        else:
            screen.action_cancel_cell()

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "screen.commit_cell(1)", N_("Next cell"), id="cell-next",
                tooltip=N_("Keep this cell and edit the next one")),
        Binding("shift+tab", "screen.commit_cell(-1)", N_("Previous cell"), id="cell-previous",
                tooltip=N_("Keep this cell and edit the previous one")),
        Binding("escape", "screen.cancel_cell", N_("Cancel edit"), id="cell-cancel",
                tooltip=N_("Leave the cell as it was")),
    ]


class ProposalCells(ProposalActions):
    """Editing one cell of the line-item grid."""

    @on(DataTable.CellSelected)
    def _cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_edit_cell()

    def action_edit_cell(self) -> None:
        if self.refuse_if_locked():
            return
        if not self.lines:
            self.action_add_line()
            return
        row, column = self.query_one(LineGrid).cursor_coordinate
        if column >= len(LINE_FIELDS):
            self.notify(_("The amount is computed from the line."), severity="information")
            return
        self.open_editor(row, column)

    def open_editor(self, row: int, column: int) -> None:
        self.editing = (row, column)
        heading = column_labels(self.sales_app.settings.currency)[column]
        self.query_one("#cell-editor-label", Label).update(
            Text(_("Line {n} · {column}").format(n=row + 1, column=heading)))
        editor = self.query_one(CellInput)
        editor.value = self.lines[row].texts[LINE_FIELDS[column]]
        editor.cursor_position = len(editor.value)
        self.query_one("#cell-editor").remove_class("-hidden")
        self.show_message("#cell-error", "")
        self.query_one(LineGrid).move_cursor(row=row, column=column)
        editor.focus()

    def close_editor(self, *, focus_grid: bool = True) -> None:
        self.editing = None
        self.query_one("#cell-editor").add_class("-hidden")
        self.show_message("#cell-error", "")
        if focus_grid:
            self.query_one(LineGrid).focus()

    @on(Input.Submitted, "#cell-input")
    def _cell_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_commit_cell(0)

    def action_commit_cell(self, step: int) -> bool:
        """Keep the cell if it is valid (else say why at the cell); then edit the next one."""
        if self.editing is None:
            return True
        row, column = self.editing
        name = LINE_FIELDS[column]
        candidate = self.lines[row].copy()
        candidate.texts[name] = self.query_one(CellInput).value
        _parsed, problems = candidate.check()
        if name in problems:
            self.show_message("#cell-error", problems[name])
            return False
        self.lines[row] = candidate
        if row in self.line_problems:
            still = {k: v for k, v in problems.items() if k in self.line_problems[row]}
            self.line_problems[row] = still
        self.close_editor()
        self.render_grid(cursor=(row, column))
        target = row * len(LINE_FIELDS) + column + step
        if step and 0 <= target < len(self.lines) * len(LINE_FIELDS):
            self.open_editor(*divmod(target, len(LINE_FIELDS)))
        return True

    def action_cancel_cell(self) -> None:
        self.close_editor()
