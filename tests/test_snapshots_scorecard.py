"""The scorecard (month and year) and the end-of-day review as the rep sees them, on demo
data made at a fixed date, at 120x40.

Update the baselines only after looking at the report (`--snapshot-update`).
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from tests.test_snapshots import SIZE, demo_app, demo_db, keys_then_settle, settle

__all__ = ["demo_app", "demo_db"]  # fixtures, imported for pytest


class TestScorecard:
    def test_month(self, snap_compare: Any, demo_app: Any) -> None:
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=keys_then_settle("s"))

    def test_year(self, snap_compare: Any, demo_app: Any) -> None:
        assert snap_compare(demo_app, terminal_size=SIZE,
                            run_before=keys_then_settle("s", "y", "down", "down", "down"))

    def test_customers_behind_a_figure(self, snap_compare: Any, demo_app: Any) -> None:
        assert snap_compare(demo_app, terminal_size=SIZE,
                            run_before=keys_then_settle("s", "y", "enter"))


class TestReview:
    def test_review_of_today(self, snap_compare: Any, demo_app: Any) -> None:
        assert snap_compare(demo_app, terminal_size=SIZE, run_before=keys_then_settle("r"))

    def test_review_of_the_day_before(self, snap_compare: Any, demo_app: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            await pilot.press("r")  # the review, from every screen
            await settle(pilot)
            # Friday 13 November: the last working day, with contacts done.
            for _ in range(3):
                await pilot.press("left_square_bracket")
                await settle(pilot)

        assert snap_compare(demo_app, terminal_size=SIZE, run_before=run_before)
