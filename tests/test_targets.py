"""Targets per period and indicator (config defaults, period rows), attainment and pace."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from salesdev_tui.config import Settings, Targets
from salesdev_tui.domain.pace import pace
from salesdev_tui.domain.periods import parse_period
from salesdev_tui.domain.targets import (
    TargetSource,
    TargetValue,
    attainment,
    default_for,
    manager_mark,
    resolve_targets,
    target_problem,
)
from salesdev_tui.domain.validation import TargetInput, validate
from salesdev_tui.models.enums import Kpi, PeriodKind
from salesdev_tui.store.combined import Store
from salesdev_tui.store.reports import period_targets
from tests.test_kpis import TAIPEI

MONTHLY = Targets(new_customers=5, success_rate=Decimal("0.25"), revenue=Decimal("100000"),
                  profit=Decimal("30000"), satisfaction=Decimal("4.2"))


def test_quarter_and_year_defaults_derive_from_the_monthly_ones() -> None:
    month = resolve_targets(parse_period("2026-11", TAIPEI), MONTHLY, [])
    quarter = resolve_targets(parse_period("2026-Q4", TAIPEI), MONTHLY, [])
    year = resolve_targets(parse_period("2026", TAIPEI), MONTHLY, [])
    assert {k: v.value for k, v in month.items()} == {
        Kpi.NEW_CUSTOMERS: 5, Kpi.SUCCESS_RATE: Decimal("0.25"), Kpi.REVENUE: 100000,
        Kpi.PROFIT: 30000, Kpi.SATISFACTION: Decimal("4.2")}
    # Counts and money add up over the months; rates and satisfaction stay as they are.
    assert quarter[Kpi.NEW_CUSTOMERS].value == 15
    assert quarter[Kpi.REVENUE].value == 300000
    assert year[Kpi.PROFIT].value == 360000
    assert quarter[Kpi.SUCCESS_RATE].value == year[Kpi.SUCCESS_RATE].value == Decimal("0.25")
    assert year[Kpi.SATISFACTION].value == Decimal("4.2")
    assert all(v.source is TargetSource.DEFAULT for v in year.values())
    assert default_for(Kpi.REVENUE, Decimal(7), PeriodKind.YEAR) == 84
    assert resolve_targets(parse_period("2026", TAIPEI), Targets(), []) == {}


class Row:
    def __init__(self, kind: PeriodKind, label: str, kpi: Kpi, value: str,
                 set_by: str | None = None) -> None:
        self.period_kind, self.period_label, self.kpi = kind, label, kpi
        self.value = Decimal(value)
        self.set_by = set_by


def test_a_period_row_overrides_only_its_period() -> None:
    rows = [Row(PeriodKind.QUARTER, "2026-Q4", Kpi.REVENUE, "250000"),
            Row(PeriodKind.MONTH, "2026-11", Kpi.REVENUE, "120000"),
            Row(PeriodKind.QUARTER, "2026-Q3", Kpi.NEW_CUSTOMERS, "99")]
    quarter = resolve_targets(parse_period("2026-Q4", TAIPEI), MONTHLY, rows)
    assert quarter[Kpi.REVENUE] == TargetValue(Kpi.REVENUE, Decimal("250000"),
                                               TargetSource.PERIOD)
    assert quarter[Kpi.NEW_CUSTOMERS].value == 15  # Q3's row is not Q4's
    # A month row is that month's alone: it does not add up into the quarter.
    assert resolve_targets(parse_period("2026-12", TAIPEI), MONTHLY, rows)[Kpi.REVENUE].value == (
        100000)
    only_rows = resolve_targets(parse_period("2026-11", TAIPEI), Targets(), rows)
    assert list(only_rows) == [Kpi.REVENUE]


def test_the_managers_targets_replace_the_reps_own_and_the_defaults_of_their_period() -> None:
    """Issue 19.3: a period the manager set counts the manager's targets only (the rep's
    own rows and the config's defaults of that period do not); other periods are as before."""
    rows = [Row(PeriodKind.MONTH, "2026-11", Kpi.REVENUE, "120000"),
            Row(PeriodKind.MONTH, "2026-11", Kpi.PROFIT, "30000"),
            Row(PeriodKind.MONTH, "2026-11", Kpi.REVENUE, "500000", set_by="max"),
            Row(PeriodKind.MONTH, "2026-12", Kpi.REVENUE, "130000")]
    november = resolve_targets(parse_period("2026-11", TAIPEI), MONTHLY, rows)
    assert november == {Kpi.REVENUE: TargetValue(Kpi.REVENUE, Decimal("500000"),
                                                 TargetSource.MANAGER)}
    assert manager_mark(november[Kpi.REVENUE]) == " (manager)"
    december = resolve_targets(parse_period("2026-12", TAIPEI), MONTHLY, rows)
    assert december[Kpi.REVENUE].source is TargetSource.PERIOD
    assert december[Kpi.NEW_CUSTOMERS].source is TargetSource.DEFAULT
    assert manager_mark(december[Kpi.REVENUE]) == "" == manager_mark(None)


def test_attainment() -> None:
    target = TargetValue(Kpi.REVENUE, Decimal("400"), TargetSource.DEFAULT)
    assert attainment(Decimal("100"), target) == Decimal("0.25")
    assert attainment(Decimal("500"), target) == Decimal("1.25")
    assert attainment(None, target) is None
    assert attainment(Decimal(1), None) is None
    assert attainment(Decimal(1), Decimal(0)) is None


