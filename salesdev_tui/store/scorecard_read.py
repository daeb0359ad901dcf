"""The scorecard's figures in ONE read transaction: the 12 months of the trend, the period's
breakdown by (source, industry), the open pipeline by stage and the period's targets.

One transaction instead of one session per part (`KpiStore.scorecard_facts`): a session
costs ~0.3 ms here, and the parts then agree with each other (a save between them cannot
make the breakdown disagree with the card).

Plain SQL on the DB-API connection under the session (as `today_queries`): at 100,000
customers the pipeline read through its own session and SQLAlchemy took 3.0-3.8 ms (best of
21 runs), 2.5 ms on the bare connection. SQLAlchemy is used only on the rare path that needs
it (a total beyond 64-bit cents, `exact_values`).

Every figure is a read of a covering index of live rows (models/tables.py). The walks of
those indexes are what cost, so no range is walked twice: the months of the period are
read grouped by (source, industry) for the breakdown, and their figures on the trend are
the sums of their groups (plus their surveys) instead of a second walk of their first
contacts, first signings and contracts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from salesdev_tui.models.enums import OPEN_STAGES, PeriodKind, Source, Stage
from salesdev_tui.models.pipeline_rule import PIPELINE_INDEX_WHERE
from salesdev_tui.models.stored import scaled_to_decimal
from salesdev_tui.models.stored import to_db_timestamp as ts
from salesdev_tui.models.views import KpiFigures, TargetFigure
from salesdev_tui.store import today_queries
from salesdev_tui.store.pipeline_value import TOO_LARGE, exact_values_on

if TYPE_CHECKING:  # `read_scorecard_on` runs before SQLAlchemy is imported (`quick_today`)
    from sqlalchemy.engine import Connection as SAConnection

__all__ = [
    "COUNTS",
    "MONEY",
    "PIPELINE",
    "BreakdownRow",
    "PipelineRow",
    "ScorecardFacts",
    "breakdown_rows",
    "pipeline_rows",
    "pipeline_rows_on",
    "read_scorecard",
    "read_scorecard_on",
]

#: One range's customers per (source, industry), from the covering index of the range's
#: column ({column}: first_signed_at or first_contacted_at, never user input). Grouping in
#: Python instead (Counter over the fetched rows) was slower: fetching 5,000 rows through
#: sqlite3 costs more than SQLite's sort of them.
COUNTS = (
    "SELECT source, industry, count(*) FROM customer WHERE {column} >= ? AND {column} < ?"
    " AND deleted_at IS NULL GROUP BY source, industry"
)
#: A contract's customer is looked up by id (autoindex, then the table row): no index
#: holds id with source and industry, so this is the cheapest way to the pair.
MONEY = (
    "SELECT c.source, c.industry, sum(k.value), sum(k.cost) FROM contract AS k"
    " JOIN customer AS c ON c.id = k.customer_id"
    " WHERE k.signed_at >= ? AND k.signed_at < ? AND k.deleted_at IS NULL"
    " GROUP BY c.source, c.industry"
)
#: The surveys of a range (as in `today_queries.kpi_figures`).
_SURVEYS = (
    "SELECT coalesce(sum(score), 0), count(*) FROM survey WHERE taken_at >= ?"
    " AND taken_at < ? AND deleted_at IS NULL"
)
#: The condition repeats the index's word for word: SQLite then reads the index alone.
PIPELINE = (
    "SELECT stage, count(*), sum(pipeline_value) FROM customer"
    f" WHERE {PIPELINE_INDEX_WHERE} GROUP BY stage"
)
#: The same in two parts that cannot overflow, when the sum above does (SQLite raises).
_PIPELINE_SPLIT = (
    "SELECT stage, count(*), sum(pipeline_value / 1000000000),"
    f" sum(pipeline_value % 1000000000) FROM customer WHERE {PIPELINE_INDEX_WHERE}"
    " GROUP BY stage"
)
_OPEN_STAGE_LIST = ", ".join(f"'{stage.value}'" for stage in sorted(OPEN_STAGES))
#: Totals beyond 64-bit cents: one index seek per open stage.
_TOO_LARGE_ROWS = (
    f"SELECT id, stage FROM customer WHERE {PIPELINE_INDEX_WHERE}"
    f" AND stage IN ({_OPEN_STAGE_LIST}) AND pipeline_value = {TOO_LARGE}"
)

#: Per (source, industry) as stored: [new customers, prospects contacted, value, cost] with
#: the money in cents.
Sums = dict[tuple[Any, Any], list[int]]


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
class ScorecardFacts:
    """What `services.scorecard_view.build_view` needs from the database, read at once."""

    months: list[KpiFigures]
    """The figures of each range [bounds[i], bounds[i+1]), oldest first."""
    breakdown: list[BreakdownRow]
    pipeline: list[PipelineRow]
    targets: list[TargetFigure]


def read_scorecard(
    link: SAConnection,
    bounds: Sequence[datetime],
    start: datetime,
    end: datetime,
    periods: Iterable[tuple[PeriodKind, str]],
) -> ScorecardFacts:
    """All the facts, on `link` (a session's connection, inside its read transaction)."""
    return read_scorecard_on(link.connection.driver_connection, bounds, start, end, periods,
                             overflow=link.dialect.loaded_dbapi.OperationalError)


def read_scorecard_on(
    conn: Any,
    bounds: Sequence[datetime],
    start: datetime,
    end: datetime,
    periods: Iterable[tuple[PeriodKind, str]],
    *,
    overflow: type[Exception],
) -> ScorecardFacts:
    """`read_scorecard` on a DB-API connection inside a read transaction: the session's own,
    or a plain `sqlite3` one (`quick_today.read_scorecard_view`); `overflow` is its driver's
    OperationalError (SQLite's integer overflow, `pipeline_rows_on`).

    The months of the trend inside [start, end) are read grouped (`breakdown_sums`): each
    month's figures are its groups' sums, and the breakdown is the sum of its months. The
    months before are plain range counts (`today_queries.kpi_figures`).
    """
    ranges = list(zip(bounds, bounds[1:], strict=False))
    inside = [(lo, hi) for lo, hi in ranges if start <= lo and hi <= end]
    grouped: dict[tuple[datetime, datetime], Sums] = {}
    if inside and inside[0][0] == start and inside[-1][1] == end:
        grouped = {(lo, hi): breakdown_sums(conn, lo, hi) for lo, hi in inside}
        period = _added(grouped.values())
    else:  # a range that is not whole months of the trend: read it on its own
        period = breakdown_sums(conn, start, end)
    months = [
        _figures_of(conn, grouped[(lo, hi)], lo, hi) if (lo, hi) in grouped
        else today_queries.kpi_figures(conn, lo, hi)
        for lo, hi in ranges
    ]
    return ScorecardFacts(
        months=months,
        breakdown=breakdown_rows(period),
        pipeline=pipeline_rows_on(conn, overflow),
        targets=today_queries.targets_for(conn, periods),
    )


def breakdown_sums(conn: Any, start: datetime, end: datetime) -> Sums:
    """The breakdown of [start, end) as stored (`Sums`), on a DB-API connection."""
    bounds = (ts(start), ts(end))
    sums: Sums = {}
    for place, column in enumerate(("first_signed_at", "first_contacted_at")):
        for source, industry, number in conn.execute(
                COUNTS.format(column=column), bounds).fetchall():
            sums.setdefault((source, industry), [0, 0, 0, 0])[place] = int(number)
    for source, industry, value, cost in conn.execute(MONEY, bounds).fetchall():
        sums.setdefault((source, industry), [0, 0, 0, 0])[2:] = [int(value or 0),
                                                                 int(cost or 0)]
    return sums


def _added(parts: Iterable[Sums]) -> Sums:
    """The sums of disjoint ranges added up: those of their union."""
    total: Sums = {}
    for part in parts:
        for key, figures in part.items():
            into = total.setdefault(key, [0, 0, 0, 0])
            for place, number in enumerate(figures):
                into[place] += number
    return total


def breakdown_rows(sums: Sums) -> list[BreakdownRow]:
    return [
        BreakdownRow(
            source=Source(source) if source else None,
            industry=industry,
            new_customers=new,
            prospects_contacted=reached,
            revenue=scaled_to_decimal(value),
            profit=scaled_to_decimal(value - cost),
        )
        for (source, industry), (new, reached, value, cost) in sums.items()
    ]


def _figures_of(conn: Any, sums: Sums, start: datetime, end: datetime) -> KpiFigures:
    """`today_queries.kpi_figures` of [start, end) from its grouped sums (every customer and
    contract of the range is in exactly one (source, industry) group), and its surveys."""
    new = reached = value = cost = 0
    for group_new, group_reached, group_value, group_cost in sums.values():
        new += group_new
        reached += group_reached
        value += group_value
        cost += group_cost
    score_sum, responses = conn.execute(_SURVEYS, (ts(start), ts(end))).fetchone()
    revenue = scaled_to_decimal(value, 2)
    return KpiFigures(
        new_customers=new,
        prospects_contacted=reached,
        revenue=revenue,
        profit=revenue - scaled_to_decimal(cost, 2),
        satisfaction_sum=int(score_sum),
        satisfaction_responses=int(responses),
    )


def pipeline_rows(link: SAConnection) -> list[PipelineRow]:
    """Open proposals and their value, per stage of their customers."""
    # sqlite3's or SQLCipher's OperationalError, as the engine's driver is
    return pipeline_rows_on(link.connection.driver_connection,
                            link.dialect.loaded_dbapi.OperationalError)


def pipeline_rows_on(conn: Any, overflow: type[Exception]) -> list[PipelineRow]:
    """`pipeline_rows` on a DB-API connection whose driver raises `overflow`."""
    try:
        rows = [(stage, n, int(cents or 0))
                for stage, n, cents in conn.execute(PIPELINE).fetchall()]
    except overflow as exc:
        if "integer overflow" not in str(exc):
            raise
        rows = [(stage, n, int(high) * 1_000_000_000 + int(low))
                for stage, n, high, low in conn.execute(_PIPELINE_SPLIT).fetchall()]
    too_large = conn.execute(_TOO_LARGE_ROWS).fetchall()
    extra = exact_values_on(conn, [customer_id for customer_id, _stage in too_large]) \
        if too_large else {}
    counts = {Stage(stage): int(n) for stage, n, _cents in rows}
    values = {Stage(stage): scaled_to_decimal(cents) for stage, _n, cents in rows}
    for customer_id, stage in too_large:
        # The sum counted the marker (TOO_LARGE cents) instead of the value.
        values[Stage(stage)] += extra[customer_id] - scaled_to_decimal(TOO_LARGE)
    return [PipelineRow(stage, n, values[stage]) for stage, n in counts.items()]

