"""Whether a screen is in some mode's stack (Textual keeps them in `App._screen_stacks`).

Textual has no public view of every mode's stack; `App.uninstall_screen` checks the same
private dict. Upstream: a public `App.screen_stacks` (read-only mapping) would remove this.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.screen import Screen


def in_a_stack(app: App[Any], screen: Screen[Any]) -> bool:
    """Whether `screen` is in some mode's stack: shown, or under another screen."""
    return any(screen in stack for stack in app._screen_stacks.values())


def mode_is_built(app: App[Any], mode: str) -> bool:
    """Whether `mode` has been shown before (its stack exists, its screen is composed)."""
    return mode in app._screen_stacks


def every_screen(app: App[Any]) -> list[Screen[Any]]:
    """Every screen in every mode's stack (a language switch relabels them all)."""
    return [screen for stack in app._screen_stacks.values() for screen in stack]
