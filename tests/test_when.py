"""Reading the dates and times a rep types (services.when)."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesdev_tui.domain.when import format_when, parse_day, parse_when

TAIPEI = ZoneInfo("Asia/Taipei")
NEW_YORK = ZoneInfo("America/New_York")
#: Wednesday 2026-03-04, 10:00 in Taipei.
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=TAIPEI)


def local(text: str, now: datetime = NOW, zone: ZoneInfo = TAIPEI) -> str:
    moment = parse_when(text, now, zone)
    assert moment.tzinfo is UTC
    return format_when(moment, zone)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01 14:30", "2026-12-01 14:30"),
        ("2026/12/01 14:30", "2026-12-01 14:30"),
        ("2026-12-01T14:30", "2026-12-01 14:30"),
        ("2026-12-01", "2026-12-01 09:00"),  # a date alone means 09:00
        ("2025-01-01", "2025-01-01 09:00"),  # a full date in the past is taken as written
        ("12-01 14:30", "2026-12-01 14:30"),
        ("12/01", "2026-12-01 09:00"),
        ("03-04", "2026-03-04 09:00"),  # today counts as "this year"
        ("03-01", "2027-03-01 09:00"),  # passed this year: next year
        ("today 15:00", "2026-03-04 15:00"),
        ("today", "2026-03-04 09:00"),
        ("Today 3pm", "2026-03-04 15:00"),
        ("tomorrow", "2026-03-05 09:00"),
        ("tom 9", "2026-03-05 09:00"),
        ("tmr 9:30", "2026-03-05 09:30"),
        ("tom 2:30 pm", "2026-03-05 14:30"),
        ("tom 12am", "2026-03-05 00:00"),
        ("tom 12pm", "2026-03-05 12:00"),
        ("yesterday 16:00", "2026-03-03 16:00"),
        ("mon", "2026-03-09 09:00"),
        ("monday 10:00", "2026-03-09 10:00"),
        ("wed", "2026-03-11 09:00"),  # the next Wednesday, never today
        ("fri 17", "2026-03-06 17:00"),
        ("+3d", "2026-03-07 09:00"),
        ("+3 days 14:00", "2026-03-07 14:00"),
        ("+2w", "2026-03-18 09:00"),
        ("-1d", "2026-03-03 09:00"),
        ("+1h", "2026-03-04 11:00"),
        ("+90m", "2026-03-04 11:30"),
        ("+ 2 hours", "2026-03-04 12:00"),
        ("14:30", "2026-03-04 14:30"),  # later today
        ("09:30", "2026-03-05 09:30"),  # already past: tomorrow
        ("10:00", "2026-03-04 10:00"),  # this very minute: today
        ("9am", "2026-03-05 09:00"),
        ("明天", "2026-03-05 09:00"),
        ("今天", "2026-03-04 09:00"),
        ("明天 14:30", "2026-03-05 14:30"),
        ("明天14:30", "2026-03-05 14:30"),
        ("後天", "2026-03-06 09:00"),
        ("週五 15:00", "2026-03-06 15:00"),
        ("星期一", "2026-03-09 09:00"),
        ("２０２６－１２－０１　１４：３０", "2026-12-01 14:30"),  # full-width from an IME
        ("  2026-12-01   14:30  ", "2026-12-01 14:30"),
    ],
)
def test_parse_when(text: str, expected: str) -> None:
    assert local(text) == expected


def test_parse_when_returns_utc() -> None:
    assert parse_when("2026-12-01 14:30", NOW, TAIPEI) == datetime(2026, 12, 1, 6, 30, tzinfo=UTC)


def test_relative_hours_count_from_now_to_the_minute() -> None:
    now = datetime(2026, 3, 4, 10, 7, 33, 120, tzinfo=TAIPEI)
    assert local("+1h", now) == "2026-03-04 11:07"
    assert parse_when("+1h", now, TAIPEI).second == 0


def test_now_in_another_zone_is_read_in_the_reps_zone() -> None:
    # 23:30 UTC on 3 March is already 4 March 07:30 in Taipei.
    now = datetime(2026, 3, 3, 23, 30, tzinfo=UTC)
    assert local("today 12:00", now) == "2026-03-04 12:00"


def test_year_end_month_day_rolls_to_next_year() -> None:
    now = datetime(2026, 12, 31, 10, 0, tzinfo=TAIPEI)
    assert local("01-02", now) == "2027-01-02 09:00"
    assert local("tomorrow", now) == "2027-01-01 09:00"


def test_29_february_goes_to_the_next_leap_year() -> None:
    assert local("02-29") == "2028-02-29 09:00"


def test_dst_gap_moves_forward_and_fold_takes_the_first() -> None:
    now = datetime(2026, 1, 1, tzinfo=NEW_YORK)
    # 02:30 does not exist on 2026-03-08 in New York: it becomes 03:30 EDT.
    assert local("2026-03-08 02:30", now, NEW_YORK) == "2026-03-08 03:30"
    # 01:30 happens twice on 2026-11-01: the first (EDT, UTC-4) is taken.
    moment = parse_when("2026-11-01 01:30", now, NEW_YORK)
    assert moment == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "enter a date or time"),
        ("   ", "enter a date or time"),
        ("soon", "not a date or time I understand"),
        ("9", "not a date or time I understand"),  # a bare hour needs a day
        ("tomorrow at noon", "not a date or time I understand"),
        ("tom xyz", "not a date or time I understand"),
        ("14:30 tomorrow", "not a date or time I understand"),
        ("+1h 14:00", "not a date or time I understand"),
        ("2026-02-29", "not a date in the calendar"),
        ("2026-13-01", "not a date in the calendar"),
        ("13-01", "not a day of the year"),
        ("02-30", "not a day of the year"),
        ("tom 25:00", "hour goes from 0 to 23"),
        ("tom 10:60", "minutes go from 00 to 59"),
        ("tom 13pm", "1 to 12"),
    ],
)
def test_parse_when_refuses_in_plain_words(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_when(text, NOW, TAIPEI)


def test_beyond_the_calendar_is_too_far_away() -> None:
    late = datetime(9990, 1, 1, tzinfo=TAIPEI)
    for text in ("+9999w", "+9999w 10:00", "+99999h"):
        with pytest.raises(ValueError, match="too far away"):
            parse_when(text, late, TAIPEI)
    with pytest.raises(ValueError, match="too far away"):
        parse_day("+9999w", date(9990, 1, 1))
    with pytest.raises(ValueError, match="too far away"):
        parse_when("tomorrow", datetime(9999, 12, 31, 12, tzinfo=UTC), TAIPEI)


def test_parse_when_refuses_a_naive_now() -> None:
    with pytest.raises(ValueError):
        parse_when("tomorrow", datetime(2026, 3, 4, 10, 0), TAIPEI)


@given(st.text(max_size=30))
def test_parse_when_raises_only_value_error(text: str) -> None:
    try:
        moment = parse_when(text, NOW, TAIPEI)
    except ValueError:
        return
    assert moment.tzinfo is UTC


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    )
)
def test_format_then_parse_round_trips_to_the_minute(moment: datetime) -> None:
    moment = moment.replace(second=0, microsecond=0)
    assert parse_when(format_when(moment, TAIPEI), NOW, TAIPEI) == moment


def test_format_when() -> None:
    assert format_when(datetime(2026, 12, 1, 6, 30, tzinfo=UTC), TAIPEI) == "2026-12-01 14:30"
    with pytest.raises(ValueError):
        format_when(datetime(2026, 12, 1, 6, 30), TAIPEI)


# --- parse_day --------------------------------------------------------------------------------

TODAY = date(2026, 3, 4)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01", date(2026, 12, 1)),
        ("2026/1/5", date(2026, 1, 5)),
        ("12-01", date(2026, 12, 1)),
        ("03-01", date(2027, 3, 1)),
        ("today", TODAY),
        ("tomorrow", TODAY + timedelta(days=1)),
        ("yesterday", TODAY - timedelta(days=1)),
        ("明天", TODAY + timedelta(days=1)),
        ("昨天", TODAY - timedelta(days=1)),
        ("mon", date(2026, 3, 9)),
        ("+2w", date(2026, 3, 18)),
        ("-3d", date(2026, 3, 1)),
    ],
)
def test_parse_day(text: str, expected: date) -> None:
    assert parse_day(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12-01", date(2025, 12, 1)),  # a date behind us: last year's 1 December
        ("03-04", TODAY),
        ("03-01", date(2026, 3, 1)),
        ("mon", date(2026, 3, 2)),
        ("wed", date(2026, 2, 25)),
        ("2027-01-01", date(2027, 1, 1)),  # a full date is taken as written
    ],
)
def test_parse_day_looking_back(text: str, expected: date) -> None:
    assert parse_day(text, TODAY, past=True) == expected


@pytest.mark.parametrize(
    "text", ["", "tomorrow 9", "14:30", "+1h", "2026-02-30", "someday", "13-13"]
)
def test_parse_day_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_day(text, TODAY)


@given(st.text(max_size=20), st.dates(), st.booleans())
def test_parse_day_raises_only_value_error(text: str, today: date, past: bool) -> None:
    with contextlib.suppress(ValueError):
        parse_day(text, today, past=past)
