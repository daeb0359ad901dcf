"""The scorecard's one-transaction read (`KpiStore.scorecard_facts`, `reports.scorecard_view`)
gives what a computation from scratch gives, and what the separate reads gave before.

A demo book of 300 customers with soft-deleted customers and contracts (and one live contract
of a deleted customer), read for months, a quarter and a year, in Taipei and in two zones
whose months start or end across a daylight saving change, a month with no activity and a
month in the future; the open pipeline also past 64-bit sums and totals.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from salesdev_tui.config import Settings
from salesdev_tui.db import open_database
from salesdev_tui.domain.demo import generate_demo
from salesdev_tui.domain.periods import Period, last_n_months, parse_period
from salesdev_tui.domain.proposals import proposal_total
from salesdev_tui.domain.scorecard_view import ScorecardView, build_view
from salesdev_tui.models.enums import Kpi, PeriodKind, ProposalStatus, Stage
from salesdev_tui.models.tables import Contract, Customer, Proposal, ProposalLine, Survey, Target
from salesdev_tui.models.views import KpiFigures
from salesdev_tui.store.combined import Store
from salesdev_tui.store.reports import period_targets, scorecard_view
from salesdev_tui.store.scorecard_read import BreakdownRow, PipelineRow, ScorecardFacts
from tests.conftest import FIXED_NOW
from tests.test_pipeline_value import TOO_LARGE, reference

TAIPEI = ZoneInfo("Asia/Taipei")
BERLIN = ZoneInfo("Europe/Berlin")  # summer time from 2026-03-29, back on 2026-10-25
NEW_YORK = ZoneInfo("America/New_York")  # back to standard time on 2026-11-01
#: The demo's year ends at FIXED_NOW (2026-11): 2024-01 holds nothing, 2027-02 is ahead.
PERIODS = ["2026-11", "2026-10", "2026-03", "2025-12", "2024-01", "2027-02", "2026-Q4", "2026"]


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    db = open_database(tmp_path_factory.mktemp("read") / "demo.db")
    store = Store(db, clock=lambda: FIXED_NOW)
    store.exchange.bulk_insert(generate_demo(customers=300, seed=11, now=FIXED_NOW, zone=TAIPEI))
    _delete_some(store)
    yield store
    db.close()


def _delete_some(store: Store) -> None:
    """Deleted customers (with their records), deleted contracts, and one live contract
    whose customer alone was deleted (as an old file may hold): its revenue still counts."""
    with store.db.read() as session:
        signed = session.exec(
            select(Contract).where(col(Contract.signed_at).is_not(None))
            .order_by(col(Contract.signed_at).desc())).all()
        contacted = session.exec(
            select(Customer).where(col(Customer.first_contacted_at).is_not(None))
            .order_by(col(Customer.first_contacted_at).desc())).all()
    assert len(signed) > 12 and len(contacted) > 12
    for contract in signed[:6:2]:  # recent ones: inside the current month or close to it
        store.records.delete_record(Contract, contract.id)
    for customer in contacted[1:8:3]:
        if customer.deleted_at is None:
            store.deletion.delete_customer(customer.id)
    orphan_owner = signed[7].customer_id
    with store.db.write() as session:
        owner = session.get(Customer, orphan_owner)
        assert owner is not None
        if owner.deleted_at is None:
            owner.deleted_at = FIXED_NOW
            session.add(owner)


def _live(store: Store, model: Any) -> list[Any]:
    with store.db.read() as session:
        return list(session.exec(select(model).where(col(model.deleted_at).is_(None))).all())


def _within(moment: datetime | None, start: datetime, end: datetime) -> bool:
    return moment is not None and start <= moment < end


def _bounds(period: Period) -> list[datetime]:
    months = last_n_months(period, 12)
    return [m.utc_bounds()[0] for m in months] + [months[-1].utc_bounds()[1]]


def _open_values(store: Store) -> dict[uuid.UUID, Decimal | None]:
    """Every customer's open proposal value from its lines (`test_pipeline_value.reference`,
    with the exact total where that reference puts the beyond-64-bits marker)."""
    values = reference(store)
    with store.db.read() as session:
        for customer_id, value in values.items():
            if value == TOO_LARGE:
                top = max(p.version for p in session.exec(select(Proposal).where(
                    Proposal.customer_id == customer_id, col(Proposal.deleted_at).is_(None))))
                (proposal,) = session.exec(select(Proposal).where(
                    Proposal.customer_id == customer_id, Proposal.version == top,
                    col(Proposal.deleted_at).is_(None))).all()
                values[customer_id] = proposal_total(session.exec(select(ProposalLine).where(
                    ProposalLine.proposal_id == proposal.id,
                    col(ProposalLine.deleted_at).is_(None))).all())
    return values


class Scratch:
    """The scorecard's facts computed in Python over every row of the tables."""

    def __init__(self, store: Store) -> None:
        self.customers = _live(store, Customer)
        self.contracts = _live(store, Contract)
        self.surveys = _live(store, Survey)
        with store.db.read() as session:  # deleted customers too: their contracts count
            self.owners = {c.id: c for c in session.exec(select(Customer)).all()}
        self.values = _open_values(store)

    def figures(self, start: datetime, end: datetime) -> KpiFigures:
        signed = [k for k in self.contracts if _within(k.signed_at, start, end)]
        taken = [s for s in self.surveys if _within(s.taken_at, start, end)]
        revenue = sum((k.value for k in signed), Decimal("0.00"))
        return KpiFigures(
            new_customers=sum(_within(c.first_signed_at, start, end) for c in self.customers),
            prospects_contacted=sum(_within(c.first_contacted_at, start, end)
                                    for c in self.customers),
            revenue=revenue,
            profit=revenue - sum((k.cost for k in signed), Decimal("0.00")),
            satisfaction_sum=sum(s.score for s in taken),
            satisfaction_responses=len(taken),
        )

    def breakdown(self, start: datetime, end: datetime) -> dict[tuple[Any, Any], list[Any]]:
        found: dict[tuple[Any, Any], list[Any]] = defaultdict(
            lambda: [0, 0, Decimal("0.00"), Decimal("0.00")])
        for c in self.customers:
            if _within(c.first_signed_at, start, end):
                found[(c.source, c.industry)][0] += 1
            if _within(c.first_contacted_at, start, end):
                found[(c.source, c.industry)][1] += 1
        for k in self.contracts:
            if _within(k.signed_at, start, end):
                owner = self.owners[k.customer_id]
                found[(owner.source, owner.industry)][2] += k.value
                found[(owner.source, owner.industry)][3] += k.value - k.cost
        return dict(found)

    def pipeline(self) -> dict[Stage, tuple[int, Decimal]]:
        found: dict[Stage, tuple[int, Decimal]] = {}
        for customer_id, value in self.values.items():
            owner = self.owners[customer_id]
            if value is None or owner.deleted_at is not None or owner.stage in (
                    Stage.WON, Stage.LOST):
                continue
            count, total = found.get(owner.stage, (0, Decimal("0.00")))
            found[owner.stage] = (count + 1, total + value)
        return found


