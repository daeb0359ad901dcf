"""Deleting a customer: soft deletion with undo, and a purge that leaves no trace in the file.

The purge test plants a marker in every kind of record, checks that the marker IS in the
database file or its write-ahead log before (so the test can fail), then that no byte of it
is left in the file, the -wal or the -shm after. The files are read by a child process:
reading an open database with plain file IO in this process would drop SQLite's locks.
"""

from __future__ import annotations

import subprocess
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, text
from sqlmodel import select

from salesdev_tui.domain.customer_query import CustomerQuery
from salesdev_tui.domain.validation import ContactInput, CustomerInput, validate
from salesdev_tui.models.tables import (
    ALL_TABLES,
    CompetitorNote,
    ContactPlan,
    Contract,
    CreditCheck,
    Customer,
    FieldEdit,
    Milestone,
    NeedsNote,
    Negotiation,
    NegotiationPoint,
    ProgressReport,
    Proposal,
    ProposalLine,
    StageChange,
    Survey,
)
from salesdev_tui.store.base import NotFound
from tests.conftest import FIXED_NOW, wait_ready

MARKER = "ZQX-PURGE-7c1e"
KEEP = "KEEP-OTHER-4b2a"


def raw_bytes(path: Path) -> bytes:
    """The bytes of `path` (b"" if missing), read by another process (see the docstring)."""
    done = subprocess.run(["cat", str(path)], capture_output=True, check=False)
    return done.stdout


def file_set(db_path: Path) -> dict[str, bytes]:
    return {suffix.lstrip("-") or "db": raw_bytes(Path(f"{db_path}{suffix}"))
            for suffix in ("", "-wal", "-shm")}


def holds(data: bytes, marker: str) -> bool:
    return marker.encode() in data or marker.lower().encode() in data


def seed_customer(store: Any, marker: str, name: str) -> uuid.UUID:
    """A customer with one record of every kind, each holding `marker` in its text."""
    customer = store.customers.add_lead(
        validate(CustomerInput, {"name": f"{name} {marker}", "notes": f"notes {marker}",
                                 "industry": f"ind {marker}"}),
        validate(ContactInput, {"name": f"Ms {marker}", "email": f"{marker}@example.com",
                                "notes": f"contact {marker}"}),
    )
    cid = customer.id
    # An edit: the old and new values go to the field_edit history.
    store.customers.update_customer(cid, validate(CustomerInput, {"name": f"{name} {marker} Ltd"}))
    m = f"text {marker}"
    now = FIXED_NOW
    with store.db.write() as session:
        proposal = Proposal(customer_id=cid, title=m, notes=m)
        negotiation = Negotiation(customer_id=cid, held_at=now, strategy_notes=m,
                                  next_steps=m)
        contract = Contract(customer_id=cid, number="C-1", clause_price=m,
                            clause_specification=m, legal_comments=m, value=Decimal(10))
        session.add_all([proposal, negotiation, contract])
        session.flush()
        session.add_all([
            ProposalLine(proposal_id=proposal.id, product=m, description=m),
            NegotiationPoint(negotiation_id=negotiation.id, kind="agreed", text=m),
            ContactPlan(customer_id=cid, method="phone", scheduled_at=now + timedelta(days=1),
                        agenda=m),
            NeedsNote(customer_id=cid, text=m, decision_maker=m),
            Milestone(customer_id=cid, contract_id=contract.id, title=m, quality_note=m),
            ProgressReport(customer_id=cid, sent_at=now, summary=m),
            Survey(customer_id=cid, score=4, taken_at=now, comment=m),
            CreditCheck(customer_id=cid, checked_on=date(2026, 11, 1), rating="A", notes=m),
            CompetitorNote(customer_id=cid, competitor=m, offer=m),
            StageChange(customer_id=cid, to_stage="contacted", changed_at=now, reason=m),
        ])
    return cid


def rows_of(store: Any, model: Any, **where: object) -> int:
    with store.db.read() as session:
        stmt = select(func.count()).select_from(model)
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        return int(session.exec(stmt).one())


def live_names(store: Any) -> list[str]:
    page = store.search.search_customers(CustomerQuery(), now=FIXED_NOW)
    return [row.name for row in page.rows]


def found(store: Any, text_query: str) -> int:
    return int(store.search.count_customers(CustomerQuery(text=text_query)))


# -- soft deletion ----------------------------------------------------------------------------


