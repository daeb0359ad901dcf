"""Issue 14.5: only the current version of a proposal is ever open.

v1 revised into v2: the customer page, the proposals tab, the pipeline value and the
scorecard's pipeline count v2 alone; v1 reads "superseded" and can no longer be presented or
accepted; once v2 is accepted and the customer won, nothing is open. The pure rule
(`services.proposals.open_proposal`) and the SQL one (`store.pipeline_value`) agree on random
sets of versions.
"""

from __future__ import annotations

import uuid
from datetime import UTC, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from salesdev_tui.domain.proposals import open_proposal, proposal_total
from salesdev_tui.domain.validation import (
    ContractInput,
    CustomerInput,
    LegalReviewInput,
    ProposalInput,
    ProposalLineInput,
    validate,
)
from salesdev_tui.models.enums import ProposalStatus, Stage
from salesdev_tui.models.tables import CONTRACT_CLAUSES, Customer, Proposal, ProposalLine
from salesdev_tui.store.proposals import ProposalRefused
from salesdev_tui.widgets.customer_header import render_header
from salesdev_tui.widgets.customer_tabs import _proposals
from tests.conftest import FIXED_NOW

P = ProposalStatus


def _line(price: str) -> Any:
    return validate(ProposalLineInput, {"product": "Press", "quantity": "1", "unit_price": price})


def _header_text(store: Any, cid: uuid.UUID) -> str:
    return render_header(store.files.customer_file(cid), "TWD").plain


def _open_pipeline(store: Any) -> tuple[int, Decimal]:
    """The scorecard's pipeline: open proposals and their value."""
    rows = store.kpis.pipeline_by_stage()
    return sum(r.proposals for r in rows), sum((r.value for r in rows), Decimal(0))


def test_a_revised_proposal_is_superseded_everywhere(store: Any, clock: Any) -> None:
    cid = store.customers.add_lead(validate(CustomerInput, {"name": "Kappa Machines"})).id
    for step in (Stage.CONTACTED, Stage.NEEDS, Stage.PROPOSAL):
        store.customers.change_stage(cid, step, reason="setup")
    v1 = store.proposals.create_proposal(cid, validate(ProposalInput, {"title": "Presses"}),
                               [_line("1000000")])
    store.proposals.set_proposal_status(v1.id, P.PRESENTED)
    v2 = store.proposals.new_version_from(v1.id)
    store.proposals.replace_lines(v2.id, [_line("1005000")])

    assert "open proposals TWD 1,005,000" in _header_text(store, cid)
    assert _open_pipeline(store) == (1, Decimal("1005000"))
    rows = {cells[0]: cells[2] for _id, cells in _proposals(store.files.customer_file(cid), UTC)}
    assert rows == {"v1": "superseded", "v2": "draft"}
    with pytest.raises(ProposalRefused, match="revised into version 2"):
        store.proposals.set_proposal_status(v1.id, P.ACCEPTED)

    store.proposals.set_proposal_status(v2.id, P.PRESENTED)
    store.proposals.set_proposal_status(v2.id, P.ACCEPTED)
    clauses = {clause: "agreed" for clause in CONTRACT_CLAUSES}
    kid = store.contracts.create_contract(cid, validate(ContractInput, {"proposal_id": v2.id,
                                                                        **clauses})).id
    store.contracts.record_legal_review(kid, validate(LegalReviewInput, {
        "legal_review": "approved", "legal_reviewer": "Lin", "legal_reviewed_at": FIXED_NOW}))
    clock.current = FIXED_NOW + timedelta(minutes=5)
    store.contracts.sign(kid)
    assert store.customers.get_customer(cid).stage == Stage.WON
    assert "open proposals TWD 0" in _header_text(store, cid)
    assert _open_pipeline(store) == (0, Decimal(0))
    rows = {cells[0]: cells[2] for _id, cells in _proposals(store.files.customer_file(cid), UTC)}
    assert rows == {"v1": "superseded", "v2": "accepted"}


versions = st.lists(
    st.tuples(st.sampled_from(list(P)), st.booleans(), st.integers(1, 9)),
    min_size=0, max_size=4,
)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(proposals=versions, stage=st.sampled_from(list(Stage)))
def test_the_pure_rule_and_the_sql_rule_agree(
    store: Any, proposals: list[tuple[P, bool, int]], stage: Stage
) -> None:
    with store.db.write() as session:
        customer = Customer(name=f"C {uuid.uuid4().hex[:6]}", name_key=uuid.uuid4().hex,
                            stage=stage)
        session.add(customer)
        session.flush()
        for version, (status, deleted, price) in enumerate(proposals, start=1):
            row = Proposal(customer_id=customer.id, title="Offer", status=status,
                           version=version, deleted_at=FIXED_NOW if deleted else None)
            session.add(row)
            session.flush()
            session.add(ProposalLine(proposal_id=row.id, position=0, product="P",
                                     quantity=Decimal(1), unit_price=Decimal(price * 1000),
                                     discount_pct=Decimal(0)))
        session.flush()
        store.customers.refresh_pipeline(session, {customer.id})
        cid = customer.id
    with store.db.read() as session:
        stored = session.get(Customer, cid)
        assert stored is not None
        live = session.exec(select(Proposal).where(Proposal.customer_id == cid,
                                                   Proposal.deleted_at.is_(None))).all()  # type: ignore[union-attr]
        chosen = open_proposal(list(live), stage)
        lines = session.exec(select(ProposalLine).where(
            ProposalLine.proposal_id == chosen.id)).all() if chosen else []
    expected = proposal_total(lines) if chosen is not None else None
    # The column holds the open proposal's value; the scorecard reads it for open stages.
    if stage in (Stage.WON, Stage.LOST):
        assert chosen is None
    else:
        assert stored.pipeline_value == expected
