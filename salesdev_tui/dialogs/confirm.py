"""A yes/no question: `ConfirmScreen(title, message)` dismisses with True (yes) or False (no)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from salesdev_tui.i18n import N_, _
from salesdev_tui.textual_patches.dimmed_background import DimmedBackground


class ConfirmScreen(DimmedBackground, ModalScreen[bool]):
    """Ask before something that cannot be undone; y/enter on Yes says yes, n/escape no.

    The message is shown as plain text (it may quote what the rep typed).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", N_("Yes"), id="confirm-yes", tooltip=N_("Answer yes")),
        Binding("n", "answer(False)", N_("No"), id="confirm-no", tooltip=N_("Answer no")),
        Binding("escape", "answer(False)", N_("No"), id="confirm-escape", show=False,
                tooltip=N_("Answer no")),
    ]

    def __init__(
        self,
        title: str,
        message: str,
        *,
        yes_label: str | None = None,
        no_label: str | None = None,
        yes_is_default: bool = False,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.yes_label = yes_label or _("Yes")
        self.no_label = no_label or _("No")
        self.yes_is_default = yes_is_default

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm-dialog"):
            yield Label(Text(self.title_text), classes="dialog-title")
            yield Static(Text(self.message), classes="confirm-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    Text(_("{label} (y)").format(label=self.yes_label)),
                    variant="error" if not self.yes_is_default else "primary",
                    id="confirm-yes",
                )
                yield Button(Text(_("{label} (n)").format(label=self.no_label)), id="confirm-no")

    def on_mount(self) -> None:
        default = "#confirm-yes" if self.yes_is_default else "#confirm-no"
        self.query_one(default, Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no(self) -> None:
        self.dismiss(False)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
