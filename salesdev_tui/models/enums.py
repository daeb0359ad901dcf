"""The policy's closed vocabularies. Values are the stable names of the exchange format."""

from __future__ import annotations

from enum import StrEnum


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
