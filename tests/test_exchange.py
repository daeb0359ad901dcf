"""The exchange format: export -> import -> export round trips, and every refusal reported."""

from __future__ import annotations

import copy
import hashlib
import json
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from salesdev_tui.db import open_database
from salesdev_tui.domain.exchange import (
    COLLECTIONS,
    ExchangeError,
    ExchangeProblem,
    RecordSet,
    dump_document,
    format_columns,
    parents_first,
    parse_document,
    record_to_dict,
)
from salesdev_tui.domain.validation import (
    ContactInput,
    ContactPlanInput,
    CustomerInput,
    PlanOutcomeInput,
    validate,
)
from salesdev_tui.models.enums import (
    ContactMethod,
    CreditRating,
    Kpi,
    LegalReview,
    NeedKind,
    PeriodKind,
    PlanStatus,
    PointKind,
    Stage,
)
from salesdev_tui.models.tables import (
    ALL_TABLES,
    CompetitorNote,
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
    ResearchNote,
    Survey,
    Target,
)
from salesdev_tui.store.combined import Store

EXPORTED_AT = datetime(2026, 11, 16, 7, 0, tzinfo=UTC)
AWKWARD = '台北 "Quote" 🚀 [bold]x[/] \\ 💼'
AWKWARD_NOTE = '第一行\n"second" line\twith tab\n[/]\n👨\u200d👩\u200d👧 emoji'


def _ids(prefix: str) -> Iterator[uuid.UUID]:
    """Predictable ids, so a child can sort before its parent in the document."""
    for n in range(1, 1000):
        yield uuid.UUID(prefix.ljust(8, "0") + f"-0000-4000-8000-{n:012d}")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fill(store: Store) -> None:
    """Records in every collection, with awkward text, a soft deletion and a version chain."""
    now = store.now()
    customer = store.customers.add_lead(
        validate(
            CustomerInput,
            {"name": AWKWARD, "source": "trade_show", "notes": AWKWARD_NOTE, "revisit_days": 30},
        ),
        validate(ContactInput, {"name": "王小明 'Ming'", "phone": "0912 345 678"}),
    )
    plan = store.plans.plan_contact(
        customer.id,
        validate(ContactPlanInput, {"method": "visit", "scheduled_at": now + timedelta(days=1)}),
    )
    store.plans.log_outcome(plan.id, validate(PlanOutcomeInput, {"status": "done",
                                                                 "outcome": "好"}))
    store.plans.plan_contact(
        customer.id,
        validate(ContactPlanInput, {"method": "phone", "scheduled_at": now + timedelta(days=3)}),
    )
    store.customers.change_stage(customer.id, Stage.CONTACTED)
    gone = store.customers.add_lead(validate(CustomerInput, {"name": "Deleted Ltd."}))

    ids = _ids("c0ffee")
    late, early = _ids("ffff"), _ids("0000")
    v1, v2 = next(late), next(early)  # v2 sorts before the v1 it revises
    with store.db.write() as session:
        row = session.get(Customer, gone.id)
        assert row is not None
        row.deleted_at = now
        session.add(row)
        research = ResearchNote(
            id=next(ids), title="市場 research", noted_on=date(2026, 10, 1), trends=AWKWARD_NOTE
        )
        session.add(research)
        session.flush()
        row = session.get(Customer, customer.id)
        assert row is not None
        row.research_note_id = research.id
        row.stage = Stage.WON  # its contract below is signed: won (the stage invariant)
        session.add(row)
        session.add(
            NeedsNote(
                id=next(ids),
                customer_id=customer.id,
                kind=NeedKind.PAIN_POINT,
                text=AWKWARD_NOTE,
                budget=Decimal("1234.50"),
                noted_at=now,
            )
        )
        session.add(Proposal(id=v1, customer_id=customer.id, title="Offer v1", version=1))
        session.flush()
        session.add(
            Proposal(
                id=v2,
                customer_id=customer.id,
                previous_id=v1,
                title="Offer v2",
                version=2,
                valid_until=date(2026, 12, 31),
                presented_at=now,
            )
        )
        session.flush()
        session.add(
            ProposalLine(
                id=next(ids),
                proposal_id=v2,
                product="Widget 小工具",
                quantity=Decimal("2.500"),
                unit_price=Decimal("99.99"),
                discount_pct=Decimal("12.50"),
            )
        )
        negotiation = Negotiation(
            id=next(ids), customer_id=customer.id, proposal_id=v2, held_at=now
        )
        session.add(negotiation)
        session.flush()
        session.add(
            NegotiationPoint(
                id=next(ids),
                negotiation_id=negotiation.id,
                kind=PointKind.AGREED,
                text="price [b]",
                resolved=True,
                position=1,
            )
        )
        contract = Contract(
            id=next(ids),
            customer_id=customer.id,
            proposal_id=v2,
            number="C-001",
            value=Decimal("100000.00"),
            cost=Decimal("61234.56"),
            legal_review=LegalReview.APPROVED,
            legal_reviewed_at=now,
            signed_at=now - timedelta(hours=1),
        )
        session.add(contract)
        session.flush()
        session.add(
            Milestone(id=next(ids), customer_id=customer.id, contract_id=contract.id, title="Go")
        )
        session.add(
            ProgressReport(id=next(ids), customer_id=customer.id, sent_at=now, summary=AWKWARD_NOTE)
        )
        session.add(
            Survey(id=next(ids), customer_id=customer.id, score=5, comment="👍", taken_at=now)
        )
        session.add(
            CreditCheck(
                id=next(ids),
                customer_id=customer.id,
                checked_on=date(2026, 11, 1),
                rating=CreditRating.B,
                credit_limit=Decimal("0.10"),
            )
        )
        session.add(CompetitorNote(id=next(ids), customer_id=customer.id, competitor="對手"))
        session.add(
            Target(
                id=next(ids),
                period_kind=PeriodKind.MONTH,
                period_label="2026-11",
                kpi=Kpi.SUCCESS_RATE,
                value=Decimal("0.2500"),
            )
        )
        session.add(
            FieldEdit(
                id=next(ids),
                customer_id=customer.id,
                entity="customer",
                entity_id=customer.id,
                field="name",
                old_value="Old",
                new_value=AWKWARD,
                edited_at=now,
            )
        )
        session.flush()
        store.customers.refresh_customer_facts(session, {customer.id})


