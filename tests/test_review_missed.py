"""Issue 14.6: a call logged as missed counts in that day's review even when it was planned
for another day, and so does a contact rescheduled that day (moved out of the day's plan):
store, review, JSON, text report, the review screen and `salesdev review`."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from textual.widgets import DataTable, Static
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.domain.review import review_json
from salesdev_tui.domain.review_render import render_text
from salesdev_tui.models.enums import PlanStatus
from salesdev_tui.screens.review import ReviewScreen
from salesdev_tui.store.combined import Store
from salesdev_tui.store.reports import day_review
from tests.conftest import Clock, wait_ready
from tests.test_review import DAY, SETTINGS, Day, at

ZONE = SETTINGS.zone


def _week(d: Day) -> dict[str, uuid.UUID]:
    """Monday's calls: one planned for Friday and logged missed on Monday, one planned for
    Monday, missed, and moved to Tuesday from the outcome's follow-up, one moved ahead."""
    friday = DAY - timedelta(days=3)
    acme = d.lead("火箭軸承有限公司", at(friday, 9))
    ids = {
        "friday": d.plan(acme, at(friday, 15), "Friday's call"),
        "monday": d.plan(acme, at(DAY, 10), "Monday's call"),
        "ahead": d.plan(acme, at(DAY, 16), "Visit"),
    }
    d.outcome(ids["friday"], PlanStatus.MISSED, at(DAY, 9))  # logged on Monday
    d.outcome(ids["monday"], PlanStatus.MISSED, at(DAY, 10, 15))
    d.when(at(DAY, 10, 20))
    d.store.plans.reschedule(ids["monday"], at(DAY + timedelta(days=1), 10))
    d.store.plans.reschedule(ids["ahead"], at(DAY + timedelta(days=2), 16))
    d.when(at(DAY, 18))
    return ids


def test_missed_and_rescheduled_are_counted_on_the_day(store: Store, clock: Clock) -> None:
    ids = _week(Day(store, clock))
    review = day_review(store, DAY, SETTINGS, clock.current)
    assert [p.plan_id for p in review.missed] == [ids["friday"]]
    assert {p.plan_id for p in review.rescheduled} == {ids["monday"], ids["ahead"]}
    data = review_json(review)["contacts"]
    assert len(data["missed"]) == 1 and len(data["rescheduled"]) == 2
    text = render_text(review, ZONE, "TWD", "Test Rep")
    assert "1 missed; 2 rescheduled" in text
    assert "Missed (1)" in text and "11-13 15:00" in text  # planned Friday: its day shown
    assert "Rescheduled (2)" in text and "11-17 10:00" in text
    assert not review.is_quiet
    # The next day the moves are not counted again.
    tuesday = day_review(store, DAY + timedelta(days=1), SETTINGS, clock.current)
    assert tuesday.rescheduled == [] and tuesday.missed == []


def test_outcome_times_are_stored(store: Store, clock: Clock) -> None:
    ids = _week(Day(store, clock))
    friday = store.plans.get_plan(ids["friday"])
    assert (friday.outcome_at, friday.rescheduled_at) == (at(DAY, 9), None)
    monday = store.plans.get_plan(ids["monday"])
    assert (monday.status, monday.outcome_at, monday.rescheduled_at) == (
        PlanStatus.PLANNED, at(DAY, 10, 15), at(DAY, 10, 20))


def test_cli_review_counts_them(store: Store, clock: Clock, db_path: Path) -> None:
    _week(Day(store, clock))
    store.db.close()
    result = CliRunner().invoke(cli, ["--db", str(db_path), "review", "--date",
                                      DAY.isoformat(), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    contacts = json.loads(result.stdout)["contacts"]
    assert (len(contacts["missed"]), len(contacts["rescheduled"])) == (1, 2)


async def test_review_screen_says_how_many(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        clock = app.clock
        _week(Day(app.store, clock))
        app.push_screen(ReviewScreen(DAY))
        await wait_ready(pilot)
        summary = str(app.screen.query_one("#review-summary", Static).render())
        assert "1 missed, 2 rescheduled" in summary
        missed = app.screen.query_one("#review-missed", DataTable)
        first = [str(cell) for cell in missed.get_row_at(0)][:2]
        assert first == ["11-13 15:00", "火箭軸承有限公司"]
