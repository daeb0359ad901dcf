"""Contracts in the store: linking, legal review, carrying points, and signing through the gates."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import col, select

from salesdev_tui.domain.contracts import (
    CLAUSES,
    ContractRefused,
    SigningRefused,
    clause_label,
    missing_for_signing,
    missing_items,
    profit,
)
from salesdev_tui.domain.validation import (
    ContractInput,
    CreditCheckInput,
    CustomerInput,
    InvalidInput,
    LegalReviewInput,
    NegotiationInput,
    NegotiationPointInput,
    validate,
)
from salesdev_tui.models.enums import LegalReview, ProposalStatus, Stage
from salesdev_tui.models.tables import (
    CONTRACT_CLAUSES,
    Contract,
    CreditCheck,
    Customer,
    Proposal,
    ProposalLine,
    StageChange,
)
from tests.conftest import FIXED_NOW

FULL = {clause: f"text of {clause}" for clause in CONTRACT_CLAUSES}


def customer(store: Any, name: str = "Acme Trading") -> uuid.UUID:
    return store.customers.add_lead(validate(CustomerInput, {"name": name})).id  # type: ignore[no-any-return]


def proposal(store: Any, customer_id: uuid.UUID, status: ProposalStatus, *prices: str) -> uuid.UUID:
    with store.db.write() as session:
        row = Proposal(customer_id=customer_id, title="Offer", status=status)
        session.add(row)
        session.flush()
        for n, price in enumerate(prices):
            session.add(ProposalLine(proposal_id=row.id, position=n, product=f"P{n}",
                                     quantity=Decimal("3"), unit_price=Decimal(price),
                                     discount_pct=Decimal("10")))
        return row.id


def contract(store: Any, customer_id: uuid.UUID, **fields: object) -> uuid.UUID:
    data = validate(ContractInput, {"number": "SD-1", "value": "1000", "cost": "600", **fields})
    return store.contracts.create_contract(customer_id, data).id  # type: ignore[no-any-return]


def approve(store: Any, contract_id: uuid.UUID, verdict: str = "approved") -> None:
    store.contracts.send_to_legal(contract_id)
    store.contracts.record_legal_review(
        contract_id, validate(LegalReviewInput, {"legal_review": verdict, "legal_reviewer": "Lin"})
    )


def ready(store: Any, customer_id: uuid.UUID) -> uuid.UUID:
    cid = contract(store, customer_id, **FULL)
    approve(store, cid)
    return cid


def rate(store: Any, customer_id: uuid.UUID, rating: str, day: int = 1) -> None:
    data = validate(CreditCheckInput, {"checked_on": date(2026, 11, day), "rating": rating})
    store.records.add_record(CreditCheck, customer_id, data)


def stage_rows(store: Any, customer_id: uuid.UUID) -> list[StageChange]:
    with store.db.read() as session:
        return list(session.exec(
            select(StageChange).where(StageChange.customer_id == customer_id)
            .order_by(col(StageChange.changed_at), col(StageChange.created_at))
        ).all())


# --- the pure rules ----------------------------------------------------------------------------


def test_the_service_names_the_same_six_clauses_as_the_table() -> None:
    assert CLAUSES == CONTRACT_CLAUSES


def test_missing_items_name_each_clause_and_the_review() -> None:
    missing = missing_items({}, LegalReview.PENDING)
    assert len(missing) == 7
    for clause, item in zip(CLAUSES, missing, strict=False):
        assert clause_label(clause) in item
    assert "Legal review" in missing[-1]
    assert missing_items(FULL, LegalReview.APPROVED) == []
    assert "rejected" in missing_items(FULL, LegalReview.REJECTED)[0]
    assert missing_items({**FULL, "clause_price": "  \n"}, "approved") == [
        "Price clause: not filled in"
    ]


def test_profit_is_exact() -> None:
    row = Contract(customer_id=uuid.uuid4(), value=Decimal("1000.10"), cost=Decimal("999.99"))
    assert profit(row) == Decimal("0.11")


# --- linking a proposal ------------------------------------------------------------------------


def test_a_linked_accepted_proposal_gives_the_value(store: Any) -> None:
    cid = customer(store)
    pid = proposal(store, cid, ProposalStatus.ACCEPTED, "10.05", "0.35")
    row = store.contracts.create_contract(cid, validate(ContractInput, {"proposal_id": pid}))
    # 3 x 10.05 less 10% = 27.135 -> 27.14 (half-even), 3 x 0.35 less 10% = 0.945 -> 0.94
    assert row.value == Decimal("28.08")
    typed = store.contracts.create_contract(cid, validate(ContractInput, {"proposal_id": pid,
                                                                "value": "30"}))
    assert typed.value == Decimal("30.00")


@pytest.mark.parametrize("status", [ProposalStatus.DRAFT, ProposalStatus.PRESENTED,
                                    ProposalStatus.REJECTED])
def test_only_an_accepted_proposal_may_be_linked(store: Any, status: ProposalStatus) -> None:
    cid = customer(store)
    pid = proposal(store, cid, status, "10")
    with pytest.raises(InvalidInput) as refused:
        store.contracts.create_contract(cid, validate(ContractInput, {"proposal_id": pid}))
    assert "accepted" in refused.value.by_field()["proposal_id"]


def test_a_proposal_of_another_customer_may_not_be_linked(store: Any) -> None:
    cid, other = customer(store), customer(store, "Beta Foods")
    pid = proposal(store, other, ProposalStatus.ACCEPTED, "10")
    with pytest.raises(InvalidInput):
        store.contracts.create_contract(cid, validate(ContractInput, {"proposal_id": pid}))
    kept = contract(store, cid)
    with pytest.raises(InvalidInput):
        store.contracts.update_contract(kept, validate(ContractInput, {"proposal_id": pid}))
    desk = store.contracts.contract_desk(cid, kept)
    assert desk.proposals == []
    assert desk.contract.proposal_id is None


# --- terms, legal review, carrying points ------------------------------------------------------


def test_changing_a_clause_after_the_verdict_sends_it_back_to_pending(store: Any) -> None:
    cid = customer(store)
    kid = ready(store, cid)
    store.contracts.update_contract(kid, validate(ContractInput, {**FULL, "number": "SD-2"}))
    assert store.records.get_record(Contract,
                                    kid).legal_review == LegalReview.APPROVED  # no clause moved
    store.contracts.set_clauses(kid, {"clause_price": "TWD 1,200,000"})
    row = store.records.get_record(Contract, kid)
    assert row.legal_review == LegalReview.PENDING
    assert row.legal_reviewed_at is None
    assert row.clause_price == "TWD 1,200,000"


def test_set_clauses_refuses_what_is_not_a_clause(store: Any) -> None:
    kid = contract(store, customer(store))
    with pytest.raises(InvalidInput):
        store.contracts.set_clauses(kid, {"value": "1"})


def test_legal_review_dates(store: Any) -> None:
    kid = contract(store, customer(store))
    sent = store.contracts.send_to_legal(kid)
    assert sent.legal_sent_at == FIXED_NOW
    approve(store, kid, "rejected")
    row = store.records.get_record(Contract, kid)
    assert (row.legal_review, row.legal_reviewer, row.legal_reviewed_at) == (
        LegalReview.REJECTED, "Lin", FIXED_NOW)


def _minutes_with(store: Any, customer_id: uuid.UUID, kind: str, text: str) -> uuid.UUID:
    saved = store.negotiations.save_minutes(
        customer_id,
        validate(NegotiationInput, {"held_at": FIXED_NOW}),
        [validate(NegotiationPointInput, {"kind": kind, "text": text})],
    )
    return saved.points[0].id  # type: ignore[no-any-return]


def test_carrying_an_agreed_point_appends_it_once(store: Any) -> None:
    cid = customer(store)
    kid = contract(store, cid, clause_delivery_time="Within 30 days.")
    pid = _minutes_with(store, cid, "agreed", "Delivery by 2027-03-01")
    row = store.contracts.carry_point_into_clause(pid, kid, "clause_delivery_time")
    assert row.clause_delivery_time == "Within 30 days.\nDelivery by 2027-03-01"
    again = store.contracts.carry_point_into_clause(pid, kid, "clause_delivery_time")
    assert again.clause_delivery_time == row.clause_delivery_time
    into_empty = store.contracts.carry_point_into_clause(pid, kid, "clause_price")
    assert into_empty.clause_price == "Delivery by 2027-03-01"
    # A shorter point that only appears inside another line is still carried.
    short = _minutes_with(store, cid, "agreed", "Delivery")
    assert store.contracts.carry_point_into_clause(short, kid, "clause_price").clause_price == (
        "Delivery by 2027-03-01\nDelivery"
    )


def test_carrying_is_refused_for_open_points_other_customers_and_bad_clauses(store: Any) -> None:
    cid, other = customer(store), customer(store, "Beta Foods")
    kid = contract(store, cid)
    with pytest.raises(ContractRefused):
        store.contracts.carry_point_into_clause(_minutes_with(store, cid, "open", "x"), kid,
                                                "clause_price")
    with pytest.raises(ContractRefused):
        store.contracts.carry_point_into_clause(_minutes_with(store, other, "agreed", "y"), kid,
                                      "clause_price")
    with pytest.raises(ContractRefused):
        store.contracts.carry_point_into_clause(_minutes_with(store, cid, "agreed", "z"), kid,
                                                "value")
    assert store.records.get_record(Contract, kid).clause_price is None


# --- signing -----------------------------------------------------------------------------------


@pytest.mark.parametrize("empty", CONTRACT_CLAUSES)
def test_signing_is_refused_for_each_empty_clause(store: Any, empty: str) -> None:
    cid = customer(store)
    kid = contract(store, cid, **{**FULL, empty: None})
    approve(store, kid)
    with pytest.raises(SigningRefused) as refused:
        store.contracts.sign(kid)
    assert refused.value.missing == [f"{clause_label(empty)}: not filled in"]
    assert clause_label(empty) in str(refused.value)
    assert store.records.get_record(Contract, kid).signed_at is None
    assert store.customers.get_customer(cid).stage == Stage.PROSPECT


@pytest.mark.parametrize(("verdict", "word"), [(None, "not approved"), ("pending", "not approved"),
                                               ("rejected", "rejected")])
def test_signing_is_refused_until_legal_approves(store: Any, verdict: str | None,
                                                 word: str) -> None:
    cid = customer(store)
    kid = contract(store, cid, **FULL)
    if verdict is not None:
        approve(store, kid, verdict)
    with pytest.raises(SigningRefused) as refused:
        store.contracts.sign(kid)
    assert len(refused.value.missing) == 1
    assert "Legal review" in refused.value.missing[0]
    assert word in refused.value.missing[0]
    assert store.records.get_record(Contract, kid).signed_at is None


def test_signing_moves_the_customer_to_won(store: Any) -> None:
    cid = customer(store)
    kid = ready(store, cid)
    result = store.contracts.sign(kid)
    assert result.moved_to_won
    row = store.records.get_record(Contract, kid)
    assert row.signed_at == FIXED_NOW
    assert row.credit_override_reason is None
    cust = store.customers.get_customer(cid)
    assert cust.stage == Stage.WON
    assert cust.first_signed_at == FIXED_NOW
    last = stage_rows(store, cid)[-1]
    assert (last.from_stage, last.to_stage) == (Stage.PROSPECT, Stage.WON)
    assert "SD-1" in (last.reason or "")
    # Skipping every stage crossed the soft gates: the passed warnings are on record.
    assert "negotiation minutes" in (last.warnings or "")
    with pytest.raises(ContractRefused):
        store.contracts.sign(kid)
    with pytest.raises(ContractRefused):
        store.contracts.set_clauses(kid, {"clause_price": "changed"})


def test_a_won_customer_stays_won_with_no_new_stage_row(store: Any) -> None:
    cid = customer(store)
    store.contracts.sign(ready(store, cid))
    before = len(stage_rows(store, cid))
    second = ready(store, cid)
    result = store.contracts.sign(second)
    assert not result.moved_to_won
    assert store.customers.get_customer(cid).stage == Stage.WON
    assert len(stage_rows(store, cid)) == before
    assert store.customers.get_customer(cid).first_signed_at == FIXED_NOW


def test_poor_credit_needs_an_override_reason(store: Any) -> None:
    cid = customer(store)
    rate(store, cid, "D")
    kid = ready(store, cid)
    for override in (None, "   "):
        with pytest.raises(SigningRefused) as refused:
            store.contracts.sign(kid, credit_override=override)
        assert refused.value.needs_credit_override
        assert "Credit" in refused.value.missing[0]
        assert store.records.get_record(Contract, kid).signed_at is None
        assert store.customers.get_customer(cid).stage == Stage.PROSPECT
    store.contracts.sign(kid, credit_override="Prepaid in full")
    row = store.records.get_record(Contract, kid)
    assert row.signed_at == FIXED_NOW
    assert row.credit_override_reason == "Prepaid in full"
    assert store.customers.get_customer(cid).stage == Stage.WON
    assert "Prepaid in full" in (stage_rows(store, cid)[-1].reason or "")


def test_better_credit_stores_no_override(store: Any) -> None:
    cid = customer(store)
    rate(store, cid, "D")
    rate(store, cid, "B", day=10)  # the latest check counts
    kid = ready(store, cid)
    store.contracts.sign(kid, credit_override="not needed")
    assert store.records.get_record(Contract, kid).credit_override_reason is None


def test_the_signing_check_constraint_holds_for_the_table(store: Any) -> None:
    cid = customer(store)
    kid = contract(store, cid, **FULL)
    # Whichever error it raises, the CHECK signed_needs_approval must refuse the write.
    with pytest.raises(Exception), store.db.write() as session:  # noqa: B017
        row = session.get(Contract, kid)
        row.signed_at = FIXED_NOW
        session.add(row)
    with store.db.read() as session:
        assert session.get(Customer, cid).first_signed_at is None
    missing = missing_for_signing(store.records.get_record(Contract, kid))
    assert missing == ["Legal review: not approved yet"]
