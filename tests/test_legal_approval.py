"""Issue 14.10: a legal approval names the reviewer and the review day, the form refuses it
without them (naming the field), and the contract page shows who approved and when."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select
from textual.widgets import Label, Static

from salesdev_tui.domain.validation import (
    ContractInput,
    CustomerInput,
    InvalidInput,
    LegalReviewInput,
    validate,
)
from salesdev_tui.forms.contract_editor import ContractScreen
from salesdev_tui.models.enums import LegalReview
from salesdev_tui.models.tables import Contract
from tests.conftest import FIXED_NOW, wait_ready

MakeApp = Callable[..., Any]


def _draft(store: Any) -> tuple[uuid.UUID, uuid.UUID]:
    cid = store.customers.add_lead(validate(CustomerInput, {"name": "火箭軸承有限公司"})).id
    return cid, store.contracts.create_contract(cid, validate(ContractInput, {"value": "1000"})).id


def test_the_store_refuses_an_approval_without_a_reviewer_or_in_the_future(store: Any) -> None:
    _cid, kid = _draft(store)
    with pytest.raises(InvalidInput) as refused:
        store.contracts.record_legal_review(kid, validate(LegalReviewInput,
                                                          {"legal_review": "approved"}))
    assert refused.value.by_field().keys() == {"legal_reviewer"}
    assert "Legal reviewer" in str(refused.value)
    tomorrow = (FIXED_NOW + timedelta(days=1)).isoformat()
    with pytest.raises(InvalidInput) as refused:
        store.contracts.record_legal_review(kid, validate(LegalReviewInput, {
            "legal_review": "approved", "legal_reviewer": "Lin", "legal_reviewed_at": tomorrow}))
    assert "future" in refused.value.by_field()["legal_reviewed_at"]

    store.contracts.record_legal_review(kid, validate(LegalReviewInput, {
        "legal_review": "approved", "legal_reviewer": "Lin Mei"}))
    with store.db.read() as session:
        row = session.get(Contract, kid)
        assert row is not None
        assert (row.legal_review, row.legal_reviewer, row.legal_reviewed_at) == (
            LegalReview.APPROVED, "Lin Mei", FIXED_NOW)
    # A rejection or a pending review needs no name.
    store.contracts.record_legal_review(kid, validate(LegalReviewInput,
                                                      {"legal_review": "rejected"}))


async def test_the_form_names_what_an_approval_lacks_then_shows_who_and_when(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        cid, kid = _draft(app.store)
        app.push_screen(ContractScreen(cid, kid))
        await wait_ready(pilot)
        screen = app.screen
        screen.query_one("#legal_review").focus()
        await pilot.press("enter", "down", "enter")  # approved, no reviewer, no day
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        assert "Legal reviewer" in str(screen.query_one("#e-legal_reviewer", Label).render())
        assert "Reviewed on" in str(screen.query_one("#e-legal_reviewed_at", Label).render())
        with app.store.db.read() as session:
            assert session.exec(select(Contract.legal_review)).one() == LegalReview.PENDING

        assert screen.focused is screen.query_one("#legal_reviewer")  # the first one missing
        await pilot.press(*"Lin Mei", "tab", *"2026-11-13", "ctrl+s")
        await wait_ready(pilot)
        with app.store.db.read() as session:
            row = session.exec(select(Contract)).one()
        assert (row.legal_review, row.legal_reviewer) == (LegalReview.APPROVED, "Lin Mei")
        assert row.legal_reviewed_at is not None
        assert row.legal_reviewed_at.astimezone(app.settings.zone).date().isoformat() == (
            "2026-11-13")
        shown = str(screen.query_one("#contract-legal-dates", Static).render())
        assert "Approved by Lin Mei on 2026-11-13" in shown
