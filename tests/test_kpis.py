"""Every indicator of policy V on hand-built data, cut in a non-UTC zone."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from salesdev_tui.domain.periods import parse_period
from salesdev_tui.domain.scorecard import build_scorecard, success_rate
from salesdev_tui.models.enums import ContactMethod, LegalReview, PeriodKind, PlanStatus
from salesdev_tui.models.tables import ContactPlan, Contract, Customer, Survey
from salesdev_tui.store.combined import Store

TAIPEI = ZoneInfo("Asia/Taipei")
CLAUSES = {
    "clause_rights_obligations": "both parties…",
    "clause_specification": "spec",
    "clause_price": "price",
    "clause_delivery_time": "30 days",
    "clause_quality_standard": "ISO 9001",
    "clause_breach_liability": "5% per week",
}


def local(y: int, m: int, d: int, hh: int = 12, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TAIPEI).astimezone(UTC)


class Book:
    """Writes hand-built records straight into the store's database."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def customer(self, name: str) -> uuid.UUID:
        now = datetime(2026, 1, 1, tzinfo=UTC)
        row = Customer(name=name, name_key=name.lower(), created_at=now, updated_at=now)
        with self.store.db.write() as session:
            session.add(row)
        return row.id

    def contact_done(self, customer_id: uuid.UUID, at: datetime) -> None:
        with self.store.db.write() as session:
            session.add(
                ContactPlan(customer_id=customer_id, method=ContactMethod.PHONE,
                            scheduled_at=at, status=PlanStatus.DONE, done_at=at)
            )
            session.flush()
            self.store.customers.refresh_customer_facts(session, {customer_id})

    def contact_missed(self, customer_id: uuid.UUID, at: datetime) -> None:
        with self.store.db.write() as session:
            session.add(
                ContactPlan(customer_id=customer_id, method=ContactMethod.PHONE,
                            scheduled_at=at, status=PlanStatus.MISSED)
            )
            session.flush()
            self.store.customers.refresh_customer_facts(session, {customer_id})

    def signed(self, customer_id: uuid.UUID, at: datetime, value: str, cost: str) -> None:
        with self.store.db.write() as session:
            session.add(
                Contract(customer_id=customer_id, value=Decimal(value), cost=Decimal(cost),
                         legal_review=LegalReview.APPROVED, signed_at=at, **CLAUSES)
            )
            session.flush()
            self.store.customers.refresh_customer_facts(session, {customer_id})

    def survey(self, customer_id: uuid.UUID, at: datetime, score: int) -> None:
        with self.store.db.write() as session:
            session.add(Survey(customer_id=customer_id, score=score, taken_at=at))


@pytest.fixture
def book(store: Any) -> Book:
    return Book(store)


def card(store: Store, label: str) -> Any:
    period = parse_period(label, TAIPEI)
    return build_scorecard(period, store.kpis.kpi_figures(*period.utc_bounds()), Decimal("0.03"))


def test_month_edges_are_cut_in_the_reps_zone(store: Store, book: Book) -> None:
    late = book.customer("Late Signer")
    early = book.customer("Early Signer")
    # 23:30 on 30 November in Taipei is 15:30 UTC: it counts in November.
    book.signed(late, local(2026, 11, 30, 23, 30), "1000.00", "600.00")
    # 00:30 on 1 December in Taipei is still 30 November in UTC: it counts in December.
    book.signed(early, local(2026, 12, 1, 0, 30), "500.00", "100.00")

    november = card(store, "2026-11")
    december = card(store, "2026-12")
    assert (november.new_customers, november.revenue, november.profit) == (
        1, Decimal("1000.00"), Decimal("400.00"))
    assert (december.new_customers, december.revenue, december.profit) == (
        1, Decimal("500.00"), Decimal("400.00"))
    assert november.commission == Decimal("30.00")


