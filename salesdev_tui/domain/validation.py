"""Input models: what a form, the CLI or an import may write, checked before the store writes.

One pydantic model per record, separate from the SQLModel tables (table models do not
validate). Field names are the table's column names, so the store writes
`Customer(customer_id=..., **inp.model_dump())` or sets the dumped fields on an existing row.

What an input model leaves out, and who supplies it:

- `id`, `created_at`, `updated_at`, `deleted_at`: the store.
- Maintained columns (`first_contacted_at`, `first_signed_at`, `last_activity_at`) and
  workflow columns set by their own actions (`Customer.stage`/`lost_reason` by the stage
  machine, `ContactPlan.done_at`, `Proposal.version`/`previous_id`/`status`/`presented_at`,
  `Contract.legal_sent_at`/`signed_at`/`credit_override_reason`, `Milestone.done_at`,
  `NeedsNote.noted_at`, line and point `position`): the store.
- The owning parent's id (`customer_id`, `ProposalLine.proposal_id`,
  `NegotiationPoint.negotiation_id`): an argument of the store function, never an input field.
- An optional reference the user picks (`Customer.research_note_id`, `ContactPlan.contact_id`,
  `Negotiation.proposal_id`, `Contract.proposal_id`, `Milestone.contract_id`,
  `ProgressReport.contract_id`) is an input field: an optional UUID.

Rules: every text goes through `text_rules.clean_text` with the limit the table's CHECK
constraint uses (names and short fields single-line, notes, agendas, clauses and minutes
multi-line); blank means None for optional fields and the table default where the column has
one; enums accept their values case-insensitively ("Trade show" -> trade_show); amounts are
exact Decimals >= 0 (money through `services.money.parse_amount`, in the configured
currency); times must be timezone-aware and are returned in UTC (free text goes through
`services.when` first); unknown fields are refused.

`validate(Model, data, region="TW")` returns the model or raises `InvalidInput`, whose
problems name the field in plain words ("Phone: needs at least 6 digits").
"""
# Over 400 lines on purpose: every input model's field rules, sharing the field types and
# messages.

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, ClassVar, NamedTuple, Self, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticUseDefault

from salesdev_tui.domain.money import DEFAULT_CURRENCY, parse_amount
from salesdev_tui.domain.tax_id import normalize_tax_id, tax_id_problem
from salesdev_tui.domain.text_rules import (
    MONEY_LIMIT,
    check_decimal,
    clean_text,
    normalize_email,
    normalize_phone,
    parse_decimal,
    phone_problem,
)
from salesdev_tui.i18n import _
from salesdev_tui.models import limits
from salesdev_tui.models.date_range import check_day, check_moment
from salesdev_tui.models.enums import (
    CompanySize,
    ContactMethod,
    CreditRating,
    Kpi,
    LegalReview,
    MilestoneKind,
    NeedKind,
    PeriodKind,
    PlanStatus,
    PointKind,
    Potential,
    Priority,
    PurchasingPower,
    Source,
    SurveyMethod,
)

__all__ = [
    "FIELD_LABELS",
    "CompetitorNoteInput",
    "ContactInput",
    "ContactPlanInput",
    "ContractInput",
    "CreditCheckInput",
    "CustomerInput",
    "FieldProblem",
    "InputModel",
    "InvalidInput",
    "LeadDraft",
    "LeadInvalid",
    "LegalReviewInput",
    "MilestoneInput",
    "NeedsNoteInput",
    "NegotiationInput",
    "NegotiationPointInput",
    "PlanOutcomeInput",
    "ProgressReportInput",
    "ProposalInput",
    "ProposalLineInput",
    "ResearchNoteInput",
    "SurveyInput",
    "TargetInput",
    "check_lead",
    "field_label",
    "validate",
]

DEFAULT_REGION = "TW"


def N_(message: str) -> str:  # noqa: N802 - the gettext name for "mark now, translate later"
    """Mark `message` for translation; `_()` is applied when it is shown."""
    return message


# --- what blank means, and the converters -----------------------------------------------------

_REQUIRED = "required"
_NONE = "none"
_DEFAULT = "default"


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _blank(policy: str) -> None:
    """Handle a blank value: None, the field's default, or a 'required' problem."""
    if policy == _REQUIRED:
        raise ValueError(_("required"))
    if policy == _DEFAULT:
        raise PydanticUseDefault()


