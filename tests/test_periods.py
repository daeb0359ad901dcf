"""Periods cut in the rep's zone: edges, daylight saving, parsing, and properties."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesdev_tui.domain.periods import (
    Period,
    day_bounds,
    last_n_months,
    local_date,
    parse_period,
    period_containing,
    working_days_left,
)
from salesdev_tui.models.enums import PeriodKind

TAIPEI = ZoneInfo("Asia/Taipei")
NEW_YORK = ZoneInfo("America/New_York")
UTC_ZONE = ZoneInfo("UTC")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# --- month edges in Taipei (UTC+8) ---------------------------------------------------------


def test_late_evening_of_the_last_day_is_in_that_month() -> None:
    moment = datetime(2026, 11, 30, 23, 30, tzinfo=TAIPEI)
    period = period_containing(moment, PeriodKind.MONTH, TAIPEI)
    assert period.label == "2026-11"
    assert period.contains(moment)


def test_just_after_local_midnight_is_the_next_month_though_utc_is_not() -> None:
    moment = utc(2026, 11, 30, 16, 30)  # 2026-12-01 00:30 in Taipei
    assert moment == datetime(2026, 12, 1, 0, 30, tzinfo=TAIPEI)
    period = period_containing(moment, PeriodKind.MONTH, TAIPEI)
    assert period.label == "2026-12"
    assert period.contains(moment)
    assert not period.previous().contains(moment)
    # The same instant is still November when cut in UTC.
    assert period_containing(moment, PeriodKind.MONTH, UTC_ZONE).label == "2026-11"


def test_month_bounds_in_taipei() -> None:
    period = parse_period("2026-11", TAIPEI)
    assert period.kind is PeriodKind.MONTH
    assert period.start == datetime(2026, 11, 1, tzinfo=TAIPEI)
    assert period.end == datetime(2026, 12, 1, tzinfo=TAIPEI)
    assert period.utc_bounds() == (utc(2026, 10, 31, 16), utc(2026, 11, 30, 16))
    assert period.utc_bounds()[0].tzinfo is UTC
    start, end = period.utc_bounds()
    assert period.contains(start)
    assert not period.contains(end)
    assert period.contains(end - timedelta(microseconds=1))
    assert period.first_day == date(2026, 11, 1)
    assert period.last_day == date(2026, 11, 30)


def test_contains_needs_an_aware_moment() -> None:
    with pytest.raises(ValueError):
        parse_period("2026-11", TAIPEI).contains(datetime(2026, 11, 5))
    with pytest.raises(ValueError):
        period_containing(datetime(2026, 11, 5), PeriodKind.MONTH, TAIPEI)


# --- daylight saving in New York -----------------------------------------------------------


def test_month_across_the_spring_change() -> None:
    period = parse_period("2026-03", NEW_YORK)
    start, end = period.utc_bounds()
    assert start == utc(2026, 3, 1, 5)  # EST, UTC-5
    assert end == utc(2026, 4, 1, 4)  # EDT, UTC-4
    assert end - start == timedelta(days=31) - timedelta(hours=1)


def test_month_across_the_autumn_change() -> None:
    period = parse_period("2026-11", NEW_YORK)
    start, end = period.utc_bounds()
    assert start == utc(2026, 11, 1, 4)  # EDT
    assert end == utc(2026, 12, 1, 5)  # EST
    assert end - start == timedelta(days=30, hours=1)


def test_repeated_hour_belongs_to_the_right_day() -> None:
    # 2026-11-01 01:30 happens twice in New York; both are on Nov 1.
    first = utc(2026, 11, 1, 5, 30)
    second = utc(2026, 11, 1, 6, 30)
    for moment in (first, second):
        assert local_date(moment, NEW_YORK) == date(2026, 11, 1)
        assert period_containing(moment, PeriodKind.MONTH, NEW_YORK).label == "2026-11"


def test_day_bounds_on_dst_days() -> None:
    start, end = day_bounds(date(2026, 3, 8), NEW_YORK)
    assert (start, end) == (utc(2026, 3, 8, 5), utc(2026, 3, 9, 4))
    assert end - start == timedelta(hours=23)
    start, end = day_bounds(date(2026, 11, 1), NEW_YORK)
    assert end - start == timedelta(hours=25)
    assert day_bounds(date(2026, 12, 1), TAIPEI) == (utc(2026, 11, 30, 16), utc(2026, 12, 1, 16))
    assert start.tzinfo is UTC


def test_midnight_that_does_not_exist() -> None:
    # Santiago moved its clocks from 00:00 to 01:00 on 2024-09-08.
    santiago = ZoneInfo("America/Santiago")
    start, end = day_bounds(date(2024, 9, 8), santiago)
    assert start == utc(2024, 9, 8, 4)
    assert end - start == timedelta(hours=23)
    # The first instant of the day is 01:00 local, and it is in September.
    assert local_date(start, santiago) == date(2024, 9, 8)
    assert local_date(start - timedelta(microseconds=1), santiago) == date(2024, 9, 7)


def test_imaginary_wall_time_is_placed_by_its_instant() -> None:
    # 00:30 on 2024-09-08 never happened in Santiago; with fold=1 (the later offset, UTC-3)
    # it denotes 03:30 UTC, which was 23:30 on Sep 7 there. (Found by hypothesis.)
    santiago = ZoneInfo("America/Santiago")
    moment = datetime(2024, 9, 8, 0, 30, fold=1, tzinfo=santiago)
    assert moment.astimezone(UTC) == utc(2024, 9, 8, 3, 30)
    assert local_date(moment, santiago) == date(2024, 9, 7)
    start, end = day_bounds(local_date(moment, santiago), santiago)
    assert start <= moment < end


# --- quarters and years --------------------------------------------------------------------


def test_quarter_edges() -> None:
    q4 = parse_period("2026-Q4", TAIPEI)
    assert q4.kind is PeriodKind.QUARTER
    assert q4.start == datetime(2026, 10, 1, tzinfo=TAIPEI)
    assert q4.end == datetime(2027, 1, 1, tzinfo=TAIPEI)
    assert [m.label for m in q4.months()] == ["2026-10", "2026-11", "2026-12"]
    assert period_containing(utc(2026, 9, 30, 16), PeriodKind.QUARTER, TAIPEI).label == "2026-Q4"
    assert period_containing(utc(2026, 9, 30, 15, 59), PeriodKind.QUARTER, TAIPEI).label == (
        "2026-Q3"
    )
    assert parse_period("2026-q4", TAIPEI) == q4


def test_year_edges() -> None:
    year = parse_period("2026", TAIPEI)
    assert year.kind is PeriodKind.YEAR
    assert year.utc_bounds() == (utc(2025, 12, 31, 16), utc(2026, 12, 31, 16))
    assert len(year.months()) == 12
    assert year.months()[0].label == "2026-01"
    assert year.months()[-1].end == year.end
    assert period_containing(utc(2026, 12, 31, 16), PeriodKind.YEAR, TAIPEI).label == "2027"


def test_previous_and_next_across_the_year_boundary() -> None:
    december = parse_period("2026-12", TAIPEI)
    assert december.next().label == "2027-01"
    assert december.next().previous() == december
    assert parse_period("2027-01", TAIPEI).previous().label == "2026-12"
    assert parse_period("2026-Q4", TAIPEI).next().label == "2027-Q1"
    assert parse_period("2027-Q1", TAIPEI).previous().label == "2026-Q4"
    assert parse_period("2026", TAIPEI).previous().label == "2025"
    assert parse_period("2026", TAIPEI).next().start == parse_period("2026", TAIPEI).end


def test_last_n_months() -> None:
    months = last_n_months(parse_period("2027-02", TAIPEI), 4)
    assert [m.label for m in months] == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert last_n_months(parse_period("2027-02", TAIPEI), 0) == []
    # A quarter counts back from its last month.
    assert last_n_months(parse_period("2026-Q4", TAIPEI), 1)[0].label == "2026-12"
    with pytest.raises(ValueError):
        last_n_months(parse_period("2027-02", TAIPEI), -1)


# --- parsing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "label"),
    [("2026-11", "2026-11"), (" 2026-1 ", "2026-01"), ("2026-Q1", "2026-Q1"), ("2026", "2026")],
)
def test_parse_period(text: str, label: str) -> None:
    assert parse_period(text, TAIPEI).label == label
    assert str(parse_period(text, TAIPEI)) == label


@pytest.mark.parametrize(
    "text", ["", "26", "2026-13", "2026-00", "2026-Q5", "2026-Q0", "Nov 2026", "2026/11", "2026-"]
)
def test_parse_period_errors(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_period(text, TAIPEI)
    assert repr(text.strip()) in str(info.value)


def test_parse_period_out_of_range() -> None:
    with pytest.raises(ValueError, match="out of range"):
        parse_period("9999-12", TAIPEI)


# --- working days --------------------------------------------------------------------------


def test_working_days_left() -> None:
    november = parse_period("2026-11", TAIPEI)  # Nov 2026: starts on a Sunday, 21 weekdays
    assert working_days_left(date(2026, 10, 15), november) == 21
    assert working_days_left(date(2026, 11, 1), november) == 21
    assert working_days_left(date(2026, 11, 27), november) == 2  # Fri 27 and Mon 30
    assert working_days_left(date(2026, 11, 27), november, include_today=False) == 1
    assert working_days_left(date(2026, 11, 28), november) == 1  # Saturday: only Mon 30
    assert working_days_left(date(2026, 11, 30), november, include_today=False) == 0
    assert working_days_left(date(2026, 12, 1), november) == 0


@given(
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    label=st.sampled_from(["2026-02", "2026-Q3", "2028", "2027-12"]),
    include_today=st.booleans(),
)
def test_working_days_left_matches_counting(today: date, label: str, include_today: bool) -> None:
    period = parse_period(label, TAIPEI)
    day = period.first_day
    expected = 0
    while day <= period.last_day:
        if day.weekday() < 5 and (day > today or (include_today and day == today)):
            expected += 1
        day += timedelta(days=1)
    assert working_days_left(today, period, include_today) == expected


# --- properties ----------------------------------------------------------------------------

moments = st.datetimes(
    min_value=datetime(1900, 1, 2),
    max_value=datetime(2200, 12, 30),
    timezones=st.timezones(),
)


@given(moment=moments, kind=st.sampled_from(list(PeriodKind)), zone=st.timezones())
def test_period_containing_properties(moment: datetime, kind: PeriodKind, zone: ZoneInfo) -> None:
    period = period_containing(moment, kind, zone)
    assert period.contains(moment)
    assert period.start < period.end
    assert period.next().start == period.end
    assert period.previous().end == period.start
    assert not period.next().contains(moment)
    assert not period.previous().contains(moment)
    assert period.kind is kind
    assert parse_period(period.label, zone) == period
    months = period.months()
    assert months[0].start == period.start
    assert months[-1].end == period.end
    assert sum(m.contains(moment) for m in months) == 1


@given(moment=moments, zone=st.timezones())
def test_day_bounds_hold_the_local_date(moment: datetime, zone: ZoneInfo) -> None:
    day = local_date(moment, zone)
    start, end = day_bounds(day, zone)
    assert start <= moment < end
    assert timedelta(hours=20) <= end - start <= timedelta(hours=28)


def test_period_is_hashable_and_frozen() -> None:
    period = parse_period("2026-11", TAIPEI)
    assert {period: 1}[parse_period("2026-11", TAIPEI)] == 1
    with pytest.raises(AttributeError):
        period.label = "x"  # type: ignore[misc]
    assert isinstance(period, Period)
