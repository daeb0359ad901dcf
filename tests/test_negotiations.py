"""Negotiation minutes in the store: all or nothing, ticking points, and the page's counts."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlmodel import col, select

from salesdev_tui.domain.validation import (
    CustomerInput,
    InvalidInput,
    NegotiationInput,
    NegotiationPointInput,
    validate,
)
from salesdev_tui.models.enums import PointKind
from salesdev_tui.models.tables import Negotiation, NegotiationPoint, Proposal
from salesdev_tui.store.base import NotFound
from salesdev_tui.store.negotiations import PointDraft
from tests.conftest import FIXED_NOW


def customer(store: Any, name: str = "Acme Trading") -> uuid.UUID:
    return store.customers.add_lead(validate(CustomerInput, {"name": name})).id  # type: ignore[no-any-return]


def header(**fields: object) -> NegotiationInput:
    return validate(NegotiationInput, {"held_at": FIXED_NOW, **fields})


def point(kind: str, text: str, **fields: object) -> NegotiationPointInput:
    return validate(NegotiationPointInput, {"kind": kind, "text": text, **fields})


def live_rows(store: Any, model: type[Any]) -> list[Any]:
    with store.db.read() as session:
        return list(session.exec(select(model).where(col(model.deleted_at).is_(None))).all())


def test_minutes_and_points_are_written_together(store: Any) -> None:
    cid = customer(store)
    saved = store.negotiations.save_minutes(
        cid,
        header(our_attendees="Me", their_attendees="Jane Wu", strategy_notes="Hold at 5%"),
        [point("key_info", "Budget 2M"), point("agreed", "Delivery in March"),
         point("open", "Payment terms")],
    )
    again = store.negotiations.minutes_with_points(saved.negotiation.id)
    assert again.negotiation.their_attendees == "Jane Wu"
    assert again.negotiation.strategy_notes == "Hold at 5%"
    assert [(p.kind, p.text, p.position) for p in again.points] == [
        (PointKind.KEY_INFO, "Budget 2M", 0),
        (PointKind.AGREED, "Delivery in March", 1),
        (PointKind.OPEN, "Payment terms", 2),
    ]
    assert store.customers.stage_facts(cid).has_negotiation


def test_a_bad_third_point_writes_nothing(store: Any) -> None:
    cid = customer(store)
    # A point that slipped past validation (model_construct skips it): the table's CHECK
    # refuses the empty text at flush, and the whole save must roll back.
    bad = NegotiationPointInput.model_construct(kind=PointKind.OPEN, text="", resolved=False)
    with pytest.raises(Exception):  # noqa: B017 - whichever error, nothing may be written
        store.negotiations.save_minutes(
            cid, header(), [point("key_info", "one"), point("agreed", "two"), bad])
    assert live_rows(store, Negotiation) == []
    assert live_rows(store, NegotiationPoint) == []


def test_updating_keeps_edits_adds_and_deletes_in_one_go(store: Any) -> None:
    cid = customer(store)
    first = store.negotiations.save_minutes(cid, header(), [point("agreed", "A"), point("open",
                                                                                        "B")])
    a, b = first.points
    updated = store.negotiations.save_minutes(
        cid,
        header(next_steps="Send draft contract"),
        [PointDraft(point("agreed", "A, in writing"), a.id), point("open", "C")],
        negotiation_id=first.negotiation.id,
    )
    assert updated.negotiation.id == first.negotiation.id
    assert [p.text for p in updated.points] == ["A, in writing", "C"]
    assert updated.points[0].id == a.id
    assert [p.text for p in live_rows(store, NegotiationPoint)] != []
    assert b.id not in {p.id for p in live_rows(store, NegotiationPoint)}
    assert store.negotiations.minutes_with_points(first.negotiation.id).negotiation.next_steps == (
        "Send draft contract"
    )


def test_a_point_of_other_minutes_refuses_the_whole_save(store: Any) -> None:
    cid = customer(store)
    other = store.negotiations.save_minutes(cid, header(), [point("agreed", "theirs")])
    mine = store.negotiations.save_minutes(cid, header(), [point("agreed", "mine")])
    with pytest.raises(NotFound):
        store.negotiations.save_minutes(
            cid,
            header(next_steps="changed"),
            [point("open", "new"), PointDraft(point("agreed", "stolen"), other.points[0].id)],
            negotiation_id=mine.negotiation.id,
        )
    kept = store.negotiations.minutes_with_points(mine.negotiation.id)
    assert kept.negotiation.next_steps is None
    assert [p.text for p in kept.points] == ["mine"]
    assert [p.text for p in store.negotiations.minutes_with_points(
        other.negotiation.id).points] == ["theirs"]


def test_a_proposal_of_another_customer_is_refused(store: Any) -> None:
    cid, other = customer(store), customer(store, "Beta Foods")
    with store.db.write() as session:
        proposal = Proposal(customer_id=other, title="Theirs")
        session.add(proposal)
    with pytest.raises(InvalidInput) as refused:
        store.negotiations.save_minutes(cid, header(proposal_id=proposal.id), [])
    assert "proposal_id" in refused.value.by_field()
    assert live_rows(store, Negotiation) == []


def test_ticking_a_point_resolved_and_back(store: Any) -> None:
    cid = customer(store)
    saved = store.negotiations.save_minutes(cid, header(), [point("open", "Payment terms")])
    pid = saved.points[0].id
    assert store.negotiations.set_point_resolved(pid, True).resolved
    assert store.negotiations.minutes_with_points(saved.negotiation.id).points[0].resolved
    assert not store.negotiations.set_point_resolved(pid, False).resolved
    assert not store.negotiations.minutes_with_points(saved.negotiation.id).points[0].resolved


def test_the_page_counts_agreed_and_open_points(store: Any) -> None:
    from salesdev_tui.widgets.customer_tabs import _negotiations

    cid = customer(store)
    saved = store.negotiations.save_minutes(
        cid, header(their_attendees="Jane"),
        [point("agreed", "x"), point("open", "y"), point("open", "z", resolved=True)],
    )
    file = store.files.customer_file(cid)
    rows = _negotiations(file, __import__("zoneinfo").ZoneInfo("Asia/Taipei"))
    assert rows[0][0] == saved.negotiation.id.hex
    assert rows[0][1][2:4] == ["1", "1"]  # one agreed, one still open (the other resolved)
