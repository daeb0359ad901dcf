"""Targets the manager sets per rep and period (issue 19.3), against the real PostgreSQL:
they reach the rep's laptop by sync and replace the rep's own for that period only; the
rep cannot change them, neither in the app nor by raw SQL on the server."""

from __future__ import annotations

import sqlite3
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest

from salesdev_tui.config import Settings
from salesdev_tui.domain.periods import parse_period
from salesdev_tui.domain.targets import TargetRefused, TargetSource, resolve_targets
from salesdev_tui.domain.validation import TargetInput, validate
from salesdev_tui.models.enums import Kpi, PeriodKind
from salesdev_tui.server.connect import team_connect
from salesdev_tui.server.handover import Refused
from salesdev_tui.usecases.team_targets import set_team_targets
from tests.server.conftest import Team
from tests.server.test_sync import Device

SETTINGS = Settings()


@pytest.fixture
def amy(team: Team, tmp_path: Path) -> Any:
    device = Device(tmp_path / "amy.db", team, "amy")
    yield device
    device.db.close()


def _own(device: Device, label: str, kpi: Kpi, value: str) -> None:
    kind = parse_period(label, SETTINGS.zone).kind
    device.store.targets.set_target(validate(TargetInput, {
        "period_kind": kind, "period_label": label, "kpi": kpi, "value": value}))


def _targets(device: Device, label: str) -> dict[Kpi, tuple[Decimal, TargetSource]]:
    period = parse_period(label, SETTINGS.zone)
    rows = device.store.targets.targets_for([(period.kind, period.label)])
    return {kpi: (t.value, t.source)
            for kpi, t in resolve_targets(period, SETTINGS.targets, rows).items()}


def _as_manager(team: Team, rep: str = "amy", **kwargs: Any) -> Any:
    conn, role = team_connect(team.url("max"))
    with conn:
        return set_team_targets(conn, role, team.user("max"), rep=team.user(rep),
                                zone=SETTINGS.zone, currency="TWD", **kwargs)


def test_the_managers_targets_replace_the_reps_own_for_that_period_only(
    amy: Device, team: Team,
) -> None:
    _own(amy, "2026-11", Kpi.REVENUE, "100000")
    _own(amy, "2026-11", Kpi.PROFIT, "20000")
    _own(amy, "2026-12", Kpi.REVENUE, "200000")
    amy.sync()

    result = _as_manager(team, period="2026-11", texts={
        Kpi.REVENUE: "500,000", Kpi.NEW_CUSTOMERS: "3", Kpi.SUCCESS_RATE: "25%"})
    assert result.written == 3
    assert {(t.kpi, t.set_by) for t in result.targets} >= {
        (Kpi.REVENUE, team.user("max")), (Kpi.REVENUE, None)}  # the rep's own still there
    amy.sync()

    assert _targets(amy, "2026-11") == {
        Kpi.NEW_CUSTOMERS: (Decimal("3"), TargetSource.MANAGER),
        Kpi.SUCCESS_RATE: (Decimal("0.25"), TargetSource.MANAGER),
        Kpi.REVENUE: (Decimal("500000"), TargetSource.MANAGER),
    }  # the rep's own profit target of that month no longer counts either
    assert _targets(amy, "2026-12") == {Kpi.REVENUE: (Decimal("200000"), TargetSource.PERIOD)}

    # The rep cannot change or clear a period the manager set, in the app...
    with pytest.raises(TargetRefused, match="manager set the targets for 2026-11"):
        _own(amy, "2026-11", Kpi.REVENUE, "1")
    with pytest.raises(TargetRefused):
        amy.store.targets.clear_target(PeriodKind.MONTH, "2026-11", Kpi.REVENUE)
    assert amy.store.targets.set_by_manager(PeriodKind.MONTH, "2026-11") == team.user("max")
    _own(amy, "2026-12", Kpi.PROFIT, "30000")  # her other periods stay hers
    assert amy.outbox() > 0
    amy.sync()

    # ... nor by editing the laptop's file and syncing: the server refuses the change.
    with sqlite3.connect(amy.path) as conn:
        conn.execute("UPDATE target SET value = 10000 WHERE set_by IS NOT NULL"
                     " AND kpi = 'revenue'")
    report = amy.sync()
    assert len(report.refused) == 1
    with team.connect("max") as manager:
        assert manager.execute("SELECT value FROM target WHERE set_by IS NOT NULL AND kpi ="
                               " 'revenue'").fetchone() == (500000 * 10**4,)

    # The manager clears the period: the rep's own count again.
    cleared = _as_manager(team, period="2026-11", clear=True)
    assert cleared.written == 3 and {t.set_by for t in cleared.targets} == {None}
    amy.sync()
    assert _targets(amy, "2026-11")[Kpi.REVENUE] == (Decimal("100000"), TargetSource.PERIOD)
    _own(amy, "2026-11", Kpi.REVENUE, "120000")  # and she may change them again
    assert _targets(amy, "2026-11")[Kpi.REVENUE] == (Decimal("120000"), TargetSource.PERIOD)


