"""Behind the scorecard's figures: breakdowns by source and industry, the open pipeline by
stage, and the customers behind any figure.

The pipeline by stage reads the maintained `customer.pipeline_value` (`store.pipeline_value`:
the open proposal's exact value) through the partial index `ix_customer_pipeline`, which
holds just the open customers with an open proposal. The drill-down list of one stage
(`customers_behind`) still computes each open proposal from its lines, exactly as
`services.proposals` does: it needs the proposal's title, and it stops at `limit` rows.

The breakdown and the pipeline themselves are read by `scorecard_read` (the scorecard reads
them with its trend in one transaction); `kpi_breakdown` and `pipeline_by_stage` read them
alone. The breakdown counts its two ranges (first signed, first contacted) as two reads of
their covering indexes instead of one scan under an OR (docs/PERFORMANCE.md).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, or_, text
from sqlmodel import col, select

from salesdev_tui.domain.proposals import line_total
from salesdev_tui.domain.scorecard_view import Figure
from salesdev_tui.models.enums import Stage
from salesdev_tui.models.stored import scaled_to_decimal
from salesdev_tui.models.tables import Contract, Customer, ProposalLine, Survey
from salesdev_tui.store import scorecard_read
from salesdev_tui.store.base import StoreBase
from salesdev_tui.store.pipeline_value import LINE_CENTS, OPEN_VERSION, SAFE_LINE
from salesdev_tui.store.scorecard_read import BreakdownRow, PipelineRow

Dimension = Literal["source", "industry"]

#: Open proposals: the latest live version per customer, not rejected, customer still open.
#: CROSS JOIN keeps SQLite from walking every customer to find the few with proposals: read
#: the proposals, then look each customer up (half the time at 20k customers).
_OPEN_PROPOSALS = f"""
SELECT p.id AS proposal_id, p.title AS title, c.id AS customer_id, c.name AS name,
       c.stage AS stage
FROM proposal AS p CROSS JOIN customer AS c ON c.id = p.customer_id
WHERE {OPEN_VERSION}
  AND c.deleted_at IS NULL AND c.stage NOT IN ('won', 'lost') {{where}}
"""
_VALUED = f"""
WITH o AS ({{open}})
SELECT {{keys}}, count(DISTINCT o.proposal_id) AS proposals,
       coalesce(sum(CASE WHEN {SAFE_LINE} THEN {LINE_CENTS} END), 0) AS cents,
       count(CASE WHEN l.id IS NOT NULL AND NOT {SAFE_LINE} THEN 1 END) AS unsafe
FROM o LEFT JOIN proposal_line AS l ON l.proposal_id = o.proposal_id AND l.deleted_at IS NULL
GROUP BY {{group}}
"""
_UNSAFE_LINES = f"""
WITH o AS ({{open}})
SELECT {{keys}}, l.id FROM o JOIN proposal_line AS l
  ON l.proposal_id = o.proposal_id AND l.deleted_at IS NULL
WHERE NOT {SAFE_LINE}
"""


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
    return scaled_to_decimal(int(str(value or 0)))


class KpiDetailStore(StoreBase):
    def kpi_breakdown(self, start: datetime, end: datetime) -> list[BreakdownRow]:
        """Per (source, industry): new customers, prospects contacted, revenue and profit."""
        with self._raw_read() as conn:
            sums = scorecard_read.breakdown_sums(conn, start, end)
        return scorecard_read.breakdown_rows(sums)

    def pipeline_by_stage(self) -> list[PipelineRow]:
        """Open proposals and their value, per stage of their customers."""
        with self.db.read() as session:
            return scorecard_read.pipeline_rows(session.connection())

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
