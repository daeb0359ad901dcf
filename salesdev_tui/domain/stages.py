"""The stage machine (policy III): which stage changes are allowed, and what stands in the way.

Pure: the store gathers `StageFacts`, `decide_stage_change` decides, the store writes.

- Hard gates (blockers) refuse the change: won needs a signed contract (III.7: its six
  clauses filled and legal's approval, checked when it is signed) and, when the latest
  credit rating is the worst grade, a credit override reason (VI); a customer with a signed
  contract stays won; lost needs a reason; a move to the current stage, won -> lost, and
  unknown stages are refused. A hard gate names what is missing and is never passed by a
  reason (the credit override lets a poor-credit customer through, never a missing contract).
- Soft gates (warnings) may be passed by giving a reason: contacted or beyond without a
  completed contact, proposal or beyond without a needs note, contract or beyond without
  negotiation minutes (only the gates a forward move crosses), and a poor-credit warning at
  every move except to lost.
- Going back is allowed without soft gates; a lost customer may be reopened (treated as a
  forward move from before `prospect`, so every gate up to the target applies).
"""

from __future__ import annotations

from dataclasses import dataclass

from salesdev_tui.i18n import _, joined
from salesdev_tui.models.enums import (
    OPEN_STAGES,
    STAGE_ORDER,
    WORST_CREDIT_RATING,
    CreditRating,
    Stage,
)

# Stable issue codes (the UI and the store may match on these).
UNKNOWN_STAGE = "unknown_stage"
SAME_STAGE = "same_stage"
WON_NOT_OPEN = "won_not_open"
NEEDS_SIGNED_CONTRACT = "needs_signed_contract"
#: The former name of the code (a won customer always needed its contract).
NEEDS_READY_CONTRACT = NEEDS_SIGNED_CONTRACT
SIGNED_CONTRACT_STAYS_WON = "signed_contract_stays_won"
POOR_CREDIT_NEEDS_OVERRIDE = "poor_credit_needs_override"
LOST_NEEDS_REASON = "lost_needs_reason"
SOFT_NO_CONTACT = "soft_no_contact"
SOFT_NO_NEEDS_NOTE = "soft_no_needs_note"
SOFT_NO_NEGOTIATION = "soft_no_negotiation"
SOFT_POOR_CREDIT = "soft_poor_credit"


@dataclass(frozen=True)
class StageFacts:
    """What the store knows about a customer that the gates depend on."""

    has_completed_contact: bool
    has_needs_note: bool
    has_negotiation: bool
    has_ready_contract: bool  # an unsigned contract with six clauses filled and approved
    latest_credit_rating: CreditRating | None
    #: A live contract of the customer is signed: the customer is won (the invariant).
    has_signed_contract: bool = False
    #: What the latest unsigned contract still lacks before it may be signed, in plain
    #: words (`services.contracts.missing_for_signing`); None when there is no such contract.
    contract_missing: tuple[str, ...] | None = None


@dataclass(frozen=True)
class GateIssue:
    """One reason a stage change is refused (blocker) or questioned (warning)."""

    code: str
    message: str
    hint: str


@dataclass(frozen=True)
class StageDecision:
    """The verdict on moving a customer from `current` to `target`.

    `current` and `target` are `Stage`s when valid; an unknown value is kept as given (and
    the decision then carries an `unknown_stage` blocker).
    """

    current: Stage | str
    target: Stage | str
    blockers: tuple[GateIssue, ...]
    warnings: tuple[GateIssue, ...]

    @property
    def allowed(self) -> bool:
        """True when no hard gate refuses the change."""
        return not self.blockers

    def needs_reason(self) -> bool:
        """True when the rep must give a reason: warnings to pass, or a move to lost."""
        return bool(self.warnings) or self.target == Stage.LOST


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _as_stage(value: object) -> Stage | None:
    if isinstance(value, Stage):
        return value
    if isinstance(value, str):
        try:
            return Stage(value)
        except ValueError:
            return None
    return None


