"""The demo data set: deterministic, consistent with the policy's rules, and insertable."""

from __future__ import annotations

import time
import unicodedata
import uuid
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from salesdev_tui.domain.demo import COLLECTIONS, generate_demo
from salesdev_tui.domain.periods import local_date, period_containing
from salesdev_tui.domain.stages import StageFacts, decide_stage_change
from salesdev_tui.domain.text_rules import clean_text, normalize_email, normalize_phone
from salesdev_tui.models.enums import (
    STAGE_ORDER,
    WORST_CREDIT_RATING,
    CreditRating,
    Kpi,
    LegalReview,
    MilestoneKind,
    PeriodKind,
    PlanStatus,
    PointKind,
    ProposalStatus,
    Source,
    Stage,
)
from salesdev_tui.models.tables import (
    ALL_TABLES,
    CONTRACT_CLAUSES,
    Contact,
    ContactPlan,
    Contract,
    CreditCheck,
    Customer,
    Milestone,
    NeedsNote,
    Negotiation,
    NegotiationPoint,
    ProgressReport,
    Proposal,
    ProposalLine,
    Record,
    ResearchNote,
    StageChange,
    Survey,
    Target,
    length_limits,
)

from .conftest import FIXED_NOW

ZONE = ZoneInfo("Asia/Taipei")
Records = dict[str, list[Record]]

EXCHANGE_NAMES = [
    "research_notes", "customers", "contacts", "contact_plans", "needs_notes", "proposals",
    "proposal_lines", "negotiations", "negotiation_points", "contracts", "milestones",
    "progress_reports", "surveys", "credit_checks", "competitor_notes", "targets",
    "stage_changes",
]  # fmt: skip


def _demo(customers: int = 120, seed: int = 7, **kwargs: Any) -> Records:
    args: dict[str, Any] = {"now": FIXED_NOW, "zone": ZONE, **kwargs}
    return generate_demo(customers=customers, seed=seed, **args)


@pytest.fixture(scope="module")
def demo() -> Records:
    return _demo()


@pytest.fixture(scope="module", params=[7, 1, 2, 3, 4])
def any_demo(request: pytest.FixtureRequest) -> Records:
    """Several seeds: the rules must hold for every random walk, not one lucky one."""
    return _demo(customers=150, seed=request.param)


def _by_customer(rows: list[Any]) -> dict[uuid.UUID, list[Any]]:
    grouped: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.customer_id].append(row)
    return grouped


def _table(name: str) -> sa.Table:
    table = COLLECTIONS[name].__table__  # type: ignore[attr-defined]
    assert isinstance(table, sa.Table)
    return table


def _dump(records: Records) -> dict[str, list[dict[str, Any]]]:
    return {name: [row.model_dump() for row in rows] for name, rows in records.items()}


def _reached(changes: list[StageChange]) -> int:
    """The furthest stage on the forward path a customer reached (index in STAGE_ORDER)."""
    return max(STAGE_ORDER.index(c.to_stage) for c in changes if c.to_stage is not Stage.LOST)


# --- shape and determinism ---------------------------------------------------------------------


def test_collections_are_the_exchange_names_parents_first(demo: Records) -> None:
    assert list(demo) == EXCHANGE_NAMES == list(COLLECTIONS)
    order = [COLLECTIONS[name] for name in demo]
    assert order == [model for model in ALL_TABLES if model in order]
    for name, rows in demo.items():
        assert all(type(row) is COLLECTIONS[name] for row in rows), name


def test_same_seed_and_now_give_identical_records_ids_included() -> None:
    first, second = _demo(seed=11), _demo(seed=11)
    assert _dump(first) == _dump(second)
    other = _demo(seed=12)
    assert first["customers"][0].id != other["customers"][0].id
    assert _dump(first) != _dump(other)


def test_fast_built_rows_equal_rows_built_by_the_model(demo: Records) -> None:
    for name, rows in demo.items():
        model = COLLECTIONS[name]
        for row in rows[:25]:
            dumped = row.model_dump()
            assert model(**dumped).model_dump() == dumped, name
            assert row.model_fields_set >= {"id", "created_at", "updated_at"}


