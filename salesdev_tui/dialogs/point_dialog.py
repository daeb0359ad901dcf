"""The dialog for one point of negotiation minutes: it returns the checked point, or None.

Nothing is saved here: the minutes editor keeps the points in its draft (`widgets/
minutes_points.py`) and saves the whole minutes at once.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label, Select, TextArea

from salesdev_tui.domain.validation import InvalidInput, NegotiationPointInput, validate
from salesdev_tui.i18n import N_, _
from salesdev_tui.models.enums import PointKind
from salesdev_tui.textual_patches.dimmed_background import DimmedBackground


def point_kind_label(kind: PointKind) -> str:
    labels = {
        PointKind.KEY_INFO: _("key info"),
        PointKind.AGREED: _("agreed"),
        PointKind.OPEN: _("open"),
    }
    return labels[kind]



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
        from salesdev_tui.dialogs.confirm import ConfirmScreen

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