def _breakdown_of(rows: list[BreakdownRow]) -> dict[tuple[Any, Any], list[Any]]:
    found = {(r.source, r.industry): [r.new_customers, r.prospects_contacted, r.revenue,
                                      r.profit] for r in rows}
    assert len(found) == len(rows)  # one row per pair
    return found


def _facts(store: Store, period: Period) -> ScorecardFacts:
    start, end = period.utc_bounds()
    return store.kpis.scorecard_facts(_bounds(period), start, end, [(period.kind, period.label)])


def _separate_reads(store: Store, period: Period, settings: Settings, today: date) -> (
    ScorecardView
):
    """The scorecard as it was read before: one session per part, each month walked."""
    start, end = period.utc_bounds()
    return build_view(
        period,
        store.kpis.kpi_series(_bounds(period)),
        breakdown_facts=store.kpis.kpi_breakdown(start, end),
        pipeline_facts=store.kpis.pipeline_by_stage(),
        targets=period_targets(store, period, settings),
        commission_rate=settings.commission_rate,
        probabilities=settings.stage_probabilities,
        today=today,
    )


@pytest.mark.parametrize("zone", [TAIPEI, BERLIN, NEW_YORK], ids=str)
def test_the_facts_equal_a_computation_from_scratch(book: Store, zone: ZoneInfo) -> None:
    scratch = Scratch(book)
    busy = 0
    for text in PERIODS:
        period = parse_period(text, zone)
        bounds = _bounds(period)
        facts = _facts(book, period)
        assert facts.months == [scratch.figures(a, b) for a, b in zip(bounds, bounds[1:],
                                                                      strict=False)], text
        # The period's month taken from its breakdown equals the month walked on its own.
        assert facts.months == book.kpis.kpi_series(bounds), text
        start, end = period.utc_bounds()
        assert _breakdown_of(facts.breakdown) == scratch.breakdown(start, end), text
        assert {r.stage: (r.proposals, r.value) for r in facts.pipeline} == scratch.pipeline()
        busy += sum(f.prospects_contacted for f in facts.months)
    assert busy > 100  # not vacuous