def _text(max_len: int, *, multiline: bool = False, blank: str = _NONE) -> BeforeValidator:
    def check(value: object) -> str | None:
        if value is None:
            _blank(blank)
            return None
        if not isinstance(value, str):
            raise ValueError(_("must be text"))
        cleaned = clean_text(value, max_len=max_len, multiline=multiline)
        if cleaned is None:
            _blank(blank)
        return cleaned

    return BeforeValidator(check)


def _check_phone(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(_("must be text"))
    cleaned = clean_text(value, max_len=limits.PHONE)
    if cleaned is None:
        return None
    problem = phone_problem(cleaned)
    if problem is not None:
        raise ValueError(problem)
    return cleaned


def _check_tax_id(value: object) -> str | None:
    # The rule (8 digits: 統一編號 checksum; else free text) lives in services/tax_id.py.
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(_("must be text"))
    problem = tax_id_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return normalize_tax_id(value)


def _check_email(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(_("must be text"))
    cleaned = clean_text(value, max_len=limits.EMAIL)
    if cleaned is None:
        return None
    normalized = normalize_email(cleaned)
    if len(normalized) > limits.EMAIL:
        raise ValueError(
            _("is too long: at most {limit} characters (this has {count})").format(
                limit=limits.EMAIL, count=len(normalized)
            )
        )
    return normalized


def _fold_word(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).strip().casefold()
    return re.sub(r"[\s\-]+", "_", folded)


def _enum(
    enum_cls: type[StrEnum], *, blank: str = _NONE, only: tuple[StrEnum, ...] = ()
) -> BeforeValidator:
    allowed = only or tuple(enum_cls)
    by_value = {member.value.casefold(): member for member in allowed}

    def check(value: object) -> StrEnum | None:
        if _is_blank(value):
            _blank(blank)
            return None
        member = None
        if isinstance(value, enum_cls):
            member = value if value in allowed else None
        elif isinstance(value, str):
            member = by_value.get(_fold_word(value))
        if member is None:
            raise ValueError(
                _("must be one of: {values}").format(values=", ".join(m.value for m in allowed))
            )
        return member

    return BeforeValidator(check)


def _integer(low: int, high: int, range_message: str, *, blank: str = _NONE) -> BeforeValidator:
    def check(value: object) -> int | None:
        if _is_blank(value):
            _blank(blank)
            return None
        number: int | None = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str):
            text = unicodedata.normalize("NFKC", value).strip()
            if re.fullmatch(r"[+-]?[0-9]{1,12}", text, re.ASCII):
                number = int(text)
        if number is None:
            raise ValueError(_("must be a whole number"))
        if not low <= number <= high:
            raise ValueError(_(range_message).format(low=low, high=high))
        return number

    return BeforeValidator(check)


def _decimal(
    *,
    places: int,
    below: Decimal,
    blank: str = _NONE,
    currency: bool = False,
    percent: bool = False,
    positive: bool = False,
    at_most: Decimal | None = None,
) -> BeforeValidator:
    def check(value: object, info: ValidationInfo) -> Decimal | None:
        if _is_blank(value):
            _blank(blank)
            return None
        if isinstance(value, str) and currency:
            # Money: one parser for every form (150萬, 1.2億, 80k, NT$, full-width digits),
            # refusing a sign or code of another currency than the configured one.
            number = parse_amount(
                value, currency=_context(info, "currency", DEFAULT_CURRENCY), places=places,
                below=below, percent=percent,
            )
        elif isinstance(value, str):
            number = parse_decimal(value, places=places, below=below, percent=percent)
        elif isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise ValueError(_("must be a number"))
        else:
            # A float is read as it prints (0.1 -> 0.1), never as its binary expansion.
            exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
            number = check_decimal(exact, places=places, below=below)
        if positive and number == 0:
            raise ValueError(_("must be more than 0"))
        if at_most is not None and number > at_most:
            raise ValueError(_("must be 0 to {high}").format(high=at_most))
        return number

    return BeforeValidator(check)


def _context(info: ValidationInfo, key: str, default: str) -> str:
    """A setting `validate` passed in (the phone region, the currency), or its default."""
    context = info.context if isinstance(info.context, Mapping) else {}
    return str(context.get(key) or default)


def _aware(*, blank: str = _NONE) -> BeforeValidator:
    def check(value: object) -> datetime | None:
        if _is_blank(value):
            _blank(blank)
            return None
        moment: datetime | None = None
        if isinstance(value, datetime):
            moment = value
        elif isinstance(value, str):
            try:
                moment = datetime.fromisoformat(unicodedata.normalize("NFKC", value).strip())
            except ValueError:
                moment = None
        if moment is None:
            raise ValueError(_("must be a date and time, like 2026-12-01 14:30"))
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(_("needs a time zone (a time without one is ambiguous)"))
        try:
            moment = moment.astimezone(UTC)
        except OverflowError:
            raise ValueError(_("is out of range")) from None
        return check_moment(moment)  # the app's one range, 1900-2999

    return BeforeValidator(check)


def _day(*, blank: str = _NONE) -> BeforeValidator:
    def check(value: object) -> date | None:
        if _is_blank(value):
            _blank(blank)
            return None
        if isinstance(value, datetime):
            raise ValueError(_("must be a date without a time"))
        if isinstance(value, date):
            return check_day(value)
        if isinstance(value, str):
            try:
                day = date.fromisoformat(unicodedata.normalize("NFKC", value).strip())
            except ValueError:
                pass
            else:
                return check_day(day)  # the app's one range, 1900-2999
        raise ValueError(_("must be a date, like 2026-12-01"))

    return BeforeValidator(check)


def _check_ref(value: object) -> uuid.UUID | None:
    if _is_blank(value):
        return None
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, str):
        try:
            return uuid.UUID(value.strip())
        except ValueError:
            pass
    raise ValueError(_("is not a valid reference"))