def test_small_and_odd_sizes_work() -> None:
    assert _demo(customers=0)["customers"] == []
    for count in (1, 2, 5, 8, 9):
        records = _demo(customers=count, seed=count)
        assert len(records["customers"]) == count
    stages = {c.stage for c in _demo(customers=8)["customers"]}  # type: ignore[attr-defined]
    assert stages == set(Stage)
    with pytest.raises(ValueError):
        _demo(customers=-1)


# --- customers and stages ----------------------------------------------------------------------


def test_every_stage_in_realistic_shares(demo: Records) -> None:
    customers: list[Customer] = demo["customers"]  # type: ignore[assignment]
    counts = Counter(c.stage for c in customers)
    assert set(counts) == set(Stage)
    assert counts.most_common(1)[0][0] is Stage.PROSPECT
    assert 14 <= counts[Stage.WON] <= 22  # about 15%
    assert 9 <= counts[Stage.LOST] <= 15  # about 10%
    for customer in customers:
        assert (customer.lost_reason is not None) == (customer.stage is Stage.LOST)


def test_stage_changes_trace_each_path_and_pass_every_gate(any_demo: Records) -> None:
    """Replays each customer's moves through the stage service with the facts known then."""
    records = any_demo
    changes = _by_customer(records["stage_changes"])
    plans = _by_customer(records["contact_plans"])
    needs = _by_customer(records["needs_notes"])
    minutes = _by_customer(records["negotiations"])
    contracts = _by_customer(records["contracts"])
    credit = _by_customer(records["credit_checks"])
    for customer in records["customers"]:
        assert isinstance(customer, Customer)
        path = sorted(changes[customer.id], key=lambda c: c.changed_at)
        assert path[0].from_stage is None and path[0].to_stage is Stage.PROSPECT
        assert path[0].changed_at == customer.created_at
        assert path[-1].to_stage is customer.stage
        for before, after in zip(path, path[1:], strict=False):
            assert before.changed_at < after.changed_at
            assert after.from_stage is before.to_stage
            if after.to_stage is not Stage.LOST:
                assert STAGE_ORDER.index(after.to_stage) == STAGE_ORDER.index(before.to_stage) + 1
            at = after.changed_at
            rated = sorted(
                (c for c in credit[customer.id] if c.created_at < at),
                key=lambda c: (c.checked_on, c.created_at),
            )
            facts = StageFacts(
                has_completed_contact=any(
                    p.done_at is not None and p.done_at < at for p in plans[customer.id]
                ),
                has_needs_note=any(n.created_at < at for n in needs[customer.id]),
                has_negotiation=any(n.created_at < at for n in minutes[customer.id]),
                has_ready_contract=any(
                    c.legal_review is LegalReview.APPROVED
                    and c.legal_reviewed_at is not None
                    and c.legal_reviewed_at < at
                    and all(getattr(c, clause) for clause in CONTRACT_CLAUSES)
                    for c in contracts[customer.id]
                ),
                latest_credit_rating=rated[-1].rating if rated else None,
                # Won is reached by signing (the stage change is the signature's).
                has_signed_contract=any(
                    c.signed_at is not None and c.signed_at <= at for c in contracts[customer.id]
                ),
            )
            decision = decide_stage_change(
                before.to_stage, after.to_stage, facts, reason=after.reason
            )
            assert decision.blockers == (), (customer.name, after.to_stage, decision.blockers)
            assert decision.warnings == (), (customer.name, after.to_stage, decision.warnings)
            assert (after.reason is not None) == (after.to_stage is Stage.LOST)
        if customer.stage is Stage.LOST:
            assert path[-1].reason == customer.lost_reason


