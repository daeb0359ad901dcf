"""Chinese dates and times as a Taiwanese rep types them, rewritten into `when`'s forms.

`parse_when` knows "明天 14:30"; reps type "明天下午3點", "9點半", "週五早上10點",
"12月1日" or "明早9點". This module turns those into what `when` reads ("明天 15:00",
"9:30", "週五 10:00", "12-01", "明天 9:00") before it tokenises, so there is still one
parser of dates and times and one set of rules for what a day or a time means.

- times: "3點", "3点", "3時", "3點半", "3點15分", "3點15", Chinese numerals
  ("三點", "十點半", "兩點"), after an optional part of day: 早上/上午/凌晨 (morning),
  中午 (noon: "中午12點" is 12:00, "中午1點" 13:00), 下午/傍晚/晚上 (afternoon and evening:
  the hour gains 12 when it is below 12); a part of day also goes before "3:30"; an hour
  from 1 to 6 with no part of day is the afternoon ("3點" is 15:00, as said at work);
- dates: "12月1日"/"12月1號" and "2026年12月1日";
- day and part of day in one word: 今早/明早 (早上), 今晚/明晚 (晚上);
- a part of day alone ("明天下午") means its usual hour: morning 9:00, noon 12:00,
  afternoon 14:00, dusk 18:00, evening 19:00.

Pure, and a no-op on text without these words: English input is never touched.
"""

from __future__ import annotations

import re

__all__ = ["fold_cjk"]

_NUMERALS = {"零": 0, "〇": 0, "一": 1, "二": 2, "兩": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_MORNING = ("早上", "上午", "凌晨", "清晨", "早")
_NOON = ("中午",)
_EVENING = ("下午", "傍晚", "晚上", "晚間", "晚")
_PART = "|".join(sorted((*_MORNING, *_NOON, *_EVENING), key=len, reverse=True))
_NUMBER = r"(?:\d{1,2}|[零〇一二兩两三四五六七八九十]{1,3})"

# 明早 / 今晚: a day word glued to a part of the day.
_DAY_AND_PART = re.compile(r"(今|明|後|后)(早|晚)(?![上間间])")
_DAY_NAMES = {"今": "今天", "明": "明天", "後": "後天", "后": "後天"}
_CLOCK_WORD = re.compile(
    rf"(?:({_PART})\s*)?({_NUMBER})\s*[點点時时]\s*(?:(半)|({_NUMBER})\s*分?)?")
_PART_BEFORE_DIGITS = re.compile(rf"({_PART})\s*(\d{{1,2}}):(\d{{2}})")
_PART_ALONE = re.compile(rf"({_PART})")
_PART_HOURS = {**dict.fromkeys(_MORNING, 9), "中午": 12, "下午": 14, "傍晚": 18,
               "晚上": 19, "晚間": 19, "晚": 19}
_FULL_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日號号]?")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日號号]?")


def _number(text: str) -> int | None:
    """12, "十二", "兩" -> the number; None for what is not one (e.g. "十十")."""
    if text.isdigit():
        return int(text)
    if len(text) == 1:
        return _NUMERALS.get(text)
    tens, _, ones = text.partition("十")
    if "十" not in text or "十" in ones:
        return None
    high = _NUMERALS.get(tens, -1) if tens else 1
    low = _NUMERALS.get(ones, -1) if ones else 0
    if high < 0 or low < 0 or low >= 10:
        return None
    return high * 10 + low


def _hour_of_day(part: str | None, hour: int) -> int:
    if part is None and 1 <= hour <= 6:
        # "3點" said at work is 15:00: nobody plans a customer call at 3 a.m. (凌晨3點
        # says so when meant).
        return hour + 12
    if part in _EVENING and hour < 12:
        return hour + 12
    if part in _NOON and hour < 6:  # 中午1點 is 13:00; 中午12點 is noon
        return hour + 12
    if part in ("凌晨",) and hour == 12:
        return 0
    return hour


def _clock(match: re.Match[str]) -> str:
    part, hour_text, half, minute_text = match.groups()
    hour = _number(hour_text)
    minute = 30 if half else (_number(minute_text) if minute_text else 0)
    if hour is None or minute is None:
        return match.group(0)  # not a time we read: left for the parser to refuse
    # Out of range values (25點) stay visible to the parser, which names the problem.
    return f" {_hour_of_day(part, hour)}:{minute:02d} "


def _part_before_digits(match: re.Match[str]) -> str:
    part, hour, minute = match.groups()
    return f" {_hour_of_day(part, int(hour))}:{minute} "


def fold_cjk(text: str) -> str:
    """`text` (already NFKC-normalised) with its Chinese dates and times in `when`'s forms."""
    if text.isascii():
        return text
    text = _DAY_AND_PART.sub(lambda m: f"{_DAY_NAMES[m[1]]} {'早上' if m[2] == '早' else '晚上'}",
                             text)
    text = _FULL_DATE.sub(lambda m: f" {m[1]}-{int(m[2]):02d}-{int(m[3]):02d} ", text)
    text = _MONTH_DAY.sub(lambda m: f" {int(m[1]):02d}-{int(m[2]):02d} ", text)
    text = _CLOCK_WORD.sub(_clock, text)
    text = _PART_BEFORE_DIGITS.sub(_part_before_digits, text)
    # A part of the day with no hour ("明天下午"): its usual hour.
    return _PART_ALONE.sub(lambda m: f" {_PART_HOURS[m[1]]}:00 ", text)
