"""`salesdev contract send-for-review` and `salesdev legal queue|show|approve|reject`
through the real CLI against the real team server (issue 19.5)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from uuid import UUID

import pytest
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.db import open_database
from salesdev_tui.domain.validation import ContractInput, validate
from salesdev_tui.models.tables import CONTRACT_CLAUSES
from salesdev_tui.store.combined import Store
from tests.server.conftest import Team


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SALESDEV_PGPASS", str(tmp_path / "secret" / "pgpass"))

    def invoke(name: str, *args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(cli, ["--db", str(tmp_path / f"{name}.db"), "--config",
                                          str(tmp_path / f"{name}.toml"), *args])
        return result.exit_code, result.stdout, result.stderr

    return invoke


def test_send_queue_reject_approve_and_the_reps_status(  # type: ignore[no-untyped-def]
    run, team: Team, tmp_path: Path,
) -> None:
    url = team.url("amy").replace(team.user("amy") + "@", "")
    code, out, err = run("amy", "add", "台灣精密機械股份有限公司", "--json")
    assert code == 0, err
    customer = json.loads(out)["id"]
    assert run("amy", "team", "join", url, team.user("amy"))[0] == 0
    assert run("lee", "team", "join", url, team.user("lee"))[0] == 0
    # The contract is made through the store (there is no contract-drafting command).
    db = open_database(tmp_path / "amy.db")
    try:
        kid = Store(db).contracts.create_contract(UUID(customer), validate(ContractInput, {
            "number": "SD-9", "value": "1000", "cost": "0",
            **{c: "寫明" for c in CONTRACT_CLAUSES}})).id
    finally:
        db.close()
    code, out, err = run("amy", "contract", "send-for-review", kid.hex[:8])
    assert code == 0 and "sent for legal review" in out and "salesdev sync" in out, err
    assert run("amy", "sync")[0] == 0
    code, out, err = run("lee", "legal", "queue")
    assert code == 0 and "SD-9" in out and "台灣精密機械股份有限公司" in out and "pending" in out
    code, out, err = run("lee", "legal", "show", "SD-9")
    assert code == 0 and out.count("寫明") == 6
    code, out, err = run("lee", "legal", "reject", kid.hex)
    assert code == 3 and "required to reject" in err and "Traceback" not in err
    code, out, err = run("lee", "legal", "reject", kid.hex, "--comment", "價格未含稅")
    assert code == 0 and f"rejected by {team.user('lee')}" in out, err
    code, out, err = run("lee", "legal", "approve", "ffffffff")
    assert code == 4 and "No contract sent for review" in err
    code, out, err = run("amy", "legal", "queue")  # a rep is not legal
    assert code == 3 and "Only a member of the legal role" in err
    assert run("amy", "sync")[0] == 0
    code, out, err = run("amy", "show", customer[:8])
    assert code == 0 and "rejected" in out
    # A forged approval in the SQLite file: the sync and `team status` say it was not sent.
    with sqlite3.connect(tmp_path / "amy.db") as conn:
        conn.execute("UPDATE contract SET legal_review = 'approved' WHERE id = ?", (kid.hex,))
    code, out, err = run("amy", "sync")
    line = "contract SD-9: only legal can approve; your approval was not sent"
    assert code == 0 and line in out, err
    code, out, err = run("amy", "team", "status")
    assert line in out