def test_each_stage_has_the_records_the_policy_asks_for(any_demo: Records) -> None:
    records = any_demo
    changes = _by_customer(records["stage_changes"])
    plans = _by_customer(records["contact_plans"])
    needs = _by_customer(records["needs_notes"])
    proposals = _by_customer(records["proposals"])
    minutes = _by_customer(records["negotiations"])
    contracts = _by_customer(records["contracts"])
    milestones = _by_customer(records["milestones"])
    reports = _by_customer(records["progress_reports"])
    surveys = _by_customer(records["surveys"])
    lines: dict[uuid.UUID, list[ProposalLine]] = defaultdict(list)
    for line in records["proposal_lines"]:
        assert isinstance(line, ProposalLine)
        lines[line.proposal_id].append(line)
    points: dict[uuid.UUID, list[NegotiationPoint]] = defaultdict(list)
    for point in records["negotiation_points"]:
        assert isinstance(point, NegotiationPoint)
        points[point.negotiation_id].append(point)
    for customer in records["customers"]:
        assert isinstance(customer, Customer)
        cid = customer.id
        reached = _reached(changes[cid])
        if reached >= STAGE_ORDER.index(Stage.CONTACTED):
            assert any(p.status is PlanStatus.DONE for p in plans[cid])
        if reached > STAGE_ORDER.index(Stage.NEEDS):
            assert needs[cid]
        if reached > STAGE_ORDER.index(Stage.PROPOSAL):
            assert proposals[cid]
            latest = max(proposals[cid], key=lambda p: (p.version, p.created_at))
            assert latest.presented_at is not None
            assert latest.status in (
                ProposalStatus.PRESENTED,
                ProposalStatus.ACCEPTED,
                ProposalStatus.REJECTED,
            )
        for proposal in proposals[cid]:
            assert 1 <= len(lines[proposal.id]) <= 4
        if reached > STAGE_ORDER.index(Stage.NEGOTIATION):
            assert minutes[cid]
            for negotiation in minutes[cid]:
                assert negotiation.strategy_notes
                kinds = {p.kind for p in points[negotiation.id]}
                assert kinds == {PointKind.KEY_INFO, PointKind.AGREED, PointKind.OPEN}
        if customer.stage is Stage.CONTRACT:
            (contract,) = contracts[cid]
            filled = [c for c in CONTRACT_CLAUSES if getattr(contract, c)]
            assert 0 < len(filled) < len(CONTRACT_CLAUSES)
            assert contract.legal_review is LegalReview.PENDING
            assert contract.signed_at is None
        if customer.stage is Stage.WON:
            signed = [c for c in contracts[cid] if c.signed_at is not None]
            assert signed
            for contract in signed:
                assert contract.legal_review is LegalReview.APPROVED
                assert all(getattr(contract, clause) for clause in CONTRACT_CLAUSES)
                assert contract.legal_reviewed_at is not None
                assert contract.legal_reviewed_at < contract.signed_at
                assert contract.value > contract.cost > 0
            steps = Counter(m.kind for m in milestones[cid])
            assert steps[MilestoneKind.KICKOFF] == 1 and steps[MilestoneKind.MILESTONE] >= 1
            assert reports[cid]
            assert 1 <= len(surveys[cid]) <= 2
        else:
            assert not any(c.signed_at for c in contracts[cid])
            assert not milestones[cid] and not reports[cid] and not surveys[cid]


def test_contract_value_is_the_total_of_its_proposal(demo: Records) -> None:
    lines: dict[uuid.UUID, list[ProposalLine]] = defaultdict(list)
    for line in demo["proposal_lines"]:
        assert isinstance(line, ProposalLine)
        lines[line.proposal_id].append(line)
    proposals = {p.id: p for p in demo["proposals"]}
    for contract in demo["contracts"]:
        assert isinstance(contract, Contract)
        assert contract.proposal_id in proposals
        assert proposals[contract.proposal_id].status is ProposalStatus.ACCEPTED  # type: ignore[attr-defined]
        total = sum(
            (
                line.quantity * line.unit_price * (100 - line.discount_pct) / 100
                for line in lines[contract.proposal_id]
            ),
            Decimal(0),
        )
        assert contract.value == total.quantize(Decimal("0.01"))


def test_satisfaction_scores_are_mostly_high(demo: Records) -> None:
    scores = [s.score for s in demo["surveys"]]  # type: ignore[attr-defined]
    assert all(1 <= s <= 5 for s in scores)
    assert sum(s >= 4 for s in scores) >= 0.6 * len(scores)


def test_worst_credit_only_for_prospects_and_lost_customers(any_demo: Records) -> None:
    stage = {c.id: c.stage for c in any_demo["customers"]}  # type: ignore[attr-defined]
    checks: list[CreditCheck] = any_demo["credit_checks"]  # type: ignore[assignment]
    for check in checks:
        if check.rating is WORST_CREDIT_RATING:
            assert stage[check.customer_id] in (Stage.PROSPECT, Stage.LOST)
    checked = {c.customer_id for c in checks}
    assert 0.35 * len(stage) <= len(checked) <= 0.65 * len(stage)


