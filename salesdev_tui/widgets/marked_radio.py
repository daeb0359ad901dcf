"""A radio button whose state reads without colour: ◉ chosen, ○ not.

Textual's RadioButton draws the same ● for both states and tells them apart by colour
only, which a monochrome terminal, a colour-blind rep or a screen reader cannot see.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import RadioButton

__all__ = ["MarkedRadioButton"]

CHOSEN = "◉"
NOT_CHOSEN = "○"


class MarkedRadioButton(RadioButton):
    """A RadioButton drawing ◉ when chosen and ○ when not (colour stays as a bonus)."""

    @property
    def _button(self) -> Content:
        button_style = self.get_visual_style("toggle--button")
        mark = CHOSEN if self.value else NOT_CHOSEN
        return Content.assemble((f" {mark} ", button_style))
