"""The global keys that take the rep somewhere (`t`, `c`, `s`, `/`): always to the screen
they name, never to whatever page was left on top of that mode.

Each mode keeps its own stack: a customer page opened from the list sits on the list's
stack, so switching back to the mode used to show that page, where the letters typed next
(meant for the search box) fired the page's keys (issue 14.2). A navigation key now also
closes the pages on top of the mode's screen. A dialog (a form, a question) holds typed
text and is left open: the rep finishes or closes it first.

The switch and the closing are awaited inside the key's action: the App reads the next key
only after the action, so keys typed straight after `/` land in the search box, not on
whatever screen is passing by.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.screen import ModalScreen, Screen


async def show_mode(app: App[Any], mode: str) -> Screen[Any]:
    """Switch to `mode` and close the pages (not dialogs) above its own screen; return the
    screen now shown."""
    if mode != app.current_mode:
        await app.switch_mode(mode)
    while len(app.screen_stack) > 1 and not isinstance(app.screen, ModalScreen):
        await app.pop_screen()
    return app.screen