def test_a_month_without_activity_is_all_zero(book: Store) -> None:
    facts = _facts(book, parse_period("2024-01", TAIPEI))
    assert facts.months[-1] == KpiFigures(0, 0, Decimal("0.00"), Decimal("0.00"), 0, 0)
    assert str(facts.months[-1].revenue) == "0.00"
    assert facts.breakdown == []
    assert facts.pipeline  # the pipeline is a snapshot: it does not depend on the period


@pytest.mark.parametrize("text", PERIODS)
@pytest.mark.parametrize("zone", [TAIPEI, NEW_YORK], ids=str)
def test_the_view_is_the_one_the_separate_reads_gave(book: Store, text: str,
                                                     zone: ZoneInfo) -> None:
    settings = Settings(timezone=str(zone), rep_name="Test Rep", currency="TWD")
    period = parse_period(text, zone)
    today = date(2026, 11, 16)
    view = scorecard_view(book, period, settings, today)
    before = _separate_reads(book, period, settings, today)
    assert view == before
    assert repr(view) == repr(before)  # Decimal exponents too: 0.00 is not 0


def test_the_period_s_own_targets_are_read_with_the_figures(book: Store) -> None:
    saved = {(t.period_kind, t.period_label, t.kpi): t.value for t in _live(book, Target)}
    for text in ("2026-11", "2026-Q4", "2026", "2024-01"):
        period = parse_period(text, TAIPEI)
        found = {(t.period_kind, t.period_label, t.kpi): t.value
                 for t in _facts(book, period).targets}
        assert found == {key: value for key, value in saved.items()
                         if key[:2] == (period.kind, period.label)}, text
        assert bool(found) == (text != "2024-01")  # the demo sets the last year's targets
    settings = Settings(timezone="Asia/Taipei", rep_name="Test Rep", currency="TWD")
    view = scorecard_view(book, parse_period("2026-11", TAIPEI), settings, date(2026, 11, 16))
    assert view.targets[Kpi.REVENUE].value == saved[(PeriodKind.MONTH, "2026-11", Kpi.REVENUE)]