@pytest.fixture
def filled(store: Store) -> Store:
    _fill(store)
    return store


@pytest.fixture(scope="module")
def base_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The export of a filled database, built once for the tests that only parse."""
    db = open_database(tmp_path_factory.mktemp("base") / "base.db")
    try:
        store = Store(db, clock=lambda: datetime(2026, 11, 16, 6, 30, tzinfo=UTC))
        _fill(store)
        return _export(store)
    finally:
        db.close()


@pytest.fixture
def other(tmp_path: Path, clock: Callable[[], datetime]) -> Iterator[Store]:
    db = open_database(tmp_path / "other" / "other.db")
    try:
        yield Store(db, clock=clock)
    finally:
        db.close()


def _export(store: Store) -> str:
    return dump_document(store.exchange.export_records(), exported_at=EXPORTED_AT)


def _total(records: RecordSet) -> int:
    return sum(len(rows) for rows in records.values())


# --- round trips ------------------------------------------------------------------------------


def test_round_trip_into_an_empty_database_is_identical(filled: Store, other: Store) -> None:
    text = _export(filled)
    records = parse_document(text)
    assert all(records[name] for name, _model in COLLECTIONS), "every collection is exercised"

    summary = other.exchange.import_records(records)
    assert (summary.created, summary.updated, summary.unchanged) == (_total(records), 0, 0)
    assert summary.collections["customers"].created == 2
    assert _export(other) == text

    again = other.exchange.import_records(parse_document(text))
    assert (again.created, again.updated, again.unchanged) == (0, 0, _total(records))
    assert _export(other) == text


def test_document_shape(filled: Store) -> None:
    text = _export(filled)
    assert "台北" in text and "🚀" in text  # ensure_ascii=False
    doc = json.loads(text)
    assert list(doc)[:3] == ["format", "version", "exported_at"]
    assert (doc["format"], doc["version"]) == ("salesdev", 1)
    assert doc["exported_at"] == "2026-11-16T07:00:00Z"
    assert list(doc)[3:] == [name for name, _model in COLLECTIONS]
    assert "field_edits" in doc

    customers = doc["customers"]
    assert [c["id"] for c in customers] == sorted(c["id"] for c in customers)
    live = next(c for c in customers if c["deleted_at"] is None)
    deleted = next(c for c in customers if c["deleted_at"] is not None)
    assert list(live)[:4] == ["id", "created_at", "updated_at", "deleted_at"]
    assert str(uuid.UUID(live["id"])) == live["id"]
    assert live["created_at"] == "2026-11-16T06:30:00Z"
    assert live["name"] == AWKWARD and live["notes"] == AWKWARD_NOTE
    assert live["stage"] == "won" and live["source"] == "trade_show"
    assert live["revisit_days"] == 30
    assert live["first_contacted_at"] is not None and live["first_signed_at"] is not None
    assert deleted["name"] == "Deleted Ltd."

    assert doc["needs_notes"][0]["budget"] == "1234.50"
    line = doc["proposal_lines"][0]
    assert (line["quantity"], line["unit_price"], line["discount_pct"]) == (
        "2.500",
        "99.99",
        "12.50",
    )
    assert doc["targets"][0]["value"] == "0.2500"
    assert doc["credit_checks"][0]["checked_on"] == "2026-11-01"
    assert doc["contracts"][0]["legal_review"] == "approved"
    assert doc["negotiation_points"][0]["resolved"] is True
    assert doc["contacts"][0]["is_primary"] is True
    plans = doc["contact_plans"]
    assert {p["method"] for p in plans} == {"visit", "phone"}
    assert {p["status"] for p in plans} == {"done", "planned"}
    # The newer version sorts first, yet the import must insert its predecessor before it.
    versions = [p["version"] for p in doc["proposals"]]
    assert versions == [2, 1]


def test_record_to_dict_matches_the_document(filled: Store) -> None:
    row = filled.exchange.export_records()["customers"][0]
    data = record_to_dict(row)
    assert json.loads(json.dumps(data)) == data
    assert data["id"] == str(row.id)


def test_dry_run_writes_nothing(filled: Store, other: Store) -> None:
    text = _export(filled)
    records = parse_document(text)
    dry = other.exchange.import_records(records, dry_run=True)
    assert dry.created == _total(records)
    assert other.is_empty()
    assert all(not rows for rows in other.exchange.export_records().values())
    real = other.exchange.import_records(records)
    assert real == dry


def test_import_updates_changed_records_only(filled: Store) -> None:
    doc = json.loads(_export(filled))
    live = next(c for c in doc["customers"] if c["deleted_at"] is None)
    live["name"] = "新名字 New name"
    doc["surveys"][0]["deleted_at"] = "2026-11-17T01:02:03.456789+08:00"
    summary = filled.exchange.import_records(parse_document(json.dumps(doc)))
    assert (summary.created, summary.updated) == (0, 2)
    assert summary.collections["customers"].updated == 1
    assert summary.collections["surveys"].updated == 1
    assert filled.customers.get_customer(uuid.UUID(live["id"])).name == "新名字 New name"
    after = json.loads(_export(filled))
    assert after["surveys"][0]["deleted_at"] == "2026-11-16T17:02:03.456789Z"


def test_import_recomputes_maintained_columns(filled: Store, other: Store) -> None:
    doc = json.loads(_export(filled))
    live = next(c for c in doc["customers"] if c["deleted_at"] is None)
    expected = live["first_contacted_at"]
    live["first_contacted_at"] = None
    live["first_signed_at"] = "2000-01-01T00:00:00+00:00"
    other.exchange.import_records(parse_document(json.dumps(doc)))
    row = other.customers.get_customer(uuid.UUID(live["id"]))
    assert row.first_contacted_at is not None
    assert row.first_contacted_at.isoformat().replace("+00:00", "Z") == expected
    assert row.first_signed_at is not None and row.first_signed_at.year == 2026


def test_import_adds_to_a_database_holding_the_parents(filled: Store) -> None:
    doc = json.loads(_export(filled))
    customer_id = doc["customers"][0]["id"]
    new = copy.deepcopy(doc["surveys"][0])
    new["id"] = str(uuid.uuid4())
    new["customer_id"] = customer_id
    new["score"] = 3
    partial = {"format": "salesdev", "version": 1, "surveys": [new]}
    summary = filled.exchange.import_records(parse_document(json.dumps(partial)))
    assert (summary.created, summary.updated, summary.unchanged) == (1, 0, 0)


def test_bulk_insert(filled: Store, other: Store) -> None:
    text = _export(filled)
    records = parse_document(text)
    counts = other.exchange.bulk_insert(records)
    assert counts == {name: len(records.get(name, [])) for name, _model in COLLECTIONS}
    assert _export(other) == text


def test_parse_accepts_any_offset_and_missing_nullable_fields() -> None:
    doc = {
        "format": "salesdev",
        "version": 1,
        "customers": [
            {
                "id": "0f8fad5b-d9cb-469f-a165-70867728950e",
                "created_at": "2026-11-16T14:30:00+08:00",
                "updated_at": "2026-11-16T06:30:00Z",
                "name": "Acme",
                "stage": "prospect",
            }
        ],
    }
    records = parse_document(json.dumps(doc))
    row = records["customers"][0]
    assert isinstance(row, Customer)
    assert row.created_at == row.updated_at == datetime(2026, 11, 16, 6, 30, tzinfo=UTC)
    assert row.deleted_at is None and row.notes is None


# --- refusals ---------------------------------------------------------------------------------

Edit = Callable[[dict[str, Any]], None]


def _set(collection: str, field: str, value: Any, index: int = 0) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        doc[collection][index][field] = value

    return edit


def _drop(collection: str, field: str) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        del doc[collection][0][field]

    return edit


def _duplicate_id(doc: dict[str, Any]) -> None:
    twin = copy.deepcopy(doc["competitor_notes"][0])
    doc["competitor_notes"].append(twin)


def _proposal_loop(doc: dict[str, Any]) -> None:
    first, second = doc["proposals"]
    first["previous_id"] = second["id"]
    second["previous_id"] = first["id"]


def _top(key: str, value: Any) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        doc[key] = value

    return edit


REFUSALS: list[tuple[str, Edit, str, str]] = [
    ("wrong format", _top("format", "crm"), "format", "not a salesdev export"),
    ("newer version", _top("version", 2), "version", "version 2"),
    ("bool version", _top("version", True), "version", "not a version"),
    ("unknown collection", _top("widgets", []), "widgets", "unknown collection"),
    ("collection not a list", _top("surveys", {}), "surveys", "must be a list"),
    ("unknown field", _set("customers", "colour", "red"), "customers[0].colour", "unknown"),
    ("missing required", _drop("surveys", "score"), "surveys[0].score", "is required"),
    ("null required", _set("surveys", "taken_at", None), "surveys[0].taken_at", "not be null"),
    ("int as text", _set("surveys", "score", "5"), "surveys[0].score", "whole number"),
    ("float int", _set("surveys", "score", 4.0), "surveys[0].score", "whole number"),
    ("bool int", _set("surveys", "score", True), "surveys[0].score", "whole number"),
    ("huge int", _set("proposals", "version", 10**30), "proposals[0].version", "too large"),
    ("int range", _set("surveys", "score", 6), "surveys[0].score", "between 1 and 5"),
    ("bad enum", _set("customers", "stage", "closed"), "customers[0].stage", "prospect, "),
    ("enum case", _set("contact_plans", "method", "Phone"), "contact_plans[0].method", "not one"),
    (
        "bad date",
        _set("credit_checks", "checked_on", "2026-02-30"),
        "credit_checks[0].checked_on",
        "not a valid date",
    ),
    (
        "date format",
        _set("credit_checks", "checked_on", "20261101"),
        "credit_checks[0].checked_on",
        "YYYY-MM-DD",
    ),
    (
        "naive datetime",
        _set("surveys", "taken_at", "2026-11-16T06:30:00"),
        "surveys[0].taken_at",
        "no time zone offset",
    ),
    (
        "bad datetime",
        _set("surveys", "taken_at", "2026-13-16T06:30:00+00:00"),
        "surveys[0].taken_at",
        "not a valid date and time",
    ),
    (
        "ancient datetime",
        _set("surveys", "taken_at", "0001-01-01T00:00:00+01:00"),
        "surveys[0].taken_at",
        "not a valid date and time",
    ),
    ("negative money", _set("contracts", "value", "-1.00"), "contracts[0].value", "negative"),
    ("3-place money", _set("contracts", "value", "1.005"), "contracts[0].value", "2 decimal"),
    ("money as number", _set("contracts", "value", 100.5), "contracts[0].value", "as text"),
    ("money exponent", _set("contracts", "cost", "1e5"), "contracts[0].cost", "not a valid"),
    ("huge money", _set("contracts", "cost", "9" * 30), "contracts[0].cost", "too large"),
    ("NaN money", _set("contracts", "cost", "NaN"), "contracts[0].cost", "not a valid"),
    ("other digits", _set("contracts", "cost", "١٢٣"), "contracts[0].cost", "not a valid"),
    ("money with comma", _set("contracts", "cost", "1,234.00"), "contracts[0].cost", "not a valid"),
    (
        "discount range",
        _set("proposal_lines", "discount_pct", "100.01"),
        "proposal_lines[0].discount_pct",
        "between 0.00 and 100.00",
    ),
    ("bad bool", _set("contacts", "is_primary", 1), "contacts[0].is_primary", "true or false"),
    (
        "bad uuid",
        _set("contacts", "customer_id", "1234"),
        "contacts[0].customer_id",
        "not a valid id",
    ),
    (
        "uuid without dashes",
        _set("contacts", "id", uuid.uuid4().hex),
        "contacts[0].id",
        "with dashes",
    ),
    ("too long text", _set("customers", "name", "x" * 201), "customers[0].name", "at most 200"),
    ("empty name", _set("customers", "name", ""), "customers[0].name", "at least 1"),
    ("text not text", _set("customers", "notes", 12), "customers[0].notes", "must be text"),
    ("NUL in text", _set("customers", "notes", "a\x00b"), "customers[0].notes", "U+0000"),
    ("CR in text", _set("customers", "notes", "a\rb"), "customers[0].notes", "U+000D"),
    ("lone surrogate", _set("customers", "notes", "a\ud800b"), "customers[0].notes", "U+D800"),
    ("duplicate id", _duplicate_id, "competitor_notes[1].id", "duplicate id"),
    ("version loop", _proposal_loop, "proposals[", "loop"),
]


@pytest.mark.parametrize(
    ("edit", "where", "text"),
    [pytest.param(e, w, t, id=name) for name, e, w, t in REFUSALS],
)
def test_parse_refuses(base_text: str, edit: Edit, where: str, text: str) -> None:
    doc = json.loads(base_text)
    edit(doc)
    with pytest.raises(ExchangeError) as caught:
        parse_document(json.dumps(doc, ensure_ascii=False))
    rendered = [str(p) for p in caught.value.problems]
    assert any(r.startswith(where) and text in r for r in rendered), rendered


def test_parse_reports_every_problem_with_its_place(base_text: str) -> None:
    doc = json.loads(base_text)
    doc["contacts"][0]["email"] = 5
    doc["surveys"][0]["score"] = 0
    doc["targets"][0]["kpi"] = "happiness"
    with pytest.raises(ExchangeError) as caught:
        parse_document(json.dumps(doc))
    places = {(p.collection, p.index, p.field) for p in caught.value.problems}
    assert places == {("contacts", 0, "email"), ("surveys", 0, "score"), ("targets", 0, "kpi")}
    problem = next(p for p in caught.value.problems if p.collection == "contacts")
    assert str(problem).startswith("contacts[0].email: ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"format": "salesdev",\n "version": 1,\n "customers": [}', "line 3, column"),
        ("", "line 1, column 1"),
        ("[1, 2]", "not a salesdev export"),
        ('{"format": "salesdev", "version": 1, "format": "salesdev"}', "more than once"),
        ('{"format": "salesdev", "version": 1, "surveys": [7]}', "surveys[0]: must be an object"),
        ('{"format": "salesdev", "version": 1, "exported_at": "yesterday"}', "exported_at: "),
        ('{"version": 1}', "format: missing"),
        ('\ufeff{"format": "salesdev", "version": 1, "surveys": 1}', "surveys: must be a list"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
)
def test_parse_refuses_documents(text: str, expected: str) -> None:
    with pytest.raises(ExchangeError) as caught:
        parse_document(text)
    assert any(expected in str(p) for p in caught.value.problems), caught.value.problems


def test_duplicate_key_in_a_record() -> None:
    text = (
        '{"format": "salesdev", "version": 1, "research_notes": [{"id": '
        '"0f8fad5b-d9cb-469f-a165-70867728950e", "created_at": "2026-11-16T06:30:00+00:00", '
        '"updated_at": "2026-11-16T06:30:00+00:00", "title": "a", "title": "b", '
        '"noted_on": "2026-11-16"}]}'
    )
    with pytest.raises(ExchangeError) as caught:
        parse_document(text)
    assert [str(p) for p in caught.value.problems] == [
        "research_notes[0].title: appears more than once"
    ]


def test_parents_first_orders_self_references() -> None:
    rows = [{"id": n, "previous_id": n - 1 if n else None} for n in range(50)]
    rows.reverse()
    ordered = parents_first(rows, ["previous_id"])
    assert [row["id"] for row in ordered] == list(range(50))
    looped = [{"id": 1, "previous_id": 2}, {"id": 2, "previous_id": 1}]
    assert len(parents_first(looped, ["previous_id"])) == 2  # cut, never an endless loop


def test_problem_text() -> None:
    assert str(ExchangeProblem("contacts", 3, "email", "bad")) == "contacts[3].email: bad"
    assert str(ExchangeProblem("format", None, None, "bad")) == "format: bad"
    assert str(ExchangeProblem("", None, None, "bad")) == "bad"


# --- refusals by the store: nothing written ---------------------------------------------------


def _closed_copy(source: Store, tmp_path: Path) -> tuple[Path, str]:
    """A second database holding `source`'s records, closed; with its sha256."""
    path = tmp_path / "copy" / "copy.db"
    db = open_database(path)
    Store(db).exchange.import_records(parse_document(_export(source)))
    db.close()
    return path, _sha256(path)