@pytest.mark.parametrize(
    ("kpi", "value", "ok"),
    [(Kpi.NEW_CUSTOMERS, "3", True), (Kpi.NEW_CUSTOMERS, "2.5", False),
     (Kpi.SUCCESS_RATE, "0.3", True), (Kpi.SUCCESS_RATE, "30", False),
     (Kpi.SATISFACTION, "4.5", True), (Kpi.SATISFACTION, "0.5", False),
     (Kpi.REVENUE, "-1", False), (Kpi.REVENUE, "1000000", True)],
)
def test_target_limits(kpi: Kpi, value: str, ok: bool) -> None:
    assert (target_problem(kpi, Decimal(value)) is None) is ok


def test_pace_mid_month_in_working_days() -> None:
    november = parse_period("2026-11", TAIPEI)  # 21 working days
    monday = date(2026, 11, 16)
    during = pace(Decimal("3000"), Decimal("10000"), monday, november)
    assert (during.days_total, during.days_left, during.days_gone) == (21, 11, 10)
    assert during.projected == Decimal("6300.00")
    assert during.needed_per_day == Decimal("636.36")
    # Seen after that day (its review the next day), the day is gone: one working day fewer.
    after = pace(Decimal("3000"), Decimal("10000"), monday + timedelta(days=1), november)
    assert (after.days_left, after.projected) == (10, Decimal("5727.27"))
    assert after.needed_per_day == Decimal("700.00")


def test_pace_edges() -> None:
    november = parse_period("2026-11", TAIPEI)
    # Sunday 1 November: no working day is gone yet, so no projection.
    first = pace(Decimal(0), Decimal(10), date(2026, 11, 1), november)
    assert (first.projected, first.needed_per_day, first.days_left) == (None, Decimal("0.48"),
                                                                        21)
    met = pace(Decimal(12), Decimal(10), date(2026, 11, 20), november)
    assert met.needed_per_day == Decimal("0.00")
    over = pace(Decimal(7), Decimal(10), date(2026, 12, 2), november)
    assert (over.projected, over.needed_per_day, over.days_left) == (Decimal(7), None, 0)
    assert pace(Decimal(7), None, date(2026, 11, 20), november).needed_per_day is None
    # The last working day, seen after it ended: nothing is left to make up the gap.
    late = pace(Decimal(7), Decimal(10), date(2026, 12, 1), november)
    assert (late.days_left, late.needed_per_day, late.projected) == (0, None, Decimal("7.00"))


def test_pace_of_a_quarter_and_a_year_cut_in_taipei() -> None:
    quarter = pace(Decimal(30), Decimal(60), date(2026, 11, 16), parse_period("2026-Q4", TAIPEI))
    assert (quarter.days_total, quarter.days_left) == (66, 34)
    year = pace(Decimal(30), None, date(2027, 1, 1), parse_period("2026", TAIPEI))
    assert (year.days_total, year.days_left, year.projected) == (261, 0, Decimal("30.00"))


def _input(kind: str, label: str, kpi: str, value: str) -> Any:
    return validate(TargetInput, {"period_kind": kind, "period_label": label, "kpi": kpi,
                                  "value": value})


def test_store_sets_changes_and_clears_targets(store: Store) -> None:
    first = store.targets.set_target(_input("quarter", "2026-q4", "revenue", "250,000"))
    assert (first.period_label, first.value) == ("2026-Q4", Decimal("250000"))
    again = store.targets.set_target(_input("quarter", "2026-Q4", "revenue", "260000"))
    assert again.id == first.id  # one live row per period and indicator
    store.targets.set_target(_input("month", "2026-11", "revenue", "90000"))
    rows = store.targets.targets_for([(PeriodKind.QUARTER, "2026-Q4"), (PeriodKind.MONTH,
                                                                        "2026-11")])
    assert sorted(r.value for r in rows) == [Decimal("90000"), Decimal("260000")]
    settings = Settings(timezone="Asia/Taipei", targets=MONTHLY)
    quarter = period_targets(store, parse_period("2026-Q4", TAIPEI), settings)
    assert quarter[Kpi.REVENUE].value == Decimal("260000")
    assert quarter[Kpi.NEW_CUSTOMERS].value == 15
    assert store.targets.clear_target(PeriodKind.QUARTER, "2026-Q4", Kpi.REVENUE) is True
    assert store.targets.clear_target(PeriodKind.QUARTER, "2026-Q4", Kpi.REVENUE) is False
    quarter = period_targets(store, parse_period("2026-Q4", TAIPEI), settings)
    assert quarter[Kpi.REVENUE] == TargetValue(Kpi.REVENUE, Decimal(300000),
                                               TargetSource.DEFAULT)
    # Cleared, it can be set again (the unique index counts live rows only).
    store.targets.set_target(_input("quarter", "2026-Q4", "revenue", "1"))
    assert store.targets.target_of(PeriodKind.QUARTER, "2026-Q4", Kpi.REVENUE) is not None
    assert store.targets.targets_for([]) == []


def test_the_today_strip_uses_the_same_targets(store: Store) -> None:
    from datetime import UTC, datetime

    from salesdev_tui.store.reports import month_strip as load_strip
    from salesdev_tui.widgets.scorecard_strip import render_strip

    settings = Settings(timezone="Asia/Taipei", targets=MONTHLY)
    now = datetime(2026, 11, 16, 6, 30, tzinfo=UTC)
    strip = load_strip(store, settings, now)
    assert (strip.new_customers_target, strip.revenue_target) == (5, Decimal("100000"))
    store.targets.set_target(_input("month", "2026-11", "revenue", "80000"))
    store.targets.set_target(_input("month", "2026-11", "new_customers", "3"))
    strip = load_strip(store, settings, now)
    assert (strip.new_customers_target, strip.revenue_target) == (3, Decimal("80000"))
    text = render_strip(strip).plain
    assert text.startswith("This month 2026-11")
    assert "New customers 0/3" in text and "Revenue TWD 0/80,000 (0%)" in text
    assert len(text) <= 116  # one line of the strip at 120 columns
