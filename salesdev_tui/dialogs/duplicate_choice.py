"""Saving a lead that may already be a customer: open it, add the contact to it, or save anyway.

Asked when a lead is saved (the warning shown while typing is easy to miss). Escape goes back
to the form with everything typed kept.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from salesdev_tui.i18n import N_, _
from salesdev_tui.textual_patches.dimmed_background import DimmedBackground

if TYPE_CHECKING:
    from salesdev_tui.domain.dedupe import DuplicateMatch


class DuplicateChoice(StrEnum):
    """What the rep chose for a lead that matches an existing customer."""

    OPEN = "open"
    ADD_CONTACT = "add_contact"
    SAVE_ANYWAY = "save_anyway"


class DuplicateChoiceScreen(DimmedBackground, ModalScreen[DuplicateChoice | None]):
    """`DuplicateChoiceScreen(matches, contact_name)`: dismisses with the choice, or None."""

    DEFAULT_CSS = """
    DuplicateChoiceScreen #duplicate-matches { padding-bottom: 1; }
    DuplicateChoiceScreen #duplicate-options { height: auto; max-height: 6; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Back to the lead"), id="duplicate-choice-cancel"),
        *[Binding(str(n), f"pick({n - 1})", show=False, id=f"duplicate-choice-{n}")
          for n in range(1, 4)],
    ]

    def __init__(self, matches: list[DuplicateMatch], contact_name: str | None) -> None:
        super().__init__()
        self.matches = matches
        self.choices: list[tuple[DuplicateChoice, str]] = []
        name = matches[0].customer_name
        self.choices.append((DuplicateChoice.OPEN, _("Open {name}").format(name=name)))
        if contact_name:
            self.choices.append((
                DuplicateChoice.ADD_CONTACT,
                _("Add {contact} as a contact of {name}").format(contact=contact_name, name=name),
            ))
        self.choices.append((DuplicateChoice.SAVE_ANYWAY, _("Save as a new customer anyway")))

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog duplicate-choice"):
            yield Label(_("This lead may already be a customer"), classes="dialog-title")
            yield Static(self._matches_text(), id="duplicate-matches")
            yield OptionList(
                *(Option(Text(f"{n}  {label}"), id=choice.value)
                  for n, (choice, label) in enumerate(self.choices, start=1)),
                id="duplicate-options",
            )
            yield Label(_("esc: back to the lead (nothing typed is lost)"), classes="muted")

    def _matches_text(self) -> Text:
        text = Text()
        for match in self.matches:
            who = f" · {match.contact_name}" if match.contact_name else ""
            text.append(match.customer_name, style="bold")
            text.append(f" ({_(match.stage.value)}) — {match.reason_text}{who}\n")
        text.rstrip()
        return text

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(DuplicateChoice(event.option.id or DuplicateChoice.OPEN))

    def action_pick(self, index: int) -> None:
        if 0 <= index < len(self.choices):
            self.dismiss(self.choices[index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
