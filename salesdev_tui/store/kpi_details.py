"""Behind the scorecard's figures: breakdowns by source and industry, the open pipeline by
stage, and the customers behind any figure.

The pipeline's value is computed in SQL, exactly as `services.proposals` computes a
proposal's total: each line is quantity x unit price less its discount, rounded half-even
to the cent, then summed. The scaled integers (quantity x1000, price in cents, discount
x100) make that an integer division; a line whose product could overflow 64 bits (never in
practice) is left to Python instead, so the sum stays exact.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, or_, text
from sqlmodel import col, select

from salesdev_tui.models import Contract, Customer, ProposalLine, Source, Stage, Survey
from salesdev_tui.services.proposals import line_total
from salesdev_tui.services.scorecard_view import Figure
from salesdev_tui.store.base import StoreBase

Dimension = Literal["source", "industry"]

#: Open proposals: the latest live version per customer, not rejected, customer still open.
#: CROSS JOIN keeps SQLite from walking every customer to find the few with proposals: read
#: the proposals, then look each customer up (half the time at 20k customers).
_OPEN_PROPOSALS = """
SELECT p.id AS proposal_id, p.title AS title, c.id AS customer_id, c.name AS name,
       c.stage AS stage
FROM proposal AS p CROSS JOIN customer AS c ON c.id = p.customer_id
WHERE p.deleted_at IS NULL AND p.status != 'rejected'
  AND c.deleted_at IS NULL AND c.stage NOT IN ('won', 'lost') {where}
  AND NOT EXISTS (SELECT 1 FROM proposal AS n WHERE n.customer_id = p.customer_id
                  AND n.deleted_at IS NULL AND n.version > p.version)
"""
#: A line fits 64-bit arithmetic when quantity x price x 10000 does.
_SAFE = "(l.unit_price = 0 OR l.quantity <= 922337203685477 / l.unit_price)"
_NUM = "(l.quantity * l.unit_price * (10000 - l.discount_pct))"
#: The line total in cents, rounded half-even (all terms are non-negative).
_CENTS = (
    f"({_NUM} / 10000000 + CASE WHEN ({_NUM} % 10000000) * 2 > 10000000 "
    f"OR (({_NUM} % 10000000) * 2 = 10000000 AND ({_NUM} / 10000000) % 2 = 1) "
    "THEN 1 ELSE 0 END)"
)
_VALUED = f"""
WITH o AS ({{open}})
SELECT {{keys}}, count(DISTINCT o.proposal_id) AS proposals,
       coalesce(sum(CASE WHEN {_SAFE} THEN {_CENTS} END), 0) AS cents,
       count(CASE WHEN l.id IS NOT NULL AND NOT {_SAFE} THEN 1 END) AS unsafe
FROM o LEFT JOIN proposal_line AS l ON l.proposal_id = o.proposal_id AND l.deleted_at IS NULL
GROUP BY {{group}}
"""
_UNSAFE_LINES = f"""
WITH o AS ({{open}})
SELECT {{keys}}, l.id FROM o JOIN proposal_line AS l
  ON l.proposal_id = o.proposal_id AND l.deleted_at IS NULL
WHERE NOT {_SAFE}
"""


@dataclass(frozen=True)
class BreakdownRow:
    """The figures of the customers of one (source, industry) pair in a range."""

    source: Source | None
    industry: str | None
    new_customers: int
    prospects_contacted: int
    revenue: Decimal
    profit: Decimal


@dataclass(frozen=True)
class PipelineRow:
    stage: Stage
    proposals: int
    value: Decimal


@dataclass(frozen=True)
class FigureCustomer:
    """One customer behind a figure, with what it adds to it."""

    customer_id: uuid.UUID
    name: str
    stage: Stage
    at: datetime | None
    """When it counted: first contact or signing, the contract, the survey (None: pipeline)."""
    amount: Decimal | None = None
    """Contract value or profit, or the open proposal's value."""
    score: int | None = None
    contacted: bool = False
    """First contacted in the range."""
    signed: bool = False
    """First contract signed in the range (a new customer)."""
    title: str | None = None
    """The contract number or the proposal title."""


def _cents(value: object) -> Decimal:
    return (Decimal(int(str(value or 0))) / 100).quantize(Decimal("0.01"))


