"""The review and the daily report in the rep's language: every word salesdev writes goes
through the catalogue, so a zh_TW catalogue leaves no English but the data."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from salesdev_tui import i18n
from salesdev_tui.domain.review_render import day_heading, render_markdown, render_text
from salesdev_tui.store.combined import Store
from salesdev_tui.store.reports import day_review
from tests.conftest import Clock
from tests.test_kpis import TAIPEI
from tests.test_review import DAY, SETTINGS, Day, at, build_day

# What the day holds that is data, not salesdev's words: names, agendas, titles, the rep.
DATA = ("Old Friend *Ltd* [x](y)", "Old Friend \\*Ltd\\* \\[x\\](y)", "Fresh Lead",
        "Call about samples", "Send the catalogue", "Yesterday's call", "Overdue visit",
        "First call", "Second call", "Tomorrow's call", "said so", "Offer", "Test Rep",
        "TWD")


class Marked(dict[str, str]):
    """A catalogue that "translates" every message to itself in marks: what is left
    unmarked was never translated."""

    def get(self, key: str, default: str | None = None) -> str:  # type: ignore[override]
        return f"⟦{key}⟧"


@pytest.fixture
def day(store: Any, clock: Clock) -> Day:
    return Day(store, clock)


@pytest.fixture
def marked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "_catalog", Marked())


def english_left(text: str) -> list[str]:
    for value in DATA:
        text = text.replace(value, "")
    text = re.sub(r"⟦[^⟧]*⟧", "", text)
    return re.findall(r"[A-Za-z]{2,}", text)


@pytest.mark.parametrize("render", [render_text, render_markdown])
def test_the_report_has_no_untranslated_word(
    store: Store, day: Day, marked: None, render: Any
) -> None:
    build_day(store, day)
    review = day_review(store, DAY, SETTINGS, at(DAY, 14, 30))
    text = render(review, TAIPEI, "TWD", "Test Rep")
    # The weekday comes from the locale's own data (Babel), not strftime's English %a.
    assert "Mon 2026-11-16" in text
    assert english_left(text) == []


def test_a_chinese_catalogue_reads_as_chinese(store: Store, day: Day) -> None:
    build_day(store, day)
    review = day_review(store, DAY, SETTINGS, at(DAY, 14, 30))
    i18n.set_catalog({"Mon": "一", "{weekday} {date}": "{date}（{weekday}）",
                      "Daily report {day} — {rep}": "每日工作報告 {day} — {rep}",
                      "Missed ({n})": "未完成（{n}）"}, "zh_TW")
    try:
        text = render_text(review, TAIPEI, "TWD", "Test Rep")
        markdown = render_markdown(review, TAIPEI, "TWD", "Test Rep")
    finally:
        i18n.set_catalog({})
    assert text.startswith("每日工作報告 2026年11月16日 (一) — Test Rep")
    assert "## 未完成（2）" in markdown
    assert day_heading(date(2026, 11, 22)) == "Sun 2026-11-22"
