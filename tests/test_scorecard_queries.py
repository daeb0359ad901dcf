"""The scorecard's fast reads give what a computation from scratch gives, on a demo book.

The trend (`kpi_series`), the breakdown (`kpi_breakdown`) and the pipeline by stage
(`pipeline_by_stage`) are compared with Python over every row of the tables; and each of
their queries reads the index it was written for (EXPLAIN QUERY PLAN).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from salesdev_tui.db import open_database
from salesdev_tui.domain.demo import generate_demo
from salesdev_tui.domain.periods import last_n_months, period_containing
from salesdev_tui.domain.scorecard_view import Figure
from salesdev_tui.models.enums import PeriodKind, Stage
from salesdev_tui.models.stored import to_db_timestamp as ts
from salesdev_tui.models.tables import Contract, Customer, Survey
from salesdev_tui.store import scorecard_read
from salesdev_tui.store.combined import Store
from tests.conftest import FIXED_NOW
from tests.test_pipeline_value import reference

ZONE = ZoneInfo("Asia/Taipei")


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    db = open_database(tmp_path_factory.mktemp("book") / "demo.db")
    store = Store(db)
    store.exchange.bulk_insert(generate_demo(customers=160, seed=11, now=FIXED_NOW, zone=ZONE))
    yield store
    db.close()


def _bounds() -> list[datetime]:
    months = last_n_months(period_containing(FIXED_NOW, PeriodKind.MONTH, ZONE), 12)
    return [m.utc_bounds()[0] for m in months] + [months[-1].utc_bounds()[1]]


def _within(moment: datetime | None, start: datetime, end: datetime) -> bool:
    return moment is not None and start <= moment < end


def _rows(store: Store, model: Any) -> list[Any]:
    with store.db.read() as session:
        return list(session.exec(select(model).where(col(model.deleted_at).is_(None))).all())


def test_the_trend_equals_month_by_month_sums(book: Store) -> None:
    bounds = _bounds()
    customers, contracts, surveys = (_rows(book, m) for m in (Customer, Contract, Survey))
    series = book.kpis.kpi_series(bounds)
    assert len(series) == 12
    for figures, start, end in zip(series, bounds, bounds[1:], strict=False):
        signed = [k for k in contracts if _within(k.signed_at, start, end)]
        taken = [s for s in surveys if _within(s.taken_at, start, end)]
        assert figures.new_customers == sum(_within(c.first_signed_at, start, end)
                                            for c in customers)
        assert figures.prospects_contacted == sum(_within(c.first_contacted_at, start, end)
                                                  for c in customers)
        assert figures.revenue == sum((k.value for k in signed), Decimal("0.00"))
        assert figures.profit == sum((k.value - k.cost for k in signed), Decimal("0.00"))
        assert figures.satisfaction_sum == sum(s.score for s in taken)
        assert figures.satisfaction_responses == len(taken)
    assert sum(f.new_customers + f.prospects_contacted for f in series) > 0  # not vacuous


def test_the_breakdown_equals_a_grouping_in_python(book: Store) -> None:
    start, end = _bounds()[-2], _bounds()[-1]
    customers = _rows(book, Customer)
    by_id = {c.id: c for c in customers}
    expected: dict[tuple[Any, Any], list[Any]] = defaultdict(lambda: [0, 0, Decimal(0),
                                                                      Decimal(0)])
    for c in customers:
        key = (c.source, c.industry)
        if _within(c.first_signed_at, start, end):
            expected[key][0] += 1
        if _within(c.first_contacted_at, start, end):
            expected[key][1] += 1
    for k in _rows(book, Contract):
        if _within(k.signed_at, start, end):
            owner = by_id[k.customer_id]
            expected[(owner.source, owner.industry)][2] += k.value
            expected[(owner.source, owner.industry)][3] += k.value - k.cost
    found = {(r.source, r.industry): [r.new_customers, r.prospects_contacted, r.revenue,
                                      r.profit] for r in book.kpis.kpi_breakdown(start, end)}
    assert found == dict(expected)
    assert len(found) > 3


def test_the_pipeline_equals_the_proposals_from_scratch(book: Store) -> None:
    values = reference(book)
    customers = {c.id: c for c in _rows(book, Customer)}
    expected_count: Counter[Stage] = Counter()
    expected_value: dict[Stage, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for customer_id, value in values.items():
        owner = customers.get(customer_id)
        if value is None or owner is None or owner.stage in (Stage.WON, Stage.LOST):
            continue
        expected_count[owner.stage] += 1
        expected_value[owner.stage] += value
    rows = book.kpis.pipeline_by_stage()
    assert {r.stage: r.proposals for r in rows} == dict(expected_count)
    assert {r.stage: r.value for r in rows} == dict(expected_value)
    assert len(rows) >= 3
    # The drill-down still computes each proposal from its lines: it agrees.
    for row in rows:
        behind = book.kpis.customers_behind(Figure.PIPELINE, _bounds()[0],
                                       _bounds()[-1], stage=row.stage)
        assert len(behind) == row.proposals
        assert sum((f.amount or Decimal(0) for f in behind), Decimal("0.00")) == row.value


def _plan(store: Store, sql: str, params: tuple[Any, ...] = ()) -> str:
    with store._raw_read() as conn:
        return " | ".join(str(row[-1]) for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}",
                                                                 params).fetchall())


def test_each_query_reads_its_covering_index(book: Store) -> None:
    bounds = (ts(_bounds()[0]), ts(_bounds()[-1]))
    plans = {
        "ix_customer_pipeline": _plan(book, scorecard_read.PIPELINE),
        "ix_customer_signed_live": _plan(
            book, scorecard_read.COUNTS.format(column="first_signed_at"), bounds),
        "ix_customer_contacted_live": _plan(
            book, scorecard_read.COUNTS.format(column="first_contacted_at"), bounds),
        "ix_contract_signed_live": _plan(book, scorecard_read.MONEY, bounds),
    }
    for index, plan in plans.items():
        assert f"COVERING INDEX {index}" in plan, plan
    from salesdev_tui.store import today_queries

    # The KPI counts of Today, the review and the trend: the running sums of the range's
    # whole UTC days (primary keys), and the same covering indexes for its two edges (a
    # Taipei month starts and ends at 16:00 UTC).
    with book._raw_read() as conn:
        statements: list[str] = []
        conn.set_trace_callback(statements.append)
        try:
            today_queries.kpi_figures(conn, _bounds()[0], _bounds()[-1])
        finally:
            conn.set_trace_callback(None)
        plans_of_kpis = [
            " ".join(str(r[-1]) for r in conn.execute(f"EXPLAIN QUERY PLAN {s}").fetchall())
            for s in statements
        ]
    edge = ("COVERING INDEX ix_customer_signed_live", "COVERING INDEX ix_customer_contacted_live",
            "COVERING INDEX ix_contract_signed_live", "COVERING INDEX ix_survey_taken_live")
    for expected, plan in zip(("SEARCH kpi_day USING PRIMARY KEY (day>? AND day<?)",
                               "SEARCH kpi_survey_day USING PRIMARY KEY (day>? AND day<?)",
                               *edge, *edge),
                              plans_of_kpis, strict=True):
        assert expected in plan, plan


def test_the_sums_per_day_and_stage_equal_a_fill_from_scratch(book: Store) -> None:
    """What the triggers kept through the demo's writes is what the migration computes."""
    from salesdev_tui.db.kpi_summary import KPI_TABLES, fill_kpi_summary

    with book.db.read() as session:
        link = session.connection()
        kept = {t: link.exec_driver_sql(f"SELECT * FROM {t}").all() for t in KPI_TABLES}
        fill_kpi_summary(link)
        scratch = {t: link.exec_driver_sql(f"SELECT * FROM {t}").all() for t in KPI_TABLES}
        session.rollback()
    assert kept["kpi_day"] and kept["kpi_survey_day"] and kept["kpi_pipeline"]
    for table in KPI_TABLES:
        # A pair whose rows all went elsewhere stays as zeros: compare the non-zero rows.
        assert [r for r in kept[table] if any(r[3:] if table == "kpi_day" else r[1:])] == \
            scratch[table], table


def test_a_new_file_has_no_replaced_index(tmp_path: Path) -> None:
    db = open_database(tmp_path / "new.db")
    try:
        with db.read() as session:
            names = {n for (n,) in session.connection().exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'index'")}
    finally:
        db.close()
    assert "ix_customer_pipeline" in names
    assert not names & {"ix_customer_first_signed_at", "ix_customer_first_contacted_at",
                        "ix_contract_signed_at", "ix_survey_taken_at"}
