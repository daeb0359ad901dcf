"""The manager's screens (issue 19.1, 19.2) driven with Pilot against the real PostgreSQL:
the manager's app opens on the team scorecard, a rep's on Today; a rep's row drills into
that rep's customers (read only); the assessment screen saves the talk on the server; an
unreachable server is a plain message. Snapshots of both screens in English and zh_TW, on
fixed figures (the server's reads replaced: rep names and dates stay the same each run).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Label, TextArea

from salesdev_tui.app import create_app
from salesdev_tui.config import Targets
from salesdev_tui.config import Team as TeamSettings
from salesdev_tui.domain.assessment import AssessmentNote, assessment_lines
from salesdev_tui.domain.periods import Period
from salesdev_tui.domain.team_scorecard import TeamScorecard, build_team_scorecard
from salesdev_tui.models.views import KpiFigures
from salesdev_tui.screens.assessment import AssessmentScreen
from salesdev_tui.screens.rep_customers import RepCustomersScreen
from salesdev_tui.screens.team_scorecard import TeamScorecardScreen
from salesdev_tui.usecases import team_view
from tests.conftest import Clock, make_settings, wait_ready
from tests.server.conftest import Team
from tests.server.test_team_scorecard import Laptop, _customer_with_contract
from tests.test_snapshots import settle


def _manager_settings(url: str, user: str, **more: Any) -> Any:
    return make_settings(team=TeamSettings(url=url, user=user, role="manager"),
                         targets=Targets(new_customers=3, revenue=Decimal("400000")), **more)


async def _ready(pilot: Pilot[Any]) -> None:
    await wait_ready(pilot)
    await pilot.pause()
    await wait_ready(pilot)


def _rows(table: DataTable[Any]) -> list[str]:
    return [str(key.value) for key in table.rows]


async def test_the_manager_reads_the_team_and_records_a_talk(team: Team, tmp_path: Path
                                                             ) -> None:
    amy = Laptop(tmp_path / "amy.db", team, "amy")
    try:
        _customer_with_contract(amy, datetime(2026, 11, 10, 10), "250000")
        amy.sync()
    finally:
        amy.db.close()
    url = team.url("max").replace(team.user("max") + "@", "")
    app = create_app(_manager_settings(url, team.user("max")), tmp_path / "max.db",
                     clock=Clock())
    async with app.run_test(size=(140, 40)) as pilot:
        await _ready(pilot)
        screen = app.screen
        assert isinstance(screen, TeamScorecardScreen)
        table = screen.query_one(DataTable)
        assert _rows(table) == [team.user("amy"), team.user("ben"), ""]  # by revenue
        assert "250,000" in str(table.get_row(team.user("amy"))[4])
        await pilot.press("s")  # sort by the next column after revenue: profit
        assert screen.sort_by == "profit"
        await pilot.press("enter")  # the first row: amy's customers, read only
        await _ready(pilot)
        assert isinstance(app.screen, RepCustomersScreen)
        customers = app.screen.query_one(DataTable)
        assert customers.row_count == 1
        assert str(customers.get_row_at(0)[0]).startswith("Edge ")
        await pilot.press("escape")
        await pilot.press("a")
        await _ready(pilot)
        assert isinstance(app.screen, AssessmentScreen)
        notes = app.screen.query_one("#assessment-notes", TextArea)
        await pilot.press("enter")  # on the highlighted rep: on to the talk's notes
        assert app.focused is notes
        notes.text = "談過：拜訪量不足"
        app.screen.query_one("#assessment-plan", TextArea).text = "每週拜訪 5 家"
        await pilot.press("ctrl+s")
        await _ready(pilot)
    with psycopg.connect(team.admin_url) as conn:
        rows = conn.execute("SELECT owner, period_label, talk_notes, improvement_plan,"
                            " assessed_by FROM salesdev.assessment").fetchall()
    first_rep = sorted([team.user("amy"), team.user("ben")])[0]
    assert rows == [(first_rep, "2026-11", "談過：拜訪量不足", "每週拜訪 5 家", team.user("max"))]


async def test_offline_is_a_plain_message_and_a_rep_starts_on_today(tmp_path: Path) -> None:
    app = create_app(_manager_settings("postgresql://127.0.0.1:1/nowhere", "max"),
                     tmp_path / "max.db", clock=Clock())
    async with app.run_test(size=(120, 30)) as pilot:
        await _ready(pilot)
        status = str(app.screen.query_one("#team-status", Label).render())
        assert status.startswith("Offline: Cannot reach the team server")
        await pilot.press("y")  # the keys still work while offline
        await _ready(pilot)
        assert app.screen.period.kind.value == "year"  # type: ignore[attr-defined]
    rep = create_app(make_settings(team=TeamSettings(url="postgresql://127.0.0.1:1/x",
                                                     user="amy", role="rep")),
                     tmp_path / "amy.db", clock=Clock())
    async with rep.run_test(size=(120, 30)) as pilot:
        await _ready(pilot)
        assert not isinstance(rep.screen, TeamScorecardScreen)
        assert type(rep.screen).__name__ == "TodayScreen"


async def test_the_rep_reads_the_managers_assessment(team: Team, tmp_path: Path) -> None:
    from salesdev_tui.domain.periods import parse_period
    from salesdev_tui.screens.my_assessments import MyAssessmentsScreen

    team_view.record_assessment(team.url("max"), team.user("amy"),
                                parse_period("2026-11", make_settings().zone),  # type: ignore[attr-defined]
                                talk_notes="拜訪量不足", improvement_plan="每週 5 家",
                                now=datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
    amy = Laptop(tmp_path / "amy.db", team, "amy")
    try:
        amy.sync()
    finally:
        amy.db.close()
    settings = make_settings(team=TeamSettings(url="postgresql://127.0.0.1:1/x",
                                               user=team.user("amy"), role="rep"))
    app = create_app(settings, tmp_path / "amy.db", clock=Clock())  # type: ignore[arg-type]
    async with app.run_test(size=(100, 30)) as pilot:
        await _ready(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "My assessments" in titles and "Team scorecard" not in titles
        await app.push_screen(MyAssessmentsScreen())
        await _ready(pilot)
        text = str(app.screen.query_one("#my-assessments-text").render())
        assert "2026-11: assessed by" in text and "拜訪量不足" in text and "每週 5 家" in text


# -- snapshots ---------------------------------------------------------------------------

def _figures(new: int, contacted: int, revenue: str, profit: str, score: int,
             responses: int) -> KpiFigures:
    return KpiFigures(new_customers=new, prospects_contacted=contacted,
                      revenue=Decimal(revenue), profit=Decimal(profit),
                      satisfaction_sum=score, satisfaction_responses=responses)


def _fixed_card(settings: Any, period: Period, today: date) -> TeamScorecard:
    figures = {
        "amy": _figures(4, 10, "520000.00", "140000.00", 18, 4),
        "ben": _figures(1, 12, "90000.00", "21000.00", 6, 2),
        "chen": _figures(2, 5, "310000.00", "95500.00", 0, 0),
    }
    if period.kind.value != "month":
        figures = {rep: _figures(f.new_customers * 3, f.prospects_contacted * 3,
                                 str(f.revenue * 3), str(f.profit * 3), f.satisfaction_sum,
                                 f.satisfaction_responses) for rep, f in figures.items()}
    return build_team_scorecard(period, figures, {}, defaults=settings.targets,
                                commission_rate=settings.commission_rate, today=today)


@pytest.fixture
def fixed_server(monkeypatch: pytest.MonkeyPatch) -> None:
    def scorecard(_url: str, settings: Any, period: Period, today: date) -> TeamScorecard:
        return _fixed_card(settings, period, today)

    def sheet(_url: str, settings: Any, period: Period, today: date) -> Any:
        card = _fixed_card(settings, period, today)
        history = [_fixed_card(settings, period.previous(), today)]
        note = AssessmentNote("兩個月未達標；談過原因", "每週拜訪 5 家", "max",
                              datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
        return team_view.AssessmentSheet(card, assessment_lines(card, history, {"ben": note}))

    monkeypatch.setattr(team_view, "team_scorecard", scorecard)
    monkeypatch.setattr(team_view, "assessment_sheet", sheet)


def _snap_app(db_path: Path, language: str) -> Any:
    return create_app(_manager_settings("postgresql://127.0.0.1:1/x", "max",
                                        language=language), db_path, clock=Clock())


def _press(*keys: str) -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("language", ["en", "zh_TW"])
def test_team_scorecard_snapshot(snap_compare: Any, fixed_server: None, tmp_path: Path,
                                 language: str) -> None:
    assert snap_compare(_snap_app(tmp_path / "s.db", language), terminal_size=(120, 30),
                        run_before=_press())


@pytest.mark.parametrize("language", ["en", "zh_TW"])
def test_assessment_snapshot(snap_compare: Any, fixed_server: None, tmp_path: Path,
                             language: str) -> None:
    assert snap_compare(_snap_app(tmp_path / "s.db", language), terminal_size=(120, 36),
                        run_before=_press("a", "down"))


async def test_the_period_keys_and_the_sort(fixed_server: None, tmp_path: Path) -> None:
    app = _snap_app(tmp_path / "k.db", "en")
    async with app.run_test(size=(120, 30)) as pilot:
        await _ready(pilot)
        screen = app.screen
        assert isinstance(screen, TeamScorecardScreen)

        def title() -> str:
            return str(screen.query_one("#team-title", Label).render())

        assert title() == "Team scorecard 2026-11"
        for key, expected in (("left_square_bracket", "2026-10"), ("q", "2026-Q4"),
                              ("right_square_bracket", "2027-Q1"), ("y", "2027"),
                              ("left_square_bracket", "2026"), ("m", "2026-11"),
                              ("y", "2026"), ("left_square_bracket", "2025"),
                              ("m", "2025-01")):  # today's month from today's year
            await pilot.press(key)
            await _ready(pilot)
            assert title() == f"Team scorecard {expected}", key
        table = screen.query_one(DataTable)
        assert _rows(table) == ["amy", "chen", "ben", ""]  # by revenue
        while screen.sort_by != "rep":
            await pilot.press("s")
        assert _rows(table) == ["amy", "ben", "chen", ""]
        await pilot.press("s")  # new customers
        assert _rows(table) == ["amy", "chen", "ben", ""]