def test_worst_ratings_appear_with_enough_customers() -> None:
    records = _demo(customers=600, seed=3)
    ratings = Counter(c.rating for c in records["credit_checks"])  # type: ignore[attr-defined]
    assert set(ratings) == set(CreditRating)


def test_sources_and_research_links(demo: Records) -> None:
    notes = {n.id: n for n in demo["research_notes"]}
    assert 3 <= len(notes) <= 50
    sources = Counter(c.source for c in demo["customers"])  # type: ignore[attr-defined]
    assert set(sources) == set(Source)
    for customer in demo["customers"]:
        assert isinstance(customer, Customer)
        assert customer.source_detail
        if customer.source is Source.RESEARCH:
            note = notes[customer.research_note_id]  # type: ignore[index]
            assert isinstance(note, ResearchNote)
            assert note.noted_on <= local_date(customer.created_at, ZONE)
            assert customer.industry == note.industry
        else:
            assert customer.research_note_id is None


def test_names_mix_chinese_and_english(demo: Records) -> None:
    def cjk(text: str) -> bool:
        return any(unicodedata.name(ch, "").startswith("CJK") for ch in text)

    companies = [c.name for c in demo["customers"]]  # type: ignore[attr-defined]
    people = [c.name for c in demo["contacts"]]  # type: ignore[attr-defined]
    for names in (companies, people):
        share = sum(cjk(n) for n in names) / len(names)
        assert 0.3 < share < 0.85
    assert len(set(companies)) == len(companies)
    industries = {c.industry for c in demo["customers"]}  # type: ignore[attr-defined]
    assert len(industries) >= 8


# --- contacts and plans ------------------------------------------------------------------------


def test_contacts_one_primary_with_real_phones_and_company_mail(demo: Records) -> None:
    websites = {c.id: c.website for c in demo["customers"]}  # type: ignore[attr-defined]
    contacts = _by_customer(demo["contacts"])
    for customer_id, people in contacts.items():
        assert 1 <= len(people) <= 3
        assert sum(p.is_primary for p in people) == 1
        domains = {p.email.rpartition("@")[2] for p in people if p.email}
        assert len(domains) <= 1
        website = websites[customer_id]
        if website and domains:
            assert website == f"https://www.{domains.pop()}"
    assert set(contacts) == set(websites)
    for person in demo["contacts"]:
        assert isinstance(person, Contact)
        assert person.phone or person.email
        if person.phone:
            assert person.phone_normalized == normalize_phone(person.phone, "TW")
        if person.email:
            assert normalize_email(person.email) == person.email


def test_plans_done_exactly_when_done_at(any_demo: Records) -> None:
    plans: list[ContactPlan] = any_demo["contact_plans"]  # type: ignore[assignment]
    for plan in plans:
        assert (plan.status is PlanStatus.DONE) == (plan.done_at is not None)
        if plan.status is PlanStatus.DONE:
            assert plan.done_at is not None
            assert plan.scheduled_at <= plan.done_at <= FIXED_NOW
            assert plan.outcome
        if plan.scheduled_at > FIXED_NOW:
            assert plan.status in (PlanStatus.PLANNED, PlanStatus.CANCELLED)


def test_plans_mix_past_overdue_today_and_upcoming(demo: Records) -> None:
    plans: list[ContactPlan] = demo["contact_plans"]  # type: ignore[assignment]
    average = len(plans) / len(demo["customers"])
    assert 8 <= average <= 12
    statuses = Counter(p.status for p in plans)
    assert set(statuses) == set(PlanStatus)
    assert statuses[PlanStatus.DONE] > 0.6 * len(plans)
    today = local_date(FIXED_NOW, ZONE)
    open_days = [local_date(p.scheduled_at, ZONE) for p in plans if p.status is PlanStatus.PLANNED]
    assert sum(d == today for d in open_days) >= 3
    assert sum(d < today for d in open_days) >= 3
    assert sum(d > today for d in open_days) >= 30


