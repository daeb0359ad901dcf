"""The stage machine: hard gates, soft gates, going back, reopening."""

from __future__ import annotations

from dataclasses import asdict, replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesdev_tui.domain.stages import (
    LOST_NEEDS_REASON,
    NEEDS_READY_CONTRACT,
    NEEDS_SIGNED_CONTRACT,
    POOR_CREDIT_NEEDS_OVERRIDE,
    SAME_STAGE,
    SIGNED_CONTRACT_STAYS_WON,
    SOFT_NO_CONTACT,
    SOFT_NO_NEEDS_NOTE,
    SOFT_NO_NEGOTIATION,
    SOFT_POOR_CREDIT,
    UNKNOWN_STAGE,
    WON_NOT_OPEN,
    GateIssue,
    StageDecision,
    StageFacts,
    can_proceed,
    decide_stage_change,
    next_stage,
    previous_stage,
)
from salesdev_tui.models.enums import (
    OPEN_STAGES,
    STAGE_ORDER,
    WORST_CREDIT_RATING,
    CreditRating,
    Stage,
)

GOOD = StageFacts(
    has_completed_contact=True,
    has_needs_note=True,
    has_negotiation=True,
    has_ready_contract=True,
    latest_credit_rating=CreditRating.A,
    has_signed_contract=True,
)
NOTHING = StageFacts(
    has_completed_contact=False,
    has_needs_note=False,
    has_negotiation=False,
    has_ready_contract=False,
    latest_credit_rating=None,
)
POOR = replace(GOOD, latest_credit_rating=WORST_CREDIT_RATING)


def codes(issues: tuple[GateIssue, ...]) -> set[str]:
    return {i.code for i in issues}


# --- next / previous ---------------------------------------------------------------------


def test_next_and_previous_walk_the_forward_path() -> None:
    assert next_stage(Stage.PROSPECT) is Stage.CONTACTED
    assert next_stage(Stage.CONTRACT) is Stage.WON
    assert next_stage(Stage.WON) is None
    assert next_stage(Stage.LOST) is None
    assert previous_stage(Stage.CONTACTED) is Stage.PROSPECT
    assert previous_stage(Stage.WON) is Stage.CONTRACT
    assert previous_stage(Stage.PROSPECT) is None
    assert previous_stage(Stage.LOST) is None
    for a, b in zip(STAGE_ORDER, STAGE_ORDER[1:], strict=False):
        assert next_stage(a) is b
        assert previous_stage(b) is a


# --- hard gates ----------------------------------------------------------------------------


def test_won_without_any_contract_is_refused() -> None:
    facts = replace(GOOD, has_ready_contract=False, has_signed_contract=False)
    d = decide_stage_change(Stage.CONTRACT, Stage.WON, facts)
    assert not d.allowed
    assert codes(d.blockers) == {NEEDS_READY_CONTRACT}
    issue = d.blockers[0]
    assert "no contract" in issue.message and "legal" in issue.hint
    assert not can_proceed(d, "please")


def test_won_with_a_ready_but_unsigned_contract_is_refused() -> None:
    """Issue 14.4: a ready contract is not a signed one; an override never replaces it."""
    facts = replace(POOR, has_signed_contract=False, contract_missing=())
    d = decide_stage_change(Stage.CONTRACT, Stage.WON, facts, credit_override="prepaid",
                            reason="boss says so")
    assert not d.allowed
    assert codes(d.blockers) == {NEEDS_SIGNED_CONTRACT}
    assert "not signed" in d.blockers[0].message
    assert "reason" not in (d.blockers[0].message + d.blockers[0].hint).lower()


def test_won_gate_names_exactly_what_the_contract_lacks() -> None:
    """Issue 14.11: before legal approval the gate names that, not all six clauses."""
    facts = replace(GOOD, has_ready_contract=False, has_signed_contract=False,
                    contract_missing=("Legal review: not approved yet",))
    d = decide_stage_change(Stage.CONTRACT, Stage.WON, facts)
    issue = d.blockers[0]
    assert "Legal review: not approved yet" in issue.message
    words = (issue.message + issue.hint).lower()
    assert "specification" not in words and "breach" not in words
    assert "reason" not in words


def test_a_signed_contract_keeps_the_customer_won() -> None:
    for target in sorted(OPEN_STAGES):
        d = decide_stage_change(Stage.WON, target, GOOD, reason="deal undone")
        assert codes(d.blockers) == {SIGNED_CONTRACT_STAYS_WON}
        assert not can_proceed(d, "deal undone")


def test_won_with_signed_contract_is_allowed() -> None:
    d = decide_stage_change(Stage.CONTRACT, Stage.WON, GOOD)
    assert d.allowed
    assert d.warnings == ()
    assert not d.needs_reason()
    assert can_proceed(d, None)


def test_poor_credit_won_refused_without_override() -> None:
    d = decide_stage_change(Stage.CONTRACT, Stage.WON, POOR)
    assert not d.allowed
    assert codes(d.blockers) == {POOR_CREDIT_NEEDS_OVERRIDE}
    d_blank = decide_stage_change(Stage.CONTRACT, Stage.WON, POOR, credit_override="   ")
    assert codes(d_blank.blockers) == {POOR_CREDIT_NEEDS_OVERRIDE}


