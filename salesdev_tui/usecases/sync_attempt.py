"""One background sync as the TUI runs it: never raises, never asks anything.

`salesdev sync` (cli/team.py) reports a failure and exits; the TUI's worker instead turns
every outcome into a `SyncView` for the footer. Offline is normal on the road: a server
that cannot be reached is a state, not an error. A server that wants a password and finds
none kept here is a state too ("sign in"): the password is asked once, by `salesdev team
join`, never by a dialog in the middle of the rep's work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from salesdev_tui.domain.sync_state import SyncPhase, SyncView

if TYPE_CHECKING:
    from salesdev_tui.config import Team
    from salesdev_tui.db import Database
    from salesdev_tui.usecases.sync import SyncReport


@dataclass(frozen=True)
class Attempt:
    view: SyncView
    report: SyncReport | None = None
    """What the sync did, when it ran to the end (or to a stop)."""

    @property
    def brought_changes(self) -> bool:
        """Rows or conflicts arrived or left: the screens shown should read again."""
        report = self.report
        return report is not None and bool(report.pulled or report.dropped
                                           or report.conflicts)


def read_view(db: Database, phase: SyncPhase, problem: str = "") -> SyncView:
    """The counts and the last sync as the database has them now, in `phase`."""
    from salesdev_tui.usecases.sync import status

    found = status(db)
    if not found.joined:
        return SyncView(SyncPhase.NOT_JOINED)
    last = datetime.fromisoformat(found.last_sync) if found.last_sync else None
    return SyncView(phase, last, found.pending, found.conflicts, problem)


def attempt(db: Database, team: Team, *, clock: Callable[[], datetime],
            stop: Callable[[], bool] | None = None) -> Attempt:
    """Sync once with `team`'s server; whatever happens, say how it stands."""
    import psycopg

    from salesdev_tui.db import StorageError
    from salesdev_tui.db.errors import Problem
    from salesdev_tui.server.admin import ServerError
    from salesdev_tui.server.credentials import conninfo, needs_password
    from salesdev_tui.usecases.sync import sync

    try:
        before = read_view(db, SyncPhase.SYNCING)
    except StorageError as exc:
        return Attempt(SyncView(SyncPhase.BUSY, problem=exc.message))
    if before.phase is SyncPhase.NOT_JOINED:
        return Attempt(before)  # never joined: its records are not the team's to receive
    phase, problem, report = SyncPhase.SYNCED, "", None
    try:
        report = sync(db, conninfo(team.url, team.user, team.sslmode), stop=stop, clock=clock)
    except ServerError as exc:
        phase = SyncPhase.SIGN_IN if needs_password(exc) else SyncPhase.OFFLINE
        problem = str(exc)
    except (psycopg.OperationalError, psycopg.InterfaceError) as exc:  # lost on the way
        phase, problem = SyncPhase.OFFLINE, _first_line(exc)
    except StorageError as exc:
        phase = SyncPhase.BUSY if exc.problem is Problem.BUSY else SyncPhase.FAILED
        problem = exc.message
    except Exception as exc:  # noqa: BLE001 - a background sync must not end the app
        phase, problem = SyncPhase.FAILED, _first_line(exc)
    try:
        return Attempt(read_view(db, phase, problem), report)
    except StorageError:
        return Attempt(replace(before, phase=phase, problem=problem), report)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
