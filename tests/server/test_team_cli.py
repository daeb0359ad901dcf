"""A rep's team commands through the real CLI: join, sync, status, conflicts (issue 18)."""

from __future__ import annotations

import json
import os
import stat
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.server.credentials import conninfo, save_password
from tests.server.conftest import Team


@pytest.fixture
def laptop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SALESDEV_PGPASS", str(tmp_path / "secret" / "pgpass"))

    def invoke(name: str, *args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(cli, ["--db", str(tmp_path / f"{name}.db"), "--config",
                                          str(tmp_path / f"{name}.toml"), *args])
        return result.exit_code, result.stdout, result.stderr

    return invoke


def test_join_sync_and_status_on_two_laptops(laptop, team: Team, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = team.url("amy").replace(team.user("amy") + "@", "")
    code, out, err = laptop("a", "add", "台灣精密機械股份有限公司", "--contact", "王大明",
                            "--json")
    assert code == 0, err
    customer = json.loads(out)["id"]
    code, out, err = laptop("a", "team", "join", url, team.user("amy"))
    assert code == 0, err
    assert "Joined the team server as" in out and "(rep)" in out
    config = tomllib.loads((tmp_path / "a.toml").read_text(encoding="utf-8"))
    assert config["team"] == {"url": url, "user": team.user("amy"), "sslmode": "prefer",
                              "role": "rep"}
    code, out, err = laptop("a", "team", "status")
    assert "Changes waiting to be sent: 3" in out  # customer, contact, first stage
    code, out, err = laptop("a", "sync")
    assert (code, out.strip()) == (0, "Sent 3 records, received 0; 0 conflicts."), err
    code, out, err = laptop("b", "team", "join", url, team.user("amy"))
    assert code == 0, err
    code, out, err = laptop("b", "sync")
    assert code == 0, err
    code, out, err = laptop("b", "show", customer[:8])
    assert code == 0 and "台灣精密機械股份有限公司" in out and "王大明" in out
    code, out, err = laptop("b", "team", "status")
    assert "Changes waiting to be sent: 0" in out and "Last sync: never" not in out
    code, out, err = laptop("b", "team", "conflicts")
    assert out.strip() == "No conflicts."


def test_team_commands_refuse_plainly(laptop, team: Team) -> None:  # type: ignore[no-untyped-def]
    code, out, err = laptop("a", "sync")
    assert code == 6 and "team join" in err
    url = team.url("amy")
    code, out, err = laptop("a", "team", "join", url, team.user("amy"))
    assert code == 2 and "must not name a user" in err
    bare = url.replace(team.user("amy") + "@", "")
    code, out, err = laptop("a", "team", "join", bare, "Amy Chen")
    assert code == 2 and "user name" in err
    code, out, err = laptop("a", "team", "join", bare, "postgres")
    assert code == 2 and "reserved" in err
    code, out, err = laptop("a", "team", "join", bare.replace("5432", "1"), team.user("amy"))
    assert code == 5 and "Cannot reach the team server" in err and "Traceback" not in err
    code, out, err = laptop("a", "team", "conflicts", "--accept", "nothing")
    assert code == 6 and "team join" in err


def test_the_password_is_kept_in_a_private_file_that_libpq_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SALESDEV_PGPASS", str(tmp_path / "conf" / "pgpass"))
    path = save_password("postgresql://db.example:6543/sales", "amy", "pa:ss\\word")
    save_password("postgresql://db.example:6543/sales", "amy", "newer")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.read_text() == "db.example:6543:sales:amy:newer\n"
    from psycopg.conninfo import conninfo_to_dict

    info = conninfo_to_dict(conninfo("postgresql://db.example:6543/sales", "amy"))
    assert info["passfile"] == str(path) and "password" not in info


def test_join_keeps_the_role_the_server_gives(laptop, team: Team, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The manager's and legal's laptops remember their role (it picks the TUI's first
    screen); a hand-edited role outside the three is refused, naming the key."""
    url = team.url("max").replace(team.user("max") + "@", "")
    code, out, err = laptop("m", "team", "join", url, team.user("max"))
    assert code == 0 and "(manager)" in out, err
    config = tomllib.loads((tmp_path / "m.toml").read_text(encoding="utf-8"))
    assert config["team"]["role"] == "manager"
    url = team.url("lee").replace(team.user("lee") + "@", "")
    code, out, err = laptop("l", "team", "join", url, team.user("lee"))
    assert code == 0 and "(legal)" in out, err
    assert tomllib.loads((tmp_path / "l.toml").read_text(encoding="utf-8"))[
        "team"]["role"] == "legal"
    path = tmp_path / "l.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('"legal"', '"boss"'),
                    encoding="utf-8")
    code, out, err = laptop("l", "team", "status")
    assert code != 0 and "team.role" in err and "rep, manager, legal" in err
