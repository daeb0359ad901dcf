"""What the rep reads when a stage move is refused or questioned, for the CLI and the TUI.

Issue 14.11: a hard gate names exactly what is missing and never offers a reason as a way
through; a soft gate says which warning a reason passes. So a refusal with blockers lists
only the blockers (their warnings are not this move's business until the blockers are gone),
and the offer of a reason comes only with warnings, naming each one it passes. A move to lost
needs its reason as such (a hard gate whose missing thing *is* the reason).

Pure: built from the `StageDecision` of `services.stages`.
"""

from __future__ import annotations

from salesdev_tui.domain.stages import (
    SOFT_NO_CONTACT,
    SOFT_NO_NEEDS_NOTE,
    SOFT_NO_NEGOTIATION,
    SOFT_POOR_CREDIT,
    GateIssue,
    StageDecision,
)
from salesdev_tui.i18n import _
from salesdev_tui.models.enums import Stage

__all__ = ["reason_offer", "refusal_lines", "verdict_lines", "warning_name"]


def warning_name(issue: GateIssue) -> str:
    """A soft gate's short name ("no completed contact")."""
    names = {
        SOFT_NO_CONTACT: _("no completed contact"),
        SOFT_NO_NEEDS_NOTE: _("no needs note"),
        SOFT_NO_NEGOTIATION: _("no negotiation minutes"),
        SOFT_POOR_CREDIT: _("poor credit"),
    }
    return names.get(issue.code, issue.message.rstrip("."))


def reason_offer(decision: StageDecision, *, how: str) -> str | None:
    """The one sentence that offers a reason, or None when a reason passes nothing here.

    `how` says where the reason goes ("--reason", "the Reason box").
    """
    if decision.blockers or not decision.warnings:
        return None
    names = ", ".join(warning_name(w) for w in decision.warnings)
    if len(decision.warnings) == 1:
        return _("A reason in {how} passes this warning: {names}.").format(how=how, names=names)
    return _("A reason in {how} passes these warnings: {names}.").format(how=how, names=names)


def verdict_lines(decision: StageDecision, *, how: str) -> list[tuple[str, str, str]]:
    """(mark, message, hint) lines describing the verdict; then the reason's offer, if any.

    Marks: "✗" a hard gate, "!" a warning, "?" what the rep is asked for, "✓" all clear.
    """
    lines = [("✗", i.message, i.hint) for i in decision.blockers]
    if not decision.blockers:
        lines += [("!", i.message, i.hint) for i in decision.warnings]
        offer = reason_offer(decision, how=how)
        if offer is not None:
            lines.append(("?", offer, ""))
        if decision.target == Stage.LOST:
            lines.append(("?", _("Marking a customer lost needs a reason: say why it was "
                                 "lost."), ""))
        elif not decision.warnings:
            lines.append(("✓", _("Every gate is passed."), ""))
    return lines


def refusal_lines(decision: StageDecision, *, how: str = "--reason") -> list[str]:
    """The CLI's lines on stderr for a refused move (blockers, or warnings not passed)."""
    out: list[str] = []
    for mark, message, hint in verdict_lines(decision, how=how):
        if mark == "✓":
            continue
        out.append(f"{mark} {message} {hint}".rstrip())
    return out