def _stage_label(stage: Stage) -> str:
    labels = {
        Stage.PROSPECT: _("prospect"),
        Stage.CONTACTED: _("contacted"),
        Stage.NEEDS: _("needs"),
        Stage.PROPOSAL: _("proposal"),
        Stage.NEGOTIATION: _("negotiation"),
        Stage.CONTRACT: _("contract"),
        Stage.WON: _("won"),
        Stage.LOST: _("lost"),
    }
    return labels[stage]


def _position(stage: Stage) -> int:
    """Index on the forward path; lost counts as before prospect (for reopening)."""
    return -1 if stage == Stage.LOST else STAGE_ORDER.index(stage)


def next_stage(current: Stage) -> Stage | None:
    """The next stage on the forward path; None at won, lost or an unknown stage."""
    stage = _as_stage(current)
    if stage is None or stage in (Stage.WON, Stage.LOST):
        return None
    return STAGE_ORDER[STAGE_ORDER.index(stage) + 1]


def previous_stage(current: Stage) -> Stage | None:
    """The stage before `current` on the forward path; None at prospect, lost or unknown."""
    stage = _as_stage(current)
    if stage is None or stage in (Stage.PROSPECT, Stage.LOST):
        return None
    return STAGE_ORDER[STAGE_ORDER.index(stage) - 1]


def _unknown_stage(value: object) -> GateIssue:
    return GateIssue(
        code=UNKNOWN_STAGE,
        message=_('"{value}" is not a stage.').format(value=value),
        hint=_("Choose one of: {stages}.").format(stages=", ".join(_stage_label(s) for s in Stage)),
    )


def _soft_gates(frm: Stage, to: Stage, facts: StageFacts) -> list[GateIssue]:
    """Warnings for every soft gate a forward move from `frm` to `to` crosses."""
    lo, hi = _position(frm), _position(to)
    gates = (
        (
            Stage.CONTACTED,
            facts.has_completed_contact,
            GateIssue(
                code=SOFT_NO_CONTACT,
                message=_("No contact with this customer has been completed yet."),
                hint=_("Log a contact plan's outcome as done, or give a reason to move on anyway."),
            ),
        ),
        (
            Stage.PROPOSAL,
            facts.has_needs_note,
            GateIssue(
                code=SOFT_NO_NEEDS_NOTE,
                message=_("No needs note has been recorded for this customer."),
                hint=_(
                    "Add a needs note (a need, pain point or concern), "
                    "or give a reason to move on anyway."
                ),
            ),
        ),
        (
            Stage.CONTRACT,
            facts.has_negotiation,
            GateIssue(
                code=SOFT_NO_NEGOTIATION,
                message=_("No negotiation minutes have been recorded for this customer."),
                hint=_(
                    "Record the negotiation minutes (key information and points agreed), "
                    "or give a reason to move on anyway."
                ),
            ),
        ),
    )
    return [
        issue
        for threshold, satisfied, issue in gates
        if lo < _position(threshold) <= hi and not satisfied
    ]


def _contract_blocker(facts: StageFacts) -> GateIssue:
    """What stands between the customer and won: exactly what the contract lacks."""
    sign_hint = _("Sign the contract on its page: signing it marks the customer won.")
    if facts.contract_missing is None and not facts.has_ready_contract:
        return GateIssue(
            code=NEEDS_SIGNED_CONTRACT,
            message=_("The customer has no contract yet; a customer is won by signing one."),
            hint=_(
                "Draw up the contract from the accepted proposal, fill in its six clauses, "
                "have legal approve it, then sign it."
            ),
        )
    if facts.has_ready_contract or not facts.contract_missing:
        return GateIssue(
            code=NEEDS_SIGNED_CONTRACT,
            message=_("The contract is ready but not signed yet."),
            hint=sign_hint,
        )
    return GateIssue(
        code=NEEDS_SIGNED_CONTRACT,
        message=_("The contract cannot be signed yet: {items}.").format(
            items=joined(facts.contract_missing)
        ),
        hint=_("Complete what is missing. {sign}").format(sign=sign_hint),
    )