def test_delete_hides_everywhere_and_undelete_restores_only_what_it_deleted(
    store: Any, clock: Any
) -> None:
    cid = seed_customer(store, MARKER, "Gone")
    seed_customer(store, KEEP, "Stays")
    # A need the rep deleted on its own earlier must stay deleted after the undo.
    with store.db.read() as session:
        need = session.exec(select(NeedsNote).where(NeedsNote.customer_id == cid)).one()
    store.records.delete_record(NeedsNote, need.id)
    assert found(store, MARKER) == 1
    clock.current += timedelta(minutes=5)  # the undo tells the two deletions apart by time

    store.deletion.delete_customer(cid)

    assert [n for n in live_names(store) if MARKER in n] == []
    assert any(KEEP in n for n in live_names(store))
    assert found(store, MARKER) == 0
    assert found(store, KEEP) == 1
    figures = store.kpis.kpi_figures(FIXED_NOW - timedelta(days=30), FIXED_NOW + timedelta(days=1))
    assert figures.satisfaction_responses == 1  # only the kept customer's survey
    with store.db.read() as session:
        live_plans = session.exec(select(ContactPlan).where(
            ContactPlan.customer_id == cid, ContactPlan.deleted_at.is_(None))).all()  # type: ignore[union-attr]
    assert live_plans == []
    assert [d.id for d in store.deletion.deleted_customers()] == [cid]
    try:
        store.files.customer_file(cid)
        raise AssertionError("a deleted customer's page must not load")
    except NotFound:
        pass

    store.deletion.undelete_customer(cid)

    assert found(store, MARKER) == 1
    assert store.deletion.deleted_customers() == []
    file = store.files.customer_file(cid)
    assert file.customer.deleted_at is None
    assert len(file.contacts) == 1 and len(file.proposals) == 1
    assert file.needs == []  # deleted on its own before: stays deleted
    edits = rows_of(store, FieldEdit, customer_id=cid, field="deleted_at")
    assert edits == 3  # the need's deletion, the customer's deletion and its undo


def test_undelete_of_a_live_customer_is_not_found(store: Any) -> None:
    cid = seed_customer(store, MARKER, "Live")
    try:
        store.deletion.undelete_customer(cid)
        raise AssertionError("expected NotFound")
    except NotFound:
        pass


# -- purge ------------------------------------------------------------------------------------


def test_purge_leaves_no_trace_in_the_file_wal_or_shm(store: Any, db_path: Path) -> None:
    cid = seed_customer(store, MARKER, "Secret")
    keep = seed_customer(store, KEEP, "Stays")
    store.deletion.delete_customer(cid)  # soft-deleted first: the purge must still take everything
    store.deletion.undelete_customer(cid)
    assert found(store, MARKER) == 1  # indexed (the search index holds its trigrams)
    before = file_set(db_path)
    assert holds(before["db"] + before["wal"], MARKER), "the marker must be there before"

    outcome = store.deletion.purge_customer(cid)

    assert outcome.rows["customer"] == 1 and outcome.rows["proposal_line"] == 1
    after = file_set(db_path)
    for name, data in after.items():
        assert not holds(data, MARKER), f"{MARKER} is still in the {name} file"
    assert holds(after["db"] + after["wal"], KEEP)
    assert len(after["wal"]) == 0  # checkpointed and truncated
    for model in ALL_TABLES:
        if "customer_id" in model.model_fields:
            assert rows_of(store, model, customer_id=cid) == 0, model.__tablename__
    assert rows_of(store, Customer, id=keep) == 1
    assert rows_of(store, ProposalLine) == 1 and rows_of(store, NegotiationPoint) == 1
    assert found(store, MARKER) == 0 and found(store, KEEP) == 1
    with store.db.read() as session:
        conn = session.connection()
        assert conn.execute(text("PRAGMA integrity_check")).all() == [("ok",)]
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        assert conn.execute(text("PRAGMA secure_delete")).scalar_one() == 1
        conn.execute(text("INSERT INTO customer_fts(customer_fts) VALUES ('integrity-check')"))


