"""The month-end assessment (issue 19.2) on the real PostgreSQL: the manager records the
talk, the rep's sync brings it to the laptop where the rep reads it, a rep cannot write one
(row-level security), the flags and periods in a row below target, the exports, and the
commands through the real CLI (the manager's, and a rep's plain refusal)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.config import Settings, Targets
from salesdev_tui.db import open_database
from salesdev_tui.db.identity import SCHEMA_VERSION
from salesdev_tui.domain.assessment import sheet_csv, sheet_markdown
from salesdev_tui.domain.periods import parse_period
from salesdev_tui.domain.scorecard_view import Figure
from salesdev_tui.models.tables import TEAM_TABLES, Assessment
from salesdev_tui.usecases.sync import join, sync
from salesdev_tui.usecases.team_view import (
    TeamRefused,
    assessment_sheet,
    my_assessments,
    record_assessment,
)
from tests.server.conftest import Team
from tests.server.test_team_scorecard import Laptop, _customer_with_contract

ZONE_NAME = "Asia/Taipei"
SETTINGS = Settings(timezone=ZONE_NAME, commission_rate=Decimal("0.03"),
                    targets=Targets(new_customers=2))
NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)


def test_the_assessment_table_is_on_the_server_as_in_the_model(team: Team) -> None:
    with psycopg.connect(team.admin_url) as conn:
        for model in TEAM_TABLES:
            found = {name for (name,) in conn.execute(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = 'salesdev' AND table_name = %s",
                (model.__table__.name,))}  # type: ignore[attr-defined]
            assert found == set(model.model_fields) | {"owner", "server_txid", "field_hlc"}


def test_the_talk_reaches_the_rep_and_only_that_rep(team: Team, tmp_path: Path) -> None:
    november = parse_period("2026-11", SETTINGS.zone)
    record_assessment(team.url("max"), team.user("amy"), november,
                      talk_notes="兩個月未達標，談過原因", improvement_plan="每週拜訪 5 家",
                      now=NOW)
    # Saving again revises the same row (one live assessment per rep and period).
    record_assessment(team.url("max"), team.user("amy"), november,
                      talk_notes="兩個月未達標，談過原因", improvement_plan="每週拜訪 6 家",
                      now=NOW)
    amy = Laptop(tmp_path / "amy.db", team, "amy")
    ben = Laptop(tmp_path / "ben.db", team, "ben")
    try:
        amy.sync()
        ben.sync()
        found = my_assessments(amy.db)
        assert [(a["period_label"], a["improvement_plan"], a["assessed_by"]) for a in found] \
            == [("2026-11", "每週拜訪 6 家", team.user("max"))]
        assert my_assessments(ben.db) == []
        # Pulled, never pushed: the laptop logs no change of it, so a sync sends nothing.
        with sqlite3.connect(amy.db.path) as conn:
            assert conn.execute("SELECT count(*) FROM sync_outbox").fetchone()[0] == 0
            assert conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                                " AND name LIKE 'sync_log_assessment%'").fetchone()[0] == 0
    finally:
        amy.db.close()
        ben.db.close()


def test_only_the_manager_writes_an_assessment(team: Team) -> None:
    november = parse_period("2026-11", SETTINGS.zone)
    with pytest.raises(TeamRefused, match="Only the team's manager"):
        record_assessment(team.url("amy"), team.user("amy"), november, talk_notes="fine",
                          improvement_plan=None, now=NOW)
    with pytest.raises(TeamRefused, match="not a rep"):
        record_assessment(team.url("max"), team.user("lee"), november, talk_notes="x",
                          improvement_plan=None, now=NOW)
    # Straight SQL as the rep: the server refuses (no INSERT right, RLS besides).
    with team.connect("amy") as rep, pytest.raises(psycopg.errors.InsufficientPrivilege):
        rep.execute("INSERT INTO assessment (id, owner, created_at, updated_at, period_kind,"
                    " period_label, assessed_by, assessed_at) VALUES (%s, current_user, 'x',"
                    " 'x', 'month', '2026-11', current_user, 'x')", (uuid.uuid4(),))
    # The manager cannot write under another name.
    with team.connect("max") as manager, pytest.raises(psycopg.errors.InsufficientPrivilege):
        manager.execute("INSERT INTO assessment (id, owner, created_at, updated_at,"
                        " period_kind, period_label, assessed_by, assessed_at) VALUES"
                        " (%s, %s, 'x', 'x', 'month', '2026-11', 'someone', 'x')",
                        (uuid.uuid4(), team.user("amy")))
    with pytest.raises(ValueError, match="Talk notes"):
        record_assessment(team.url("max"), team.user("amy"), november,
                          talk_notes="bad \ud800", improvement_plan=None, now=NOW)


def test_flags_and_periods_in_a_row_below_target(team: Team, tmp_path: Path) -> None:
    amy = Laptop(tmp_path / "amy.db", team, "amy")
    ben = Laptop(tmp_path / "ben.db", team, "ben")
    try:
        # Target: 2 new customers a month. Amy: 2 in Aug (on target), 1 in Sep, 1 in Oct,
        # 1 in Nov (3 months below); Ben: 2 in Oct (on target), 1 in Nov (1 in a row). A
        # month with nothing is below target too (0 of 2).
        for day in (datetime(2026, 8, 3, 10), datetime(2026, 8, 4, 10),
                    datetime(2026, 9, 10, 10), datetime(2026, 10, 10, 10),
                    datetime(2026, 11, 10, 10)):
            _customer_with_contract(amy, day, "1000")
        for day in (datetime(2026, 10, 3, 10), datetime(2026, 10, 4, 10),
                    datetime(2026, 11, 29, 23, 30)):
            _customer_with_contract(ben, day, "5000")
        amy.sync()
        ben.sync()
    finally:
        amy.db.close()
        ben.db.close()
    november = parse_period("2026-11", SETTINGS.zone)
    record_assessment(team.url("max"), team.user("amy"), november,
                      talk_notes="Talked | twice", improvement_plan="More visits", now=NOW)
    sheet = assessment_sheet(team.url("max"), SETTINGS, november, date(2026, 12, 2))
    lines = {line.row.rep: line for line in sheet.lines}
    amy_line, ben_line = lines[team.user("amy")], lines[team.user("ben")]
    assert Figure.NEW_CUSTOMERS in amy_line.below and amy_line.periods_below == 3
    assert Figure.NEW_CUSTOMERS in ben_line.below and ben_line.periods_below == 1
    assert amy_line.note is not None and amy_line.note.improvement_plan == "More visits"
    assert ben_line.note is None
    table = list(csv.DictReader(io.StringIO(sheet_csv(november, sheet.lines))))
    assert {row["rep"]: (row["new_customers"], row["new_customers_target"],
                         row["periods_below"]) for row in table} == {
        team.user("amy"): ("1", "2", "3"), team.user("ben"): ("1", "2", "1")}
    text = sheet_markdown(november, sheet.lines, "TWD")
    assert "Talked \\| twice" not in text  # notes are paragraphs, not table cells
    assert "Talk notes: Talked | twice" in text and "No talk recorded." in text
    assert f"| {team.user('amy')} | ▼ 1 / 2 (50%)" in text


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., tuple[int, str, str]]:
    monkeypatch.setenv("SALESDEV_PGPASS", str(tmp_path / "secret" / "pgpass"))

    def invoke(name: str, *args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(cli, ["--db", str(tmp_path / f"{name}.db"), "--config",
                                          str(tmp_path / f"{name}.toml"), *args])
        return result.exit_code, result.stdout, result.stderr

    return invoke


def test_the_commands_for_the_manager_and_a_reps_refusal(
    run: Callable[..., tuple[int, str, str]], team: Team, tmp_path: Path,
) -> None:
    url = team.url("amy").replace(team.user("amy") + "@", "")
    db = open_database(tmp_path / "amy.db")
    try:
        join(db)
    finally:
        db.close()
    for name, user in (("amy", "amy"), ("max", "max")):
        (tmp_path / f"{name}.toml").write_text(f'timezone = "{ZONE_NAME}"\n', encoding="utf-8")
        code, _out, err = run(name, "team", "join", url, team.user(user))
        assert code == 0, err
    amy = Laptop(tmp_path / "amy2.db", team, "amy")
    try:
        _customer_with_contract(amy, datetime(2026, 11, 30, 23, 30), "12345")
        sync(amy.db, amy.url)
    finally:
        amy.db.close()
    code, out, err = run("max", "team", "scorecard", "--at", "2026-11", "--json")
    assert code == 0, err
    payload = json.loads(out)
    rows = {row["rep"]: row for row in payload["reps"]}
    assert rows[team.user("amy")]["revenue"] == "12345.00"
    assert rows[team.user("amy")]["new_customers"] == 1
    assert payload["team"]["revenue"] == "12345.00" and payload["period"]["label"] == "2026-11"
    code, out, err = run("max", "team", "scorecard", "--at", "2026-11", "--period", "quarter",
                         "--format", "csv", "--sort", "rep")
    assert code == 0, err
    table = list(csv.DictReader(io.StringIO(out)))
    assert [row["rep"] for row in table] == [team.user("amy"), team.user("ben"), ""]
    assert table[0]["period"] == "2026-Q4" and table[-1]["revenue"] == "12345.00"
    code, out, err = run("max", "team", "scorecard", "--at", "2026-11", "--format", "md")
    assert code == 0 and "| Team |" in out, err
    code, out, err = run("max", "team", "scorecard", "--sort", "height")
    assert code == 3 and "--sort" in err and "Traceback" not in err
    code, out, err = run("max", "team", "scorecard", "--at", "2026-13")
    assert code == 3 and "--at" in err
    code, out, err = run("max", "team", "assess", "--at", "2026-11", "--rep",
                         team.user("amy"), "--notes", "談話紀錄", "--plan", "改善計畫")
    assert code == 0 and "Recorded the talk" in out, err
    code, out, err = run("max", "team", "assess", "--at", "2026-11", "--format", "csv")
    assert code == 0, err
    assert "談話紀錄" in out and "改善計畫" in out
    code, out, err = run("max", "team", "customers", team.user("amy"))
    assert code == 0 and "Edge " in out, err
    # The rep: a plain refusal of the team's figures; the rep's own assessment after a sync.
    code, out, err = run("amy", "team", "scorecard")
    assert code == 3 and "Only the team's manager" in err and "Traceback" not in err
    code, out, err = run("amy", "team", "assess", "--at", "2026-11")
    assert code == 3 and "Only the team's manager" in err
    code, out, err = run("amy", "sync")
    assert code == 0, err
    code, out, err = run("amy", "team", "assessment")
    assert code == 0 and "2026-11" in out and "談話紀錄" in out and "改善計畫" in out, err


def test_the_laptop_migration_adds_the_table(tmp_path: Path) -> None:
    """A new file has the table as the model says; a version-8 file gets the same table,
    frozen in migration 10, with its rows untouched."""
    db = open_database(tmp_path / "fresh.db")
    db.close()
    with sqlite3.connect(tmp_path / "fresh.db") as conn:
        made = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'assessment'"
                            ).fetchone()[0]
        conn.execute("INSERT INTO customer (id, created_at, updated_at, name, name_key, stage)"
                     " VALUES ('ab', 'x', 'x', 'Kept', 'kept', 'prospect')")
        conn.execute("DROP TABLE assessment")
        conn.execute("PRAGMA user_version=8")
    db = open_database(tmp_path / "fresh.db")
    db.close()
    with sqlite3.connect(tmp_path / "fresh.db") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 13
        columns = [row[1] for row in conn.execute("PRAGMA table_info(assessment)")]
        migrated = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'assessment'"
                                ).fetchone()[0]
        assert conn.execute("SELECT name FROM customer").fetchall() == [("Kept",)]
    assert columns == list(Assessment.model_fields)
    assert " ".join(migrated.split()) == " ".join(made.split())


def test_a_server_not_migrated_is_a_plain_message(server_db: tuple[str, str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from salesdev_tui.server import admin
    from salesdev_tui.server.admin import ServerError
    from salesdev_tui.server.roles import TeamRole
    from tests.server.conftest import _admin

    name, url = server_db
    monkeypatch.setattr(admin, "VERSIONS", (1,))
    monkeypatch.setattr(admin, "LATEST", 1)
    admin.migrate(url)
    manager = f"m{uuid.uuid4().hex[:8]}_max"
    admin.add_user(url, manager, TeamRole.MANAGER)
    try:
        with pytest.raises(ServerError, match="refused.*salesdev server migrate"):
            assessment_sheet(url.replace("postgres@", f"{manager}@"), SETTINGS,
                             parse_period("2026-11", SETTINGS.zone), date(2026, 12, 2))
    finally:
        with _admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"DROP ROLE IF EXISTS {manager}")