_TRUE = {"true", "yes", "y", "1", "on", "是", "對"}
_FALSE = {"false", "no", "n", "0", "off", "否", "不"}


def _check_flag(value: object) -> bool:
    if _is_blank(value):
        raise PydanticUseDefault()
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = _fold_word(value)
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise ValueError(_("must be yes or no"))


# Field types: the limit is the one the table's CHECK constraint uses (models/limits.py).
Name = Annotated[str, _text(limits.NAME, blank=_REQUIRED)]
OptName = Annotated[str | None, _text(limits.NAME)]
OptShort = Annotated[str | None, _text(limits.SHORT)]
OptCode = Annotated[str | None, _text(limits.CODE)]
Text = Annotated[str, _text(limits.TEXT, multiline=True, blank=_REQUIRED)]
OptText = Annotated[str | None, _text(limits.TEXT, multiline=True)]
OptPhone = Annotated[str | None, BeforeValidator(_check_phone)]
OptEmail = Annotated[str | None, BeforeValidator(_check_email)]
OptTaxId = Annotated[str | None, BeforeValidator(_check_tax_id)]
Ref = Annotated[uuid.UUID | None, BeforeValidator(_check_ref)]
Flag = Annotated[bool, BeforeValidator(_check_flag)]
OptMoney = Annotated[Decimal | None, _decimal(places=2, below=MONEY_LIMIT, currency=True)]
Money = Annotated[Decimal, _decimal(places=2, below=MONEY_LIMIT, currency=True, blank=_DEFAULT)]
When = Annotated[datetime, _aware(blank=_REQUIRED)]
OptDay = Annotated[date | None, _day()]
Day = Annotated[date, _day(blank=_REQUIRED)]

ZERO = Decimal("0.00")


class FieldProblem(NamedTuple):
    """One refused field: the column name and a message that names the field."""

    field: str
    message: str


class InvalidInput(ValueError):
    """The input was refused; `problems` says which fields and why, in plain words."""

    def __init__(self, problems: tuple[FieldProblem, ...]) -> None:
        super().__init__(problems)
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(problem.message for problem in self.problems)

    def by_field(self) -> dict[str, str]:
        """The first message per field, for showing beside each input."""
        found: dict[str, str] = {}
        for problem in self.problems:
            found.setdefault(problem.field, problem.message)
        return found