def test_purge_of_a_customer_whose_proposal_was_revised(store: Any) -> None:
    """A revision points at the proposal it revises (ON DELETE RESTRICT, checked row by row):
    one DELETE of the customer's proposals failed with a foreign-key error when it reached
    the revised proposal first (found by the issue 22 helper on demo data)."""
    customer = store.customers.add_lead(validate(CustomerInput, {"name": "Revised Co"}))
    with store.db.write() as session:
        first = Proposal(customer_id=customer.id, title="v1")
        session.add(first)
        session.flush()
        first_id = first.id
    second = store.proposals.new_version_from(first_id)
    third = store.proposals.new_version_from(second.id)
    assert third.previous_id == second.id and second.previous_id == first_id

    outcome = store.deletion.purge_customer(customer.id)

    assert outcome.rows["proposal"] == 3
    with store.db.read() as session:
        assert session.exec(select(func.count()).select_from(Proposal)).one() == 0
        assert session.get(Customer, customer.id) is None


def test_purge_of_an_unknown_customer_is_not_found(store: Any) -> None:
    try:
        store.deletion.purge_customer(uuid.uuid4())
        raise AssertionError("expected NotFound")
    except NotFound:
        pass


# -- through the app ------------------------------------------------------------------------


async def _open_page(pilot: Any, app: Any, customer_id: uuid.UUID) -> Any:
    from salesdev_tui.screens.customer_page import CustomerPageScreen

    app.open_customer(customer_id)
    await wait_ready(pilot)
    screen = app.screen
    assert isinstance(screen, CustomerPageScreen)
    return screen


async def test_delete_from_the_page_then_undo(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        store = app.store
        cid = seed_customer(store, MARKER, "Gone")
        seed_customer(store, KEEP, "Stays")
        await pilot.press("c")  # the customer list
        await wait_ready(pilot)
        page = await _open_page(pilot, app, cid)

        await pilot.press("ctrl+d")
        await wait_ready(pilot)
        await pilot.press("1")  # Delete (can be undone)
        await wait_ready(pilot)

        assert page.deleted and app.screen is page
        assert rows_of(store, Customer, id=cid) == 1  # still in the file, marked
        assert all(MARKER not in n for n in live_names(store))
        assert [d.id for d in store.deletion.deleted_customers()] == [cid]
        assert any("ctrl+z" in str(n.message) for n in app._notifications)  # how to undo

        await pilot.press("ctrl+z")
        await wait_ready(pilot)

        assert not page.deleted
        assert any(MARKER in n for n in live_names(store))
        assert store.deletion.deleted_customers() == []
        await pilot.press("escape")
        await wait_ready(pilot)
        from salesdev_tui.screens.customers import CustomersScreen

        assert isinstance(app.screen, CustomersScreen)


async def test_restore_from_the_palette_list(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        store = app.store
        cid = seed_customer(store, MARKER, "Gone")
        keep = seed_customer(store, KEEP, "Stays")
        store.deletion.delete_customer(cid)
        page = await _open_page(pilot, app, keep)
        page.action_restore()
        await wait_ready(pilot)
        await pilot.press("1")
        await wait_ready(pilot)
        assert store.deletion.deleted_customers() == []
        assert app.screen.customer_id == cid  # the restored customer's page is opened


async def test_purge_through_the_page_asks_for_the_name(make_app: Any, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        store = app.store
        cid = seed_customer(store, MARKER, "Secret")
        seed_customer(store, KEEP, "Stays")
        page = await _open_page(pilot, app, cid)
        name = store.records.get_record(Customer, cid).name

        await pilot.press("ctrl+d")
        await wait_ready(pilot)
        await pilot.press("2")  # Purge for good
        await wait_ready(pilot)
        await pilot.press(*"Wrong name", "enter")  # a mismatch purges nothing
        await wait_ready(pilot)
        assert rows_of(store, Customer, id=cid) == 1
        from textual.widgets import Input

        app.screen.query_one(Input).value = ""
        await pilot.press(*name.upper(), "enter")
        await wait_ready(pilot)

        assert rows_of(store, Customer, id=cid) == 0
        assert rows_of(store, FieldEdit, customer_id=cid) == 0
        assert app.screen is not page
        after = file_set(db_path)
        for data in after.values():
            assert not holds(data, MARKER)


async def test_restore_is_offered_app_wide_from_the_palette(make_app: Any) -> None:
    """From Today (no customer's page open) the palette lists and restores deleted ones."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        store = app.store
        cid = seed_customer(store, MARKER, "Gone")
        store.deletion.delete_customer(cid)
        [command] = [c for c in app.get_system_commands(app.screen)
                     if c.title == "Restore deleted customer…"]
        command.callback()
        await wait_ready(pilot)
        await pilot.press("1")  # the only deleted customer in the choice
        await wait_ready(pilot)
        assert store.deletion.deleted_customers() == []
        assert app.screen.customer_id == cid
