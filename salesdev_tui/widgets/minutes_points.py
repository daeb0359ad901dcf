"""The points of negotiation minutes: the list with its keys (`dialogs/point_dialog.py` asks
for one point). Nothing is saved here: the minutes editor keeps the points in its draft and
saves the whole minutes at once.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.reactive import var
from textual.widgets import DataTable

from salesdev_tui.dialogs.point_dialog import PointDialog, point_kind_label
from salesdev_tui.domain.validation import NegotiationPointInput
from salesdev_tui.i18n import N_, _
from salesdev_tui.models.enums import PointKind
from salesdev_tui.store.negotiations import PointDraft


class PointTable(DataTable[Text]):
    """The points of the minutes, as a draft the rep edits by key; the screen saves them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add_point('key_info')", N_("Key info"), id="point-add-info",
                tooltip=N_("Add a piece of key information")),
        Binding("g", "add_point('agreed')", N_("Agreed"), id="point-add-agreed",
                tooltip=N_("Add a point agreed")),
        Binding("o", "add_point('open')", N_("Open"), id="point-add-open",
                tooltip=N_("Add a point still open")),
        Binding("e", "edit_point", N_("Edit"), id="point-edit",
                tooltip=N_("Change the highlighted point")),
        Binding("d,delete", "delete_point", N_("Delete"), id="point-delete",
                tooltip=N_("Remove the highlighted point")),
        Binding("space", "toggle_point", N_("Resolved"), id="point-resolved",
                tooltip=N_("Tick the highlighted point resolved, or un-tick it")),
        Binding("c", "screen.carry_point", N_("Into contract"), id="point-carry",
                tooltip=N_("Carry the highlighted agreed point into a contract clause")),
    ]

    points: var[tuple[PointDraft, ...]] = var(())
    """The points as they stand on screen, in order (`id` None: not saved yet)."""

    def on_mount(self) -> None:
        self.add_columns(_("kind"), _("done"), _("point"))

    def watch_points(self, points: tuple[PointDraft, ...]) -> None:
        cursor = self.cursor_row
        self.clear()
        for draft in points:
            point = draft.data
            self.add_row(Text(point_kind_label(point.kind)), Text("✓" if point.resolved else ""),
                         Text(point.text.replace("\n", " ")))
        if points:
            self.move_cursor(row=min(max(cursor, 0), len(points) - 1))

    def highlighted(self) -> int | None:
        """The index of the highlighted point, or None when there is none."""
        row = self.cursor_row
        return row if self.points and 0 <= row < len(self.points) else None

    def _replace(self, index: int, draft: PointDraft) -> None:
        points = list(self.points)
        points[index] = draft
        self.points = tuple(points)

    def action_add_point(self, kind: str) -> None:
        def added(point: NegotiationPointInput | None) -> None:
            if point is not None:
                self.points = (*self.points, PointDraft(point))
                self.move_cursor(row=len(self.points) - 1)
                self.focus()

        self.app.push_screen(PointDialog(PointKind(kind)), added)

    def action_edit_point(self) -> None:
        index = self.highlighted()
        if index is None:
            return
        draft = self.points[index]

        def edited(point: NegotiationPointInput | None) -> None:
            if point is not None:
                self._replace(index, PointDraft(point, draft.id))

        data = draft.data
        self.app.push_screen(PointDialog(data.kind, data.text, data.resolved), edited)

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit_point()

    def action_delete_point(self) -> None:
        index = self.highlighted()
        if index is not None:
            self.points = self.points[:index] + self.points[index + 1:]

    def action_toggle_point(self) -> None:
        index = self.highlighted()
        if index is not None:
            draft = self.points[index]
            data = draft.data.model_copy(update={"resolved": not draft.data.resolved})
            self._replace(index, PointDraft(data, draft.id))
