"""Chinese dates and times as a Taiwanese rep types them (domain.when_cjk via parse_when)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from salesdev_tui.domain.when import format_when, parse_day, parse_when
from salesdev_tui.domain.when_cjk import fold_cjk

TAIPEI = ZoneInfo("Asia/Taipei")
#: Monday 2026-11-16, 14:30 in Taipei.
NOW = datetime(2026, 11, 16, 14, 30, tzinfo=TAIPEI)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("明天9點", "2026-11-17 09:00"),
        ("明天 9 點", "2026-11-17 09:00"),
        ("明天下午3點", "2026-11-17 15:00"),
        ("明天早上9點半", "2026-11-17 09:30"),
        ("明天上午10點15分", "2026-11-17 10:15"),
        ("明天10点15", "2026-11-17 10:15"),
        ("下午4點", "2026-11-16 16:00"),  # later today
        ("下午2點", "2026-11-17 14:00"),  # passed today: tomorrow, as "14:00" does
        ("3點", "2026-11-16 15:00"),  # 1-6 with no part of day: the afternoon
        ("凌晨3點", "2026-11-17 03:00"),
        ("晚上8點", "2026-11-16 20:00"),
        ("中午12點", "2026-11-17 12:00"),
        ("中午1點", "2026-11-17 13:00"),
        ("三點", "2026-11-16 15:00"),
        ("十點半", "2026-11-17 10:30"),
        ("兩點半", "2026-11-16 14:30"),  # now is 14:30: not passed yet
        ("十二點", "2026-11-17 12:00"),
        ("星期五下午2點", "2026-11-20 14:00"),
        ("週五早上", "2026-11-20 09:00"),
        ("明天下午", "2026-11-17 14:00"),
        ("明早", "2026-11-17 09:00"),
        ("明早9點", "2026-11-17 09:00"),
        ("今晚", "2026-11-16 19:00"),
        ("後天下午 3:30", "2026-11-18 15:30"),
        ("12月1日", "2026-12-01 09:00"),
        ("12月1號 下午2點", "2026-12-01 14:00"),
        ("2027年1月5日 10點", "2027-01-05 10:00"),
        ("１２月１日", "2026-12-01 09:00"),  # full-width digits from an IME
        ("週三", "2026-11-18 09:00"),  # this week's Wednesday (today is Monday)
        ("下週三", "2026-11-25 09:00"),  # next week's
        ("下週五早上", "2026-11-27 09:00"),
        ("下星期一 10點", "2026-11-23 10:00"),
        ("下禮拜二下午3點", "2026-11-24 15:00"),
        ("下周日", "2026-11-29 09:00"),
    ],
)
def test_chinese_times_and_dates(text: str, expected: str) -> None:
    assert format_when(parse_when(text, NOW, TAIPEI), TAIPEI) == expected


@pytest.mark.parametrize("text", ["25點", "明天 9點61分", "十十點", "明天 9點 下午"])
def test_what_is_not_a_time_is_refused_plainly(text: str) -> None:
    with pytest.raises(ValueError):
        parse_when(text, NOW, TAIPEI)


def test_dates_alone_in_date_fields() -> None:
    assert parse_day("12月1日", NOW.date()).isoformat() == "2026-12-01"
    assert parse_day("2026年11月1日", NOW.date(), past=True).isoformat() == "2026-11-01"


@pytest.mark.parametrize("text", ["tomorrow 9", "2026-12-01 14:30", "mon 10am", "+3d", ""])
def test_english_is_not_touched(text: str) -> None:
    assert fold_cjk(text) == text
