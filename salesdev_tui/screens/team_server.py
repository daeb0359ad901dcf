"""What the manager's screens share: a read or write on the team server in a thread worker
(the UI never waits for the network), its failure in plain words (offline, refused)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from salesdev_tui.i18n import _
from salesdev_tui.screens.base import DbMixin


def server_url(settings: Any) -> str:
    from salesdev_tui.server.credentials import conninfo

    team = settings.team
    return str(conninfo(team.url, team.user, team.sslmode))


def server_problem(exc: BaseException) -> str | None:
    """The plain words for a failed read on the team server (None: not a server matter)."""
    from salesdev_tui.server.admin import ServerError
    from salesdev_tui.usecases.team_view import TeamRefused

    if isinstance(exc, TeamRefused):
        return str(exc)
    if isinstance(exc, ServerError):
        return _("Offline: {problem} The figures show once the server answers (r: try"
                 " again).").format(problem=exc)
    return None


class ServerMixin(DbMixin):
    """Runs a team-server read in a thread worker; the result or the plain problem comes
    back on the UI thread."""

    def run_server(self, call: Callable[[], Any], done: Callable[[Any], None],
                   failed: Callable[[str], None], *, group: str) -> None:
        app = self.textual_app

        def job() -> None:
            try:
                result = call()
            except Exception as exc:  # noqa: BLE001 - every failure is said, none crash
                message = server_problem(exc) or _("Unexpected problem: {problem}").format(
                    problem=exc)
                app.call_from_thread(failed, message)
                return
            app.call_from_thread(done, result)

        self.run_worker(job, thread=True, exclusive=True, group=group,  # type: ignore[attr-defined]
                        exit_on_error=False)