def test_a_quarter_set_by_the_manager_leaves_the_months_alone(amy: Device, team: Team) -> None:
    _own(amy, "2026-10", Kpi.REVENUE, "100000")
    amy.sync()
    _as_manager(team, period="2026-q4", texts={Kpi.REVENUE: "900000"})
    amy.sync()
    assert _targets(amy, "2026-Q4") == {Kpi.REVENUE: (Decimal("900000"), TargetSource.MANAGER)}
    assert _targets(amy, "2026-10") == {Kpi.REVENUE: (Decimal("100000"), TargetSource.PERIOD)}


def test_the_rep_cannot_write_the_managers_targets_on_the_server(
    amy: Device, team: Team,
) -> None:
    _as_manager(team, period="2026-11", texts={Kpi.REVENUE: "500000"})
    now = "2026-12-07T01:00:00.000000"
    with team.connect("amy") as conn:
        assert conn.execute("SELECT count(*) FROM target").fetchone() == (1,)  # she reads it
        assert conn.execute("UPDATE target SET value = 1").rowcount == 0
        assert conn.execute("DELETE FROM target").rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level"):
            conn.execute("INSERT INTO target (id, created_at, updated_at, period_kind,"
                         " period_label, kpi, value, set_by) VALUES (%s, %s, %s, 'month',"
                         " '2026-12', 'revenue', 1, %s)",
                         (uuid.uuid4(), now, now, team.user("max")))
    # Nor may a manager sign a target with another's name.
    with team.connect("max") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege,
                                                    match="row-level"):
        conn.execute("INSERT INTO target (id, owner, created_at, updated_at, period_kind,"
                     " period_label, kpi, value, set_by) VALUES (%s, %s, %s, %s, 'month',"
                     " '2026-12', 'revenue', 1, 'someone')",
                     (uuid.uuid4(), team.user("amy"), now, now))


def test_only_a_manager_sets_targets_and_values_are_checked(team: Team) -> None:
    conn, role = team_connect(team.url("amy"))
    with conn, pytest.raises(Refused, match="Only a manager"):
        set_team_targets(conn, role, team.user("amy"), rep=team.user("amy"), period="2026-11",
                         zone=SETTINGS.zone, currency="TWD", texts={Kpi.REVENUE: "1"})
    for kwargs, message in (
        ({"period": "2026-13", "texts": {Kpi.REVENUE: "1"}}, "--period"),
        ({"period": "2026-11", "texts": {Kpi.SUCCESS_RATE: "150%"}}, "--success-rate"),
        ({"period": "2026-11", "texts": {Kpi.NEW_CUSTOMERS: "2.5"}}, "--new-customers"),
        ({"period": "2026-11", "texts": {Kpi.REVENUE: "-5"}}, "--revenue"),
        ({"period": "2026-11", "texts": {Kpi.SATISFACTION: "9"}}, "--satisfaction"),
    ):
        with pytest.raises(Refused, match=message):
            _as_manager(team, **kwargs)
    with pytest.raises(Refused, match="is not a rep"):
        _as_manager(team, rep="lee", period="2026-11", texts={Kpi.REVENUE: "1"})
    with team.connect("max") as manager:
        assert manager.execute("SELECT count(*) FROM target").fetchone() == (0,)
