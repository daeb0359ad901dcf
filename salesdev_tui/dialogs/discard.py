"""Closing an editor: at once when nothing changed, else only after the rep says discard."""

from __future__ import annotations

from textual.screen import ModalScreen

from salesdev_tui.i18n import _


def close_asking(screen: ModalScreen[bool], dirty: bool, message: str) -> None:
    """Dismiss `screen` with False; when `dirty`, ask first (`message` says what is unsaved)."""
    from salesdev_tui.dialogs.confirm import ConfirmScreen

    if not dirty:
        screen.dismiss(False)
        return

    def answered(discard: bool | None) -> None:
        if discard:
            screen.dismiss(False)

    screen.app.push_screen(
        ConfirmScreen(_("Discard the changes?"), message, yes_label=_("Discard"),
                      no_label=_("Keep editing")),
        answered,
    )
