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
from salesdev_tui.models.views import KpiFigures, TargetFigure
from salesdev_tui.store import kpi_sums, today_queries
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

#: The index reads of a range's edges (`kpi_sums`), named here too for the plan tests.
COUNTS = kpi_sums.COUNTS
MONEY = kpi_sums.MONEY
#: The pipeline by stage from the rows (the condition repeats the index's word for word:
#: SQLite then reads the index alone): what `kpi_pipeline` holds (`db.kpi_summary`), used
#: by the tests that compare the two.
PIPELINE = (
    "SELECT stage, count(*), sum(pipeline_value) FROM customer"
    f" WHERE {PIPELINE_INDEX_WHERE} GROUP BY stage"
)
#: The open pipeline by stage, from its running sums (`db.kpi_summary`): one row a stage.
_PIPELINE_SUMS = (
    "SELECT stage, customers, value_hi, value_lo FROM kpi_pipeline WHERE customers > 0"
    " ORDER BY stage"
)
_OPEN_STAGE_LIST = ", ".join(f"'{stage.value}'" for stage in sorted(OPEN_STAGES))
#: Totals beyond 64-bit cents: one index seek per open stage.
_TOO_LARGE_ROWS = (
    f"SELECT id, stage FROM customer WHERE {PIPELINE_INDEX_WHERE}"
    f" AND stage IN ({_OPEN_STAGE_LIST}) AND pipeline_value = {TOO_LARGE}"
)

#: Per (source, industry) as stored: [new customers, prospects contacted, value, cost] with
#: the money in cents.
Sums = dict[Any, list[int]]


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
    grouped: dict[tuple[datetime, datetime], kpi_sums.RangeSums] = {}
    if inside and inside[0][0] == start and inside[-1][1] == end:
        grouped = {(lo, hi): kpi_sums.range_sums(conn, lo, hi, grouped=True)
                   for lo, hi in inside}
        period = _added(sums.groups for sums in grouped.values())
    else:  # a range that is not whole months of the trend: read it on its own
        period = breakdown_sums(conn, start, end)
    months = [
        _figures_of(grouped[(lo, hi)]) if (lo, hi) in grouped
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
    return kpi_sums.range_sums(conn, start, end, grouped=True, surveys=False).groups


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


def _figures_of(sums: kpi_sums.RangeSums) -> KpiFigures:
    """`today_queries.kpi_figures` of a range from its grouped sums (every customer and
    contract of the range is in exactly one (source, industry) group), and its surveys."""
    new, reached, value, cost = sums.total()
    revenue = scaled_to_decimal(value, 2)
    return KpiFigures(
        new_customers=new,
        prospects_contacted=reached,
        revenue=revenue,
        profit=revenue - scaled_to_decimal(cost, 2),
        satisfaction_sum=sums.score_sum,
        satisfaction_responses=sums.responses,
    )


def pipeline_rows(link: SAConnection) -> list[PipelineRow]:
    """Open proposals and their value, per stage of their customers."""
    # sqlite3's or SQLCipher's OperationalError, as the engine's driver is
    return pipeline_rows_on(link.connection.driver_connection,
                            link.dialect.loaded_dbapi.OperationalError)


def pipeline_rows_on(conn: Any, overflow: type[Exception]) -> list[PipelineRow]:
    """`pipeline_rows` on a DB-API connection whose driver raises `overflow` (unused since
    the sums are read in two parts that cannot overflow; kept for the callers)."""
    del overflow
    rows = [(stage, int(n), int(high) * kpi_sums.SPLIT + int(low))
            for stage, n, high, low in conn.execute(_PIPELINE_SUMS).fetchall()]
    too_large = conn.execute(_TOO_LARGE_ROWS).fetchall()
    extra = exact_values_on(conn, [customer_id for customer_id, _stage in too_large]) \
        if too_large else {}
    counts = {Stage(stage): n for stage, n, _cents in rows}
    values = {Stage(stage): scaled_to_decimal(cents) for stage, _n, cents in rows}
    for customer_id, stage in too_large:
        # The sum counted the marker (TOO_LARGE cents) instead of the value.
        values[Stage(stage)] += extra[customer_id] - scaled_to_decimal(TOO_LARGE)
    return [PipelineRow(stage, n, values[stage]) for stage, n in counts.items()]
