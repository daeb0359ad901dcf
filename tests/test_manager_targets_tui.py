"""Pilot: a target the manager set on the team server (arrived by sync) shows as the
manager's on the scorecard, and the rep's target form refuses to change it (issue 19.3)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from textual.widgets import Input, Label

from salesdev_tui.domain.scorecard_view import Figure
from salesdev_tui.forms.target_form import TargetFormScreen
from salesdev_tui.models.enums import Kpi, PeriodKind
from salesdev_tui.models.tables import Target
from salesdev_tui.screens.scorecard import ScorecardScreen
from salesdev_tui.widgets.scorecard_tables import KpiTable
from tests.conftest import wait_ready

MakeApp = Callable[..., Any]


async def test_the_managers_target_is_shown_as_such_and_the_rep_cannot_change_it(
    make_app: MakeApp,
) -> None:
    app = make_app(targets={"revenue": Decimal("1000")})
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        store = app.store
        with store.db.write() as session:  # as the sync writes what the manager set
            session.add(Target(period_kind=PeriodKind.MONTH, period_label="2026-11",
                               kpi=Kpi.REVENUE, value=Decimal("5000"), set_by="max"))
        await pilot.press("s")
        await wait_ready(pilot)
        screen = app.screen
        assert isinstance(screen, ScorecardScreen) and screen.view is not None
        revenue = screen.view.indicator(Figure.REVENUE)
        assert revenue.target is not None and revenue.target.value == Decimal("5000")
        table = screen.query_one(KpiTable)
        cell = table.get_row(Figure.REVENUE.value)[2].plain.strip()
        assert cell == "5,000 mgr"

        table.move_cursor(row=table.get_row_index(Figure.REVENUE.value))
        await pilot.press("T")
        await wait_ready(pilot)
        form = app.screen
        assert isinstance(form, TargetFormScreen)
        form.query_one("#f-value", Input).value = "2,000"
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        assert app.screen is form  # refused: the form stays, saying why
        assert "manager set the targets for 2026-11" in str(
            form.query_one("#form-error", Label).render())
        assert store.targets.target_of(PeriodKind.MONTH, "2026-11", Kpi.REVENUE) is None
        assert store.targets.set_by_manager(PeriodKind.MONTH, "2026-11") == "max"