def decide_stage_change(
    current: Stage | str,
    target: Stage | str,
    facts: StageFacts,
    *,
    reason: str | None = None,
    credit_override: str | None = None,
) -> StageDecision:
    """Decide whether a customer may move from `current` to `target`.

    `reason` is the rep's reason (required for lost; also what passes warnings, see
    `can_proceed`). `credit_override` lifts the poor-credit hard gate on won.
    Never raises.
    """
    frm, to = _as_stage(current), _as_stage(target)
    cur_out: Stage | str = frm if frm is not None else current
    tgt_out: Stage | str = to if to is not None else target

    def refuse(*issues: GateIssue) -> StageDecision:
        return StageDecision(cur_out, tgt_out, tuple(issues), ())

    if frm is None or to is None:
        bad = [_unknown_stage(v) for v, s in ((current, frm), (target, to)) if s is None]
        return refuse(*bad)
    if frm == to:
        return refuse(
            GateIssue(
                code=SAME_STAGE,
                message=_("The customer is already at the {stage} stage.").format(
                    stage=_stage_label(to)
                ),
                hint=_("Choose a different stage."),
            )
        )
    if to == Stage.LOST and frm not in OPEN_STAGES:
        return refuse(
            GateIssue(
                code=WON_NOT_OPEN,
                message=_("A won customer cannot be marked lost."),
                hint=_(
                    "Only a customer still in development can be lost. If the deal fell "
                    "through, delete the signed contract first: the customer then goes back "
                    "to the contract stage."
                ),
            )
        )

    blockers: list[GateIssue] = []
    warnings: list[GateIssue] = []
    poor_credit = (
        facts.latest_credit_rating is not None and facts.latest_credit_rating == WORST_CREDIT_RATING
    )

    if to == Stage.LOST:
        if _blank(reason):
            blockers.append(
                GateIssue(
                    code=LOST_NEEDS_REASON,
                    message=_("Marking a customer lost needs a reason."),
                    hint=_(
                        "Say why the customer was lost (for example: price, "
                        "chose a competitor, no budget)."
                    ),
                )
            )
        return StageDecision(frm, to, tuple(blockers), ())

    if to == Stage.WON and not facts.has_signed_contract:
        blockers.append(_contract_blocker(facts))
    if frm == Stage.WON and facts.has_signed_contract:
        blockers.append(
            GateIssue(
                code=SIGNED_CONTRACT_STAYS_WON,
                message=_("The customer has a signed contract, so the customer stays won."),
                hint=_(
                    "A signed contract no longer changes. If the deal was undone, delete the "
                    "signed contract: the customer then goes back to the contract stage."
                ),
            )
        )
    if to == Stage.WON and poor_credit and _blank(credit_override):
        blockers.append(
            GateIssue(
                code=POOR_CREDIT_NEEDS_OVERRIDE,
                message=_(
                    "The latest credit rating is {grade}, the worst grade; a customer "
                    "with poor credit cannot be marked won without an override."
                ).format(grade=WORST_CREDIT_RATING.value),
                hint=_("Give a credit override reason, or record a newer credit check."),
            )
        )

    if _position(to) > _position(frm):
        warnings.extend(_soft_gates(frm, to, facts))
    if poor_credit:
        warnings.append(
            GateIssue(
                code=SOFT_POOR_CREDIT,
                message=_(
                    "The latest credit rating is {grade}, the worst grade; "
                    "the policy says to avoid customers with poor credit."
                ).format(grade=WORST_CREDIT_RATING.value),
                hint=_(
                    "Record a newer credit check if the rating has improved, "
                    "or give a reason to go on anyway."
                ),
            )
        )
    return StageDecision(frm, to, tuple(blockers), tuple(warnings))


def can_proceed(decision: StageDecision, reason: str | None) -> bool:
    """True when the change may be written: no blockers, and any warnings (or a move to
    lost) are answered by a non-blank `reason`."""
    if not decision.allowed:
        return False
    if decision.needs_reason():
        return not _blank(reason)
    return True


class StageRefused(Exception):
    """A stage change the gates refuse, or whose warnings were not passed with a reason."""

    def __init__(self, decision: StageDecision) -> None:
        issues = decision.blockers or decision.warnings
        super().__init__(" ".join(issue.message for issue in issues))
        self.decision = decision
