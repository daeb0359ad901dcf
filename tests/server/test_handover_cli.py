"""The manager's team commands through the real CLI: hand-over, leftovers, target
(issue 19.3, 19.4); a rep and bad input are refused plainly, never with a traceback."""

from __future__ import annotations

import json
from decimal import Decimal

from tests.server.conftest import Team
from tests.server.test_team_cli import laptop  # noqa: F401 - the fixture


def _join(laptop, team: Team, name: str, user: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    url = team.url(user).replace(team.user(user) + "@", "")
    code, _out, err = laptop(name, "team", "join", url, team.user(user))
    assert code == 0, err


def test_a_manager_hands_customers_over_and_sets_targets(laptop, team: Team) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _join(laptop, team, "amy", "amy")
    _join(laptop, team, "ben", "ben")
    _join(laptop, team, "max", "max")
    ids = {}
    for name in ("北方精密", "South Co", "West Co"):
        code, out, err = laptop("amy", "add", name, "--contact", "王大明", "--json")
        assert code == 0, err
        ids[name] = json.loads(out)["id"]
    assert laptop("amy", "sync")[0] == 0

    code, out, err = laptop("max", "team", "hand-over", "北方精密", "--to", team.user("ben"))
    assert code == 0, err
    assert "Handed 1 customers with 3 records to" in out and "北方精密" in out
    code, out, err = laptop("max", "team", "hand-over", "--from", team.user("amy"), "--all",
                            "--to", team.user("ben"))
    assert code == 0 and "Handed 2 customers" in out, err
    assert laptop("amy", "sync")[0] == 0
    assert laptop("ben", "sync")[0] == 0
    code, out, err = laptop("amy", "list", "--json")
    assert code == 0 and json.loads(out) == [], out
    code, out, err = laptop("ben", "show", ids["北方精密"][:8])
    assert code == 0 and "王大明" in out, err
    code, out, err = laptop("max", "team", "leftovers")
    assert (code, out.strip()) == (0, "No changes were left by a hand-over.")

    code, out, err = laptop("max", "team", "target", team.user("amy"), "--period", "2026-11",
                            "--revenue", "500,000", "--success-rate", "25%")
    assert code == 0, err
    assert "Set 2 targets" in out and f"set by {team.user('max')}" in out
    assert laptop("amy", "sync")[0] == 0
    code, out, err = laptop("amy", "scorecard", "--at", "2026-11", "--json")
    assert code == 0, err
    figures = {f["figure"]: f for f in json.loads(out)["indicators"]}
    assert Decimal(figures["revenue"]["target"]) == Decimal("500000")
    assert figures["revenue"]["target_set_by"] == "manager"
    code, out, err = laptop("amy", "scorecard", "--at", "2026-11")
    assert code == 0 and "(manager)" in out, err
    code, out, err = laptop("max", "team", "target", team.user("amy"), "--period", "2026-11")
    assert code == 0 and "revenue" in out and "success_rate" in out


def test_team_manager_commands_refuse_plainly(laptop, team: Team) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _join(laptop, team, "amy", "amy")
    _join(laptop, team, "max", "max")
    code, out, err = laptop("amy", "add", "Mine Ltd", "--json")
    assert code == 0, err
    assert laptop("amy", "sync")[0] == 0
    cases = [
        ("amy", ["team", "hand-over", "Mine Ltd", "--to", team.user("ben")], 3,
         "Only a manager can do this"),
        ("amy", ["team", "target", team.user("amy"), "--period", "2026-11", "--revenue", "1"],
         3, "Only a manager can do this"),
        ("amy", ["team", "leftovers"], 3, "Only a manager can do this"),
        ("max", ["team", "hand-over", "Mine Ltd"], 2, "--to"),
        ("max", ["team", "hand-over", "--to", team.user("ben")], 2, "--from REP --all"),
        ("max", ["team", "hand-over", "Mine Ltd", "--all", "--to", team.user("ben")], 2,
         "--all"),
        ("max", ["team", "hand-over", "Nobody", "--to", team.user("ben")], 3, "no customer"),
        ("max", ["team", "hand-over", "Mine Ltd", "--to", team.user("lee")], 3,
         "is not a rep"),
        ("max", ["team", "target", team.user("amy"), "--period", "2026-13", "--revenue", "1"],
         3, "--period"),
        ("max", ["team", "target", team.user("amy"), "--period", "2026-11", "--revenue",
                 "lots"], 3, "--revenue"),
        ("max", ["team", "target", team.user("amy"), "--period", "2026-11", "--clear",
                 "--revenue", "1"], 2, "--clear"),
    ]
    for who, args, want, message in cases:
        code, out, err = laptop(who, *args)
        assert (code, message in err, "Traceback" in err + out) == (want, True, False), (
            args, code, err)