class InputModel(BaseModel):
    """Base of the input models: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")

    #: Labels that differ from `FIELD_LABELS` in this form (English text, shown through _()).
    labels: ClassVar[dict[str, str]] = {}


T = TypeVar("T", bound=BaseModel)


# --- the input models -------------------------------------------------------------------------


class CustomerInput(InputModel):
    labels: ClassVar[dict[str, str]] = {"name": N_("Company name")}

    name: Name
    source: Annotated[Source | None, _enum(Source)] = None
    source_detail: OptName = None
    research_note_id: Ref = None
    industry: OptShort = None
    size: Annotated[CompanySize | None, _enum(CompanySize)] = None
    potential: Annotated[Potential | None, _enum(Potential)] = None
    needs_preferences: OptText = None
    purchasing_power: Annotated[PurchasingPower | None, _enum(PurchasingPower)] = None
    address: OptText = None
    website: OptName = None
    notes: OptText = None
    tax_id: OptTaxId = None
    revisit_days: Annotated[int | None, _integer(1, 3650, N_("must be {low} to {high} days"))] = (
        None
    )


class ContactInput(InputModel):
    """A contact; `phone_normalized` and `mobile_normalized` are always derived from `phone`
    and `mobile` (region from context), the same rule for both numbers."""

    name: Name
    role: OptShort = None
    phone: OptPhone = None
    phone_normalized: str | None = None
    email: OptEmail = None
    is_primary: Flag = False
    notes: OptText = None
    mobile: OptPhone = None
    mobile_normalized: str | None = None

    @model_validator(mode="after")
    def _derive_phone(self, info: ValidationInfo) -> Self:
        region = _context(info, "region", DEFAULT_REGION)
        self.phone_normalized = normalize_phone(self.phone, region) if self.phone else None
        self.mobile_normalized = normalize_phone(self.mobile, region) if self.mobile else None
        return self


class ContactPlanInput(InputModel):
    method: Annotated[ContactMethod, _enum(ContactMethod, blank=_REQUIRED)]
    scheduled_at: When
    contact_id: Ref = None
    agenda: OptText = None


class PlanOutcomeInput(InputModel):
    """Logging a plan's outcome; the store sets `done_at` when the status is done."""

    labels: ClassVar[dict[str, str]] = {"status": N_("Outcome"), "outcome": N_("What happened")}

    status: Annotated[
        PlanStatus,
        _enum(
            PlanStatus,
            blank=_REQUIRED,
            only=(PlanStatus.DONE, PlanStatus.MISSED, PlanStatus.CANCELLED),
        ),
    ]
    outcome: OptText = None
    next_step: OptText = None


class NeedsNoteInput(InputModel):
    labels: ClassVar[dict[str, str]] = {"text": N_("Need")}

    kind: Annotated[NeedKind, _enum(NeedKind, blank=_DEFAULT)] = NeedKind.NEED
    text: Text
    priority: Annotated[Priority, _enum(Priority, blank=_DEFAULT)] = Priority.MEDIUM
    budget: OptMoney = None
    decision_maker: OptName = None
    timeline: OptShort = None


class ProposalInput(InputModel):
    title: Name
    price_structure: OptText = None
    delivery_method: OptText = None
    delivery_time: OptText = None
    after_sales: OptText = None
    valid_until: OptDay = None
    notes: OptText = None


class ProposalLineInput(InputModel):
    product: Name
    description: OptText = None
    quantity: Annotated[
        Decimal, _decimal(places=3, below=Decimal(10) ** 9, blank=_DEFAULT, positive=True)
    ] = Decimal("1.000")
    unit_price: Money = ZERO
    discount_pct: Annotated[
        Decimal,
        _decimal(places=2, below=Decimal(1000), blank=_DEFAULT, percent=True, at_most=Decimal(100)),
    ] = ZERO


class NegotiationInput(InputModel):
    proposal_id: Ref = None
    held_at: When
    our_attendees: OptText = None
    their_attendees: OptText = None
    next_steps: OptText = None
    strategy_notes: OptText = None


class NegotiationPointInput(InputModel):
    labels: ClassVar[dict[str, str]] = {"text": N_("Point")}

    kind: Annotated[PointKind, _enum(PointKind, blank=_REQUIRED)]
    text: Text
    resolved: Flag = False


