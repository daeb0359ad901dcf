"""Store: needs notes, surveys, credit checks, competitor notes, milestones and progress
reports through the generic records path (with the edit history); follow-up rules, the
overdue milestones, the competitor overview, and research notes with their customers."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import select

from salesdev_tui.domain.validation import (
    CompetitorNoteInput,
    CreditCheckInput,
    CustomerInput,
    InputModel,
    MilestoneInput,
    NeedsNoteInput,
    ProgressReportInput,
    ResearchNoteInput,
    SurveyInput,
    validate,
)
from salesdev_tui.models.enums import LegalReview, MilestoneKind, Source, Stage
from salesdev_tui.models.tables import (
    CompetitorNote,
    Contract,
    CreditCheck,
    Customer,
    FieldEdit,
    Milestone,
    NeedsNote,
    ProgressReport,
    Record,
    Survey,
)
from salesdev_tui.store.base import NotFound
from salesdev_tui.store.competitors import Outcome, competitor_key
from tests.conftest import FIXED_NOW

TODAY = date(2026, 11, 16)  # FIXED_NOW in Taipei


def add_customer(store: Any, name: str, **fields: object) -> uuid.UUID:
    return store.customers.add_lead(validate(CustomerInput, {"name": name, **fields})).id


def set_stage(store: Any, customer_id: uuid.UUID, stage: Stage) -> None:
    with store.db.write() as session:
        customer = session.get(Customer, customer_id)
        customer.stage = stage
        session.add(customer)


def edits_of(store: Any, record_id: uuid.UUID) -> dict[str, tuple[str | None, str | None]]:
    with store.db.read() as session:
        rows = session.exec(select(FieldEdit).where(FieldEdit.entity_id == record_id)).all()
    return {e.field: (e.old_value, e.new_value) for e in rows}


# (table, input model, what is added, one field edited: (name, new value, as logged))
CASES: list[tuple[type[Record], type[InputModel], dict[str, object], tuple[str, object, str]]] = [
    (NeedsNote, NeedsNoteInput,
     {"text": "Faster delivery", "kind": "pain point", "priority": "high", "budget": "1,200"},
     ("priority", "low", "low")),
    (Survey, SurveyInput,
     {"score": "4", "taken_at": FIXED_NOW, "method": "phone", "comment": "Happy"},
     ("score", "2", "2")),
    (CreditCheck, CreditCheckInput,
     {"checked_on": "2026-11-01", "rating": "b", "source": "Agency", "credit_limit": "50000"},
     ("rating", "C", "C")),
    (CompetitorNote, CompetitorNoteInput,
     {"competitor": "Acme", "offer": "10% cheaper", "strengths": "price"},
     ("weaknesses", "slow support", "slow support")),
    (Milestone, MilestoneInput,
     {"title": "First delivery", "due_on": "2026-12-01"},
     ("title", "Second delivery", "Second delivery")),
    (ProgressReport, ProgressReportInput,
     {"sent_at": FIXED_NOW, "channel": "e-mail", "summary": "Delivery on track"},
     ("channel", "visit", "visit")),
]


@pytest.mark.parametrize(("model", "input_model", "data", "edit"), CASES,
                         ids=[case[0].__name__ for case in CASES])
def test_each_record_is_added_edited_and_deleted_with_history(
    store: Any, model: type[Record], input_model: type[InputModel], data: dict[str, object],
    edit: tuple[str, object, str],
) -> None:
    customer_id = add_customer(store, "Acme Trading")
    row = store.records.add_record(model, customer_id, validate(input_model, data))
    assert store.records.get_record(model, row.id).customer_id == customer_id

    field, new_value, logged = edit
    changed = validate(input_model, {**data, field: new_value})
    store.records.update_record(model, row.id, changed)
    old = getattr(row, field)
    old_text = old.value if hasattr(old, "value") else str(old) if old is not None else None
    assert edits_of(store, row.id) == {field: (old_text, logged)}
    # Saving the same values again changes nothing and logs nothing.
    store.records.update_record(model, row.id, changed)
    assert len(edits_of(store, row.id)) == 1

    store.records.delete_record(model, row.id)
    with pytest.raises(NotFound):
        store.records.get_record(model, row.id)
    assert "deleted_at" in edits_of(store, row.id)
    file = store.files.customer_file(customer_id)
    lists = (file.needs, file.surveys, file.credit_checks, file.competitor_notes,
             file.milestones, file.progress_reports)
    assert all(row.id not in {r.id for r in records} for records in lists)


def test_needs_notes_are_listed_newest_first(store: Any, clock: Any) -> None:
    customer_id = add_customer(store, "Beta Foods")
    for hours, text in ((0, "older"), (3, "newer")):
        clock.current = FIXED_NOW + timedelta(hours=hours)
        store.records.add_record(NeedsNote, customer_id, validate(NeedsNoteInput, {"text": text}),
                         noted_at=store.now())
    assert [n.text for n in store.files.customer_file(customer_id).needs] == ["newer", "older"]


# -- follow-up ----------------------------------------------------------------------------


def sign_contract(store: Any, customer_id: uuid.UUID) -> uuid.UUID:
    with store.db.write() as session:
        contract = Contract(customer_id=customer_id, legal_review=LegalReview.APPROVED,
                            signed_at=FIXED_NOW - timedelta(days=3))
        session.add(contract)
        return contract.id


def test_milestone_links_the_signed_contract_and_done_stamps_the_time(
    store: Any, clock: Any
) -> None:
    customer_id = add_customer(store, "Gamma Steel")
    data = validate(MilestoneInput, {"title": "Kick-off", "kind": "kickoff"})
    early = store.followup.save_milestone(customer_id, None, data, done=False)
    assert early.contract_id is None and early.done_at is None  # nothing signed yet
    assert store.followup.has_kickoff(customer_id)

    contract_id = sign_contract(store, customer_id)
    assert store.followup.signed_contract_id(customer_id) == contract_id
    row = store.followup.save_milestone(customer_id, early.id, data, done=True)
    assert row.contract_id == contract_id
    assert row.done_at == FIXED_NOW
    assert edits_of(store, row.id)["done_at"][1] == FIXED_NOW.isoformat()

    clock.current = FIXED_NOW + timedelta(days=1)
    again = store.followup.save_milestone(customer_id, row.id, data, done=True)
    assert again.done_at == FIXED_NOW  # already done: keeps when it was done
    undone = store.followup.save_milestone(customer_id, row.id, data, done=False)
    assert undone.done_at is None and undone.contract_id == contract_id

    new = store.followup.save_milestone(customer_id, None,
                               validate(MilestoneInput, {"title": "Delivery"}), done=True)
    assert new.contract_id == contract_id and new.kind == MilestoneKind.MILESTONE
    assert new.done_at == clock.current

    report = store.followup.save_progress_report(
        customer_id, None,
        validate(ProgressReportInput, {"sent_at": FIXED_NOW, "summary": "On track"}))
    assert report.contract_id == contract_id
    edited = store.followup.save_progress_report(
        customer_id, report.id,
        validate(ProgressReportInput, {"sent_at": FIXED_NOW, "summary": "Late by a week"}))
    assert edited.contract_id == contract_id
    assert edits_of(store, report.id) == {"summary": ("On track", "Late by a week")}


def test_overdue_milestones(store: Any) -> None:
    acme = add_customer(store, "Acme")
    gone = add_customer(store, "Gone Ltd")

    def milestone(customer_id: uuid.UUID, title: str, due: date | None,
                  done: bool = False) -> uuid.UUID:
        data = validate(MilestoneInput, {"title": title, "due_on": due})
        return store.followup.save_milestone(customer_id, None, data, done=done).id

    late = milestone(acme, "Late", TODAY - timedelta(days=2))
    later = milestone(acme, "Yesterday", TODAY - timedelta(days=1))
    milestone(acme, "Due today", TODAY)
    milestone(acme, "Done already", TODAY - timedelta(days=5), done=True)
    milestone(acme, "No date", None)
    deleted = milestone(acme, "Deleted", TODAY - timedelta(days=9))
    store.records.delete_record(Milestone, deleted)
    milestone(gone, "Of a deleted customer", TODAY - timedelta(days=3))
    store.records.delete_record(Customer, gone)

    overdue = store.followup.milestones_overdue(TODAY, limit=10)
    assert [(m.milestone_id, m.customer_name, m.title) for m in overdue] == [
        (late, "Acme", "Late"), (later, "Acme", "Yesterday")
    ]
    assert overdue[0].due_on == TODAY - timedelta(days=2)
    assert store.followup.milestones_overdue(TODAY, limit=1)[0].milestone_id == late


# -- competitors ----------------------------------------------------------------------------


def note_competitor(store: Any, customer_id: uuid.UUID, name: str) -> uuid.UUID:
    data = validate(CompetitorNoteInput, {"competitor": name})
    return store.records.add_record(CompetitorNote, customer_id, data).id


def test_competitor_overview_groups_names_and_counts_outcomes(store: Any) -> None:
    won = add_customer(store, "Won Co")
    lost = add_customer(store, "Lost Co")
    open_ = add_customer(store, "Open Co")
    set_stage(store, won, Stage.WON)
    store.customers.change_stage(lost, Stage.LOST, reason="chose a competitor")
    note_competitor(store, won, "Acme")
    note_competitor(store, lost, " ACME ")
    note_competitor(store, lost, "acme")  # the same customer twice: counted once
    note_competitor(store, open_, "Acme")
    note_competitor(store, open_, "Ｂｅｔａ  Corp")  # full width, two spaces
    note_competitor(store, won, "beta corp")
    gone = note_competitor(store, open_, "Gamma")
    store.records.delete_record(CompetitorNote, gone)

    rows = store.competitors.competitor_overview()
    assert [r.name for r in rows] == ["Acme", "Beta Corp"]  # most losses first
    acme = rows[0]
    assert (acme.total, acme.won, acme.lost, acme.open) == (3, 1, 1, 1)
    assert [(c.name, c.outcome) for c in acme.customers] == [
        ("Lost Co", Outcome.LOST), ("Open Co", Outcome.OPEN), ("Won Co", Outcome.WON)
    ]
    beta = rows[1]
    assert (beta.total, beta.won, beta.lost, beta.open) == (2, 1, 0, 1)
    assert competitor_key(" ＡＣＭＥ\tInc ") == "acme inc"


def test_competitors_of_deleted_customers_are_left_out(store: Any) -> None:
    gone = add_customer(store, "Gone Ltd")
    note_competitor(store, gone, "Acme")
    store.records.delete_record(Customer, gone)
    assert store.competitors.competitor_overview() == []


# -- research ---------------------------------------------------------------------------------


def test_research_notes_and_linking_a_customer(store: Any) -> None:
    data = {"title": "Machine tools", "industry": "machinery", "region": "Taichung",
            "noted_on": "2026-11-02", "trends": "automation"}
    note = store.research.add_research_note(validate(ResearchNoteInput, data))
    older = store.research.add_research_note(
        validate(ResearchNoteInput, {"title": "Food", "noted_on": "2026-10-01"}))
    store.research.update_research_note(note.id, validate(ResearchNoteInput, {**data,
                                                                              "region": "Tainan"}))
    assert store.records.get_record(type(note), note.id).region == "Tainan"

    plain = add_customer(store, "Plain Co")
    referred = add_customer(store, "Referred Co", source="referral")
    store.research.link_research_note(plain, note.id)
    store.research.link_research_note(referred, note.id)

    customer = store.customers.get_customer(plain)
    assert customer.research_note_id == note.id and customer.source == Source.RESEARCH
    assert edits_of(store, plain) == {
        "research_note_id": (None, str(note.id)), "source": (None, "research")
    }
    assert store.customers.get_customer(
        referred).source == Source.REFERRAL  # a known source is kept

    rows = store.research.research_notes()
    assert [r.note.id for r in rows] == [note.id, older.id]  # newest first
    assert [c.name for c in rows[0].customers] == ["Plain Co", "Referred Co"]
    assert rows[1].customers == ()

    store.research.link_research_note(referred, None)
    assert store.customers.get_customer(referred).research_note_id is None
    assert [c.name for c in store.research.research_notes()[0].customers] == ["Plain Co"]

    store.records.delete_record(type(note), older.id)
    with pytest.raises(NotFound):
        store.research.link_research_note(plain, older.id)
    assert [r.note.id for r in store.research.research_notes()] == [note.id]
