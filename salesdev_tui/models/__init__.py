"""The records and vocabularies of the policy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from salesdev_tui.models.enums import (
    OPEN_STAGES,
    STAGE_ORDER,
    WORST_CREDIT_RATING,
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
    ProposalStatus,
    PurchasingPower,
    Source,
    Stage,
    SurveyMethod,
)

if TYPE_CHECKING:
    from salesdev_tui.models.tables import (
        ALL_TABLES,
        CONTRACT_CLAUSES,
        CompetitorNote,
        Contact,
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
        Record,
        ResearchNote,
        StageChange,
        Survey,
        Target,
    )

# The tables import SQLModel (about 0.3 s); the enums do not. Loading the tables on first use
# lets the TUI paint its first frame before SQLModel is imported (PERFORMANCE-NOTES).
_TABLE_NAMES = frozenset(
    {
        "ALL_TABLES",
        "CONTRACT_CLAUSES",
        "CompetitorNote",
        "Contact",
        "ContactPlan",
        "Contract",
        "CreditCheck",
        "Customer",
        "FieldEdit",
        "Milestone",
        "NeedsNote",
        "Negotiation",
        "NegotiationPoint",
        "ProgressReport",
        "Proposal",
        "ProposalLine",
        "Record",
        "ResearchNote",
        "StageChange",
        "Survey",
        "Target",
    }
)


def __getattr__(name: str) -> Any:
    if name in _TABLE_NAMES:
        from salesdev_tui.models import tables

        return getattr(tables, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "ALL_TABLES",
    "CONTRACT_CLAUSES",
    "OPEN_STAGES",
    "STAGE_ORDER",
    "WORST_CREDIT_RATING",
    "CompanySize",
    "CompetitorNote",
    "Contact",
    "ContactMethod",
    "ContactPlan",
    "Contract",
    "CreditCheck",
    "CreditRating",
    "Customer",
    "FieldEdit",
    "Kpi",
    "LegalReview",
    "Milestone",
    "MilestoneKind",
    "NeedKind",
    "NeedsNote",
    "Negotiation",
    "NegotiationPoint",
    "PeriodKind",
    "PlanStatus",
    "PointKind",
    "Potential",
    "Priority",
    "ProgressReport",
    "Proposal",
    "ProposalLine",
    "ProposalStatus",
    "PurchasingPower",
    "Record",
    "ResearchNote",
    "Source",
    "Stage",
    "StageChange",
    "Survey",
    "SurveyMethod",
    "Target",
]
