"""The team scorecard's query is written once (SQLAlchemy Core) for both dialects: compiled
for the laptop's SQLite it gives the rep's own scorecard figures (`today_queries`) month by
month on a demo book. (On PostgreSQL, tests/server/test_team_scorecard.py compares it with
each rep's laptop; bench/team_scorecard_bench.py shows its plan on a full-size team.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from salesdev_tui.db import open_database
from salesdev_tui.domain.demo import generate_demo
from salesdev_tui.domain.periods import last_n_months, period_containing
from salesdev_tui.models.enums import PeriodKind
from salesdev_tui.models.stored import to_db_timestamp as ts
from salesdev_tui.server.team_figures import figures_from_rows, figures_query
from salesdev_tui.store.combined import Store
from tests.conftest import FIXED_NOW

ZONE = ZoneInfo("Asia/Taipei")


@pytest.fixture
def book(tmp_path: Path) -> Iterator[Store]:
    db = open_database(tmp_path / "book.db")
    store = Store(db)
    store.exchange.bulk_insert(generate_demo(customers=120, seed=5, now=FIXED_NOW, zone=ZONE))
    yield store
    db.close()


def test_the_sqlite_compilation_gives_the_reps_own_figures(book: Store) -> None:
    months = last_n_months(period_containing(FIXED_NOW, PeriodKind.MONTH, ZONE), 12)
    seen_money = False
    for month in months:
        start, end = month.utc_bounds()
        with book.db.read() as session:
            rows = session.connection().execute(
                figures_query(by_owner=False), {"start": ts(start), "end": ts(end)}).fetchall()
        found = figures_from_rows(rows)[""]
        assert found == book.kpis.kpi_figures(start, end), month.label
        seen_money |= found.revenue > 0
    assert seen_money  # the book has signed contracts in the year: the test compares sums
