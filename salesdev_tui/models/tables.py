"""The policy's records as SQLModel tables.

Plain data: no sessions and no validation here (SQLModel table models do not validate; the
input models in `services.validation` do, and the CHECK constraints below mirror their limits).
Every row carries a UUID, `created_at`, `updated_at` (UTC) and `deleted_at` (soft deletion), so
imports can upsert, backups can merge and a later team sync can reconcile.
"""
# Over 400 lines on purpose: every table in one list (issue 15.5: one list of tables).

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from salesdev_tui.models import limits
from salesdev_tui.models.email_rule import EMAIL_KEY
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
    ProposalStatus,
    PurchasingPower,
    Source,
    Stage,
    SurveyMethod,
)
from salesdev_tui.models.idle_rule import IDLE_INDEX_WHERE
from salesdev_tui.models.pipeline_rule import PIPELINE_INDEX_WHERE
from salesdev_tui.models.revisit_rule import REVISIT_DUE_KEY, REVISIT_INDEX_WHERE
from salesdev_tui.models.types import EnumText, ExactDecimal, LocalDate, UTCDateTime

# Batch migrations and later PostgreSQL DDL need every constraint to have a stable name.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _now() -> datetime:
    return datetime.now(UTC)


def _len(column: str, high: int, low: int = 0) -> sa.CheckConstraint:
    """CHECK that a text column (when set) is between `low` and `high` characters."""
    return sa.CheckConstraint(
        f"{column} IS NULL OR length({column}) BETWEEN {low} AND {high}",
        name=f"{column}_len",
        # Readable by code that validates records generically (the JSON importer).
        info={"length": (column, low, high)},
    )


def _one_of(column: str, enum_cls: type[StrEnum], nullable: bool = False) -> sa.CheckConstraint:
    values = ", ".join(f"'{member.value}'" for member in enum_cls)
    test = f"{column} IN ({values})"
    if nullable:
        test = f"{column} IS NULL OR {test}"
    return sa.CheckConstraint(test, name=f"{column}_enum")


