"""Mode switches that show a built screen at once (overrides `App.delay_update`).

Textual's `switch_mode` holds every frame for 50 ms (`delay_update`) to hide a screen still
being built. A mode shown before is whole and laid out (and `KeptStyles` skips its
restyle), so holding its first frame only made every switch 50 ms slower: 70 ms instead of
20 at 100,000 customers. The hold stays for a mode's first visit, which composes its screen.

Relies on: `App.switch_mode` calling `self.delay_update()` (no underscore, but not in the
docs), and `App._screen_stacks` (through `mode_stacks.mode_is_built`).
Upstream: a `switch_mode(mode, delay=False)` parameter, or no hold for a mode already built.
"""

from __future__ import annotations

from textual.app import App
from textual.widget import AwaitMount

from salesdev_tui.textual_patches.mode_stacks import mode_is_built


class FastModeSwitch(App[None]):
    """An App whose mode switches show a built screen at once."""

    _switching_to_built_mode = False

    def switch_mode(self, mode: str) -> AwaitMount:
        self._switching_to_built_mode = mode_is_built(self, mode)
        try:
            return super().switch_mode(mode)
        finally:
            self._switching_to_built_mode = False

    def delay_update(self, delay: float = 0.05) -> None:
        if not self._switching_to_built_mode:  # a built screen has nothing to hide
            super().delay_update(delay)
