"""Legal review as a real step (policy III.7, issue 19.5): the rep sends a contract for
review; on a team the legal department gives the verdict on the server.

Both faces call these: `salesdev contract send-for-review` and the contract page's action
(`send_for_review`); `salesdev legal queue|approve|reject` and the legal queue screen
(`legal_queue`, `give_verdict`), which read and write the server directly with the stored
credentials (`server/credentials.py`): legal keeps no laptop copy of the reps' contracts.
In solo mode (no team) sending only records the day; the rep still records the verdict.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from salesdev_tui.domain.legal_approval import verdict_problem
from salesdev_tui.domain.validation import InvalidInput
from salesdev_tui.i18n import _
from salesdev_tui.models import limits
from salesdev_tui.models.enums import LegalReview

if TYPE_CHECKING:
    from salesdev_tui.config import Team
    from salesdev_tui.models.tables import Contract
    from salesdev_tui.server.legal_queue import QueuedContract
    from salesdev_tui.store.combined import Store


class LegalRefused(Exception):
    """A legal action the server (or the role) does not allow; the message says why.
    `not_found`: no contract legal can see matches (or more than one does)."""

    def __init__(self, message: str, *, not_found: bool = False) -> None:
        super().__init__(message)
        self.not_found = not_found


def send_for_review(store: Store, contract_id: uuid.UUID) -> Contract:
    """Send the contract to legal now (a new round: the review goes back to pending). On a
    team the next sync puts it in legal's queue."""
    return store.contracts.send_to_legal(contract_id)


def _legal_connection(team: Team) -> Any:
    """A connection as this legal member, or LegalRefused naming the role the server has."""
    from salesdev_tui.server.connect import team_connect
    from salesdev_tui.server.credentials import conninfo
    from salesdev_tui.server.roles import TeamRole

    if not team.configured:
        raise LegalRefused(_("No team server is configured: run `salesdev team join URL"
                             " USER` first."))
    conn, role = team_connect(conninfo(team.url, team.user, team.sslmode))
    if role is not TeamRole.LEGAL:
        conn.close()
        raise LegalRefused(_("Only a member of the legal role reviews contracts; the team"
                             " server says {user} is {role}.").format(user=team.user,
                                                                      role=role.value))
    return conn


def legal_queue(team: Team, *, reviewed_too: bool = False) -> list[QueuedContract]:
    """The contracts waiting for legal (and those reviewed, unsigned, with `reviewed_too`).
    Raises ServerError when the server cannot be reached."""
    from salesdev_tui.server.legal_queue import queue

    conn = _legal_connection(team)
    with conn:
        return queue(conn, reviewed_too=reviewed_too)


def find_for_legal(team: Team, key: str) -> QueuedContract:
    """The contract `key` (id, id prefix or number) as legal sees it on the server."""
    conn = _legal_connection(team)
    with conn:
        return _find(conn, key)


def _find(conn: Any, key: str) -> QueuedContract:
    from salesdev_tui.server.legal_queue import AmbiguousContract, find

    try:
        found = find(conn, key)
    except AmbiguousContract:
        raise LegalRefused(_("'{key}' matches more than one contract: type more of its"
                             " id.").format(key=key), not_found=True) from None
    if found is None:
        raise LegalRefused(_("No contract sent for review matches '{key}'.").format(key=key),
                           not_found=True)
    return found


def give_verdict(team: Team, key: str, verdict: LegalReview,
                 comment: str | None) -> QueuedContract:
    """Approve or reject the contract `key` (id, id prefix or number) on the server, which
    records the reviewer and the time; returns the contract as the server now has it.

    Raises InvalidInput (a rejection without a comment), LegalRefused (not found, or the
    server changed 0 rows: row-level security did not allow it), ServerError (offline)."""
    from salesdev_tui.server.legal_queue import record_verdict

    text = (comment or "").strip() or None
    problem = verdict_problem(verdict, text, limits.TEXT)
    if problem is not None:
        raise InvalidInput((problem,))
    conn = _legal_connection(team)
    with conn:
        target = _find(conn, key)
        if target.review == verdict and target.comments == text:
            return target  # given already in these words: nothing to stamp again
        count = record_verdict(conn, target.id, verdict, text)
        if count != 1:
            raise LegalRefused(_(
                "The team server changed {count} rows: contract {number} was not {verdict}."
                " Legal may review only a contract sent for review and not signed"
                " (it may have been signed, deleted or changed meanwhile).").format(
                    count=count, number=target.number or target.id[:8],
                    verdict=_(verdict.value)))
        return _find(conn, target.id)
