"""Read models: what the store hands to Today and its scorecard strip.

Plain frozen dataclasses over the enums, with no SQLModel, SQLAlchemy or Textual import, so
they can cross a process boundary cheaply: `salesdev_tui.prefetch` reads Today in a forked
child and the TUI unpickles the result before SQLModel has been imported (PERFORMANCE.md).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from salesdev_tui.models.enums import (
    ContactMethod,
    Kpi,
    MilestoneKind,
    PeriodKind,
    PlanStatus,
    Source,
    Stage,
)

UPCOMING_DAYS = 7
"""How many days ahead Today's "upcoming" section looks."""

if TYPE_CHECKING:  # the tables import SQLModel: not at start-up (the early read)
    from salesdev_tui.models.tables import Proposal, ProposalLine


@dataclass(frozen=True)
class AgendaItem:
    """An open contact plan with its customer, a line of the agenda."""

    plan_id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str
    stage: Stage
    method: ContactMethod
    scheduled_at: datetime
    agenda: str | None
    contact_name: str | None


@dataclass(frozen=True)
class CalendarItem:
    """A plan as a calendar event: open or cancelled (a calendar that imported it earlier
    learns it is off), with where to go and how to reach the person."""

    plan_id: uuid.UUID
    customer_name: str
    method: ContactMethod
    scheduled_at: datetime
    agenda: str | None
    contact_name: str | None
    status: PlanStatus = PlanStatus.PLANNED
    customer_address: str | None = None
    contact_phone: str | None = None
    contact_mobile: str | None = None


@dataclass(frozen=True)
class IdleCustomer:
    customer_id: uuid.UUID
    name: str
    stage: Stage
    last_activity_at: datetime | None


@dataclass(frozen=True)
class Agenda:
    overdue: list[AgendaItem]
    today: list[AgendaItem]
    upcoming: list[AgendaItem]
    idle: list[IdleCustomer]


@dataclass(frozen=True)
class RevisitDue:
    """A won customer whose regular revisit falls due by the end of today."""

    customer_id: uuid.UUID
    name: str
    revisit_days: int
    last_contact_at: datetime | None
    """The latest completed contact (None: never; the signing date then counts)."""
    due_at: datetime


@dataclass(frozen=True)
class OverdueMilestone:
    """A milestone past its due day and not done, with its customer (a line on Today)."""

    milestone_id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str
    stage: Stage
    kind: MilestoneKind
    title: str
    due_on: date


@dataclass(frozen=True)
class StripData:
    """The month's figures and their targets (None: no target set), for Today's strip."""

    label: str
    currency: str
    new_customers: int
    new_customers_target: int | None
    prospects_contacted: int
    success_rate: Decimal | None
    success_rate_target: Decimal | None
    revenue: Decimal
    revenue_target: Decimal | None
    profit: Decimal
    satisfaction: Decimal | None
    satisfaction_responses: int


@dataclass(frozen=True)
class TodayData:
    """Everything Today shows."""

    agenda: Agenda
    strip: StripData
    revisits: list[RevisitDue] = field(default_factory=list)
    """Won customers whose regular revisit is due by the end of today (policy II)."""
    milestones: list[OverdueMilestone] = field(default_factory=list)
    """Milestones past their due date and not done (policy III.8)."""


@dataclass(frozen=True)
class KpiFigures:
    """What happened in [start, end): the inputs of the scorecard service."""

    new_customers: int
    prospects_contacted: int
    revenue: Decimal
    profit: Decimal
    satisfaction_sum: int
    satisfaction_responses: int


@dataclass(frozen=True)
class TargetFigure:
    """A saved target of one period and indicator (a live `Target` row, read for reports)."""

    period_kind: PeriodKind
    period_label: str
    kpi: Kpi
    value: Decimal
    set_by: str | None = None  # the manager who set it on the team server (issue 19.3)


# The facts of one day for the end-of-day review (`store.review` gathers them,
# `services.review` judges them): here, so the pure review never imports the store.


@dataclass(frozen=True)
class PlanFact:
    plan_id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str
    stage: Stage
    method: ContactMethod
    scheduled_at: datetime
    status: PlanStatus
    done_at: datetime | None
    agenda: str | None
    outcome: str | None


@dataclass(frozen=True)
class CustomerFact:
    """A customer and the moment of the fact (a new lead: when it was entered)."""

    customer_id: uuid.UUID
    name: str
    stage: Stage
    at: datetime
    source: Source | None = None


@dataclass(frozen=True)
class StageMoveFact:
    customer_id: uuid.UUID
    name: str
    from_stage: Stage | None
    to_stage: Stage
    at: datetime
    reason: str | None


@dataclass(frozen=True)
class RecordFact:
    """A proposal sent, minutes written, a contract signed or a survey taken."""

    customer_id: uuid.UUID
    name: str
    at: datetime
    title: str | None = None
    """The proposal's title (with its version), the contract's number, the survey's comment."""
    value: Decimal | None = None
    cost: Decimal | None = None
    score: int | None = None


@dataclass(frozen=True)
class DayFacts:
    scheduled: list[PlanFact]
    """Plans scheduled in the day, whatever became of them."""
    done: list[PlanFact]
    """Contacts done in the day (planned for it or not)."""
    new_leads: list[CustomerFact]
    stage_moves: list[StageMoveFact]
    proposals_sent: list[RecordFact]
    minutes: list[RecordFact]
    contracts: list[RecordFact]
    surveys: list[RecordFact]
    overdue: list[PlanFact]
    """Open plans from before the day (the oldest first, at most `limit`)."""
    overdue_count: int
    tomorrow: list[PlanFact]
    """Open plans of the next day."""
    missed_logged: list[PlanFact] = field(default_factory=list)
    """Contacts logged as missed in the day, whatever day they were planned for."""
    rescheduled: list[PlanFact] = field(default_factory=list)
    """Plans given a new time in the day (their new time shown)."""


@dataclass(frozen=True)
class ProposalWithLines:
    """A proposal, its live lines in order, the customer's name and tax ID, and its first
    version (whose id and day make the number the proposal keeps through its versions)."""

    proposal: Proposal
    lines: list[ProposalLine]
    customer_name: str
    customer_tax_id: str | None = None
    first_id: uuid.UUID | None = None
    first_created_at: datetime | None = None
