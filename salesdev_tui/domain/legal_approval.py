"""Who approved a contract and when (issue 14.10).

Until a team server brings a legal role, the rep records legal's verdict; an approval is
then only a trace if it names the reviewer and the day of the review. One rule for the
form and the store: the store requires the name and a day that is not in the future (it
stamps `now` when none is given through the API); the form also requires the day typed.

Pure: `now` is passed in.
"""

from __future__ import annotations

from datetime import datetime

from salesdev_tui.domain.validation import FieldProblem, field_label
from salesdev_tui.i18n import _
from salesdev_tui.models.enums import LegalReview

__all__ = ["approval_problems", "approved_by"]


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
