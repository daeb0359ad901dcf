"""The dates and times a rep types into a plan or date field. Pure: `now`/`today` are passed in.

`parse_when` reads a moment in the rep's zone and returns it as aware UTC:

- a date: "2026-12-01", "2026/12/01", "12-01", "12/01" (this year, or next year when that day
  has passed), "today", "tomorrow"/"tom"/"tmr", "yesterday", "今天", "明天", "後天", "昨天",
  a weekday "mon"/"monday"/"週一"/"星期一" (the next such day, never today), "下週一" (that
  day of next week), "+3d", "+2w",
  "-1d";
- optionally followed by a time: "14:30", "9", "9:05", "9am", "2:30pm". A date without a
  time means 09:00 (also "today", even when 09:00 has passed);
- or a time alone: "14:30", "9am" (today, or tomorrow when that time has passed);
- or an offset from now: "+1h", "+90m" (no time may follow);
- Chinese times and dates ("明天下午3點", "9點半", "12月1日", "明早"): see `when_cjk`.

Local times that do not exist (the hour skipped when daylight saving starts) move forward by
the gap; ambiguous ones (the repeated hour) take the first occurrence.
`parse_day` reads the date part alone (for date-only fields); `format_when` shows a moment.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from salesdev_tui.domain.when_cjk import fold_cjk
from salesdev_tui.i18n import _
from salesdev_tui.models.date_range import day_in_range, moment_in_range, range_problem

__all__ = ["DEFAULT_TIME", "format_when", "parse_day", "parse_when"]

#: The time a date without a time means.
DEFAULT_TIME = time(9, 0)

_WEEKDAYS: dict[str, int] = {}
for _index, _names in enumerate(
    (
        ("mon", "monday", "一"),
        ("tue", "tues", "tuesday", "二"),
        ("wed", "wednesday", "三"),
        ("thu", "thur", "thurs", "thursday", "四"),
        ("fri", "friday", "五"),
        ("sat", "saturday", "六"),
        ("sun", "sunday", "日", "天"),
    )
):
    for _name in _names:
        if len(_name) == 1:  # a CJK numeral: 週一, 周一, 星期一, 禮拜一, 礼拜一
            for _prefix in ("週", "周", "星期", "禮拜", "礼拜"):
                _WEEKDAYS[_prefix + _name] = _index
        else:
            _WEEKDAYS[_name] = _index

#: 下週五: that weekday of the next calendar week (Monday first), even when this week's is
#: still ahead (on a Tuesday 週五 is this Friday, 下週五 the one after).
_NEXT_WEEK_DAYS: dict[str, int] = {
    "下" + name: index for name, index in _WEEKDAYS.items() if not name.isascii()
}

_DAY_WORDS: dict[str, int] = {
    "today": 0,
    "tod": 0,
    "今天": 0,
    "今日": 0,
    "tomorrow": 1,
    "tom": 1,
    "tmr": 1,
    "tmrw": 1,
    "明天": 1,
    "明日": 1,
    "後天": 2,
    "后天": 2,
    "yesterday": -1,
    "昨天": -1,
    "昨日": -1,
}

_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_FULL_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", re.ASCII)
_MONTH_DAY = re.compile(r"(\d{1,2})[-/.](\d{1,2})", re.ASCII)
_DAY_OFFSET = re.compile(r"([+-])(\d{1,4})\s*(d|days?|w|weeks?)", re.ASCII)
_TIME_OFFSET = re.compile(r"\+(\d{1,5})\s*(h|hours?|hrs?|m|mins?|minutes?)", re.ASCII)
_TIME = re.compile(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?", re.ASCII)
# CJK day words and weekdays may be written without a space before the time: "明天14:30".
_CJK_WORD = re.compile(
    "("
    + "|".join(
        sorted((w for w in (*_DAY_WORDS, *_WEEKDAYS, *_NEXT_WEEK_DAYS) if not w.isascii()),
               key=len, reverse=True)
    )
    + ")"
)


def _problem(text: str) -> ValueError:
    return ValueError(
        _(
            "{text!r} is not a date or time I understand; "
            "try 2026-12-01 14:30, 12-01, tomorrow 9, mon 10:00, 14:30 or +3d"
        ).format(text=text)
    )


def _fold(text: str) -> str:
    folded = fold_cjk(unicodedata.normalize("NFKC", text).strip().lower())
    folded = _CJK_WORD.sub(r" \1 ", folded)
    return " ".join(folded.split())


def _make_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(
            _("{year:04d}-{month:02d}-{day:02d} is not a date in the calendar").format(
                year=year, month=month, day=day
            )
        ) from None


def _month_day(month: int, day: int, today: date, *, past: bool) -> date:
    """The next (or, when `past`, the latest) occurrence of month-day, counting `today`."""
    if not 1 <= month <= 12 or not 1 <= day <= _DAYS_IN_MONTH[month - 1]:
        raise ValueError(
            _("{month:02d}-{day:02d} is not a day of the year").format(month=month, day=day)
        )
    step = -1 if past else 1
    for offset in range(9):  # a 29 February is at most 8 years away
        try:
            candidate = date(today.year + step * offset, month, day)
        except ValueError:  # 29 February of a common year, or beyond the calendar
            continue
        if (candidate <= today) if past else (candidate >= today):
            return candidate
    raise ValueError(
        _("{month:02d}-{day:02d} is not a day of the year").format(month=month, day=day)
    )


def _parse_date_token(token: str, today: date, *, past: bool) -> date | None:
    """A date from one token, or None when the token is not a date."""
    try:
        return _date_token(token, today, past=past)
    except OverflowError:
        raise ValueError(_("{text} is too far away").format(text=token)) from None


def _date_token(token: str, today: date, *, past: bool) -> date | None:
    if token in _DAY_WORDS:
        return today + timedelta(days=_DAY_WORDS[token])
    if token in _NEXT_WEEK_DAYS:
        return today + timedelta(days=7 - today.weekday() + _NEXT_WEEK_DAYS[token])
    if token in _WEEKDAYS:
        if past:
            back = (today.weekday() - _WEEKDAYS[token]) % 7 or 7
            return today - timedelta(days=back)
        ahead = (_WEEKDAYS[token] - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    if m := _FULL_DATE.fullmatch(token):
        return _make_date(int(m[1]), int(m[2]), int(m[3]))
    if m := _MONTH_DAY.fullmatch(token):
        return _month_day(int(m[1]), int(m[2]), today, past=past)
    if m := _DAY_OFFSET.fullmatch(token):
        amount = int(m[2]) * (7 if m[3].startswith("w") else 1)
        return today + timedelta(days=-amount if m[1] == "-" else amount)
    return None


def _parse_time_token(token: str, *, bare_hour: bool) -> time | None:
    """A time of day from one token, or None. A bare hour ("9") only when `bare_hour`."""
    m = _TIME.fullmatch(token)
    if m is None:
        return None
    hour, minute, meridiem = int(m[1]), int(m[2] or 0), m[3]
    if m[2] is None and meridiem is None and not bare_hour:
        return None
    if minute > 59:
        raise ValueError(_("{text}: minutes go from 00 to 59").format(text=token))
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValueError(_("{text}: with am/pm the hour goes from 1 to 12").format(text=token))
        hour = hour % 12 + (12 if meridiem.startswith("p") else 0)
    elif hour > 23:
        raise ValueError(_("{text}: the hour goes from 0 to 23").format(text=token))
    return time(hour, minute)


def _split(folded: str) -> list[str]:
    tokens = folded.split(" ")
    # "2026-12-01t14:30" (ISO) and "+3 d", "9 am" written with a space.
    if len(tokens) == 1 and (m := re.fullmatch(r"(\d{4}-\d{1,2}-\d{1,2})t(\S+)", tokens[0])):
        tokens = [m[1], m[2]]
    merged: list[str] = []
    for token in tokens:
        if merged and re.fullmatch(r"(a\.?m\.?|p\.?m\.?)", token):
            merged[-1] += token.replace(".", "")
        elif merged and re.fullmatch(r"[+-]\d+", merged[-1]) and token.isalpha():
            merged[-1] += token
        else:
            merged.append(token)
    return [t.replace("a.m.", "am").replace("p.m.", "pm") for t in merged]


def _local_to_utc(day: date, moment: time, zone: ZoneInfo) -> datetime:
    local = datetime.combine(day, moment, tzinfo=zone)
    try:
        # Round-trip through UTC: a time in a DST gap comes back moved forward by the gap.
        return local.astimezone(UTC)
    except OverflowError:
        raise ValueError(_("{day} is too far away").format(day=day.isoformat())) from None


def _local_today(now: datetime, zone: ZoneInfo) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    return now.astimezone(zone)


def parse_when(text: str, now: datetime, zone: ZoneInfo) -> datetime:
    """The moment a rep means by `text`, in `zone`, as an aware UTC datetime.

    Only moments within the app's range (`models.date_range`, years 1900-2999) are given.
    """
    moment = _parse_when(text, now, zone)
    if not moment_in_range(moment):
        raise ValueError(_("{text}: {problem}").format(text=text.strip(), problem=range_problem()))
    return moment


def _parse_when(text: str, now: datetime, zone: ZoneInfo) -> datetime:
    local_now = _local_today(now, zone)
    today = local_now.date()
    folded = _fold(text)
    if not folded:
        raise ValueError(_("enter a date or time, like 2026-12-01 14:30 or tomorrow 9"))
    if m := _TIME_OFFSET.fullmatch(folded.replace(" ", "")):
        amount = int(m[1])
        delta = timedelta(hours=amount) if m[2].startswith("h") else timedelta(minutes=amount)
        try:
            return (now.astimezone(UTC) + delta).replace(second=0, microsecond=0)
        except OverflowError:
            raise ValueError(_("{text} is too far away").format(text=text.strip())) from None
    tokens = _split(folded)
    if len(tokens) > 2:
        raise _problem(text.strip())
    day = _parse_date_token(tokens[0], today, past=False)
    if day is None:
        if len(tokens) != 1:
            raise _problem(text.strip())
        clock = _parse_time_token(tokens[0], bare_hour=False)
        if clock is None:
            raise _problem(text.strip())
        result = _local_to_utc(today, clock, zone)
        if result < now.replace(second=0, microsecond=0):
            try:
                tomorrow = today + timedelta(days=1)
            except OverflowError:
                raise ValueError(_("{text} is too far away").format(text=text.strip())) from None
            result = _local_to_utc(tomorrow, clock, zone)
        return result
    clock = DEFAULT_TIME
    if len(tokens) == 2:
        parsed = _parse_time_token(tokens[1], bare_hour=True)
        if parsed is None:
            raise _problem(text.strip())
        clock = parsed
    return _local_to_utc(day, clock, zone)


def parse_day(text: str, today: date, *, past: bool = False) -> date:
    """The day a rep means by `text` (the date forms of `parse_when`, no time).

    "12-01" and weekdays look forward from `today`; with `past=True` (a date already
    behind, like a credit check's date) they look back: "12-01" is this year's or last
    year's, "mon" the latest Monday before today.
    """
    folded = _fold(text)
    if not folded:
        raise ValueError(_("enter a date, like 2026-12-01, 12-01 or tomorrow"))
    tokens = _split(folded)
    day = _parse_date_token(tokens[0], today, past=past) if len(tokens) == 1 else None
    if day is None:
        raise ValueError(
            _(
                "{text!r} is not a date I understand; "
                "try 2026-12-01, 12-01, today, tomorrow, mon or +3d"
            ).format(text=text.strip())
        )
    if not day_in_range(day):
        raise ValueError(_("{text}: {problem}").format(text=text.strip(), problem=range_problem()))
    return day


def format_when(moment: datetime, zone: ZoneInfo) -> str:
    """`moment` as the rep reads it in `zone`: "2026-12-01 14:30"."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: times must carry a time zone")
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")