class ContractInput(InputModel):
    labels: ClassVar[dict[str, str]] = {"value": N_("Contract value")}

    proposal_id: Ref = None
    number: OptCode = None
    value: Money = ZERO
    cost: Money = ZERO
    clause_rights_obligations: OptText = None
    clause_specification: OptText = None
    clause_price: OptText = None
    clause_delivery_time: OptText = None
    clause_quality_standard: OptText = None
    clause_breach_liability: OptText = None


class LegalReviewInput(InputModel):
    legal_review: Annotated[LegalReview, _enum(LegalReview, blank=_REQUIRED)]
    legal_reviewer: OptName = None
    legal_reviewed_at: Annotated[datetime | None, _aware()] = None
    legal_comments: OptText = None


class MilestoneInput(InputModel):
    contract_id: Ref = None
    kind: Annotated[MilestoneKind, _enum(MilestoneKind, blank=_DEFAULT)] = MilestoneKind.MILESTONE
    title: Name
    due_on: OptDay = None
    quality_note: OptText = None


class ProgressReportInput(InputModel):
    contract_id: Ref = None
    sent_at: When
    channel: OptShort = None
    summary: Text


class SurveyInput(InputModel):
    score: Annotated[int, _integer(1, 5, N_("must be {low} to {high}"), blank=_REQUIRED)]
    comment: OptText = None
    taken_at: When
    method: Annotated[SurveyMethod | None, _enum(SurveyMethod)] = None


class CreditCheckInput(InputModel):
    labels: ClassVar[dict[str, str]] = {"source": N_("Rating source")}

    checked_on: Day
    rating: Annotated[CreditRating, _enum(CreditRating, blank=_REQUIRED)]
    source: OptShort = None
    credit_limit: OptMoney = None
    notes: OptText = None


class CompetitorNoteInput(InputModel):
    competitor: Name
    offer: OptText = None
    strengths: OptText = None
    weaknesses: OptText = None


class ResearchNoteInput(InputModel):
    title: Name
    industry: OptShort = None
    region: OptShort = None
    trends: OptText = None
    competitors_seen: OptText = None
    leads_found: OptText = None
    noted_on: Day


_PERIOD_FORMS: dict[PeriodKind, tuple[re.Pattern[str], str]] = {
    PeriodKind.YEAR: (re.compile(r"([0-9]{4})"), N_("a year, like 2026")),
    PeriodKind.QUARTER: (re.compile(r"([0-9]{4})-Q([1-4])"), N_("a quarter, like 2026-Q4")),
    PeriodKind.MONTH: (
        re.compile(r"([0-9]{4})-(0?[1-9]|1[0-2])"),
        N_("a month, like 2026-11"),
    ),
}


class TargetInput(InputModel):
    labels: ClassVar[dict[str, str]] = {"value": N_("Target value")}

    period_kind: Annotated[PeriodKind, _enum(PeriodKind, blank=_REQUIRED)]
    period_label: Annotated[str, _text(7, blank=_REQUIRED)]
    kpi: Annotated[Kpi, _enum(Kpi, blank=_REQUIRED)]
    value: Annotated[
        Decimal,
        _decimal(places=4, below=MONEY_LIMIT, blank=_REQUIRED, currency=True, percent=True),
    ]

    @field_validator("period_label")
    @classmethod
    def _period_matches_kind(cls, label: str, info: ValidationInfo) -> str:
        text = unicodedata.normalize("NFKC", label).upper()
        kind = info.data.get("period_kind")
        kinds = [kind] if isinstance(kind, PeriodKind) else list(_PERIOD_FORMS)
        for each in kinds:
            pattern, _example = _PERIOD_FORMS[each]
            if (m := pattern.fullmatch(text)) and int(m[1]) >= 1:
                if each is PeriodKind.MONTH:
                    return f"{m[1]}-{int(m[2]):02d}"
                return text
        if isinstance(kind, PeriodKind):
            raise ValueError(_("must be {form}").format(form=_(_PERIOD_FORMS[kind][1])))
        raise ValueError(_("must be a month (2026-11), a quarter (2026-Q4) or a year (2026)"))


# --- labels -------------------------------------------------------------------------------------