def test_customer_maintained_columns_agree_with_the_records(any_demo: Records) -> None:
    plans = _by_customer(any_demo["contact_plans"])
    contracts = _by_customer(any_demo["contracts"])
    changes = _by_customer(any_demo["stage_changes"])
    for customer in any_demo["customers"]:
        assert isinstance(customer, Customer)
        done = [p.done_at for p in plans[customer.id] if p.status is PlanStatus.DONE]
        assert customer.first_contacted_at == (min(done) if done else None)
        signed = [c.signed_at for c in contracts[customer.id] if c.signed_at is not None]
        assert customer.first_signed_at == (min(signed) if signed else None)
        last = customer.last_activity_at
        assert last is not None and customer.created_at <= last < FIXED_NOW
        assert last >= max(c.changed_at for c in changes[customer.id])
        assert not done or last >= max(d for d in done if d is not None)
        assert customer.updated_at == last


# --- generic rules: references, texts, times, money ---------------------------------------------


def test_every_foreign_key_points_at_a_generated_record(any_demo: Records) -> None:
    ids_by_table: dict[str, set[uuid.UUID]] = {
        _table(name).name: {row.id for row in rows} for name, rows in any_demo.items()
    }
    for name, rows in any_demo.items():
        for fk in _table(name).foreign_keys:
            column, target = fk.parent.name, fk.column.table.name
            for row in rows:
                value = getattr(row, column)
                assert value is None or value in ids_by_table[target], (name, column)
    all_ids = [row.id for rows in any_demo.values() for row in rows]
    assert len(all_ids) == len(set(all_ids))
    assert all(i.version == 4 for i in all_ids)


def test_texts_within_length_limits_and_clean(any_demo: Records) -> None:
    for name, rows in any_demo.items():
        model = COLLECTIONS[name]
        limits = length_limits(model)
        texts = [
            field
            for field, info in model.model_fields.items()
            if info.annotation in (str, "str", "str | None", str | None)
        ]
        assert set(limits) <= set(texts) | {"name_key"}, name
        for row in rows:
            for field, (low, high) in limits.items():
                value = getattr(row, field)
                if value is not None:
                    assert low <= len(value) <= high, (name, field, value)
            for field in texts:
                value = getattr(row, field)
                if value is not None:
                    assert clean_text(value, max_len=40_000, multiline=True) == value


def test_times_are_aware_utc_and_not_in_the_future(any_demo: Records) -> None:
    future_ok = {("contact_plans", "scheduled_at")}
    for name, rows in any_demo.items():
        for row in rows:
            assert row.created_at <= row.updated_at <= FIXED_NOW, name
            for field, value in row.__dict__.items():
                if isinstance(value, datetime):
                    assert value.tzinfo is UTC, (name, field)
                    if (name, field) not in future_ok:
                        assert value <= FIXED_NOW, (name, field)
                elif isinstance(value, date) and field != "due_on" and field != "valid_until":
                    assert value <= local_date(FIXED_NOW, ZONE), (name, field)


def test_money_has_two_places(demo: Records) -> None:
    money = {
        "contracts": ("value", "cost"),
        "proposal_lines": ("unit_price",),
        "needs_notes": ("budget",),
        "credit_checks": ("credit_limit",),
    }
    for name, fields in money.items():
        for row in demo[name]:
            for field in fields:
                value = getattr(row, field)
                if value is not None:
                    assert isinstance(value, Decimal)
                    assert value.as_tuple().exponent == -2, (name, field, value)
                    assert value >= 0


def test_targets_for_the_current_month_quarter_and_year(demo: Records) -> None:
    targets: list[Target] = demo["targets"]  # type: ignore[assignment]
    keys = {(t.period_kind, t.period_label, t.kpi) for t in targets}
    assert len(keys) == len(targets)
    for kind in PeriodKind:
        label = period_containing(FIXED_NOW, kind, ZONE).label
        assert {k for pk, pl, k in keys if (pk, pl) == (kind, label)} == set(Kpi)
    for target in targets:
        if target.kpi is Kpi.SUCCESS_RATE:
            assert 0 < target.value < 1
        if target.kpi is Kpi.SATISFACTION:
            assert 1 <= target.value <= 5
        if target.kpi is Kpi.NEW_CUSTOMERS:
            assert target.value >= 1