def _not_negative(column: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(f"{column} IS NULL OR {column} >= 0", name=f"{column}_nonneg")


def _enum(enum_cls: type[StrEnum], **kwargs: Any) -> Any:
    return Field(sa_type=EnumText(enum_cls), **kwargs)


def _money(**kwargs: Any) -> Any:
    return Field(sa_type=ExactDecimal(2), **kwargs)


def _ts(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


def _day(**kwargs: Any) -> Any:
    return Field(sa_type=LocalDate, **kwargs)


def _partial(name: str, *columns: Any, where: str, **kwargs: Any) -> sa.Index:
    """A partial index (SQLite's: the team server's schema takes no read index from the
    models, `server/schema_sql.py`).

    No `postgresql_where` beside it: naming a dialect's option makes SQLAlchemy import that
    dialect, and PostgreSQL's took 50-150 ms of every start that builds the tables (the CLI's
    read commands, issue 15.8) for indexes the server never creates.
    """
    return sa.Index(name, *columns, sqlite_where=sa.text(where), **kwargs)


def _fk(target: str, *, index: bool = True, **kwargs: Any) -> Any:
    # RESTRICT, never CASCADE: a purge deletes children explicitly, and a table rebuild in a
    # migration can then never silently take child rows with it. `index=False` when the
    # table declares a partial index on the column instead (`_set_only`).
    return Field(
        sa_column_args=[sa.ForeignKey(f"{target}.id", ondelete="RESTRICT")],
        index=index,
        **kwargs,
    )


def _set_only(table: str, column: str) -> sa.Index:
    """`ix_<table>_<column>` over the rows where the column is set (schema 12).

    For a column that is often NULL and only ever looked up by value (`=`, `IN`, a range,
    or `IS NOT NULL` itself): SQLite uses the partial index for any comparison of the
    column, which implies NOT NULL, and so does a foreign key's check of the child rows
    when a parent row is deleted. The NULLs are not stored.
    """
    return _partial(f"ix_{table}_{column}", column, where=f"{column} IS NOT NULL")


class Record(SQLModel):
    """Columns every table has."""

    @declared_attr  # type: ignore[arg-type]
    def __tablename__(cls) -> str:  # noqa: N805 - SQLAlchemy passes the class
        # snake_case table names (contact_plan), as the exchange format and SQL read best.
        return re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    created_at: datetime = _ts(default_factory=_now)
    updated_at: datetime = _ts(default_factory=_now)
    deleted_at: datetime | None = _ts(default=None)




class Customer(Record, table=True):
    """A company being developed; a prospect until its first contract is signed."""

    name: str
    # company_key(name), kept by the store: finds "Acme Co., Ltd." when "ACME" is typed.
    name_key: str = Field(default="", index=True)
    stage: Stage = _enum(Stage, default=Stage.PROSPECT)
    lost_reason: str | None = None
    source: Source | None = _enum(Source, default=None)
    source_detail: str | None = None
    research_note_id: uuid.UUID | None = _fk("research_note", index=False, default=None)
    industry: str | None = None
    size: CompanySize | None = _enum(CompanySize, default=None)
    potential: Potential | None = _enum(Potential, default=None)
    needs_preferences: str | None = None
    purchasing_power: PurchasingPower | None = _enum(PurchasingPower, default=None)
    address: str | None = None
    website: str | None = None
    notes: str | None = None
    revisit_days: int | None = None
    # Maintained by the store whenever plans or contracts change, so the KPIs are index range
    # counts instead of scans (PERFORMANCE-NOTES: well under 1 ms at 100k customers).
    first_contacted_at: datetime | None = _ts(default=None)
    first_signed_at: datetime | None = _ts(default=None)
    last_activity_at: datetime | None = _ts(default=None)
    # Maintained by the store whenever proposals or their lines change
    # (`store.pipeline_value`): the value of the customer's open proposal (its latest live
    # version, unless rejected), None when it has none. The scorecard's pipeline is then one
    # read of a small index instead of a join over every proposal line (539 ms -> ~5 ms at
    # 100k customers). -0.01 (never a real value) marks a total beyond 64-bit cents, read
    # in Python. Last, so a migrated file (ADD COLUMN) has the columns of a new one.
    pipeline_value: Decimal | None = _money(default=None)
    # Maintained like first_contacted_at (`CustomerStore.refresh_customer_facts`): the latest
    # done_at of the customer's live done contact plans. Today's revisits due are then one
    # ordered read of ix_customer_revisit_due instead of a lookup per won customer (schema 4).
    last_contacted_at: datetime | None = _ts(default=None)
    # Schema 8: the tax ID a Taiwanese B2B document carries (統一編號; any country's form is
    # kept, the 8-digit checksum is a validation rule) and the key imports match companies on.
    tax_id: str | None = None

    __table_args__ = (
        _len("name", limits.NAME, 1),
        _len("tax_id", limits.TAX_ID),
        _one_of("stage", Stage),
        _one_of("source", Source, nullable=True),
        _one_of("size", CompanySize, nullable=True),
        _one_of("potential", Potential, nullable=True),
        _one_of("purchasing_power", PurchasingPower, nullable=True),
        _len("lost_reason", limits.REASON),
        _len("source_detail", limits.NAME),
        _len("industry", limits.SHORT),
        _len("needs_preferences", limits.TEXT),
        _len("address", limits.TEXT),
        _len("website", limits.NAME),
        _len("notes", limits.TEXT),
        sa.CheckConstraint(
            "revisit_days IS NULL OR revisit_days BETWEEN 1 AND 3650", name="revisit_days_range"
        ),
        # Schema 11 dropped ix_customer_name_nocase (ix_customer_list_name, which the list
        # needs, serves every name-prefix read) and ix_customer_stage (stage, updated_at):
        # ix_customer_list_stage, the same keys over live customers, serves the review's
        # "touched today" read, which now says `deleted_at IS NULL` (store/review_queries).
        _set_only("customer", "research_note_id"),
        _set_only("customer", "tax_id"),
        # Today's "idle customers": walked in activity order, stopping at the first 50.
        # Open customers only (schema 5): walking every live one skipped the won and lost
        # customers of years past first, 15 ms at 100k and 217 ms at 1M -> 0.1 ms.
        _partial(
            "ix_customer_idle",
            "last_activity_at",
            where=IDLE_INDEX_WHERE,
        ),
        # The KPIs' range counts (the edges of a range that the running sums of schema 11
        # do not cover, and the drill-downs), read from the index alone (docs/PERFORMANCE.md,
        # "Maintained columns and indexes"); live customers only, as every KPI query asks.
        # `deleted_at` (always NULL here) is a column too: SQLite 3.40 reads a partial index
        # alone only when it holds every column the query names, its WHERE's included.
        *(
            _partial(
                f"ix_customer_{name}_live",
                column,
                "source",
                "industry",
                "deleted_at",
                where="deleted_at IS NULL",
            )
            for name, column in (("signed", "first_signed_at"),
                                 ("contacted", "first_contacted_at"))
        ),
        # The open pipeline by stage: only open customers with an open proposal. The query
        # repeats this condition word for word, so SQLite knows the index applies.
        _partial(
            "ix_customer_pipeline",
            "stage",
            "pipeline_value",
            "deleted_at",
            where=PIPELINE_INDEX_WHERE,
        ),
        # Today's revisits due, read in due order and stopped after the first `limit`
        # (`today_queries.revisits_due`, which repeats the key and the WHERE word for word:
        # SQLite matches an expression index only to the same expression). `stage` first,
        # though the WHERE fixes it: without it SQLite prefers ix_customer_list_stage for
        # `stage = 'won'` and sorts every won customer (54 ms instead of 0.6 at 100k).
        # SQLite only: julianday() is its date arithmetic.
        sa.Index(
            "ix_customer_revisit_due",
            "stage",
            sa.text(REVISIT_DUE_KEY),
            sqlite_where=sa.text(REVISIT_INDEX_WHERE),
        ).ddl_if(dialect="sqlite"),
    )


class Contact(Record, table=True):
    """A person at a customer; one of them primary."""

    customer_id: uuid.UUID = _fk("customer")
    name: str
    role: str | None = None
    phone: str | None = None
    phone_normalized: str | None = Field(default=None, index=True)
    email: str | None = None  # indexed by its e-mail key (ix_contact_email_key)
    is_primary: bool = False
    notes: str | None = None
    # Schema 8: a mobile beside the landline (imports kept only one; vCard wants TYPE=CELL).
    mobile: str | None = None
    mobile_normalized: str | None = None

    __table_args__ = (
        _len("name", limits.NAME, 1),
        _len("role", limits.SHORT),
        _len("phone", limits.PHONE),
        _len("phone_normalized", limits.PHONE),
        _len("mobile", limits.PHONE),
        _len("mobile_normalized", limits.PHONE),
        _len("email", limits.EMAIL),
        _len("notes", limits.TEXT),
        _set_only("contact", "mobile_normalized"),
        # Schema 13: the address domain first (`models.email_rule`), in place of the plain
        # ix_contact_email: the same address and every address at a domain (the duplicate
        # check's "same e-mail domain", which read every contact's address) are lookups,
        # for no more bytes. SQLite only: instr() is its own.
        sa.Index("ix_contact_email_key", sa.text(EMAIL_KEY)).ddl_if(dialect="sqlite"),
    )


class ContactPlan(Record, table=True):
    """A planned contact (method, time, agenda) and later its outcome (policy III.3)."""

    customer_id: uuid.UUID = _fk("customer")
    contact_id: uuid.UUID | None = _fk("contact", default=None)
    method: ContactMethod = _enum(ContactMethod)
    scheduled_at: datetime = _ts()
    status: PlanStatus = _enum(PlanStatus, default=PlanStatus.PLANNED)
    done_at: datetime | None = _ts(default=None)
    agenda: str | None = None
    outcome: str | None = None
    next_step: str | None = None
    # When the outcome (done, missed, cancelled) was logged, and when the plan last got a
    # new time: the day's review counts a call missed or moved on the day it happened, not
    # only on the day it was planned for (issue 14.6). Kept through a reschedule.
    outcome_at: datetime | None = _ts(default=None)
    rescheduled_at: datetime | None = _ts(default=None)

    __table_args__ = (
        _one_of("method", ContactMethod),
        _one_of("status", PlanStatus),
        sa.CheckConstraint(
            "(status = 'done') = (done_at IS NOT NULL)", name="done_at_iff_done"
        ),
        _len("agenda", limits.TEXT),
        _len("outcome", limits.TEXT),
        _len("next_step", limits.TEXT),
        # Today's agenda: open plans by time, a partial index the planner uses directly.
        _partial(
            "ix_contact_plan_open",
            "scheduled_at",
            where="status = 'planned' AND deleted_at IS NULL",
        ),
        # The review's contacts done, outcomes and moves logged in a day: one index range
        # each, over the plans that have the time (schema 12: the review reads each row
        # anyway, so the done one no longer carries customer_id).
        _partial("ix_contact_plan_done", "done_at", where="done_at IS NOT NULL"),
        _set_only("contact_plan", "outcome_at"),
        _set_only("contact_plan", "rescheduled_at"),
        # Schema 11 dropped ix_contact_plan_last_done (customer_id, done_at) WHERE done and
        # live: since `customer.last_contacted_at` (schema 4) only the writes'
        # `refresh_customer_facts` read it, and ix_contact_plan_customer_id finds the few
        # plans of one customer as well.
    )


class NeedsNote(Record, table=True):
    """A found need, pain point, concern or requirement (policy III.4)."""

    customer_id: uuid.UUID = _fk("customer")
    kind: NeedKind = _enum(NeedKind, default=NeedKind.NEED)
    text: str
    priority: Priority = _enum(Priority, default=Priority.MEDIUM)
    budget: Decimal | None = _money(default=None)
    decision_maker: str | None = None
    timeline: str | None = None
    noted_at: datetime = _ts(default_factory=_now)

    __table_args__ = (
        _one_of("kind", NeedKind),
        _one_of("priority", Priority),
        _len("text", limits.TEXT, 1),
        _not_negative("budget"),
        _len("decision_maker", limits.NAME),
        _len("timeline", limits.SHORT),
    )


class Proposal(Record, table=True):
    """A versioned offer: lines, price structure, delivery, after-sales, validity (III.5)."""

    customer_id: uuid.UUID = _fk("customer")
    previous_id: uuid.UUID | None = _fk("proposal", index=False, default=None)
    version: int = 1
    title: str
    status: ProposalStatus = _enum(ProposalStatus, default=ProposalStatus.DRAFT)
    price_structure: str | None = None
    delivery_method: str | None = None
    delivery_time: str | None = None
    after_sales: str | None = None
    valid_until: date | None = _day(default=None)
    presented_at: datetime | None = _ts(default=None)
    notes: str | None = None

    __table_args__ = (
        _one_of("status", ProposalStatus),
        _len("title", limits.NAME, 1),
        sa.CheckConstraint("version >= 1", name="version_positive"),
        _len("price_structure", limits.TEXT),
        _len("delivery_method", limits.TEXT),
        _len("delivery_time", limits.TEXT),
        _len("after_sales", limits.TEXT),
        _len("notes", limits.TEXT),
        _set_only("proposal", "previous_id"),
    )


class ProposalLine(Record, table=True):
    """A line item of a proposal; totals are computed exactly by the proposal service."""

    proposal_id: uuid.UUID = _fk("proposal")
    position: int = 0
    product: str
    description: str | None = None
    quantity: Decimal = Field(sa_type=ExactDecimal(3), default=Decimal(1))
    unit_price: Decimal = _money(default=Decimal(0))
    discount_pct: Decimal = Field(sa_type=ExactDecimal(2), default=Decimal(0))

    __table_args__ = (
        _len("product", limits.NAME, 1),
        _len("description", limits.TEXT),
        _not_negative("quantity"),
        _not_negative("unit_price"),
        sa.CheckConstraint(
            "discount_pct BETWEEN 0 AND 10000", name="discount_pct_range"
        ),  # scaled by 100: 0.00 .. 100.00 %
    )


class Negotiation(Record, table=True):
    """Negotiation minutes (III.6). Strategy notes are private: never exported for a customer."""

    customer_id: uuid.UUID = _fk("customer")
    proposal_id: uuid.UUID | None = _fk("proposal", default=None)
    held_at: datetime = _ts()
    our_attendees: str | None = None
    their_attendees: str | None = None
    next_steps: str | None = None
    strategy_notes: str | None = None

    __table_args__ = (
        _len("our_attendees", limits.TEXT),
        _len("their_attendees", limits.TEXT),
        _len("next_steps", limits.TEXT),
        _len("strategy_notes", limits.TEXT),
    )


class NegotiationPoint(Record, table=True):
    """One row of minutes: key information, a point agreed, or a point still open."""

    negotiation_id: uuid.UUID = _fk("negotiation")
    kind: PointKind = _enum(PointKind)
    text: str
    resolved: bool = False
    position: int = 0

    __table_args__ = (_one_of("kind", PointKind), _len("text", limits.TEXT, 1))


#: The six clauses every contract must state (policy III.7), by column name.
CONTRACT_CLAUSES: tuple[str, ...] = (
    "clause_rights_obligations",
    "clause_specification",
    "clause_price",
    "clause_delivery_time",
    "clause_quality_standard",
    "clause_breach_liability",
)


class Contract(Record, table=True):
    """A contract: value, cost, the six clauses, legal review, signing (III.7)."""

    customer_id: uuid.UUID = _fk("customer")
    proposal_id: uuid.UUID | None = _fk("proposal", default=None)
    number: str | None = None
    value: Decimal = _money(default=Decimal(0))
    cost: Decimal = _money(default=Decimal(0))
    clause_rights_obligations: str | None = None
    clause_specification: str | None = None
    clause_price: str | None = None
    clause_delivery_time: str | None = None
    clause_quality_standard: str | None = None
    clause_breach_liability: str | None = None
    legal_review: LegalReview = _enum(LegalReview, default=LegalReview.PENDING)
    legal_sent_at: datetime | None = _ts(default=None)
    legal_reviewer: str | None = None
    legal_reviewed_at: datetime | None = _ts(default=None)
    legal_comments: str | None = None
    signed_at: datetime | None = _ts(default=None)
    credit_override_reason: str | None = None

    __table_args__ = (
        _one_of("legal_review", LegalReview),
        _len("number", limits.CODE),
        _not_negative("value"),
        _not_negative("cost"),
        *(_len(clause, limits.TEXT) for clause in CONTRACT_CLAUSES),
        _len("legal_reviewer", limits.NAME),
        _len("legal_comments", limits.TEXT),
        _len("credit_override_reason", limits.REASON),
        # The database refuses a signature the legal department has not approved.
        sa.CheckConstraint(
            "signed_at IS NULL OR legal_review = 'approved'", name="signed_needs_approval"
        ),
        # Revenue and profit of a range (KPIs, trend, breakdown, the day's review), read
        # from the index alone (deleted_at: see Customer); the customer id for the
        # breakdown's join.
        _partial(
            "ix_contract_signed_live",
            "signed_at",
            "value",
            "cost",
            "customer_id",
            "deleted_at",
            where="deleted_at IS NULL",
        ),
    )


class Milestone(Record, table=True):
    """Post-signing follow-up: the kick-off and the contract's milestones (III.8)."""

    customer_id: uuid.UUID = _fk("customer")
    contract_id: uuid.UUID | None = _fk("contract", default=None)
    kind: MilestoneKind = _enum(MilestoneKind, default=MilestoneKind.MILESTONE)
    title: str
    due_on: date | None = _day(default=None)
    done_at: datetime | None = _ts(default=None)
    quality_note: str | None = None

    __table_args__ = (
        _one_of("kind", MilestoneKind),
        _len("title", limits.NAME, 1),
        _len("quality_note", limits.TEXT),
        # Overdue milestones on Today and in the review: only open ones, by due day.
        _partial(
            "ix_milestone_open_due",
            "due_on",
            where="done_at IS NULL AND deleted_at IS NULL",
        ),
    )


class ProgressReport(Record, table=True):
    """A progress report sent to the customer (III.8)."""

    customer_id: uuid.UUID = _fk("customer")
    contract_id: uuid.UUID | None = _fk("contract", default=None)
    sent_at: datetime = _ts()
    channel: str | None = None
    summary: str

    __table_args__ = (_len("channel", limits.SHORT), _len("summary", limits.TEXT, 1))


class Survey(Record, table=True):
    """A satisfaction score 1-5 with a comment (policy V)."""

    customer_id: uuid.UUID = _fk("customer")
    score: int
    comment: str | None = None
    taken_at: datetime = _ts()
    method: SurveyMethod | None = _enum(SurveyMethod, default=None)

    __table_args__ = (
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
        _len("comment", limits.TEXT),
        _one_of("method", SurveyMethod, nullable=True),
        # Satisfaction of a range (KPIs, trend), read from the index alone.
        _partial(
            "ix_survey_taken_live",
            "taken_at",
            "score",
            "deleted_at",
            where="deleted_at IS NULL",
        ),
    )


class CreditCheck(Record, table=True):
    """A dated credit rating with its source; together they are the credit file (VI)."""

    customer_id: uuid.UUID = _fk("customer")
    checked_on: date = _day()
    rating: CreditRating = _enum(CreditRating)
    source: str | None = None
    credit_limit: Decimal | None = _money(default=None)
    notes: str | None = None

    __table_args__ = (
        _one_of("rating", CreditRating),
        _len("source", limits.SHORT),
        _not_negative("credit_limit"),
        _len("notes", limits.TEXT),
    )


class CompetitorNote(Record, table=True):
    """A competitor's offer, strengths and weaknesses at a customer (VI)."""

    customer_id: uuid.UUID = _fk("customer")
    competitor: str
    offer: str | None = None
    strengths: str | None = None
    weaknesses: str | None = None

    __table_args__ = (
        _len("competitor", limits.NAME, 1),
        _len("offer", limits.TEXT),
        _len("strengths", limits.TEXT),
        _len("weaknesses", limits.TEXT),
    )


class ResearchNote(Record, table=True):
    """Market research by industry or region (III.1)."""

    title: str
    industry: str | None = None
    region: str | None = None
    trends: str | None = None
    competitors_seen: str | None = None
    leads_found: str | None = None
    noted_on: date = _day()

    __table_args__ = (
        _len("title", limits.NAME, 1),
        _len("industry", limits.SHORT),
        _len("region", limits.SHORT),
        _len("trends", limits.TEXT),
        _len("competitors_seen", limits.TEXT),
        _len("leads_found", limits.TEXT),
    )


class Target(Record, table=True):
    """The rep's goal for one period and one indicator (policy V)."""

    period_kind: PeriodKind = _enum(PeriodKind)
    period_label: str
    kpi: Kpi = _enum(Kpi)
    value: Decimal = Field(sa_type=ExactDecimal(4))
    # Schema 9: the manager's login name when the manager set it on the team server (it
    # arrives by sync and replaces the rep's own for its period); None for the rep's own.
    set_by: str | None = None

    __table_args__ = (
        _one_of("period_kind", PeriodKind),
        _one_of("kpi", Kpi),
        _len("period_label", 7, 4),
        _len("set_by", 63, 1),
        _not_negative("value"),
        # One live target of the rep's own per period and indicator, and one set by the
        # manager beside it (the manager's is the one that counts: `domain.targets`).
        _partial(
            "uq_target_live",
            "period_kind",
            "period_label",
            "kpi",
            unique=True,
            where="deleted_at IS NULL AND set_by IS NULL",
        ),
        _partial(
            "uq_target_by_manager",
            "period_kind",
            "period_label",
            "kpi",
            unique=True,
            where="deleted_at IS NULL AND set_by IS NOT NULL",
        ),
    )


class StageChange(Record, table=True):
    """Every stage move, forward or back, with its reason and the warnings passed."""

    customer_id: uuid.UUID = _fk("customer")
    from_stage: Stage | None = _enum(Stage, default=None)
    to_stage: Stage = _enum(Stage)
    changed_at: datetime = _ts()
    reason: str | None = None
    warnings: str | None = None

    __table_args__ = (
        _one_of("from_stage", Stage, nullable=True),
        _one_of("to_stage", Stage),
        _len("reason", limits.REASON),
        _len("warnings", limits.TEXT),
        # The review's stage moves of a day (`review_queries._STAGE_MOVES`, which says both
        # terms): a lead's entry into its first stage is listed with the new leads, so the
        # entries (a third of the rows) are not indexed (schema 12).
        _partial(
            "ix_stage_change_changed_at",
            "changed_at",
            where="from_stage IS NOT NULL AND deleted_at IS NULL",
        ),
    )


class FieldEdit(Record, table=True):
    """One changed field of a customer's information: what it was, what it became, when."""

    customer_id: uuid.UUID = _fk("customer")
    entity: str
    entity_id: uuid.UUID
    field: str
    old_value: str | None = None
    new_value: str | None = None
    edited_at: datetime = _ts()
    edited_by: str | None = None

    __table_args__ = (
        _len("entity", 40, 1),
        _len("edited_by", limits.NAME),
        _len("field", 60, 1),
        _len("old_value", limits.TEXT * 2),
        _len("new_value", limits.TEXT * 2),
    )


def length_limits(model: type[Record]) -> dict[str, tuple[int, int]]:
    """column -> (min, max) characters, as the table's CHECK constraints enforce them."""
    limits_by_column: dict[str, tuple[int, int]] = {}
    for constraint in model.__table__.constraints:  # type: ignore[attr-defined]
        spec = constraint.info.get("length")
        if spec:
            column, low, high = spec
            limits_by_column[column] = (low, high)
    # Sorted: `constraints` is a set, and callers (test parametrisation across processes)
    # need the same order every time.
    return dict(sorted(limits_by_column.items()))


class Assessment(Record, table=True):
    """The manager's month-end assessment of one rep for one period (policy V): the talk's
    notes and the improvement plan. Written on the team server by the manager (its server
    `owner` is the assessed rep), pulled to that rep's laptop and only read there."""

    period_kind: PeriodKind = _enum(PeriodKind)
    period_label: str
    talk_notes: str | None = None
    """What was said in the performance talk."""
    improvement_plan: str | None = None
    """The improvement plan agreed."""
    assessed_by: str
    """The manager's login name."""
    assessed_at: datetime = _ts()

    __table_args__ = (
        _one_of("period_kind", PeriodKind),
        _len("period_label", 7, 4),
        _len("talk_notes", limits.TEXT),
        _len("improvement_plan", limits.TEXT),
        _len("assessed_by", limits.NAME, 1),
    )


#: Every table, in an order where parents come before children (imports insert in this order).
ALL_TABLES: tuple[type[Record], ...] = (
    ResearchNote,
    Customer,
    Contact,
    ContactPlan,
    NeedsNote,
    Proposal,
    ProposalLine,
    Negotiation,
    NegotiationPoint,
    Contract,
    Milestone,
    ProgressReport,
    Survey,
    CreditCheck,
    CompetitorNote,
    Target,
    StageChange,
    FieldEdit,
)

#: Tables that come from the team server alone (written there by the manager): pulled by
#: the sync, never pushed, and not part of the rep's own record set (exports, merges, demo).
TEAM_TABLES: tuple[type[Record], ...] = (Assessment,)

# Every ORM write passes the shared value rules (text, dates) before a flush.
from salesdev_tui.models import write_guard as _write_guard  # noqa: E402, F401
