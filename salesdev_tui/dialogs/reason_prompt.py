"""Ask for a reason on one line: `ReasonScreen(title, message)` dismisses with it, or None."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from salesdev_tui.i18n import N_, _
from salesdev_tui.models.limits import REASON
from salesdev_tui.textual_patches.dimmed_background import DimmedBackground


class ReasonScreen(DimmedBackground, ModalScreen[str | None]):
    """A reason the rep must give before going on (a credit override, …); blank is refused."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", N_("Go on"), id="reason-submit", priority=True,
                tooltip=N_("Go on with this reason")),
        Binding("escape", "cancel", N_("Cancel"), id="reason-cancel",
                tooltip=N_("Go back without doing it")),
    ]

    def __init__(self, title: str, message: str, *, placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog reason-dialog"):
            yield Label(Text(self.title_text), classes="dialog-title")
            yield Static(Text(self.message), classes="reason-message")
            yield Input(id="reason-text", placeholder=self.placeholder, max_length=REASON)
            yield Label("", id="reason-error", classes="field-error -hidden")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Go on (enter)"), variant="primary", id="reason-submit")
                yield Button(_("Cancel (esc)"), id="reason-cancel")

    def on_mount(self) -> None:
        self.query_one("#reason-text", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#reason-submit")
    def action_submit(self) -> None:
        reason = self.query_one("#reason-text", Input).value.strip()
        if not reason:
            error = self.query_one("#reason-error", Label)
            error.update(Text(_("A reason is needed to go on.")))
            error.remove_class("-hidden")
            return
        self.dismiss(reason)

    @on(Button.Pressed, "#reason-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
