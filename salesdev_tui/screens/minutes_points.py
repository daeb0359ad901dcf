"""The points of negotiation minutes: the list with its keys, and the dialog for one point.

The dialog returns the checked point, or None. Nothing is saved here: the minutes editor
keeps the points in its draft and saves the whole minutes at once.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, DataTable, Label, Select, TextArea

from salesdev_tui.i18n import N_, _
from salesdev_tui.models.enums import PointKind
from salesdev_tui.screens.dimmed_background import DimmedBackground
from salesdev_tui.services.validation import InvalidInput, NegotiationPointInput, validate
from salesdev_tui.store.negotiations import PointDraft


def point_kind_label(kind: PointKind) -> str:
    labels = {
        PointKind.KEY_INFO: _("key info"),
        PointKind.AGREED: _("agreed"),
        PointKind.OPEN: _("open"),
    }
    return labels[kind]


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


class PointDialog(DimmedBackground, ModalScreen[NegotiationPointInput | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "keep", N_("Keep"), id="point-keep", priority=True,
                tooltip=N_("Keep this point in the minutes (saved with them)")),
        Binding("escape", "cancel", N_("Cancel"), id="point-cancel",
                tooltip=N_("Close; asks first if you typed something")),
    ]

    def __init__(self, kind: PointKind, text: str = "", resolved: bool = False) -> None:
        super().__init__()
        self.kind = kind
        self.text = text
        self.resolved = resolved

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog point-dialog"):
            yield Label(_("Point of the minutes"), classes="dialog-title")
            with Horizontal(classes="point-head"):
                yield Select(
                    [(point_kind_label(kind), kind.value) for kind in PointKind],
                    value=self.kind.value, allow_blank=False, id="point-kind", compact=True,
                )
                yield Checkbox(_("Resolved"), self.resolved, id="point-resolved", compact=True)
            yield TextArea(self.text, id="point-text", soft_wrap=True, tab_behavior="focus",
                           classes="point-text")
            yield Label("", id="point-error", classes="field-error -hidden")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Keep (ctrl+s)"), variant="primary", id="point-keep")
                yield Button(_("Cancel (esc)"), id="point-cancel")

    def on_mount(self) -> None:
        area = self.query_one("#point-text", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def _values(self) -> dict[str, object]:
        return {
            "kind": str(self.query_one("#point-kind", Select).value),
            "text": self.query_one("#point-text", TextArea).text,
            "resolved": self.query_one("#point-resolved", Checkbox).value,
        }

    @on(Button.Pressed, "#point-keep")
    def action_keep(self) -> None:
        try:
            point = validate(NegotiationPointInput, self._values())
        except InvalidInput as exc:
            error = self.query_one("#point-error", Label)
            error.update(Text(str(exc)))
            error.remove_class("-hidden")
            self.query_one("#point-text", TextArea).focus()
            return
        self.dismiss(point)

    @on(Button.Pressed, "#point-cancel")
    def action_cancel(self) -> None:
        from salesdev_tui.screens.confirm import ConfirmScreen

        start = {"kind": self.kind.value, "text": self.text, "resolved": self.resolved}
        if self._values() == start:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen(_("Discard this point?"), _("The point has unsaved changes."),
                          yes_label=_("Discard"), no_label=_("Keep editing")),
            answered,
        )
