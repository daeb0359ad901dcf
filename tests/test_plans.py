"""Contact plans in the store: plan, log, reschedule, edit; revisits due; upcoming plans."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from salesdev_tui.domain.periods import day_bounds
from salesdev_tui.domain.validation import (
    ContactInput,
    ContactPlanInput,
    CustomerInput,
    PlanOutcomeInput,
    validate,
)
from salesdev_tui.models.enums import PlanStatus, Stage
from salesdev_tui.models.tables import ContactPlan, Customer, FieldEdit
from salesdev_tui.store.base import NotFound
from tests.conftest import FIXED_NOW

TAIPEI = ZoneInfo("Asia/Taipei")


def add_customer(store: Any, name: str = "Acme Trading", person: str = "Jane Wu") -> uuid.UUID:
    customer = validate(CustomerInput, {"name": name})
    contact = validate(ContactInput, {"name": person})
    return store.customers.add_lead(customer, contact).id


def plan(store: Any, customer_id: uuid.UUID, when: datetime, **extra: object) -> uuid.UUID:
    data = {"method": "phone", "scheduled_at": when, **extra}
    return store.plans.plan_contact(customer_id, validate(ContactPlanInput, data)).id


def log(store: Any, plan_id: uuid.UUID, status: str, **extra: object) -> ContactPlan:
    outcome = validate(PlanOutcomeInput, {"status": status, **extra})
    return store.plans.log_outcome(plan_id, outcome)  # type: ignore[no-any-return]


def make_won(store: Any, customer_id: uuid.UUID, revisit_days: int | None) -> None:
    """Test setup: a won customer (the stage gates are tested elsewhere)."""
    with store.db.write() as session:
        customer = session.get(Customer, customer_id)
        customer.stage = Stage.WON
        session.add(customer)
    store.plans.set_revisit_interval(customer_id, revisit_days)


def taipei(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TAIPEI)


def today_end(day: date) -> datetime:
    return day_bounds(day, TAIPEI)[1]


# -- planning ---------------------------------------------------------------------------------


def test_plan_a_contact_with_a_person_of_the_customer(store: Any) -> None:
    customer_id = add_customer(store)
    jane = store.customers.contacts_of(customer_id)[0]
    when = FIXED_NOW + timedelta(days=1)
    plan_id = plan(store, customer_id, when, contact_id=str(jane.id), agenda="Samples")
    saved = store.plans.get_plan(plan_id)
    assert (saved.method, saved.scheduled_at, saved.contact_id, saved.agenda) == (
        "phone", when, jane.id, "Samples"
    )
    assert saved.status == PlanStatus.PLANNED and saved.done_at is None
    assert [p.id for p in store.plans.plans_of(customer_id)] == [plan_id]


def test_a_person_of_another_customer_is_refused(store: Any) -> None:
    acme = add_customer(store)
    other = add_customer(store, "Beta Foods", "Bob Lin")
    bob = store.customers.contacts_of(other)[0]
    with pytest.raises(NotFound):
        plan(store, acme, FIXED_NOW, contact_id=str(bob.id))
    assert store.plans.plans_of(acme) == []


# -- logging the outcome ----------------------------------------------------------------------


@pytest.mark.parametrize("status", ["missed", "cancelled"])
def test_missed_or_cancelled_sets_no_done_time(store: Any, status: str) -> None:
    customer_id = add_customer(store)
    logged = log(store, plan(store, customer_id, FIXED_NOW), status, next_step="Try again")
    assert logged.status == status
    assert logged.done_at is None
    assert logged.next_step == "Try again"
    assert store.customers.get_customer(customer_id).first_contacted_at is None


def test_done_sets_done_time_and_first_contacted(store: Any, clock: Any) -> None:
    customer_id = add_customer(store)
    first = plan(store, customer_id, FIXED_NOW - timedelta(hours=2))
    second = plan(store, customer_id, FIXED_NOW + timedelta(days=2))
    logged = log(store, first, "done", outcome="Interested", next_step="Send the catalogue")
    assert logged.status == PlanStatus.DONE
    assert logged.done_at == FIXED_NOW
    assert (logged.outcome, logged.next_step) == ("Interested", "Send the catalogue")
    customer = store.customers.get_customer(customer_id)
    assert customer.first_contacted_at == FIXED_NOW
    assert customer.last_activity_at == FIXED_NOW

    later = FIXED_NOW + timedelta(days=2, hours=1)
    clock.current = later
    log(store, second, "done")
    assert store.customers.get_customer(
        customer_id).first_contacted_at == FIXED_NOW  # still the first

    # The first contact did not happen after all: the first completed one is now the second.
    relogged = log(store, first, "missed")
    assert relogged.done_at is None
    assert store.customers.get_customer(customer_id).first_contacted_at == later
    log(store, second, "cancelled")
    assert store.customers.get_customer(customer_id).first_contacted_at is None


def test_relogging_is_an_edit_in_the_history(store: Any, clock: Any) -> None:
    customer_id = add_customer(store)
    plan_id = plan(store, customer_id, FIXED_NOW)
    log(store, plan_id, "done", outcome="Talked")
    assert _edits(store, plan_id) == []  # the first outcome is a record, not an edit
    clock.current = FIXED_NOW + timedelta(minutes=5)
    log(store, plan_id, "done", outcome="Talked for an hour")
    assert store.plans.get_plan(plan_id).done_at == FIXED_NOW  # done stays done when it was
    assert _edits(store, plan_id) == [("outcome", "Talked", "Talked for an hour")]


def _edits(store: Any, record_id: uuid.UUID) -> list[tuple[str, str | None, str | None]]:
    with store.db.read() as session:
        rows = session.exec(
            select(FieldEdit).where(FieldEdit.entity_id == record_id).order_by(FieldEdit.field)
        ).all()
        return [(r.field, r.old_value, r.new_value) for r in rows]


# -- rescheduling and editing -----------------------------------------------------------------


def test_reschedule_reopens_the_plan(store: Any) -> None:
    customer_id = add_customer(store)
    plan_id = plan(store, customer_id, FIXED_NOW)
    log(store, plan_id, "done")
    new_time = FIXED_NOW + timedelta(days=3)
    moved = store.plans.reschedule(plan_id, new_time)
    assert (moved.scheduled_at, moved.status, moved.done_at) == (new_time, "planned", None)
    assert store.customers.get_customer(customer_id).first_contacted_at is None
    assert ("scheduled_at", FIXED_NOW.isoformat(), new_time.isoformat()) in _edits(store, plan_id)


def test_a_new_time_reopens_a_missed_plan_but_not_a_done_one(store: Any) -> None:
    customer_id = add_customer(store)
    missed = plan(store, customer_id, FIXED_NOW, agenda="Samples")
    done = plan(store, customer_id, FIXED_NOW)
    log(store, missed, "missed")
    log(store, done, "done")
    later = FIXED_NOW + timedelta(days=1)
    data = validate(ContactPlanInput, {"method": "visit", "scheduled_at": later,
                                       "agenda": "Samples"})
    reopened = store.plans.update_plan(missed, data)
    assert (reopened.status, reopened.method, reopened.scheduled_at) == ("planned", "visit", later)
    kept = store.plans.update_plan(done, data)
    assert kept.status == PlanStatus.DONE and kept.done_at == FIXED_NOW
    fields = [field for field, _old, _new in _edits(store, missed)]
    assert fields == ["method", "scheduled_at", "status"]


# -- revisits of won customers ----------------------------------------------------------------


def test_revisit_falls_due_on_the_right_taipei_day(store: Any, clock: Any) -> None:
    late = add_customer(store, "Late Evening Ltd.")
    early = add_customer(store, "Early Morning Ltd.")
    for customer_id, moment in ((late, taipei(2026, 10, 1, 23, 30)),
                                (early, taipei(2026, 10, 1, 0, 30))):
        clock.current = moment
        log(store, plan(store, customer_id, moment), "done")
        make_won(store, customer_id, 30)
    # Both were last seen on 1 October (Taipei): the revisit is due on 31 October, whatever
    # the hour, although 00:30 in Taipei is still 30 September in UTC.
    assert store.plans.revisits_due(today_end(date(2026, 10, 30)), zone=TAIPEI) == []
    due = store.plans.revisits_due(today_end(date(2026, 10, 31)), zone=TAIPEI)
    assert [(d.name, d.revisit_days) for d in due] == [
        ("Early Morning Ltd.", 30), ("Late Evening Ltd.", 30)
    ]
    assert due[1].last_contact_at == taipei(2026, 10, 1, 23, 30)
    assert due[1].due_at == taipei(2026, 10, 31, 23, 30)


def test_revisit_needs_won_an_interval_and_nothing_planned(store: Any, clock: Any) -> None:
    clock.current = taipei(2026, 9, 1, 10)
    won = add_customer(store, "Won Co.")
    open_stage = add_customer(store, "Still Open Co.")
    no_interval = add_customer(store, "No Interval Co.")
    for customer_id in (won, open_stage, no_interval):
        log(store, plan(store, customer_id, clock.current), "done")
    make_won(store, won, 14)
    make_won(store, no_interval, None)
    store.plans.set_revisit_interval(open_stage, 14)
    end = today_end(date(2026, 11, 16))
    assert [d.name for d in store.plans.revisits_due(end, zone=TAIPEI)] == ["Won Co."]
    # A visit already planned: someone is on it.
    clock.current = FIXED_NOW
    visit = plan(store, won, FIXED_NOW + timedelta(days=2))
    assert store.plans.revisits_due(end, zone=TAIPEI) == []
    # Done: the next revisit counts from this visit.
    clock.current = FIXED_NOW + timedelta(days=2)
    log(store, visit, "done")
    assert store.plans.revisits_due(today_end(date(2026, 12, 1)), zone=TAIPEI) == []
    assert [d.name for d in store.plans.revisits_due(today_end(date(2026, 12, 2)),
                                                     zone=TAIPEI)] == [
        "Won Co."
    ]


def test_revisit_counts_from_signing_when_no_contact_was_done(store: Any) -> None:
    customer_id = add_customer(store)
    make_won(store, customer_id, 7)
    with store.db.write() as session:
        customer = session.get(Customer, customer_id)
        customer.first_signed_at = taipei(2026, 11, 1, 15)
        session.add(customer)
    assert store.plans.revisits_due(today_end(date(2026, 11, 7)), zone=TAIPEI) == []
    [due] = store.plans.revisits_due(today_end(date(2026, 11, 8)), zone=TAIPEI)
    assert due.last_contact_at is None and due.due_at == taipei(2026, 11, 8, 15)


def test_revisit_interval_is_checked(store: Any) -> None:
    customer_id = add_customer(store)
    with pytest.raises(ValueError):
        store.plans.set_revisit_interval(customer_id, 0)


# -- upcoming plans for the calendar ----------------------------------------------------------


def test_upcoming_plans_are_open_plans_in_the_window(store: Any) -> None:
    acme = add_customer(store)
    beta = add_customer(store, "Beta Foods", "Bob Lin")
    bob = store.customers.contacts_of(beta)[0]
    start, end = FIXED_NOW, FIXED_NOW + timedelta(days=7)
    later = plan(store, acme, start + timedelta(days=2), agenda="Visit")
    sooner = plan(store, beta, start + timedelta(hours=1), contact_id=str(bob.id))
    plan(store, acme, start - timedelta(minutes=1))  # before the window
    plan(store, acme, end)  # the end is exclusive
    log(store, plan(store, acme, start + timedelta(days=1)), "cancelled")
    items = store.plans.upcoming_plans(start, end)
    assert [(i.plan_id, i.customer_name, i.contact_name) for i in items] == [
        (sooner, "Beta Foods", "Bob Lin"),
        (later, "Acme Trading", None),
    ]
    assert items[1].agenda == "Visit" and items[1].scheduled_at.tzinfo is not None
    assert items[0].scheduled_at == (start + timedelta(hours=1)).astimezone(UTC)