def test_poor_credit_won_allowed_with_override() -> None:
    d = decide_stage_change(Stage.CONTRACT, Stage.WON, POOR, credit_override="Prepaid in full")
    assert d.allowed
    # The credit warning remains: passing it still needs a reason.
    assert codes(d.warnings) == {SOFT_POOR_CREDIT}
    assert not can_proceed(d, None)
    assert can_proceed(d, "Director approved")


def test_won_reports_every_missing_hard_gate() -> None:
    facts = replace(POOR, has_ready_contract=False, has_signed_contract=False)
    d = decide_stage_change(Stage.CONTRACT, Stage.WON, facts)
    assert codes(d.blockers) == {NEEDS_READY_CONTRACT, POOR_CREDIT_NEEDS_OVERRIDE}


@pytest.mark.parametrize("reason", [None, "", "  \t\n"])
def test_lost_without_reason_is_refused(reason: str | None) -> None:
    d = decide_stage_change(Stage.PROPOSAL, Stage.LOST, GOOD, reason=reason)
    assert not d.allowed
    assert codes(d.blockers) == {LOST_NEEDS_REASON}
    assert d.needs_reason()
    assert not can_proceed(d, reason)


@pytest.mark.parametrize("current", sorted(OPEN_STAGES))
def test_lost_with_reason_is_allowed_from_any_open_stage(current: Stage) -> None:
    d = decide_stage_change(current, Stage.LOST, NOTHING, reason="Chose a competitor")
    assert d.allowed
    assert d.warnings == ()
    assert d.needs_reason()
    assert can_proceed(d, "Chose a competitor")
    assert not can_proceed(d, " ")


def test_lost_has_no_credit_warning() -> None:
    d = decide_stage_change(Stage.NEEDS, Stage.LOST, POOR, reason="Bad credit")
    assert d.allowed and d.warnings == ()


def test_won_to_lost_is_refused() -> None:
    d = decide_stage_change(Stage.WON, Stage.LOST, GOOD, reason="Changed their mind")
    assert not d.allowed
    assert codes(d.blockers) == {WON_NOT_OPEN}
    assert not can_proceed(d, "Changed their mind")


@pytest.mark.parametrize("stage", list(Stage))
def test_same_stage_is_refused(stage: Stage) -> None:
    d = decide_stage_change(stage, stage, GOOD, reason="x", credit_override="x")
    assert not d.allowed
    assert codes(d.blockers) == {SAME_STAGE}


def test_unknown_stages_are_refused() -> None:
    d = decide_stage_change(Stage.PROSPECT, "closed", GOOD)
    assert not d.allowed
    assert codes(d.blockers) == {UNKNOWN_STAGE}
    assert d.target == "closed"
    assert "closed" in d.blockers[0].message
    both = decide_stage_change("nope", "WON", GOOD)
    assert [i.code for i in both.blockers] == [UNKNOWN_STAGE, UNKNOWN_STAGE]


def test_string_values_are_normalised() -> None:
    d = decide_stage_change("contract", "won", GOOD)
    assert d.allowed
    assert d.current is Stage.CONTRACT and d.target is Stage.WON


# --- soft gates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "target", "missing", "code"),
    [
        (Stage.PROSPECT, Stage.CONTACTED, "has_completed_contact", SOFT_NO_CONTACT),
        (Stage.NEEDS, Stage.PROPOSAL, "has_needs_note", SOFT_NO_NEEDS_NOTE),
        (Stage.NEGOTIATION, Stage.CONTRACT, "has_negotiation", SOFT_NO_NEGOTIATION),
    ],
)
def test_soft_gate_warns_and_needs_a_reason(
    current: Stage, target: Stage, missing: str, code: str
) -> None:
    facts = StageFacts(**{**asdict(GOOD), missing: False})
    d = decide_stage_change(current, target, facts)
    assert d.allowed
    assert codes(d.warnings) == {code}
    assert d.needs_reason()
    assert not can_proceed(d, None)
    assert not can_proceed(d, "  ")
    assert can_proceed(d, "Customer asked to skip ahead")
    # The same move with the fact present has no warning.
    ok = decide_stage_change(current, target, GOOD)
    assert ok.warnings == () and can_proceed(ok, None)


def test_soft_gate_only_when_the_move_crosses_it() -> None:
    # Already past contacted: the missing contact is not this move's business.
    d = decide_stage_change(Stage.NEEDS, Stage.PROPOSAL, replace(GOOD, has_completed_contact=False))
    assert d.warnings == ()


