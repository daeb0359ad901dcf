"""The raw KPI figures of every rep for one period, read on the team server (issue 19.1).

One query, written once as SQLAlchemy Core and compiled for the dialect it runs on: on
PostgreSQL grouped by `owner` (the manager reads every rep's rows through row-level
security), on the laptop's SQLite with no owner (one group: the rep). The conditions are the
laptop scorecard's (`store/today_queries.kpi_figures`) word for word: new customers and
prospects contacted count the maintained `first_signed_at` / `first_contacted_at` of live
customers (server migration v0003 keeps them on the server by the laptop's rule), revenue
and profit sum the live contracts signed in the range, satisfaction the live surveys taken
in it. tests/server/test_team_scorecard_sql.py runs the SQLite compilation against the
laptop's own figures, tests/server/test_team_scorecard.py the PostgreSQL one against each
rep's laptop scorecard.

Each of the four parts is one range read of a covering partial index (v0003), so a month
of 50 reps over 1,000,000 customers reads only that month's rows (bench/RESULTS.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from salesdev_tui.models.enums import Kpi, PeriodKind
from salesdev_tui.models.stored import scaled_to_decimal
from salesdev_tui.models.stored import to_db_timestamp as ts
from salesdev_tui.models.views import KpiFigures, TargetFigure

if TYPE_CHECKING:
    import psycopg
    from sqlalchemy.engine.interfaces import Dialect

__all__ = ["figures_query", "read_team_figures", "read_team_targets", "team_reps"]

_customer = sa.table("customer", sa.column("owner"), sa.column("first_signed_at"),
                     sa.column("first_contacted_at"), sa.column("deleted_at"))
_contract = sa.table("contract", sa.column("owner"), sa.column("signed_at"),
                     sa.column("value"), sa.column("cost"), sa.column("deleted_at"))
_survey = sa.table("survey", sa.column("owner"), sa.column("taken_at"),
                   sa.column("score"), sa.column("deleted_at"))

#: The parts of the query, in the order of the `part` column.
_NEW, _CONTACTED, _MONEY, _SURVEYS = range(4)


def figures_query(*, by_owner: bool) -> sa.CompoundSelect[Any]:
    """The four figures of the range [:start, :end) as rows (owner, part, a, b).

    `by_owner`: grouped by the server's owner column; without it (the laptop, which holds
    one rep's rows) the owner is '' and there is one group per part.
    """
    start: Any = sa.bindparam("start")
    end: Any = sa.bindparam("end")

    def owner_of(table: Any) -> Any:
        return table.c.owner if by_owner else sa.literal_column("''")

    def grouped(table: Any, part: int, a: Any, b: Any, moment: Any) -> sa.Select[Any]:
        owner = owner_of(table)
        query = sa.select(owner.label("owner"), sa.literal_column(str(part)).label("part"),
                          a.label("a"), b.label("b")).where(
            moment >= start, moment < end, table.c.deleted_at.is_(None))
        return query.group_by(owner) if by_owner else query

    zero: Any = sa.literal_column("0")
    return sa.union_all(
        grouped(_customer, _NEW, sa.func.count(), zero, _customer.c.first_signed_at),
        grouped(_customer, _CONTACTED, sa.func.count(), zero, _customer.c.first_contacted_at),
        grouped(_contract, _MONEY, sa.func.coalesce(sa.func.sum(_contract.c.value), zero),
                sa.func.coalesce(sa.func.sum(_contract.c.cost), zero), _contract.c.signed_at),
        grouped(_survey, _SURVEYS, sa.func.coalesce(sa.func.sum(_survey.c.score), zero),
                sa.func.count(), _survey.c.taken_at),
    )


@dataclass
class _Sums:
    new: int = 0
    contacted: int = 0
    value: int = 0
    cost: int = 0
    score: int = 0
    responses: int = 0

    def figures(self) -> KpiFigures:
        revenue = scaled_to_decimal(self.value, 2)
        return KpiFigures(new_customers=self.new, prospects_contacted=self.contacted,
                          revenue=revenue, profit=revenue - scaled_to_decimal(self.cost, 2),
                          satisfaction_sum=self.score, satisfaction_responses=self.responses)


def compiled(dialect: Dialect, *, by_owner: bool) -> Any:
    return figures_query(by_owner=by_owner).compile(dialect=dialect)


def figures_from_rows(rows: Iterable[tuple[Any, ...]]) -> dict[str, KpiFigures]:
    """The query's rows as figures per owner."""
    sums: dict[str, _Sums] = {}
    for owner, part, a, b in rows:
        into = sums.setdefault(str(owner), _Sums())
        if int(part) == _NEW:
            into.new = int(a)
        elif int(part) == _CONTACTED:
            into.contacted = int(a)
        elif int(part) == _MONEY:
            into.value, into.cost = int(a or 0), int(b or 0)
        else:
            into.score, into.responses = int(a or 0), int(b or 0)
    return {owner: found.figures() for owner, found in sums.items()}


@cache
def _postgres_sql() -> tuple[str, Any]:
    from sqlalchemy.dialects.postgresql import psycopg as pg_psycopg

    query = compiled(pg_psycopg.dialect(), by_owner=True)  # type: ignore[no-untyped-call]
    return str(query), query


def read_team_figures(conn: psycopg.Connection[Any], start: datetime, end: datetime
                      ) -> dict[str, KpiFigures]:
    """Every owner's figures of [start, end) (UTC), on a manager's server connection; an
    owner with nothing in the range is absent (the caller gives each rep zeros)."""
    text, _query = _postgres_sql()
    rows = conn.execute(text.encode(), {"start": ts(start), "end": ts(end)}).fetchall()
    return figures_from_rows(rows)


def read_team_targets(conn: psycopg.Connection[Any], periods: Iterable[tuple[PeriodKind, str]]
                      ) -> dict[str, list[TargetFigure]]:
    """The live targets of these periods, per owner (the rep's own rows, or those the
    manager set for the rep: the server's target table holds both)."""
    wanted = list(dict.fromkeys(periods))
    found: dict[str, list[TargetFigure]] = {}
    if not wanted:
        return found
    kinds = [kind.value for kind, _label in wanted]
    labels = [label for _kind, label in wanted]
    for owner, kind, label, kpi, value in conn.execute(
            "SELECT t.owner, t.period_kind, t.period_label, t.kpi, t.value FROM target t"
            " JOIN unnest(%s::text[], %s::text[]) AS w(kind, label)"
            " ON t.period_kind = w.kind AND t.period_label = w.label"
            " WHERE t.deleted_at IS NULL", (kinds, labels)).fetchall():
        found.setdefault(str(owner), []).append(TargetFigure(
            PeriodKind(str(kind)), str(label), Kpi(str(kpi)),
            scaled_to_decimal(int(str(value)), 4)))
    return found


def team_reps(conn: psycopg.Connection[Any]) -> list[str]:
    """The team's reps (login names), by name."""
    return [str(name) for (name,) in conn.execute(
        "SELECT name FROM member WHERE role = 'rep' ORDER BY name")]


def zero_filled(reps: Iterable[str], figures: Mapping[str, KpiFigures]) -> dict[str, KpiFigures]:
    """Each rep's figures, zeros for a rep with nothing in the range."""
    empty = _Sums().figures()
    return {rep: figures.get(rep, empty) for rep in reps}