def test_new_customers_count_only_the_first_contract(store: Store, book: Book) -> None:
    repeat = book.customer("Repeat Buyer")
    book.signed(repeat, local(2026, 10, 5), "100.00", "50.00")
    book.signed(repeat, local(2026, 11, 5), "300.00", "100.00")
    november = card(store, "2026-11")
    # Not a new customer in November, but the second contract is November's revenue.
    assert november.new_customers == 0
    assert november.revenue == Decimal("300.00")
    assert november.profit == Decimal("200.00")
    assert card(store, "2026-10").new_customers == 1


def test_success_rate_and_its_null(store: Store, book: Book) -> None:
    assert card(store, "2026-11").success_rate is None  # nobody contacted: no rate
    customers = [book.customer(f"Prospect {n}") for n in range(4)]
    for customer_id in customers:
        book.contact_done(customer_id, local(2026, 11, 3))
    book.contact_done(customers[0], local(2026, 11, 20))  # a second contact counts once
    book.contact_missed(book.customer("Never reached"), local(2026, 11, 4))  # not contacted
    book.signed(customers[0], local(2026, 11, 25), "10.00", "1.00")
    november = card(store, "2026-11")
    assert november.prospects_contacted == 4
    assert november.new_customers == 1
    assert november.success_rate == Decimal("0.25")


def test_success_rate_may_exceed_one(store: Store, book: Book) -> None:
    # Two signed in November, but only one of them was first contacted in November.
    first = book.customer("Contacted in October")
    book.contact_done(first, local(2026, 10, 10))
    book.signed(first, local(2026, 11, 2), "10.00", "1.00")
    second = book.customer("Contacted and signed in November")
    book.contact_done(second, local(2026, 11, 3))
    book.signed(second, local(2026, 11, 4), "10.00", "1.00")
    assert card(store, "2026-11").success_rate == Decimal("2")
    assert success_rate(3, 0) is None


def test_first_contact_is_the_earliest_done_one(store: Store, book: Book) -> None:
    customer_id = book.customer("Old friend")
    book.contact_done(customer_id, local(2026, 11, 15))
    book.contact_done(customer_id, local(2026, 9, 1))
    assert card(store, "2026-09").prospects_contacted == 1
    assert card(store, "2026-11").prospects_contacted == 0


def test_satisfaction_mean_and_responses(store: Store, book: Book) -> None:
    customer_id = book.customer("Happy")
    for score in (5, 4, 4):
        book.survey(customer_id, local(2026, 11, 10), score)
    book.survey(customer_id, local(2026, 10, 31, 23, 59), 1)
    november = card(store, "2026-11")
    assert november.satisfaction == Decimal("4.33")
    assert november.satisfaction_responses == 3
    assert card(store, "2026-12").satisfaction is None


def test_quarter_and_year_sum_their_months(store: Store, book: Book) -> None:
    for month, value in ((10, "100.00"), (11, "200.00"), (12, "300.00")):
        customer_id = book.customer(f"Q4 customer {month}")
        book.contact_done(customer_id, local(2026, month, 2))
        book.signed(customer_id, local(2026, month, 3), value, "0.00")
    q4 = card(store, "2026-Q4")
    year = card(store, "2026")
    assert q4.period.kind is PeriodKind.QUARTER
    assert (q4.new_customers, q4.revenue, q4.success_rate) == (3, Decimal("600.00"), Decimal(1))
    assert (year.new_customers, year.revenue) == (3, Decimal("600.00"))
    assert card(store, "2026-Q3").new_customers == 0


def test_deleted_records_do_not_count(store: Store, book: Book) -> None:
    customer_id = book.customer("Deleted")
    book.signed(customer_id, local(2026, 11, 3), "100.00", "0.00")
    with store.db.write() as session:
        row = session.get(Customer, customer_id)
        assert row is not None
        row.deleted_at = datetime(2026, 11, 20, tzinfo=UTC)
        session.add(row)
    assert card(store, "2026-11").new_customers == 0