def test_skipping_forward_collects_every_crossed_gate() -> None:
    d = decide_stage_change(Stage.PROSPECT, Stage.CONTRACT, NOTHING)
    assert d.allowed
    assert codes(d.warnings) == {SOFT_NO_CONTACT, SOFT_NO_NEEDS_NOTE, SOFT_NO_NEGOTIATION}
    w = decide_stage_change(Stage.PROSPECT, Stage.WON, NOTHING)
    assert codes(w.blockers) == {NEEDS_READY_CONTRACT}
    assert codes(w.warnings) == {SOFT_NO_CONTACT, SOFT_NO_NEEDS_NOTE, SOFT_NO_NEGOTIATION}


def test_poor_credit_warns_on_every_move_but_lost() -> None:
    d = decide_stage_change(Stage.PROSPECT, Stage.CONTACTED, POOR)
    assert d.allowed
    assert codes(d.warnings) == {SOFT_POOR_CREDIT}
    assert not can_proceed(d, None)
    back = decide_stage_change(Stage.PROPOSAL, Stage.NEEDS, POOR)
    assert codes(back.warnings) == {SOFT_POOR_CREDIT}


def test_better_credit_has_no_warning() -> None:
    for grade in CreditRating:
        if grade is WORST_CREDIT_RATING:
            continue
        facts = replace(GOOD, latest_credit_rating=grade)
        assert decide_stage_change(Stage.PROSPECT, Stage.CONTACTED, facts).warnings == ()


# --- going back and reopening --------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (Stage.CONTRACT, Stage.NEGOTIATION),
        (Stage.CONTRACT, Stage.PROSPECT),
        (Stage.WON, Stage.CONTRACT),
        (Stage.PROPOSAL, Stage.CONTACTED),
    ],
)
def test_going_back_has_no_soft_gates(current: Stage, target: Stage) -> None:
    d = decide_stage_change(current, target, NOTHING)
    assert d.allowed
    assert d.warnings == ()
    assert can_proceed(d, None)


@pytest.mark.parametrize("target", sorted(OPEN_STAGES))
def test_reopening_lost_is_allowed(target: Stage) -> None:
    d = decide_stage_change(Stage.LOST, target, GOOD)
    assert d.allowed
    assert d.warnings == ()
    assert can_proceed(d, None)


def test_reopening_applies_the_gates_up_to_the_target() -> None:
    d = decide_stage_change(Stage.LOST, Stage.PROPOSAL, NOTHING)
    assert d.allowed
    assert codes(d.warnings) == {SOFT_NO_CONTACT, SOFT_NO_NEEDS_NOTE}
    p = decide_stage_change(Stage.LOST, Stage.PROSPECT, NOTHING)
    assert p.allowed and p.warnings == ()


def test_messages_are_plain_sentences() -> None:
    d = decide_stage_change(
        Stage.PROSPECT, Stage.WON, replace(NOTHING, latest_credit_rating=WORST_CREDIT_RATING)
    )
    for issue in d.blockers + d.warnings:
        assert issue.message.endswith(".") and issue.hint.endswith(".")
        assert "{" not in issue.message and "{" not in issue.hint


# --- properties ----------------------------------------------------------------------------

stage_values = st.one_of(
    st.sampled_from(list(Stage)),
    st.sampled_from([s.value for s in Stage]),
    st.text(max_size=12),
)
facts_strategy = st.builds(
    StageFacts,
    has_completed_contact=st.booleans(),
    has_needs_note=st.booleans(),
    has_negotiation=st.booleans(),
    has_ready_contract=st.booleans(),
    latest_credit_rating=st.one_of(st.none(), st.sampled_from(list(CreditRating))),
    has_signed_contract=st.booleans(),
    contract_missing=st.one_of(st.none(), st.lists(st.text(max_size=8), max_size=3).map(tuple)),
)
maybe_text = st.one_of(st.none(), st.text(max_size=8))


@given(stage_values, stage_values, facts_strategy, maybe_text, maybe_text, maybe_text)
def test_decide_never_raises_and_is_consistent(
    current: Stage | str,
    target: Stage | str,
    facts: StageFacts,
    reason: str | None,
    override: str | None,
    answer: str | None,
) -> None:
    d = decide_stage_change(current, target, facts, reason=reason, credit_override=override)
    assert isinstance(d, StageDecision)
    assert d.allowed == (not d.blockers)
    if target == current:
        assert not d.allowed
    if can_proceed(d, answer):
        assert d.allowed
        assert isinstance(d.target, Stage)
        if d.needs_reason():
            assert answer is not None and answer.strip()
    for issue in d.blockers + d.warnings:
        assert issue.code and issue.message and issue.hint


@given(st.sampled_from(list(Stage)), st.sampled_from(list(Stage)), facts_strategy)
def test_favourable_facts_give_no_warnings(
    current: Stage, target: Stage, facts: StageFacts
) -> None:
    good = replace(
        facts,
        has_completed_contact=True,
        has_needs_note=True,
        has_negotiation=True,
        has_ready_contract=True,
        has_signed_contract=target == Stage.WON,
    )
    if good.latest_credit_rating == WORST_CREDIT_RATING:
        good = replace(good, latest_credit_rating=None)
    d = decide_stage_change(current, target, good)
    if target != Stage.LOST and target != current:
        assert d.warnings == ()
        assert d.allowed
        assert can_proceed(d, None)
