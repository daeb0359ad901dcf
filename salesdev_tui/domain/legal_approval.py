"""Who approved a contract and when (issue 14.10).

In solo mode (no team server) the rep records legal's verdict; an approval is then only a
trace if it names the reviewer and the day of the review. On a team the legal department
records it on the server (`salesdev legal approve`), which stamps who and when; the laptop
counts only that one (`team_approval_problem`). One rule for the
form and the store: the store requires the name and a day that is not in the future (it
stamps `now` when none is given through the API); the form also requires the day typed.

Pure: `now` is passed in.
"""

from __future__ import annotations

from datetime import datetime

from salesdev_tui.domain.validation import FieldProblem, field_label
from salesdev_tui.i18n import _
from salesdev_tui.models.enums import LegalReview

__all__ = [
    "approval_problems",
    "approved_by",
    "team_approval_problem",
    "team_review_refusal",
    "verdict_problem",
]


def approval_problems(
    verdict: LegalReview | str,
    reviewer: str | None,
    reviewed_at: datetime | None,
    now: datetime,
    *,
    need_date: bool = True,
) -> tuple[FieldProblem, ...]:
    """What an approval lacks (nothing for another verdict), each naming its field."""
    if verdict != LegalReview.APPROVED:
        return ()
    found: list[FieldProblem] = []
    if reviewer is None or not reviewer.strip():
        found.append(FieldProblem("legal_reviewer", _(
            "{label}: required to approve (who at legal reviewed it)").format(
                label=field_label("legal_reviewer"))))
    if reviewed_at is None and need_date:
        found.append(FieldProblem("legal_reviewed_at", _(
            "{label}: required to approve (the day legal reviewed it)").format(
                label=field_label("legal_reviewed_at"))))
    elif reviewed_at is not None and reviewed_at > now:
        found.append(FieldProblem("legal_reviewed_at", _(
            "{label}: cannot be in the future").format(label=field_label("legal_reviewed_at"))))
    return tuple(found)


def approved_by(verdict: LegalReview | str, reviewer: str | None,
                reviewed: str | None) -> str:
    """The verdict as one line: "approved by Lin Mei on 2026-11-16", "pending", …"""
    word = _(LegalReview(verdict).value)
    if verdict != LegalReview.APPROVED and verdict != LegalReview.REJECTED:
        return word
    parts = [word]
    if reviewer:
        parts.append(_("by {name}").format(name=reviewer))
    if reviewed:
        parts.append(_("on {day}").format(day=reviewed))
    return " ".join(parts)


# --- on a team: the approval that counts is the one the server recorded ----------------

#: The contract fields whose local change, not yet synced, makes an approval unproven: the
#: review itself and the six clauses (legal approved the words on the server). `*`: the
#: contract was made here and never sent.
UNSYNCED_BLOCKERS = frozenset({
    "*", "legal_review", "legal_reviewer", "legal_reviewed_at", "legal_comments",
    "clause_rights_obligations", "clause_specification", "clause_price",
    "clause_delivery_time", "clause_quality_standard", "clause_breach_liability",
})


def team_approval_problem(verdict: LegalReview | str, reviewer: str | None,
                          stamped_by: str | None, unsynced: frozenset[str] | set[str]
                          ) -> str | None:
    """Why an approval on a laptop that is on a team does not count (None: it does).

    The server stamps legal's verdict with the reviewer's login role (migration v0004) and
    refuses a rep's: an approval counts when the verdict came from the server stamped by
    the reviewer it names (`stamped_by`: the device of the verdict's last pulled stamp),
    and nothing of the review or the clauses changed here since (`unsynced`)."""
    if verdict != LegalReview.APPROVED:
        return None  # the checklist says what an unapproved contract lacks
    if set(unsynced) & UNSYNCED_BLOCKERS:
        return _("Legal review: changed on this laptop since the last sync; sync, and "
                 "only an approval recorded by legal on the team server counts")
    if not reviewer or stamped_by != reviewer:
        return _("Legal review: not recorded by legal on the team server; send the "
                 "contract for review")
    return None


def team_review_refusal(what: str, number: str | None, verdict: str) -> str:
    """The sync's line for a contract field the server did not take (server/legal_guard)."""
    name = number or _("(no number)")
    if what == "signature":
        return _("contract {number}: legal has not approved it on the team server; your "
                 "signature was not sent (the server's value came back)").format(number=name)
    if verdict == LegalReview.REJECTED:
        return _("contract {number}: only legal can reject; your rejection was not sent "
                 "(the server's review came back)").format(number=name)
    return _("contract {number}: only legal can approve; your approval was not sent "
             "(the server's review came back)").format(number=name)


def verdict_problem(verdict: LegalReview | str, comment: str | None,
                    limit: int) -> FieldProblem | None:
    """What legal's verdict lacks: a rejection says why (the rep must know what to change);
    a comment fits the column."""
    text = (comment or "").strip()
    if verdict == LegalReview.REJECTED and not text:
        return FieldProblem("legal_comments", _(
            "{label}: required to reject (what the rep must change)").format(
                label=field_label("legal_comments")))
    if len(text) > limit:
        return FieldProblem("legal_comments", _(
            "{label}: at most {limit:,} characters").format(
                label=field_label("legal_comments"), limit=limit))
    return None

