"""The KPI figures of a time range from the running sums per UTC day (`db.kpi_summary`,
schema 11), plain SQL over a DB-API connection (it runs at start-up too, `today_queries`).

A range [start, end) is cut into the whole UTC days inside it, read from the sums (about
30 rows per (source, industry) pair for a month, whatever the size of the book), and at
most two pieces shorter than a day at its edges, read from the covering indexes exactly as
before (`piece_*`). A month in the rep's zone starts at a UTC midnight only where the zone
is UTC, so both pieces are usually there (Taipei: 16:00-24:00 and 00:00-16:00 UTC): less
than one day of rows per range. Each figure is what the index read of the whole range
gave (tests/test_kpi_sums.py compares them on ranges of every shape).

Money is in cents, as stored; the sums keep it as (value // 10**9, value % 10**9) parts,
joined here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from salesdev_tui.db.kpi_summary import SPLIT
from salesdev_tui.models.stored import to_db_timestamp as ts

__all__ = ["SPLIT", "Group", "RangeSums", "range_sums", "split"]

_DAY = timedelta(days=1)

#: A (source, industry) pair as stored (None for no value).
Group = tuple[Any, Any]

#: One range's customers per (source, industry), from the covering index of the range's
#: column ({column}: first_signed_at or first_contacted_at, never user input).
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
#: The same, ungrouped (`today_queries.kpi_figures`: the contract's index alone).
MONEY_TOTAL = (
    "SELECT sum(value), sum(cost) FROM contract WHERE signed_at >= ?"
    " AND signed_at < ? AND deleted_at IS NULL"
)
COUNT = (
    "SELECT count(*) FROM customer WHERE {column} >= ? AND {column} < ? AND deleted_at IS NULL"
)
SURVEYS = (
    "SELECT coalesce(sum(score), 0), count(*) FROM survey WHERE taken_at >= ?"
    " AND taken_at < ? AND deleted_at IS NULL"
)
_DAY_SUMS = (
    "SELECT {keys} sum(new_customers), sum(contacted), sum(contracts), sum(value_hi),"
    " sum(value_lo),"
    " sum(cost_hi), sum(cost_lo) FROM kpi_day WHERE day >= ? AND day < ? {group}"
)
_SURVEY_SUMS = (
    "SELECT coalesce(sum(score_sum), 0), coalesce(sum(responses), 0) FROM kpi_survey_day"
    " WHERE day >= ? AND day < ?"
)


@dataclass
class RangeSums:
    """A range's figures as stored: per pair [new customers, contacted, value, cost] (cents)
    when grouped, else under the one key None; and its surveys."""

    groups: dict[Group | None, list[int]] = field(default_factory=dict)
    score_sum: int = 0
    responses: int = 0

    def add(self, group: Group | None, figures: list[int]) -> None:
        into = self.groups.setdefault(group, [0, 0, 0, 0])
        for place, number in enumerate(figures):
            into[place] += number

    def total(self) -> list[int]:
        """[new customers, contacted, value, cost] over every pair."""
        out = [0, 0, 0, 0]
        for figures in self.groups.values():
            for place, number in enumerate(figures):
                out[place] += number
        return out


def split(start: datetime, end: datetime) -> tuple[list[tuple[datetime, datetime]],
                                                   tuple[str, str] | None]:
    """[start, end) as its pieces read from the indexes and its whole UTC days [from, to)
    (as 'YYYY-MM-DD') read from the sums, or None when it holds no whole day."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    first = start.replace(hour=0, minute=0, second=0, microsecond=0)
    if first < start:
        first += _DAY
    last = end.replace(hour=0, minute=0, second=0, microsecond=0)
    if first >= last:
        return ([(start, end)] if start < end else []), None
    pieces = [(lo, hi) for lo, hi in ((start, first), (last, end)) if lo < hi]
    return pieces, (first.date().isoformat(), last.date().isoformat())


def _joined(hi: Any, lo: Any) -> int:
    return int(hi or 0) * SPLIT + int(lo or 0)


def range_sums(conn: Any, start: datetime, end: datetime, *, grouped: bool,
               surveys: bool = True) -> RangeSums:
    """The figures of [start, end): per (source, industry) pair when `grouped`."""
    out = RangeSums()
    pieces, days = split(start, end)
    if days is not None:
        sql = _DAY_SUMS.format(keys="source_key, industry_key," if grouped else "",
                               group="GROUP BY source_key, industry_key" if grouped else "")
        for *keys, new, reached, signed, vhi, vlo, chi, clo in conn.execute(
                sql, days).fetchall():
            if new is None or not (new or reached or signed):
                # No day in the range, or a pair with nothing left in it (the index reads
                # give no row for it either)
                continue
            group = (_unkey(keys[0]), _unkey(keys[1])) if grouped else None
            out.add(group, [int(new), int(reached), _joined(vhi, vlo), _joined(chi, clo)])
        if surveys:
            score_sum, responses = conn.execute(_SURVEY_SUMS, days).fetchone()
            out.score_sum += int(score_sum)
            out.responses += int(responses)
    for lo, hi in pieces:
        bounds = (ts(lo), ts(hi))
        if grouped:
            _piece_groups(conn, bounds, out)
        else:
            _piece_total(conn, bounds, out)
        if surveys:
            score_sum, responses = conn.execute(SURVEYS, bounds).fetchone()
            out.score_sum += int(score_sum)
            out.responses += int(responses)
    return out


def _unkey(stored: str) -> str | None:
    """A pair's column from its key (`db.kpi_summary.key`): '' is NULL, '=x' is x."""
    return stored[1:] if stored else None


def _piece_groups(conn: Any, bounds: tuple[str, str], out: RangeSums) -> None:
    for place, column in enumerate(("first_signed_at", "first_contacted_at")):
        for source, industry, number in conn.execute(
                COUNTS.format(column=column), bounds).fetchall():
            figures = [0, 0, 0, 0]
            figures[place] = int(number)
            out.add((source, industry), figures)
    for source, industry, value, cost in conn.execute(MONEY, bounds).fetchall():
        out.add((source, industry), [0, 0, int(value or 0), int(cost or 0)])


def _piece_total(conn: Any, bounds: tuple[str, str], out: RangeSums) -> None:
    (new,) = conn.execute(COUNT.format(column="first_signed_at"), bounds).fetchone()
    (reached,) = conn.execute(COUNT.format(column="first_contacted_at"), bounds).fetchone()
    value, cost = conn.execute(MONEY_TOTAL, bounds).fetchone()
    out.add(None, [int(new), int(reached), int(value or 0), int(cost or 0)])