class KpiDetailStore(StoreBase):
    def kpi_breakdown(self, start: datetime, end: datetime) -> list[BreakdownRow]:
        """Per (source, industry): new customers, prospects contacted, revenue and profit."""
        signed = _in(col(Customer.first_signed_at), start, end)
        contacted = _in(col(Customer.first_contacted_at), start, end)
        from sqlalchemy import func

        sums: dict[tuple[Any, Any], list[Any]] = {}
        with self.db.read() as session:
            counts = session.exec(
                select(
                    Customer.source, Customer.industry,
                    func.sum(_flag(signed)), func.sum(_flag(contacted)),
                )
                .where(or_(signed, contacted), col(Customer.deleted_at).is_(None))
                .group_by(col(Customer.source), col(Customer.industry))
            ).all()
            for source, industry, new, reached in counts:
                sums[(source, industry)] = [int(new or 0), int(reached or 0), Decimal(0),
                                            Decimal(0)]
            money = session.exec(
                select(
                    Customer.source, Customer.industry,
                    func.sum(Contract.value), func.sum(Contract.cost),
                )
                .join(Customer, col(Customer.id) == Contract.customer_id)
                .where(_in(col(Contract.signed_at), start, end),
                       col(Contract.deleted_at).is_(None))
                .group_by(col(Customer.source), col(Customer.industry))
            ).all()
            for source, industry, value, cost in money:
                entry = sums.setdefault((source, industry), [0, 0, Decimal(0), Decimal(0)])
                entry[2] = value or Decimal("0.00")
                entry[3] = cost or Decimal("0.00")
        return [
            BreakdownRow(
                source=Source(source) if source else None,
                industry=industry,
                new_customers=new,
                prospects_contacted=reached,
                revenue=Decimal(value).quantize(Decimal("0.01")),
                profit=Decimal(value - cost).quantize(Decimal("0.01")),
            )
            for (source, industry), (new, reached, value, cost) in sums.items()
        ]

    def pipeline_by_stage(self) -> list[PipelineRow]:
        """Open proposals and their value, per stage of their customers."""
        found: dict[Stage, list[Any]] = {}
        with self.db.read() as session:
            sql = _VALUED.format(open=_OPEN_PROPOSALS.format(where=""), keys="o.stage",
                                 group="o.stage")
            unsafe = 0
            for stage, proposals, cents, bad in session.execute(text(sql)).all():
                found[Stage(stage)] = [int(proposals), _cents(cents)]
                unsafe += int(bad)
            if unsafe:
                for (stage,), total in self._unsafe_totals(session, "o.stage", "").items():
                    found[Stage(stage)][1] += total
        return [PipelineRow(stage, n, value) for stage, (n, value) in found.items()]

    def _unsafe_totals(self, session: Any, keys: str, where: str,
                       params: dict[str, object] | None = None) -> dict[tuple[Any, ...], Decimal]:
        """Line totals too large for SQLite's integers, computed in Python, by `keys`."""
        sql = _UNSAFE_LINES.format(open=_OPEN_PROPOSALS.format(where=where), keys=keys)
        totals: dict[tuple[Any, ...], Decimal] = {}
        for *key, line_id in session.execute(text(sql), params or {}).all():
            line = session.get(ProposalLine, uuid.UUID(str(line_id)))
            if line is not None:
                totals[tuple(key)] = totals.get(tuple(key), Decimal("0.00")) + line_total(line)
        return totals

    def customers_behind(
        self,
        figure: Figure,
        start: datetime,
        end: datetime,
        *,
        by: Dimension | None = None,
        key: str | None = None,
        stage: Stage | None = None,
        limit: int = 500,
    ) -> list[FigureCustomer]:
        """The customers behind `figure` in [start, end), or behind one breakdown line
        (`by` and its `key`, None meaning "not recorded"), or one pipeline stage."""
        if figure in (Figure.PIPELINE, Figure.PIPELINE_WEIGHTED):
            return self._open_proposals(stage, limit)
        narrow = _dimension(by, key) if by is not None else None
        with self.db.read() as session:
            if figure in (Figure.REVENUE, Figure.PROFIT, Figure.COMMISSION):
                stmt = (
                    select(Contract, Customer.name, Customer.stage)
                    .join(Customer, col(Customer.id) == Contract.customer_id)
                    .where(_in(col(Contract.signed_at), start, end),
                           col(Contract.deleted_at).is_(None))
                    .order_by(col(Contract.signed_at)).limit(limit)
                )
                if narrow is not None:
                    stmt = stmt.where(narrow)
                return [
                    FigureCustomer(
                        row.customer_id, name, Stage(stage), row.signed_at,
                        amount=row.value - row.cost if figure is Figure.PROFIT else row.value,
                        title=row.number,
                    )
                    for row, name, stage in session.exec(stmt).all()
                ]
            if figure is Figure.SATISFACTION:
                surveys = (
                    select(Survey, Customer.name, Customer.stage)
                    .join(Customer, col(Customer.id) == Survey.customer_id)
                    .where(_in(col(Survey.taken_at), start, end),
                           col(Survey.deleted_at).is_(None))
                    .order_by(col(Survey.taken_at)).limit(limit)
                )
                if narrow is not None:
                    surveys = surveys.where(narrow)
                return [
                    FigureCustomer(row.customer_id, name, Stage(stage), row.taken_at,
                                   score=row.score)
                    for row, name, stage in session.exec(surveys).all()
                ]
            signed = _in(col(Customer.first_signed_at), start, end)
            contacted = _in(col(Customer.first_contacted_at), start, end)
            which = {Figure.NEW_CUSTOMERS: signed,
                     Figure.PROSPECTS_CONTACTED: contacted}.get(figure, or_(signed, contacted))
            people = (
                select(Customer)
                .where(which, col(Customer.deleted_at).is_(None))
                .order_by(col(Customer.name)).limit(limit)
            )
            if narrow is not None:
                people = people.where(narrow)
            rows = session.exec(people).all()
        return sorted(
            (
                FigureCustomer(
                    c.id, c.name, c.stage,
                    c.first_signed_at if figure is Figure.NEW_CUSTOMERS else
                    (c.first_contacted_at or c.first_signed_at),
                    contacted=_within(c.first_contacted_at, start, end),
                    signed=_within(c.first_signed_at, start, end),
                )
                for c in rows
            ),
            key=lambda f: (f.at is None, f.at or start, f.name),
        )

    def _open_proposals(self, stage: Stage | None, limit: int) -> list[FigureCustomer]:
        where = "AND c.stage = :stage" if stage is not None else ""
        params: dict[str, object] = {"stage": stage.value} if stage is not None else {}
        sql = _VALUED.format(
            open=_OPEN_PROPOSALS.format(where=where),
            keys="o.proposal_id, o.customer_id, o.name, o.stage, o.title",
            group="o.proposal_id",
        ) + " ORDER BY cents DESC, o.name LIMIT :limit"
        with self.db.read() as session:
            rows = session.execute(text(sql), {**params, "limit": limit}).all()
            extra = (
                self._unsafe_totals(session, "o.proposal_id", where, params)
                if any(int(r[-1]) for r in rows) else {}
            )
        found = [
            FigureCustomer(
                uuid.UUID(str(customer_id)), str(name), Stage(stage_value), None,
                amount=_cents(cents) + extra.get((proposal_id,), Decimal(0)),
                title=str(title),
            )
            for proposal_id, customer_id, name, stage_value, title, _n, cents, _bad in rows
        ]
        # Again in Python: a line too large for SQLite's integers was added only just now.
        return sorted(found, key=lambda f: (-(f.amount or 0), f.name))


def _in(column: Any, start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(column >= start, column < end)


def _flag(condition: ColumnElement[bool]) -> Any:
    from sqlalchemy import case

    return case((condition, 1), else_=0)


def _within(moment: datetime | None, start: datetime, end: datetime) -> bool:
    return moment is not None and start <= moment < end


def _dimension(by: Dimension, key: str | None) -> ColumnElement[bool]:
    """Customers of one breakdown line (None: the source or industry was not recorded)."""
    from sqlalchemy import func

    if by == "source":
        column = col(Customer.source)
        return column.is_(None) if key is None else column == key
    industry = func.trim(col(Customer.industry))
    if key is None:
        return or_(col(Customer.industry).is_(None), industry == "")
    return industry == key