def _failed_import(path: Path, doc: dict[str, Any]) -> list[str]:
    db = open_database(path)
    try:
        with pytest.raises(ExchangeError) as caught:
            Store(db).exchange.import_records(parse_document(json.dumps(doc)))
    finally:
        db.close()
    return [str(p) for p in caught.value.problems]


def test_dangling_reference_is_refused_and_nothing_written(filled: Store, tmp_path: Path) -> None:
    path, digest = _closed_copy(filled, tmp_path)
    doc = json.loads(_export(filled))
    doc["customers"][0]["name"] = "Changed"  # would be an update
    doc["surveys"][0]["id"] = str(uuid.uuid4())  # would be an insert
    stranger = str(uuid.uuid4())
    doc["contacts"][0]["customer_id"] = stranger
    doc["proposals"][1]["previous_id"] = str(uuid.uuid4())
    problems = _failed_import(path, doc)
    assert problems[0].startswith("contacts[0].customer_id: refers to customers " + stranger)
    assert problems[1].startswith("proposals[1].previous_id: refers to proposals ")
    assert len(problems) == 2
    assert _sha256(path) == digest


def test_database_rules_are_reported_per_record(filled: Store, tmp_path: Path) -> None:
    path, digest = _closed_copy(filled, tmp_path)
    doc = json.loads(_export(filled))
    done = next(i for i, p in enumerate(doc["contact_plans"]) if p["status"] == "done")
    doc["contact_plans"][done]["done_at"] = None  # done without a time: a CHECK across columns
    problems = _failed_import(path, doc)
    assert len(problems) == 1
    assert problems[0].startswith(f"contact_plans[{done}].status: breaks the rule")
    assert _sha256(path) == digest