def test_the_scorecard_is_one_read_transaction(book: Store,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    sessions: list[object] = []
    real = book.db.read

    def counted() -> Any:
        sessions.append(object())
        return real()

    monkeypatch.setattr(book.db, "read", counted)
    settings = Settings(timezone="Asia/Taipei", rep_name="Test Rep", currency="TWD")
    scorecard_view(book, parse_period("2026-11", TAIPEI), settings, date(2026, 11, 16))
    assert len(sessions) == 1


def test_build_view_with_the_months_given_is_the_same(book: Store) -> None:
    period = parse_period("2026-Q4", TAIPEI)
    facts = _facts(book, period)
    settings = Settings(timezone="Asia/Taipei", rep_name="Test Rep", currency="TWD")
    parts: dict[str, Any] = dict(
        breakdown_facts=facts.breakdown, pipeline_facts=facts.pipeline, targets={},
        commission_rate=settings.commission_rate, probabilities=settings.stage_probabilities,
        today=date(2026, 11, 16))
    assert build_view(period, facts.months, **parts) == build_view(
        period, facts.months, month_periods=last_n_months(period, 12), **parts)


# -- the open pipeline past 64 bits ---------------------------------------------------------


def _open_customer(store: Store, name: str, stage: Stage, lines: int) -> uuid.UUID:
    """An open customer whose proposal has `lines` lines of 9,999,999,990,000,000.00 each
    (1e18 cents: one fits 64 bits; ten of them in one proposal do not)."""
    from tests.test_scorecard_service import _proposal, _stage

    now = datetime(2026, 1, 1, tzinfo=UTC)
    row = Customer(name=name, name_key=name.lower(), created_at=now, updated_at=now)
    with store.db.write() as session:
        session.add(row)
    _stage(store, row.id, stage)
    _proposal(store, row.id, 1, ProposalStatus.PRESENTED,
              [("999999999.000", "9999999.99", "0")] * lines)
    return row.id


def _check_pipeline_past_64_bits(store: Store) -> None:
    for n in range(10):  # ten customers of 1e18 cents: their sum overflows SQLite's sum()
        _open_customer(store, f"Big {n}", Stage.NEGOTIATION, 1)
    _open_customer(store, "Huge", Stage.PROPOSAL, 10)  # one total beyond 64-bit cents
    _open_customer(store, "Small", Stage.CONTRACT, 1)
    expected = Scratch(store).pipeline()
    period = parse_period("2026-11", TAIPEI)
    facts = _facts(store, period)
    assert {r.stage: (r.proposals, r.value) for r in facts.pipeline} == expected
    assert facts.pipeline == store.kpis.pipeline_by_stage()
    assert expected[Stage.NEGOTIATION][1] * 100 > 2**63  # the overflow path was taken
    assert expected[Stage.PROPOSAL] == (1, Decimal("99999999800000000.10"))  # beyond 64 bits
    assert all(isinstance(r, PipelineRow) for r in facts.pipeline)


def test_pipeline_sums_past_64_bits_are_exact(store: Store) -> None:
    _check_pipeline_past_64_bits(store)


def test_pipeline_sums_past_64_bits_on_an_encrypted_database(db_path: Path) -> None:
    # SQLCipher raises its own OperationalError on the bare connection.
    db = open_database(db_path, passphrase="correct horse battery staple")
    try:
        assert db.encrypted
        _check_pipeline_past_64_bits(Store(db, clock=lambda: FIXED_NOW))
    finally:
        db.close()


def test_a_breakdown_range_that_is_not_whole_months_is_read_on_its_own(book: Store) -> None:
    scratch = Scratch(book)
    bounds = _bounds(parse_period("2026-11", TAIPEI))
    for start, end in [(datetime(2026, 11, 2, tzinfo=UTC), datetime(2026, 11, 9, tzinfo=UTC)),
                       (bounds[-3], datetime(2026, 11, 16, tzinfo=UTC)),
                       (bounds[0], bounds[-1])]:  # the whole trend, as a year is
        facts = book.kpis.scorecard_facts(bounds, start, end, [])
        assert _breakdown_of(facts.breakdown) == scratch.breakdown(start, end)
        assert facts.months == book.kpis.kpi_series(bounds)
        assert facts.targets == []