_LABELS: dict[str, str] = {
    "name": N_("Name"),
    "source": N_("Source"),
    "source_detail": N_("Source detail"),
    "research_note_id": N_("Research note"),
    "industry": N_("Industry"),
    "size": N_("Size"),
    "potential": N_("Potential"),
    "needs_preferences": N_("Needs and preferences"),
    "purchasing_power": N_("Purchasing power"),
    "address": N_("Address"),
    "website": N_("Website"),
    "notes": N_("Notes"),
    "revisit_days": N_("Revisit interval"),
    "customer_id": N_("Customer"),
    "role": N_("Role"),
    "phone": N_("Phone"),
    "phone_normalized": N_("Phone"),
    "mobile": N_("Mobile"),
    "mobile_normalized": N_("Mobile"),
    "tax_id": N_("Tax ID (統一編號)"),
    "email": N_("E-mail"),
    "is_primary": N_("Primary contact"),
    "contact_id": N_("Contact"),
    "method": N_("Method"),
    "scheduled_at": N_("When"),
    "status": N_("Status"),
    "agenda": N_("Agenda"),
    "outcome": N_("Outcome"),
    "next_step": N_("Next step"),
    "kind": N_("Kind"),
    "text": N_("Text"),
    "priority": N_("Priority"),
    "budget": N_("Budget"),
    "decision_maker": N_("Decision maker"),
    "timeline": N_("Timeline"),
    "title": N_("Title"),
    "price_structure": N_("Price structure"),
    "delivery_method": N_("Delivery method"),
    "delivery_time": N_("Delivery time"),
    "after_sales": N_("After-sales service"),
    "valid_until": N_("Valid until"),
    "product": N_("Product"),
    "description": N_("Description"),
    "quantity": N_("Quantity"),
    "unit_price": N_("Unit price"),
    "discount_pct": N_("Discount %"),
    "proposal_id": N_("Proposal"),
    "held_at": N_("Held on"),
    "our_attendees": N_("Our attendees"),
    "their_attendees": N_("Their attendees"),
    "next_steps": N_("Next steps"),
    "strategy_notes": N_("Strategy notes"),
    "resolved": N_("Resolved"),
    "number": N_("Contract number"),
    "value": N_("Value"),
    "cost": N_("Cost"),
    "clause_rights_obligations": N_("Rights and obligations"),
    "clause_specification": N_("Specification"),
    "clause_price": N_("Price clause"),
    "clause_delivery_time": N_("Delivery time clause"),
    "clause_quality_standard": N_("Quality standard"),
    "clause_breach_liability": N_("Liability for breach"),
    "legal_review": N_("Legal review"),
    "legal_reviewer": N_("Legal reviewer"),
    "legal_reviewed_at": N_("Reviewed on"),
    "legal_comments": N_("Legal comments"),
    "contract_id": N_("Contract"),
    "due_on": N_("Due on"),
    "quality_note": N_("Quality note"),
    "sent_at": N_("Sent on"),
    "channel": N_("Channel"),
    "summary": N_("Summary"),
    "score": N_("Score"),
    "comment": N_("Comment"),
    "taken_at": N_("Taken on"),
    "checked_on": N_("Checked on"),
    "rating": N_("Rating"),
    "credit_limit": N_("Credit limit"),
    "competitor": N_("Competitor"),
    "offer": N_("Offer"),
    "strengths": N_("Strengths"),
    "weaknesses": N_("Weaknesses"),
    "region": N_("Region"),
    "trends": N_("Trends"),
    "competitors_seen": N_("Competitors seen"),
    "leads_found": N_("Leads found"),
    "noted_on": N_("Noted on"),
    "period_kind": N_("Period type"),
    "period_label": N_("Period"),
    "kpi": N_("Indicator"),
    "merged_from": N_("Merged from"),
    "merged_into": N_("Merged into"),
}