def test_unique_live_target_is_reported(filled: Store, tmp_path: Path) -> None:
    path, digest = _closed_copy(filled, tmp_path)
    doc = json.loads(_export(filled))
    twin = copy.deepcopy(doc["targets"][0])
    twin["id"] = str(uuid.uuid4())
    doc["targets"].append(twin)
    problems = _failed_import(path, doc)
    assert problems == [
        "targets[1].period_kind: another live record has the same period_kind, period_label, kpi"
    ]
    assert _sha256(path) == digest
    # Soft-deleting the old one in the same file frees the key.
    doc["targets"][0]["deleted_at"] = "2026-11-16T08:00:00+00:00"
    db = open_database(path)
    try:
        summary = Store(db).exchange.import_records(parse_document(json.dumps(doc)))
    finally:
        db.close()
    assert (summary.created, summary.updated) == (1, 1)


def test_parse_error_leaves_the_file_alone(filled: Store, tmp_path: Path) -> None:
    path, digest = _closed_copy(filled, tmp_path)
    runner = CliRunner()
    bad = tmp_path / "bad.json"
    doc = json.loads(_export(filled))
    doc["contracts"][0]["value"] = "1.005"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    result = runner.invoke(_cli(), ["--db", str(path), "import", str(bad)])
    assert result.exit_code == 3
    assert "contracts[0].value: " in result.output
    assert _sha256(path) == digest


