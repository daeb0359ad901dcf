"""The proposal store: versions, status moves, lines replaced in one go, exact totals."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import select

from salesdev_tui.domain.proposals import LineEdit, ProposalRefused, line_total, proposal_total
from salesdev_tui.domain.validation import (
    CustomerInput,
    InvalidInput,
    ProposalInput,
    ProposalLineInput,
    validate,
)
from salesdev_tui.models.enums import ProposalStatus
from salesdev_tui.models.tables import FieldEdit, ProposalLine
from tests.conftest import FIXED_NOW

P = ProposalStatus


def customer(store: Any, name: str = "Acme Trading") -> uuid.UUID:
    return store.customers.add_lead(validate(CustomerInput, {"name": name})).id  # type: ignore[no-any-return]


def header(title: str = "Line automation", **fields: object) -> ProposalInput:
    return validate(ProposalInput, {"title": title, **fields})


def line(product: str, quantity: str = "1", price: str = "100", discount: str = "") -> Any:
    return validate(ProposalLineInput, {"product": product, "quantity": quantity,
                                        "unit_price": price, "discount_pct": discount})


def test_versions_number_per_customer(store: Any) -> None:
    acme, beta = customer(store), customer(store, "Beta Foods")
    first = store.proposals.create_proposal(acme, header(), [line("Robot arm")])
    second = store.proposals.create_proposal(acme, header("Second idea"))
    other = store.proposals.create_proposal(beta, header())
    assert (first.version, second.version, other.version) == (1, 2, 1)
    assert first.status == P.DRAFT and first.previous_id is None
    assert [p.version for p in store.proposals.proposals_of(acme)] == [2, 1]


def test_exact_total_with_discount_and_fractional_quantity(store: Any) -> None:
    acme = customer(store)
    lines = [line("Bearing", "3", "1,234.50", "12.5%"), line("Oil", "2.5", "99.99"),
             line("Setup", "0.125", "1000", "100")]
    proposal = store.proposals.create_proposal(acme, header(), lines)
    found = store.proposals.proposal_with_lines(proposal.id)
    # 3 × 1,234.50 = 3,703.50, less 12.5 % = 3,240.5625 -> 3,240.56 (half-even to the cent)
    amounts = [line_total(x) for x in found.lines]
    assert amounts == [Decimal("3240.56"), Decimal("249.98"), Decimal("0.00")]
    assert proposal_total(found.lines) == Decimal("3490.54")
    assert [x.quantity for x in found.lines] == [Decimal("3.000"), Decimal("2.500"),
                                                 Decimal("0.125")]
    assert found.customer_name == "Acme Trading"


def test_line_input_refuses_bad_numbers() -> None:
    for data in ({"quantity": "0"}, {"discount_pct": "101"}, {"unit_price": "-5"},
                 {"quantity": "1.2345"}):
        with pytest.raises(InvalidInput) as caught:
            validate(ProposalLineInput, {"product": "x", **data})
        assert set(caught.value.by_field()) == set(data)


def test_replace_lines_keeps_order_ids_and_soft_deletes(store: Any) -> None:
    proposal = store.proposals.create_proposal(customer(store), header(),
                                     [line("A"), line("B"), line("C")])
    a, b, c = store.proposals.proposal_with_lines(proposal.id).lines
    # B moved first and changed, A kept, C dropped, D new: one transaction.
    kept = store.proposals.replace_lines(proposal.id, [LineEdit(line("B2", "4"), b.id),
                                                       LineEdit(line("A"),
                               a.id), line("D")])
    assert [(x.product, x.position) for x in kept] == [("B2", 0), ("A", 1), ("D", 2)]
    found = store.proposals.proposal_with_lines(proposal.id).lines
    assert [x.product for x in found] == ["B2", "A", "D"]
    assert found[0].id == b.id and found[1].id == a.id and found[2].id not in {a.id, c.id}
    with store.db.read() as session:
        gone = session.get(ProposalLine, c.id)
        assert gone is not None and gone.deleted_at is not None


def test_transitions(store: Any, clock: Any) -> None:
    acme = customer(store)
    empty = store.proposals.create_proposal(acme, header("Empty"))
    with pytest.raises(ProposalRefused, match="at least one line"):
        store.proposals.set_proposal_status(empty.id, P.PRESENTED)
    proposal = store.proposals.create_proposal(acme, header(), [line("Robot arm")])
    for refused in (P.ACCEPTED, P.REJECTED):
        with pytest.raises(ProposalRefused):
            store.proposals.set_proposal_status(proposal.id, refused)
    clock.current = FIXED_NOW + timedelta(hours=2)
    presented = store.proposals.set_proposal_status(proposal.id, P.PRESENTED)
    assert presented.status == P.PRESENTED and presented.presented_at == clock.current
    accepted = store.proposals.set_proposal_status(proposal.id, P.ACCEPTED)
    assert accepted.status == P.ACCEPTED
    for refused in (P.DRAFT, P.PRESENTED, P.REJECTED):
        with pytest.raises(ProposalRefused, match="final"):
            store.proposals.set_proposal_status(proposal.id, refused)
    with store.db.read() as session:
        edits = session.exec(select(FieldEdit).where(FieldEdit.entity_id == proposal.id)).all()
        assert [(e.field, e.new_value) for e in edits if e.field == "status"] == [
            ("status", "presented"), ("status", "accepted")]


def test_one_accepted_proposal_per_customer(store: Any) -> None:
    acme = customer(store)
    first = store.proposals.create_proposal(acme, header(), [line("A")])
    store.proposals.set_proposal_status(first.id, P.PRESENTED)
    store.proposals.set_proposal_status(first.id, P.ACCEPTED)
    second = store.proposals.create_proposal(acme, header(), [line("B")])
    store.proposals.set_proposal_status(second.id, P.PRESENTED)
    with pytest.raises(ProposalRefused, match="Version 1 is already accepted"):
        store.proposals.set_proposal_status(second.id, P.ACCEPTED)
    assert store.proposals.set_proposal_status(second.id, P.REJECTED).status == P.REJECTED
    # Another customer is not affected.
    beta = customer(store, "Beta Foods")
    other = store.proposals.create_proposal(beta, header(), [line("C")])
    store.proposals.set_proposal_status(other.id, P.PRESENTED)
    assert store.proposals.set_proposal_status(other.id, P.ACCEPTED).status == P.ACCEPTED


def test_presented_proposal_is_frozen_but_notes_stay_editable(store: Any) -> None:
    proposal = store.proposals.create_proposal(customer(store), header(notes="mine"), [line("A")])
    store.proposals.set_proposal_status(proposal.id, P.PRESENTED)
    with pytest.raises(ProposalRefused, match="new version"):
        store.proposals.update_proposal(proposal.id, header("Changed title"))
    with pytest.raises(ProposalRefused):
        store.proposals.replace_lines(proposal.id, [line("A", "2")])
    with pytest.raises(ProposalRefused):
        store.proposals.update_proposal(proposal.id, header(notes="mine"), [line("B")])
    same_lines = [line("A")]
    updated = store.proposals.update_proposal(proposal.id, header(notes="customer hesitant"),
                                              same_lines)
    assert updated.notes == "customer hesitant"
    assert [x.product for x in store.proposals.proposal_with_lines(proposal.id).lines] == ["A"]


def test_new_version_copies_header_and_lines(store: Any, clock: Any) -> None:
    acme = customer(store)
    proposal = store.proposals.create_proposal(
        acme,
        header(price_structure="30% on signing", delivery_method="Courier",
               delivery_time="6 weeks", after_sales="12-month warranty",
               valid_until="2026-12-31", notes="private"),
        [line("A", "3", "1,234.50", "12.5"), line("B", "1", "10")],
    )
    store.proposals.set_proposal_status(proposal.id, P.PRESENTED)
    clock.current = FIXED_NOW + timedelta(days=1)
    copy = store.proposals.new_version_from(proposal.id)
    assert (copy.version, copy.previous_id, copy.status, copy.presented_at) == (
        2, proposal.id, P.DRAFT, None)
    for name in ("title", "price_structure", "delivery_method", "delivery_time",
                 "after_sales", "valid_until", "notes"):
        assert getattr(copy, name) == getattr(proposal, name)
    old = store.proposals.proposal_with_lines(proposal.id)
    new = store.proposals.proposal_with_lines(copy.id)
    assert old.proposal.status == P.PRESENTED and old.proposal.version == 1

    def fields(rows: list[ProposalLine]) -> list[tuple[object, ...]]:
        return [(r.position, r.product, r.quantity, r.unit_price, r.discount_pct) for r in rows]

    assert fields(new.lines) == fields(old.lines)
    assert {r.id for r in new.lines}.isdisjoint({r.id for r in old.lines})
    assert proposal_total(new.lines) == proposal_total(old.lines) == Decimal("3250.56")
    # The copy is a draft: it can change while the presented one stays as it was.
    store.proposals.replace_lines(copy.id, [line("A", "4", "1,234.50", "12.5")])
    assert [x.quantity for x in store.proposals.proposal_with_lines(proposal.id).lines] == [
        Decimal("3.000"), Decimal("1.000")]


def test_header_edits_are_in_the_history(store: Any) -> None:
    acme = customer(store)
    proposal = store.proposals.create_proposal(acme, header("Old title"))
    store.proposals.update_proposal(proposal.id, header("New title"))
    with store.db.read() as session:
        edits = session.exec(select(FieldEdit).where(FieldEdit.entity == "proposal")).all()
        assert [(e.field, e.old_value, e.new_value) for e in edits] == [
            ("title", "Old title", "New title")]