class _TranslatedLabels(Mapping[str, str]):
    """Column name -> label, translated when read (so a catalogue set later applies)."""

    def __init__(self, source: dict[str, str]) -> None:
        self._source = source

    def __getitem__(self, key: str) -> str:
        return _(self._source[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._source)

    def __len__(self) -> int:
        return len(self._source)


#: Column name -> the label a form shows (through `_()` on every read).
FIELD_LABELS: Mapping[str, str] = _TranslatedLabels(_LABELS)


def field_label(field: str, model: type[BaseModel] | None = None) -> str:
    """The label of `field`, as `model`'s form names it (e.g. CustomerInput.name: Company name)."""
    overrides: Mapping[str, str] = getattr(model, "labels", {}) if model is not None else {}
    if field in overrides:
        return _(overrides[field])
    if field in _LABELS:
        return _(_LABELS[field])
    return field.replace("_", " ").capitalize() if field.isidentifier() else repr(field)[:40]


# --- validate -----------------------------------------------------------------------------------

_GENERIC: tuple[tuple[str, Callable[[], str]], ...] = (
    ("bool", lambda: _("must be yes or no")),
    ("int", lambda: _("must be a whole number")),
    ("decimal", lambda: _("must be a number")),
    ("float", lambda: _("must be a number")),
    ("datetime", lambda: _("must be a date and time, like 2026-12-01 14:30")),
    ("date", lambda: _("must be a date, like 2026-12-01")),
    ("uuid", lambda: _("is not a valid reference")),
    ("string", lambda: _("must be text")),
    ("enum", lambda: _("is not one of the choices")),
    ("literal", lambda: _("is not one of the choices")),
)


def _problem_text(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind == "value_error":
        cause = error.get("ctx", {}).get("error")
        return str(cause) if cause is not None else _("is not valid")
    if kind == "missing":
        return _("required")
    if kind == "extra_forbidden":
        return _("is not a field of this form")
    for prefix, message in _GENERIC:
        if kind.startswith(prefix):
            return message()
    return _("is not valid")


def problems_of(model: type[BaseModel], error: ValidationError) -> tuple[FieldProblem, ...]:
    """Pydantic's errors as plain problems that name the field (never pydantic's dump)."""
    found: list[FieldProblem] = []
    for detail in error.errors():
        loc = detail["loc"]
        field = str(loc[0]) if loc else ""
        label = field_label(field, model) if field else _("Form")
        message = _("{label}: {problem}").format(label=label, problem=_problem_text(detail))
        found.append(FieldProblem(field, message))
    return tuple(found)


def validate(
    model: type[T],
    data: Mapping[str, object],
    *,
    region: str = DEFAULT_REGION,
    currency: str = DEFAULT_CURRENCY,
) -> T:
    """Check `data` against `model`; `region` (ISO code) reads phone numbers without a +;
    amounts are in `currency` (the configured one: "€5" is refused when it is TWD).

    Returns the model, or raises `InvalidInput` listing every refused field.
    """
    try:
        return model.model_validate(dict(data), context={"region": region, "currency": currency})
    except ValidationError as error:
        raise InvalidInput(problems_of(model, error)) from None


# --- a lead: one verdict for every face (CLI add, the lead form, the quick line) ------------


@dataclass(frozen=True)
class LeadDraft:
    """A checked lead, ready for `Store.add_lead`."""

    customer: CustomerInput
    contact: ContactInput | None


class LeadInvalid(ValueError):
    """Problems by lead field: `company`, `contact_name`, `phone`, `email`, or a customer
    column (`industry`, `source`, ...). Each message names the field."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("\n".join(problems.values()))
        self.problems = problems


def check_lead(
    customer: Mapping[str, object], contact: Mapping[str, object], *, region: str
) -> LeadDraft:
    """Validate a lead: `customer` (CustomerInput fields) and, when any of its fields is
    filled, `contact` (name, phone, e-mail). A phone or e-mail needs a contact person: the
    number belongs to someone, and a contact named after the company hides that nobody
    asked whose it is. Raises `LeadInvalid` with every problem.
    """
    problems: dict[str, str] = {}
    company: CustomerInput | None = None
    person: ContactInput | None = None
    try:
        company = validate(CustomerInput, customer, region=region)
    except InvalidInput as exc:
        for field, message in exc.by_field().items():
            problems["company" if field == "name" else field] = message
    if not all(_is_blank(value) for value in contact.values()):
        try:
            person = validate(ContactInput, contact, region=region)
        except InvalidInput as exc:
            for field, message in exc.by_field().items():
                if field != "name":
                    problems[field] = message
                elif _is_blank(contact.get("name")):
                    problems["contact_name"] = _(
                        "Contact person: required with a phone or e-mail"
                    )
                else:
                    prefix = field_label("name", ContactInput) + ": "
                    problems["contact_name"] = (
                        _("Contact person") + ": " + message.removeprefix(prefix)
                    )
    if problems or company is None:
        raise LeadInvalid(problems)
    return LeadDraft(company, person)
