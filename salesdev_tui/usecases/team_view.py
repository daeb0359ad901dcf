"""The manager's views of the team, read on the team server: the team scorecard, the
month-end assessment and one rep's customers (issue 19.1, 19.2). `salesdev team scorecard`,
`salesdev team assess` and the manager's screens call these.

Every read is one REPEATABLE READ transaction on the manager's own login (row-level
security lets a manager read every rep's rows and write nothing but hand-overs, targets and
assessments). A rep or a legal user gets `TeamRefused`: a plain message, never the rows.

The periods are cut in the manager's time zone and the commission uses the manager's rate
(the department's: a rep's row then equals that rep's own scorecard, whose laptop has the
same settings); the targets are each rep's rows on the server, else the manager's defaults.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from salesdev_tui.domain.assessment import LOOKBACK, AssessmentLine, assessment_lines
from salesdev_tui.domain.periods import Period
from salesdev_tui.domain.team_scorecard import TeamScorecard, build_team_scorecard

if TYPE_CHECKING:
    import psycopg

    from salesdev_tui.config import Settings
    from salesdev_tui.db import Database
    from salesdev_tui.server.assessments import RepCustomer

__all__ = ["AssessmentSheet", "TeamRefused", "assessment_sheet", "clean_assessment",
           "customers_of", "manager_connection", "my_assessments", "read_team_card",
           "record_assessment", "team_scorecard"]


P = ParamSpec("P")
R = TypeVar("R")


def _plain_errors(call: Callable[P, R]) -> Callable[P, R]:
    """A database error of the server (an older schema, a refusal) as a `ServerError` whose
    message says what happened, never a traceback on the face."""

    @functools.wraps(call)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        import psycopg

        from salesdev_tui.i18n import _
        from salesdev_tui.server.admin import ServerError

        try:
            return call(*args, **kwargs)
        except psycopg.Error as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise ServerError(_("The team server refused: {problem} (is its schema up to"
                                " date? `salesdev server migrate`)").format(problem=first)
                              ) from None

    return wrapped


#: The team roles in words (`server.roles.TeamRole` values).


class TeamRefused(Exception):
    """The user is not the team's manager: the message says so."""


def manager_connection(url: str) -> psycopg.Connection[Any]:
    import psycopg

    from salesdev_tui.i18n import _
    from salesdev_tui.server.connect import team_connect
    from salesdev_tui.server.roles import TeamRole

    conn, role = team_connect(url)
    if role is not TeamRole.MANAGER:
        conn.close()
        raise TeamRefused(_("Only the team's manager sees the team's figures and assessments;"
                            " you are on the team as {role}.").format(
                                role=role.label))
    conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    return conn


def read_team_card(conn: psycopg.Connection[Any], reps: list[str], period: Period,
               settings: Settings, today: date) -> TeamScorecard:
    from salesdev_tui.server.team_figures import (
        read_team_figures,
        read_team_targets,
        zero_filled,
    )

    figures = zero_filled(reps, read_team_figures(conn, *period.utc_bounds()))
    targets = read_team_targets(conn, [(period.kind, period.label)])
    return build_team_scorecard(period, figures, targets, defaults=settings.targets,
                                commission_rate=settings.commission_rate, today=today)


@_plain_errors
def team_scorecard(url: str, settings: Settings, period: Period, today: date) -> TeamScorecard:
    """Every rep's card and the team's for `period`, seen on the local `today`."""
    from salesdev_tui.server.team_figures import team_reps

    with manager_connection(url) as conn:
        card = read_team_card(conn, team_reps(conn), period, settings, today)
        conn.rollback()
    return card


@dataclass(frozen=True)
class AssessmentSheet:
    card: TeamScorecard
    lines: list[AssessmentLine]


@_plain_errors
def assessment_sheet(url: str, settings: Settings, period: Period, today: date
                     ) -> AssessmentSheet:
    """Each rep against target for `period`, the periods in a row below target and the
    talk recorded, if any."""
    from salesdev_tui.server.assessments import read_assessments
    from salesdev_tui.server.team_figures import team_reps

    with manager_connection(url) as conn:
        reps = team_reps(conn)
        card = read_team_card(conn, reps, period, settings, today)
        history = []
        earlier = period
        for _back in range(LOOKBACK):
            earlier = earlier.previous()
            history.append(read_team_card(conn, reps, earlier, settings, today))
        notes = read_assessments(conn, period)
        conn.rollback()
    return AssessmentSheet(card, assessment_lines(card, history, notes))


def clean_assessment(talk_notes: str | None, improvement_plan: str | None
                     ) -> tuple[str | None, str | None]:
    """The two texts as stored (the shared text rules), or ValueError naming the field."""
    from salesdev_tui.domain.text_rules import clean_text
    from salesdev_tui.i18n import _
    from salesdev_tui.models import limits

    cleaned = []
    for label, value in ((_("Talk notes"), talk_notes),
                         (_("Improvement plan"), improvement_plan)):
        try:
            cleaned.append(clean_text(value, max_len=limits.TEXT, multiline=True))
        except ValueError as exc:
            raise ValueError(_("{field}: {problem}").format(field=label, problem=exc)) from None
    return cleaned[0], cleaned[1]


@_plain_errors
def record_assessment(url: str, rep: str, period: Period, *, talk_notes: str | None,
                      improvement_plan: str | None, now: datetime) -> None:
    """Save the talk's notes and the improvement plan for `rep` (the rep's next sync brings
    them to the rep's laptop). ValueError for a text the rules refuse (`clean_assessment`)."""
    from salesdev_tui.i18n import _
    from salesdev_tui.server.assessments import save_assessment
    from salesdev_tui.server.team_figures import team_reps

    talk_notes, improvement_plan = clean_assessment(talk_notes, improvement_plan)
    with manager_connection(url) as conn:
        if rep not in team_reps(conn):
            conn.rollback()
            raise TeamRefused(_("{rep!r} is not a rep of this team.").format(rep=rep))
        save_assessment(conn, rep, period, talk_notes=talk_notes,
                        improvement_plan=improvement_plan, now=now)
        conn.commit()


@_plain_errors
def customers_of(url: str, rep: str, limit: int = 500) -> list[RepCustomer]:
    """`rep`'s customers, read only (the drill-down of the team scorecard)."""
    from salesdev_tui.server.assessments import rep_customers

    with manager_connection(url) as conn:
        found = rep_customers(conn, rep, limit)
        conn.rollback()
    return found


def my_assessments(db: Database) -> list[dict[str, Any]]:
    """The assessments the manager wrote for this rep, pulled by the sync, newest first."""
    from salesdev_tui.store.assessments import assessments_here

    with db.read() as session:
        return assessments_here(session.connection())
