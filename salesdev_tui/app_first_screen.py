"""The screen a team member's `salesdev` opens on, by the role kept at `team join`.

One small dispatch, so each role's screen is one line here: a rep (and solo mode) starts on
Today; the manager on the team scorecard; legal on the queue of contracts sent for
review. The role only picks the screen;
what the person may read or write is the team server's row-level security.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.screen import Screen

    from salesdev_tui.config import Settings


def _team_scorecard() -> Screen[None]:
    from salesdev_tui.screens.team_scorecard import TeamScorecardScreen

    return TeamScorecardScreen()


def _legal_queue() -> Screen[None]:
    from salesdev_tui.screens.legal_queue import LegalQueueScreen

    return LegalQueueScreen()


#: role -> the screen shown over Today when the app opens.
FIRST_SCREENS: dict[str, Callable[[], Screen[None]]] = {
    "manager": _team_scorecard,
    "legal": _legal_queue,
}


def first_screen(settings: Settings) -> Screen[None] | None:
    """The screen to open on for this person's team role; None: Today."""
    if not settings.team.configured:
        return None
    make = FIRST_SCREENS.get(settings.team.role)
    return make() if make is not None else None
