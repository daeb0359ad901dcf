"""The palette's team commands: the manager's team scorecard (for a manager) and, for
anyone on a team, the assessments the manager wrote for them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from textual.app import App, SystemCommand

from salesdev_tui.app_protocol import SalesApp
from salesdev_tui.i18n import _


def team_commands(app: App[Any]) -> Iterable[SystemCommand]:
    team = cast(SalesApp, app).settings.team
    if not team.configured:
        return
    if team.role == "manager":
        from salesdev_tui.screens.team_scorecard import TeamScorecardScreen

        yield SystemCommand(_("Team scorecard"), _("Every rep's indicators, read on the"
                                                   " team server"),
                            lambda: app.push_screen(TeamScorecardScreen()))
    from salesdev_tui.screens.my_assessments import MyAssessmentsScreen

    yield SystemCommand(_("My assessments"), _("The manager's month-end assessments of you"),
                        lambda: app.push_screen(MyAssessmentsScreen()))