def test_other_zones_and_moments_keep_the_rules() -> None:
    zone = ZoneInfo("America/New_York")
    now = datetime(2026, 3, 9, 3, 15, tzinfo=UTC)  # the night after the spring DST change
    records = generate_demo(customers=150, seed=5, now=now, zone=zone)
    today = local_date(now, zone)
    for plan in records["contact_plans"]:
        assert isinstance(plan, ContactPlan)
        local = plan.scheduled_at.astimezone(zone)
        assert 9 <= local.hour < 18
        if plan.status is not PlanStatus.PLANNED and local.date() <= today:
            assert local.date() < today
    for change in records["stage_changes"]:
        assert isinstance(change, StageChange)
        assert change.changed_at < now


# --- into a database ---------------------------------------------------------------------------


def _table_counts(connection: sa.Connection) -> dict[str, int]:
    return {
        name: int(
            connection.execute(sa.text(f"SELECT count(*) FROM {_table(name).name}")).scalar_one()
        )
        for name in COLLECTIONS
    }


def test_bulk_insert_into_a_fresh_database(store: Any) -> None:
    records = _demo()
    counts = store.exchange.bulk_insert(records)
    assert {k: v for k, v in counts.items() if k in records} == {
        name: len(rows) for name, rows in records.items()
    }
    with store.db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        assert _table_counts(connection) == {name: len(rows) for name, rows in records.items()}
    # The store's own recomputation of the maintained columns agrees with the generator.
    with store.db.read() as session:
        stored = {c.id: c for c in session.exec(sa.select(Customer)).scalars()}
    for customer in records["customers"]:
        assert isinstance(customer, Customer)
        again = stored[customer.id]
        assert again.first_contacted_at == customer.first_contacted_at
        assert again.first_signed_at == customer.first_signed_at
        assert again.last_activity_at == customer.last_activity_at


def test_orm_session_accepts_the_records(tmp_path: Path) -> None:
    from salesdev_tui.db import open_database

    records = _demo(customers=40, seed=2)
    db = open_database(tmp_path / "orm" / "salesdev.db")
    try:
        with db.write() as session:
            for rows in records.values():  # parents first
                session.add_all(rows)
                session.flush()
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            assert _table_counts(connection) == {name: len(rows) for name, rows in records.items()}
        with db.read() as session:
            plan = session.get(ContactPlan, records["contact_plans"][0].id)
            assert plan is not None
            assert plan.model_dump() == records["contact_plans"][0].model_dump()
    finally:
        db.close()


def test_kpis_of_the_demo_make_sense(store: Any) -> None:
    store.exchange.bulk_insert(_demo(customers=300, seed=9))
    year = period_containing(FIXED_NOW, PeriodKind.YEAR, ZONE)
    figures = store.kpis.kpi_figures(*year.utc_bounds())
    assert figures.new_customers > 0
    assert 0 < figures.new_customers / figures.prospects_contacted < 1
    assert figures.profit > 0 and figures.revenue > figures.profit
    assert 3.5 <= figures.satisfaction_sum / figures.satisfaction_responses <= 5


def test_milestones_and_reports_follow_signing(demo: Records) -> None:
    contracts = {c.id: c for c in demo["contracts"]}
    for milestone in demo["milestones"]:
        assert isinstance(milestone, Milestone)
        contract = contracts[milestone.contract_id]  # type: ignore[index]
        assert isinstance(contract, Contract) and contract.signed_at is not None
        assert milestone.due_on is not None
        assert milestone.due_on > local_date(contract.signed_at, ZONE)
        if milestone.done_at is not None:
            assert milestone.done_at > contract.signed_at
    for report in demo["progress_reports"]:
        assert isinstance(report, ProgressReport)
        signed = contracts[report.contract_id].signed_at  # type: ignore[index, attr-defined]
        assert signed is not None and report.sent_at > signed
    won = {c.id for c in demo["customers"] if c.stage is Stage.WON}  # type: ignore[attr-defined]
    assert {s.customer_id for s in demo["surveys"]} <= won  # type: ignore[attr-defined]
    assert all(isinstance(s, Survey) for s in demo["surveys"])
    assert all(isinstance(n, NeedsNote) for n in demo["needs_notes"])
    assert all(isinstance(n, Negotiation) for n in demo["negotiations"])
    assert all(isinstance(p, Proposal) for p in demo["proposals"])


def test_120_customers_take_well_under_a_second() -> None:
    start = time.process_time()
    _demo(seed=99)
    assert time.process_time() - start < 1.0
