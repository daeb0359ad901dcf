"""The policy's closed vocabularies. Values are the stable names of the exchange format."""

from __future__ import annotations

from enum import StrEnum

from salesdev_tui.i18n import N_


class Stage(StrEnum):
    """Where a customer stands in development (policy III)."""

    PROSPECT = "prospect"
    CONTACTED = "contacted"
    NEEDS = "needs"
    PROPOSAL = "proposal"
    NEGOTIATION = "negotiation"
    CONTRACT = "contract"
    WON = "won"
    LOST = "lost"


#: The forward path; `lost` stands beside it, reachable from any open stage.
STAGE_ORDER: tuple[Stage, ...] = (
    Stage.PROSPECT,
    Stage.CONTACTED,
    Stage.NEEDS,
    Stage.PROPOSAL,
    Stage.NEGOTIATION,
    Stage.CONTRACT,
    Stage.WON,
)

#: Stages in which a customer is still being developed.
OPEN_STAGES: frozenset[Stage] = frozenset(STAGE_ORDER) - {Stage.WON}


class Source(StrEnum):
    """The channel a prospect came from (policy III.2)."""

    TRADE_SHOW = "trade_show"
    ONLINE = "online"
    REFERRAL = "referral"
    RESEARCH = "research"
    OTHER = "other"


class Potential(StrEnum):
    """Cooperation potential, A the highest (policy IV classification)."""

    A = "A"
    B = "B"
    C = "C"


class CompanySize(StrEnum):
    """Customer size (policy IV classification)."""

    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"
    ENTERPRISE = "enterprise"


class PurchasingPower(StrEnum):
    """How much the customer can buy (policy II: basic facts, needs, purchasing power)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class ContactMethod(StrEnum):
    """How a contact is made (policy III.3)."""

    PHONE = "phone"
    EMAIL = "email"
    VISIT = "visit"
    MEETING = "meeting"
    OTHER = "other"


class PlanStatus(StrEnum):
    """A contact plan's state: planned until its outcome is logged."""

    PLANNED = "planned"
    DONE = "done"
    MISSED = "missed"
    CANCELLED = "cancelled"


class NeedKind(StrEnum):
    """What a needs note records (policy III.3-4)."""

    NEED = "need"
    PAIN_POINT = "pain_point"
    CONCERN = "concern"
    REQUIREMENT = "requirement"


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class ProposalStatus(StrEnum):
    """draft -> presented -> accepted or rejected (policy III.5)."""

    DRAFT = "draft"
    PRESENTED = "presented"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class PointKind(StrEnum):
    """A row of negotiation minutes (policy III.6)."""

    KEY_INFO = "key_info"
    AGREED = "agreed"
    OPEN = "open"


class LegalReview(StrEnum):
    """The legal department's verdict on a contract (policy III.7)."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class MilestoneKind(StrEnum):
    KICKOFF = "kickoff"
    MILESTONE = "milestone"


class SurveyMethod(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    VISIT = "visit"
    FORM = "form"
    OTHER = "other"


class CreditRating(StrEnum):
    """A credit grade, A best; D is the worst grade (policy VI: avoid poor credit)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


WORST_CREDIT_RATING = CreditRating.D


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class Kpi(StrEnum):
    """The assessment indicators a target can be set for (policy V)."""

    NEW_CUSTOMERS = "new_customers"
    SUCCESS_RATE = "success_rate"
    REVENUE = "revenue"
    PROFIT = "profit"
    SATISFACTION = "satisfaction"


#: How each value above reads (`i18n.enum_label` builds "trade show" from "trade_show" at run
#: time, which extraction cannot see): listed here so the catalogue has every one of them.
#: A test checks that every member of every vocabulary is listed.
VOCABULARY_LABELS: tuple[str, ...] = (
    N_("prospect"),
    N_("contacted"),
    N_("needs"),
    N_("proposal"),
    N_("negotiation"),
    N_("contract"),
    N_("won"),
    N_("lost"),
    N_("trade show"),
    N_("online"),
    N_("referral"),
    N_("research"),
    N_("other"),
    N_("A"),
    N_("B"),
    N_("C"),
    N_("micro"),
    N_("small"),
    N_("medium"),
    N_("large"),
    N_("enterprise"),
    N_("low"),
    N_("high"),
    N_("phone"),
    N_("email"),
    N_("visit"),
    N_("meeting"),
    N_("planned"),
    N_("done"),
    N_("missed"),
    N_("cancelled"),
    N_("need"),
    N_("pain point"),
    N_("concern"),
    N_("requirement"),
    N_("draft"),
    N_("presented"),
    N_("accepted"),
    N_("rejected"),
    N_("key info"),
    N_("agreed"),
    N_("open"),
    N_("pending"),
    N_("approved"),
    N_("kickoff"),
    N_("milestone"),
    N_("form"),
    N_("D"),
    N_("month"),
    N_("quarter"),
    N_("year"),
    N_("new customers"),
    N_("success rate"),
    N_("revenue"),
    N_("profit"),
    N_("satisfaction"),
)

#: Stored values some screens show through `_(value)` as they are stored (the edit
#: history's old and new values, a need's kind, a target's indicator).
STORED_VALUES_SHOWN: tuple[str, ...] = (
    N_("trade_show"), N_("key_info"), N_("pain_point"), N_("new_customers"),
    N_("success_rate"),
)