# --- the command line -------------------------------------------------------------------------


def _cli() -> Any:
    from salesdev_tui.cli import cli

    return cli


def _without_exported_at(text: str) -> dict[str, Any]:
    doc = json.loads(text)
    doc.pop("exported_at")
    assert isinstance(doc, dict)
    return doc


def test_cli_round_trip(filled: Store, db_path: Path, tmp_path: Path) -> None:
    filled.db.close()
    runner = CliRunner()
    out = tmp_path / "export.json"
    result = runner.invoke(_cli(), ["--db", str(db_path), "export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_mode & 0o777 == 0o600
    records = parse_document(out.read_text(encoding="utf-8"))

    target = tmp_path / "cli" / "new.db"
    dry = runner.invoke(_cli(), ["--db", str(target), "import", str(out), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"Would import: {_total(records)} new, 0 updated, 0 unchanged." in dry.output

    done = runner.invoke(_cli(), ["--db", str(target), "import", str(out)])
    assert done.exit_code == 0, done.output
    assert f"Imported: {_total(records)} new, 0 updated, 0 unchanged." in done.output

    again = runner.invoke(_cli(), ["--db", str(target), "import", str(out)])
    assert f"Imported: 0 new, 0 updated, {_total(records)} unchanged." in again.output

    shown = runner.invoke(_cli(), ["--db", str(target), "export"])
    assert shown.exit_code == 0, shown.output
    assert _without_exported_at(shown.stdout) == _without_exported_at(
        out.read_text(encoding="utf-8")
    )


def test_cli_reports_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "salesdev", "version": 1, "customers": [{"id": 1}]}')
    result = CliRunner().invoke(_cli(), ["--db", str(tmp_path / "x.db"), "import", str(bad)])
    assert result.exit_code == 3
    assert "customers[0].id: not a valid id" in result.output
    assert "customers[0].name: is required" in result.output
    assert "nothing was imported" in result.output


def test_collections_cover_every_table_parents_first() -> None:
    assert tuple(model for _name, model in COLLECTIONS) == ALL_TABLES


def test_docs_list_every_collection_and_field() -> None:
    text = (Path(__file__).parent.parent / "docs" / "EXCHANGE.md").read_text(encoding="utf-8")
    sections = text.split("\n### ")
    for name, model in COLLECTIONS:
        section = next((s for s in sections if s.startswith(f"`{name}`")), None)
        assert section is not None, name
        for column in format_columns(model):
            if column.name not in ("id", "created_at", "updated_at", "deleted_at"):
                assert f"| `{column.name}` |" in section, (name, column.name)


def test_enum_and_plan_values_are_the_public_names() -> None:
    # The format's vocabulary is a contract: changing a value breaks other tools.
    assert [m.value for m in Stage] == [
        "prospect",
        "contacted",
        "needs",
        "proposal",
        "negotiation",
        "contract",
        "won",
        "lost",
    ]
    assert [m.value for m in ContactMethod] == ["phone", "email", "visit", "meeting", "other"]
    assert [m.value for m in PlanStatus] == ["planned", "done", "missed", "cancelled"]
    assert [m.value for m in LegalReview] == ["pending", "approved", "rejected"]
