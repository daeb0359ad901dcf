"""Pick one of a few options by number or arrow keys; dismisses with its index or None."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from salesdev_tui.i18n import N_
from salesdev_tui.textual_patches.dimmed_background import DimmedBackground


class ChoiceScreen(DimmedBackground, ModalScreen[int | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel"), id="choice-cancel"),
        *[Binding(str(n), f"pick({n - 1})", show=False, id=f"choice-{n}") for n in range(1, 10)],
    ]

    def __init__(self, title: str, options: list[str]) -> None:
        super().__init__()
        self.title_text = title
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.title_text), classes="dialog-title")
            yield OptionList(
                *(Option(Text(f"{n}  {label}"), id=str(n - 1))
                  for n, label in enumerate(self.options, start=1))
            )

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_pick(self, index: int) -> None:
        if 0 <= index < len(self.options):
            self.dismiss(index)

    def action_cancel(self) -> None:
        self.dismiss(None)
