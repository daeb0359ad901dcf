"""Input models and `validate` (services.validation)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel
from sqlmodel import Session, SQLModel

from salesdev_tui.domain.text_rules import clean_text
from salesdev_tui.domain.validation import (
    FIELD_LABELS,
    CompetitorNoteInput,
    ContactInput,
    ContactPlanInput,
    ContractInput,
    CreditCheckInput,
    CustomerInput,
    FieldProblem,
    InvalidInput,
    LegalReviewInput,
    MilestoneInput,
    NeedsNoteInput,
    NegotiationInput,
    NegotiationPointInput,
    PlanOutcomeInput,
    ProgressReportInput,
    ProposalInput,
    ProposalLineInput,
    ResearchNoteInput,
    SurveyInput,
    TargetInput,
    field_label,
    validate,
)
from salesdev_tui.i18n import set_catalog
from salesdev_tui.models import limits, tables
from salesdev_tui.models.enums import (
    ContactMethod,
    MilestoneKind,
    NeedKind,
    PlanStatus,
    Priority,
    Source,
)

WHEN = datetime(2026, 11, 16, 14, 30, tzinfo=ZoneInfo("Asia/Taipei"))

#: Each input model, its table, and the smallest valid input.
CASES: list[tuple[type[BaseModel], type[tables.Record], dict[str, object]]] = [
    (CustomerInput, tables.Customer, {"name": "Acme"}),
    (ContactInput, tables.Contact, {"name": "Lin"}),
    (ContactPlanInput, tables.ContactPlan, {"method": "phone", "scheduled_at": WHEN}),
    (PlanOutcomeInput, tables.ContactPlan, {"status": "missed"}),
    (NeedsNoteInput, tables.NeedsNote, {"text": "faster delivery"}),
    (ProposalInput, tables.Proposal, {"title": "Offer 1"}),
    (ProposalLineInput, tables.ProposalLine, {"product": "Widget"}),
    (NegotiationInput, tables.Negotiation, {"held_at": WHEN}),
    (NegotiationPointInput, tables.NegotiationPoint, {"kind": "open", "text": "price"}),
    (ContractInput, tables.Contract, {}),
    (LegalReviewInput, tables.Contract, {"legal_review": "approved"}),
    (MilestoneInput, tables.Milestone, {"title": "Kick-off"}),
    (ProgressReportInput, tables.ProgressReport, {"sent_at": WHEN, "summary": "on track"}),
    (SurveyInput, tables.Survey, {"score": 5, "taken_at": WHEN}),
    (CreditCheckInput, tables.CreditCheck, {"checked_on": date(2026, 11, 1), "rating": "B"}),
    (CompetitorNoteInput, tables.CompetitorNote, {"competitor": "Globex"}),
    (ResearchNoteInput, tables.ResearchNote, {"title": "Taichung", "noted_on": "2026-11-01"}),
    (
        TargetInput,
        tables.Target,
        {"period_kind": "month", "period_label": "2026-11", "kpi": "revenue", "value": "1"},
    ),
]
CASE_IDS = [model.__name__ for model, _table, _data in CASES]

NEVER_INPUT = {
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
    "first_contacted_at",
    "first_signed_at",
    "last_activity_at",
    "stage",
    "customer_id",
}


def problems(model: type[BaseModel], data: Mapping[str, object], **kwargs: str) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        validate(model, data, **kwargs)
    return caught.value.by_field()


@pytest.fixture
def english() -> Iterator[None]:
    set_catalog({})
    yield
    set_catalog({})


# --- shape: input fields are table columns --------------------------------------------------


@pytest.mark.parametrize(("model", "table", "data"), CASES, ids=CASE_IDS)
def test_fields_are_columns_of_the_table(
    model: type[BaseModel], table: type[tables.Record], data: dict[str, object]
) -> None:
    columns = set(table.model_fields)
    assert set(model.model_fields) <= columns
    assert not set(model.model_fields) & NEVER_INPUT


@pytest.mark.parametrize(("model", "table", "data"), CASES, ids=CASE_IDS)
def test_minimal_input_builds_a_table_row(
    model: type[BaseModel], table: type[tables.Record], data: dict[str, object]
) -> None:
    parents: dict[str, Any] = {
        name: uuid.uuid4()
        for name in ("customer_id", "proposal_id", "negotiation_id")
        if name in table.model_fields and name not in model.model_fields
    }
    extra: dict[str, object] = {}
    if table is tables.ContactPlan and model is PlanOutcomeInput:
        extra = {"method": ContactMethod.PHONE, "scheduled_at": WHEN}
    values: dict[str, Any] = {**parents, **extra, **validate(model, data).model_dump()}
    row = table(**values)
    for name, value in validate(model, data).model_dump().items():
        assert getattr(row, name) == value


def test_stage_and_maintained_columns_are_not_settable() -> None:
    found = problems(CustomerInput, {"name": "Acme", "stage": "won", "last_activity_at": WHEN})
    assert found["stage"] == "Stage: is not a field of this form"
    assert "last_activity_at" in found


# --- text fields: the limit of each table's CHECK constraint ----------------------------------

_LEN_CHECK = re.compile(r"^(\w+) IS NULL OR length\(\1\) BETWEEN (\d+) AND (\d+)$")


def _length_checks(table: type[tables.Record]) -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int]] = {}
    for constraint in table.__table__.constraints:  # type: ignore[attr-defined]
        if isinstance(constraint, sa.CheckConstraint):
            m = _LEN_CHECK.match(str(constraint.sqltext))
            if m:
                found[m[1]] = (int(m[2]), int(m[3]))
    return found


TEXT_FIELDS = [
    (model, table, data, field, bounds)
    for model, table, data in CASES
    for field, bounds in sorted(_length_checks(table).items())
    if field in model.model_fields
    # Numbers and tax IDs have their own rules (tests/test_tax_id_mobile.py for the new ones).
    and field not in {"phone", "phone_normalized", "email", "period_label", "mobile",
                      "mobile_normalized", "tax_id"}
]


def test_every_text_field_has_a_check_constraint() -> None:
    checked = {(model, field) for model, _t, _d, field, _b in TEXT_FIELDS}
    for model, _table, _data in CASES:
        hints = {
            name
            for name, info in model.model_fields.items()
            if info.annotation in (str, str | None)
            and name not in ("phone_normalized", "mobile_normalized")
        }
        for name in hints - {"phone", "email", "period_label", "mobile", "tax_id"}:
            assert (model, name) in checked, f"{model.__name__}.{name} has no length CHECK"


@pytest.mark.parametrize(
    ("model", "table", "data", "field", "bounds"),
    TEXT_FIELDS,
    ids=[f"{m.__name__}.{f}" for m, _t, _d, f, _b in TEXT_FIELDS],
)
def test_text_limit_matches_the_check_constraint(
    model: type[BaseModel],
    table: type[tables.Record],
    data: dict[str, object],
    field: str,
    bounds: tuple[int, int],
) -> None:
    _low, high = bounds
    at_max = "Ä" * high
    assert getattr(validate(model, {**data, field: at_max}), field) == at_max
    found = problems(model, {**data, field: at_max + "Ä"})
    assert found[field].endswith(f"is too long: at most {high} characters (this has {high + 1})")
    assert found[field].startswith(field_label(field, model) + ": ")


@pytest.mark.parametrize(
    ("model", "table", "data", "field", "bounds"),
    TEXT_FIELDS,
    ids=[f"{m.__name__}.{f}" for m, _t, _d, f, _b in TEXT_FIELDS],
)
def test_text_fields_refuse_controls_and_follow_the_line_policy(
    model: type[BaseModel],
    table: type[tables.Record],
    data: dict[str, object],
    field: str,
    bounds: tuple[int, int],
) -> None:
    label = field_label(field, model)
    assert problems(model, {**data, field: "a\x00b"})[field].startswith(label + ": contains")
    assert "U+001B" in problems(model, {**data, field: "\x1b[2J"})[field]
    assert "cannot be stored" in problems(model, {**data, field: "a\ud800"})[field]
    multiline = bounds[1] == limits.TEXT  # notes, agendas, clauses, minutes
    if multiline:
        assert getattr(validate(model, {**data, field: "a\r\nb\tc"}), field) == "a\nb\tc"
    else:
        assert problems(model, {**data, field: "a\nb"})[field] == f"{label}: must be a single line"
        assert getattr(validate(model, {**data, field: "a\tb"}), field) == "a b"


@pytest.mark.parametrize(
    ("model", "table", "data", "field", "bounds"),
    [case for case in TEXT_FIELDS if case[4][0] == 0],
    ids=[f"{m.__name__}.{f}" for m, _t, _d, f, b in TEXT_FIELDS if b[0] == 0],
)
def test_optional_text_blank_means_none(
    model: type[BaseModel],
    table: type[tables.Record],
    data: dict[str, object],
    field: str,
    bounds: tuple[int, int],
) -> None:
    for blank in ("", "   ", "\n", None):
        if blank == "\n" and bounds[1] != limits.TEXT:
            continue
        assert getattr(validate(model, {**data, field: blank}), field) is None


@pytest.mark.parametrize(
    ("model", "table", "data", "field", "bounds"),
    [case for case in TEXT_FIELDS if case[4][0] == 1],
    ids=[f"{m.__name__}.{f}" for m, _t, _d, f, b in TEXT_FIELDS if b[0] == 1],
)
def test_required_text_refuses_blank_and_missing(
    model: type[BaseModel],
    table: type[tables.Record],
    data: dict[str, object],
    field: str,
    bounds: tuple[int, int],
) -> None:
    label = field_label(field, model)
    for blank in ("", "  ", None):
        assert problems(model, {**data, field: blank})[field] == f"{label}: required"
    missing = {k: v for k, v in data.items() if k != field}
    assert problems(model, missing)[field] == f"{label}: required"


@pytest.mark.parametrize(
    "name",
    [
        "台灣積體電路製造股份有限公司",
        "Müller & Co [GmbH]",
        "👨‍👩‍👧 Family Foods",
        "🧑🏽‍💻 Dev Shop",
        "\u200fشركة الأمل\u200f",
        "שלום\u200e Ltd",
        "[@click=app.quit]x[/]",
    ],
)
def test_names_keep_cjk_emoji_zwj_and_rtl(name: str) -> None:
    assert validate(CustomerInput, {"name": f"  {name} "}).name == name


def test_name_is_nfc_normalised() -> None:
    assert validate(CustomerInput, {"name": "Mu\u0308ller"}).name == "Müller"


def test_name_limit_counts_characters_after_normalisation() -> None:
    assert validate(CustomerInput, {"name": "A\u0308" * limits.NAME}).name == "Ä" * limits.NAME


def test_non_text_is_refused_in_plain_words() -> None:
    assert problems(CustomerInput, {"name": 42})["name"] == "Company name: must be text"
    assert problems(CustomerInput, {"name": ["Acme"]})["name"] == "Company name: must be text"


# --- messages -----------------------------------------------------------------------------


def test_the_example_messages(english: None) -> None:
    assert problems(ContactInput, {"name": "Lin", "phone": "123"})["phone"] == (
        "Phone: needs at least 6 digits"
    )
    assert problems(ContactInput, {"name": "Lin", "email": "lin.example.com"})["email"] == (
        "E-mail: not a valid address (missing @)"
    )
    assert problems(CustomerInput, {"name": ""})["name"] == "Company name: required"
    assert problems(SurveyInput, {"score": 6, "taken_at": WHEN})["score"] == (
        "Score: must be 1 to 5"
    )


def test_invalid_input_lists_every_problem() -> None:
    with pytest.raises(InvalidInput) as caught:
        validate(ContactInput, {"name": "", "phone": "12", "email": "x"})
    error = caught.value
    assert isinstance(error, ValueError)
    assert [p.field for p in error.problems] == ["name", "phone", "email"]
    assert all(isinstance(p, FieldProblem) for p in error.problems)
    assert str(error) == "\n".join(p.message for p in error.problems)
    assert "Name: required" in str(error)


BAD_INPUTS: list[tuple[type[BaseModel], dict[str, object]]] = [
    (CustomerInput, {"name": {"a": 1}, "revisit_days": "often", "size": 3, "notes": b"x"}),
    (CustomerInput, {"name": "x", "research_note_id": "not-a-uuid", "website": 1.5}),
    (ContactInput, {"name": "x", "is_primary": "maybe", "phone": 912345678, "email": []}),
    (ContactPlanInput, {"method": "fax", "scheduled_at": "next week", "contact_id": 7}),
    (SurveyInput, {"score": True, "taken_at": date(2026, 1, 1)}),
    (SurveyInput, {"score": 2.5, "taken_at": "2026-01-01 10:00"}),
    (ProposalLineInput, {"product": "x", "quantity": [1], "unit_price": object()}),
    (ProposalInput, {"title": "x", "valid_until": datetime(2026, 1, 1, tzinfo=UTC)}),
    (TargetInput, {"period_kind": "week", "period_label": "W1", "kpi": "fun", "value": None}),
    (CreditCheckInput, {"checked_on": "yesterday", "rating": "E", "credit_limit": "-1"}),
    (ContractInput, {"value": Decimal("NaN"), "cost": float("inf"), "x": 1}),
]


@pytest.mark.parametrize(("model", "data"), BAD_INPUTS)
def test_messages_never_dump_pydantic(model: type[BaseModel], data: dict[str, object]) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate(model, data)
    for problem in caught.value.problems:
        assert problem.field
        assert problem.message.startswith(field_label(problem.field, model) + ": ")
        for raw in ("Input should", "pydantic", "Value error", "type=", "[type", "http"):
            assert raw not in problem.message


def test_labels_go_through_translation() -> None:
    set_catalog({"Phone": "電話", "needs at least {n} digits": "至少需要 {n} 位數字"})
    try:
        assert FIELD_LABELS["phone"] == "電話"
        assert field_label("phone", ContactInput) == "電話"
        assert problems(ContactInput, {"name": "x", "phone": "1"})["phone"] == (
            "電話: 至少需要 6 位數字"
        )
    finally:
        set_catalog({})
    assert FIELD_LABELS["phone"] == "Phone"


def test_labels_cover_every_input_field() -> None:
    for model, _table, _data in CASES:
        for name in model.model_fields:
            assert name in FIELD_LABELS, name
    assert field_label("name", CustomerInput) == "Company name"
    assert field_label("name", ContactInput) == "Name"


# --- phone, e-mail, region ------------------------------------------------------------------


def test_contact_phone_keeps_the_typed_form_and_fills_the_normalised_one() -> None:
    contact = validate(ContactInput, {"name": "Lin", "phone": " 0912-345-678 "})
    assert contact.phone == "0912-345-678"
    assert contact.phone_normalized == "+886912345678"
    assert validate(ContactInput, {"name": "Lin", "phone": ""}).phone_normalized is None


def test_phone_region_comes_from_the_context() -> None:
    data = {"name": "Lin", "phone": "(202) 555-0123"}
    assert validate(ContactInput, data, region="US").phone_normalized == "+12025550123"
    assert validate(ContactInput, data).phone_normalized == "+8862025550123"  # read as TW
    assert ContactInput.model_validate({"name": "x", "phone": "0912345678"}).phone_normalized == (
        "+886912345678"
    )


def test_phone_normalised_is_derived_not_taken() -> None:
    data = {"name": "Lin", "phone": "0912345678", "phone_normalized": "+1999"}
    assert validate(ContactInput, data).phone_normalized == "+886912345678"


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("12345", "needs at least 6 digits"),
        ("1" * 21, "has too many digits (at most 20)"),
        ("0800-FLOWERS", "may contain only digits, spaces and + - . ( )"),
        ("0912\n345", "must be a single line"),
        ("1 " * 20 + "1", "is too long: at most 40 characters (this has 41)"),
    ],
)
def test_phone_refused(phone: str, message: str) -> None:
    assert problems(ContactInput, {"name": "x", "phone": phone})["phone"] == f"Phone: {message}"


def test_phone_at_the_limit() -> None:
    phone = "1--" * 13 + "1"  # 40 characters, 14 digits
    assert len(phone) == limits.PHONE
    assert validate(ContactInput, {"name": "x", "phone": phone}).phone == phone


def test_email_normalised_and_limited() -> None:
    assert validate(ContactInput, {"name": "x", "email": " Lin@ACME.com.tw "}).email == (
        "Lin@acme.com.tw"
    )
    local = "a" * 64
    domain = ".".join(["b" * 61] * 3) + ".com"  # 64 + 1 + 189 = 254 characters
    address = f"{local}@{domain}"
    assert len(address) == limits.EMAIL
    assert validate(ContactInput, {"name": "x", "email": address}).email == address
    found = problems(ContactInput, {"name": "x", "email": "c" + address})
    assert found["email"].startswith("E-mail: ")


# --- enums, flags, numbers, times -------------------------------------------------------------


def test_enums_accept_values_case_insensitively() -> None:
    customer = validate(
        CustomerInput,
        {"name": "x", "source": "Trade Show", "size": "LARGE", "potential": "a"},
    )
    assert customer.source is Source.TRADE_SHOW
    assert customer.potential is not None and customer.potential.value == "A"
    plan = validate(ContactPlanInput, {"method": " Visit ", "scheduled_at": WHEN})
    assert plan.method is ContactMethod.VISIT
    assert validate(CustomerInput, {"name": "x", "source": Source.ONLINE}).source is Source.ONLINE


def test_enum_refusal_lists_the_choices() -> None:
    found = problems(CustomerInput, {"name": "x", "source": "fax"})
    assert found["source"] == (
        "Source: must be one of: trade_show, online, referral, research, other"
    )


def test_blank_optional_enums_are_none_and_defaults_apply() -> None:
    customer = validate(CustomerInput, {"name": "x", "source": "", "size": None})
    assert customer.source is None and customer.size is None
    note = validate(NeedsNoteInput, {"text": "x", "kind": "", "priority": " "})
    assert note.kind is NeedKind.NEED and note.priority is Priority.MEDIUM
    assert validate(MilestoneInput, {"title": "x", "kind": ""}).kind is MilestoneKind.MILESTONE


def test_plan_outcome_status() -> None:
    for status in ("done", "Missed", "CANCELLED"):
        assert validate(PlanOutcomeInput, {"status": status}).status in {
            PlanStatus.DONE,
            PlanStatus.MISSED,
            PlanStatus.CANCELLED,
        }
    assert problems(PlanOutcomeInput, {"status": "planned"})["status"] == (
        "Outcome: must be one of: done, missed, cancelled"
    )
    assert problems(PlanOutcomeInput, {})["status"] == "Outcome: required"


@pytest.mark.parametrize(
    ("text", "expected"), [("yes", True), ("No", False), ("1", True), ("", False)]
)
def test_flags(text: str, expected: bool) -> None:
    assert validate(ContactInput, {"name": "x", "is_primary": text}).is_primary is expected


@pytest.mark.parametrize("value", [1, "1", " 3650 ", "３０", 7.0])
def test_revisit_days_allowed(value: object) -> None:
    assert validate(CustomerInput, {"name": "x", "revisit_days": value}).revisit_days is not None


@pytest.mark.parametrize("value", [0, 3651, -1, "0"])
def test_revisit_days_range(value: object) -> None:
    assert problems(CustomerInput, {"name": "x", "revisit_days": value})["revisit_days"] == (
        "Revisit interval: must be 1 to 3650 days"
    )


@pytest.mark.parametrize("value", [True, 2.5, "two", "1e3"])
def test_whole_numbers_only(value: object) -> None:
    found = problems(CustomerInput, {"name": "x", "revisit_days": value})
    assert found["revisit_days"] == "Revisit interval: must be a whole number"


@pytest.mark.parametrize("score", [1, 5, "3"])
def test_score_allowed(score: object) -> None:
    assert validate(SurveyInput, {"score": score, "taken_at": WHEN}).score == int(str(score))


@pytest.mark.parametrize("score", [0, 6, -1, "9"])
def test_score_refused(score: object) -> None:
    assert problems(SurveyInput, {"score": score, "taken_at": WHEN})["score"] == (
        "Score: must be 1 to 5"
    )


def test_money_is_exact_and_not_negative() -> None:
    contract = validate(ContractInput, {"value": "NT$1,234,567.5", "cost": Decimal("1000")})
    assert contract.value == Decimal("1234567.50")
    assert contract.cost == Decimal("1000.00")
    assert validate(ContractInput, {"value": 0.1}).value == Decimal("0.10")  # as printed
    assert validate(ContractInput, {"value": "", "cost": None}).value == Decimal("0.00")
    assert problems(ContractInput, {"value": "-1"})["value"] == "Contract value: cannot be negative"
    assert problems(ContractInput, {"cost": "1.001"})["cost"] == (
        "Cost: has more than 2 decimal places"
    )
    assert "too large" in problems(ContractInput, {"value": 10**13})["value"]
    assert validate(ContractInput, {"value": 10**13 - 1}).value == Decimal(10**13 - 1)
    assert "must be a number" in problems(ContractInput, {"value": True})["value"]
    assert "must be a number" in problems(ContractInput, {"value": Decimal("NaN")})["value"]
    note = validate(NeedsNoteInput, {"text": "x", "budget": ""})
    assert note.budget is None


def test_proposal_line_numbers() -> None:
    line = validate(
        ProposalLineInput,
        {"product": "x", "quantity": "2.125", "unit_price": "99.90", "discount_pct": "12.5%"},
    )
    assert line.quantity == Decimal("2.125")
    assert line.unit_price == Decimal("99.90")
    assert line.discount_pct == Decimal("12.50")
    default = validate(ProposalLineInput, {"product": "x", "quantity": "", "discount_pct": ""})
    assert default.quantity == Decimal(1) and default.discount_pct == Decimal(0)
    assert validate(ProposalLineInput, {"product": "x", "discount_pct": "100"}).discount_pct == 100
    assert validate(ProposalLineInput, {"product": "x", "quantity": "0.001"}).quantity > 0

    def refused(field: str, value: object) -> str:
        return problems(ProposalLineInput, {"product": "x", field: value})[field]

    assert refused("quantity", "0") == "Quantity: must be more than 0"
    assert refused("quantity", "-2") == "Quantity: cannot be negative"
    assert refused("quantity", "1.0005") == "Quantity: has more than 3 decimal places"
    assert refused("discount_pct", "100.01") == "Discount %: must be 0 to 100"
    assert refused("discount_pct", "-1") == "Discount %: cannot be negative"
    assert refused("discount_pct", "1.234") == "Discount %: has more than 2 decimal places"
    assert refused("unit_price", "NaN") == "Unit price: must be a number, not NaN"


def test_times_must_be_aware_and_come_back_in_utc() -> None:
    plan = validate(ContactPlanInput, {"method": "phone", "scheduled_at": WHEN})
    assert plan.scheduled_at == WHEN
    assert plan.scheduled_at.tzinfo is UTC
    iso = validate(ContactPlanInput, {"method": "phone", "scheduled_at": "2026-12-01T14:30+08:00"})
    assert iso.scheduled_at == datetime(2026, 12, 1, 6, 30, tzinfo=UTC)
    for naive in (datetime(2026, 12, 1, 14, 30), "2026-12-01 14:30"):
        found = problems(ContactPlanInput, {"method": "phone", "scheduled_at": naive})
        assert found["scheduled_at"] == "When: needs a time zone (a time without one is ambiguous)"
    found = problems(ContactPlanInput, {"method": "phone", "scheduled_at": "tomorrow"})
    assert found["scheduled_at"] == "When: must be a date and time, like 2026-12-01 14:30"
    assert problems(ContactPlanInput, {"method": "phone"})["scheduled_at"] == "When: required"
    offset = timezone(timedelta(hours=-5))
    review = validate(
        LegalReviewInput,
        {"legal_review": "approved", "legal_reviewed_at": datetime(2026, 1, 1, tzinfo=offset)},
    )
    assert review.legal_reviewed_at == datetime(2026, 1, 1, 5, tzinfo=UTC)


def test_dates() -> None:
    check = validate(CreditCheckInput, {"checked_on": "2026-11-01", "rating": "a"})
    assert check.checked_on == date(2026, 11, 1)
    found = problems(CreditCheckInput, {"checked_on": "11/01", "rating": "A"})
    assert found["checked_on"] == "Checked on: must be a date, like 2026-12-01"
    found = problems(ProposalInput, {"title": "x", "valid_until": WHEN})
    assert found["valid_until"] == "Valid until: must be a date without a time"
    assert validate(ProposalInput, {"title": "x", "valid_until": ""}).valid_until is None


def test_references_are_optional_uuids() -> None:
    ref = uuid.uuid4()
    assert validate(ContactPlanInput, {"method": "phone", "scheduled_at": WHEN,
                                       "contact_id": str(ref)}).contact_id == ref  # fmt: skip
    assert validate(MilestoneInput, {"title": "x", "contract_id": ref}).contract_id == ref
    assert validate(NegotiationInput, {"held_at": WHEN, "proposal_id": ""}).proposal_id is None
    found = problems(MilestoneInput, {"title": "x", "contract_id": "abc"})
    assert found["contract_id"] == "Contract: is not a valid reference"


@pytest.mark.parametrize(
    ("kind", "label", "expected"),
    [
        ("month", "2026-11", "2026-11"),
        ("month", "2026-3", "2026-03"),
        ("quarter", "2026-q4", "2026-Q4"),
        ("year", "2026", "2026"),
    ],
)
def test_target_period_labels(kind: str, label: str, expected: str) -> None:
    data = {"period_kind": kind, "period_label": label, "kpi": "profit", "value": "10"}
    assert validate(TargetInput, data).period_label == expected


@pytest.mark.parametrize(
    ("kind", "label", "message"),
    [
        ("month", "2026-13", "Period: must be a month, like 2026-11"),
        ("month", "2026-Q1", "Period: must be a month, like 2026-11"),
        ("quarter", "2026-Q5", "Period: must be a quarter, like 2026-Q4"),
        ("year", "26", "Period: must be a year, like 2026"),
        ("year", "0000", "Period: must be a year, like 2026"),
        ("month", "", "Period: required"),
        ("month", "2026-11-01", "Period: is too long: at most 7 characters (this has 10)"),
    ],
)
def test_target_period_labels_refused(kind: str, label: str, message: str) -> None:
    data = {"period_kind": kind, "period_label": label, "kpi": "profit", "value": "10"}
    assert problems(TargetInput, data)["period_label"] == message


def test_target_value() -> None:
    base = {"period_kind": "year", "period_label": "2026", "kpi": "success_rate"}
    assert validate(TargetInput, {**base, "value": "35.5%"}).value == Decimal("35.5")
    assert validate(TargetInput, {**base, "value": "0.1234"}).value == Decimal("0.1234")
    assert problems(TargetInput, {**base, "value": "0.12345"})["value"] == (
        "Target value: has more than 4 decimal places"
    )
    assert problems(TargetInput, {**base, "value": ""})["value"] == "Target value: required"


# --- the database accepts what validation accepts ---------------------------------------------


def test_the_database_checks_accept_validated_boundary_values() -> None:
    engine = sa.create_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    customer = tables.Customer(
        **validate(
            CustomerInput,
            {"name": "Ä" * limits.NAME, "notes": "x\n" * 9_999 + "x", "revisit_days": 3650},
        ).model_dump()
    )
    contact = tables.Contact(
        customer_id=customer.id,
        **validate(
            ContactInput, {"name": "👨‍👩‍👧" * 40, "phone": "1--" * 13 + "1", "email": "a@b.co"}
        ).model_dump(),
    )
    with Session(engine) as session:
        session.add(customer)
        session.add(contact)
        session.commit()


# --- properties -------------------------------------------------------------------------------

cjk = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1)
emoji = st.lists(st.sampled_from(["👍", "👨‍👩‍👧", "🇩🇪", "❤️", "🧑🏽‍💻", "e\u0301"]), min_size=1).map(
    "".join
)
controls = st.text(alphabet=st.characters(categories=["Cc", "Cf", "Cs"]), min_size=1)
long = st.integers(190, 5000).map(lambda n: "Ä" * n)
markup = st.lists(
    st.sampled_from(["[/]", "[b]", "[@click=app.quit]x[/]", "[link=x]", "\\[", "]"])
).map("".join)
names = st.one_of(
    cjk, emoji, controls, long, st.text(max_size=300), markup, st.just(""), st.just("   ")
)


@given(names)
def test_customer_name_is_a_model_or_invalid_input(name: str) -> None:
    try:
        customer = validate(CustomerInput, {"name": name})
    except InvalidInput as error:
        assert [p.field for p in error.problems] == ["name"]
        assert error.problems[0].message.startswith("Company name: ")
        return
    assert customer.name == clean_text(name, max_len=limits.NAME)
    assert 1 <= len(customer.name) <= limits.NAME


@given(
    st.fixed_dictionaries(
        {},
        optional={
            "name": st.one_of(names, st.none(), st.integers()),
            "role": names,
            "phone": st.one_of(st.text(max_size=50), st.from_regex(r"\+?[0-9 ()\-]{4,30}")),
            "email": st.one_of(st.text(max_size=50), st.emails()),
            "is_primary": st.one_of(st.booleans(), st.text(max_size=5)),
            "notes": names,
        },
    )
)
def test_contact_is_a_model_or_invalid_input(data: dict[str, Any]) -> None:
    try:
        contact = validate(ContactInput, data)
    except InvalidInput as error:
        assert error.problems
        return
    if contact.phone is not None:
        assert contact.phone_normalized
        assert len(contact.phone_normalized) <= limits.PHONE
