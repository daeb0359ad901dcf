"""The command line: each command, its output, and exit codes scripts can test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.cli.app import Exit


@pytest.fixture
def run(db_path: Path):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(cli, ["--db", str(db_path), *args])
        return result.exit_code, result.stdout, result.stderr

    return invoke


def add(run, *args: str) -> str:  # type: ignore[no-untyped-def]
    code, out, err = run("add", *args, "--json")
    assert code == 0, err
    return str(json.loads(out)["id"])


def test_add_list_show(run) -> None:  # type: ignore[no-untyped-def]
    customer_id = add(run, "Acme Trading", "--contact", "Jane Wu", "--email", "Jane@ACME.tw",
                      "--phone", "0912 345 678", "--source", "trade_show", "--industry",
                      "manufacturing", "--potential", "a")
    code, out, _ = run("list", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [(r["id"], r["name"], r["stage"], r["potential"], r["source"]) for r in rows] == [
        (customer_id, "Acme Trading", "prospect", "A", "trade_show")
    ]
    code, out, _ = run("show", customer_id[:6], "--json")
    assert code == 0
    shown = json.loads(out)
    assert shown["contacts"][0]["email"] == "Jane@acme.tw"
    assert shown["contacts"][0]["phone_normalized"] == "+886912345678"
    assert shown["contacts"][0]["is_primary"] is True
    assert [c["to_stage"] for c in shown["stage_changes"]] == ["prospect"]


def test_add_with_company_makes_name_the_person(run) -> None:  # type: ignore[no-untyped-def]
    customer_id = add(run, "王小明", "--company", "台灣精密工業股份有限公司")
    code, out, _ = run("show", customer_id, "--json")
    shown = json.loads(out)
    assert shown["name"] == "台灣精密工業股份有限公司"
    assert shown["contacts"][0]["name"] == "王小明"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["", "--phone", "0912345678"], "Company name"),
        (["Acme", "--email", "nobody@"], "E-mail"),
        (["Acme", "--phone", "12"], "Phone"),
        (["Acme", "--source", "telepathy"], "Source"),
        (["Acme", "--potential", "Z"], "otential"),
    ],
)
def test_bad_input_names_the_field(run, args: list[str], field: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run("add", *args)
    assert code == Exit.INVALID
    assert field in err
    assert "Traceback" not in err + out
    code, out, _ = run("list", "--json")
    assert json.loads(out) == []  # nothing saved


def test_stage_gates_from_the_cli(run) -> None:  # type: ignore[no-untyped-def]
    customer_id = add(run, "Beta Foods")
    code, _, err = run("stage", customer_id, "contacted")
    assert code == Exit.INVALID
    assert "reason" in err.lower()
    code, out, _ = run("stage", customer_id, "contacted", "--reason", "called at the show")
    assert code == 0, out
    code, _, err = run("stage", customer_id, "won", "--reason", "please")
    assert code == Exit.INVALID  # hard gate: no approved contract with six clauses
    assert "✗" in err
    code, _, err = run("stage", customer_id, "lost")
    assert code == Exit.INVALID
    code, _, _ = run("stage", customer_id, "lost", "--reason", "no budget")
    assert code == 0
    code, out, _ = run("list", "--stage", "lost", "--json")
    assert [r["id"] for r in json.loads(out)] == [customer_id]
    code, _, err = run("stage", customer_id, "dreaming")
    assert code == Exit.INVALID and "Stage" in err


def test_ids_by_prefix_and_their_errors(run) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run("show", "ffffffff")
    assert code == Exit.NOT_FOUND
    code, _, err = run("show", "not-hex!")
    assert code == Exit.NOT_FOUND
    ids = [add(run, f"Customer {n}") for n in range(20)]
    # With 20 random ids, some one-character prefix is shared by two of them.
    first_chars = [i[0] for i in ids]
    shared = next(c for c in first_chars if first_chars.count(c) > 1)
    code, _, err = run("show", shared)
    assert code == Exit.NOT_FOUND
    assert "matches" in err


def test_scorecard_json_shape(run) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run("scorecard", "--at", "2026-11", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["period"]["kind"] == "month"
    assert data["period"]["label"] == "2026-11"
    # Midnight of 1 November in Taipei, written in UTC (docs/json/README.md).
    assert data["period"]["start"] == "2026-10-31T16:00:00Z"
    assert data["success_rate"] is None
    assert data["satisfaction"] is None
    for key in ("revenue", "profit", "commission"):
        assert data[key] == "0.00"
    assert {"new_customers", "prospects_contacted", "satisfaction_responses"} <= data.keys()
    code, _, err = run("scorecard", "--at", "2026-13")
    assert code == Exit.INVALID
    code, _, err = run("scorecard", "--period", "fortnight")
    assert code == Exit.INVALID
    code, out, _ = run("scorecard", "--period", "year")
    assert code == 0 and "Revenue" in out


def test_storage_errors_are_one_line(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bogus = tmp_path / "not-a-db.sqlite"
    bogus.write_text("hello, I am a spreadsheet")
    result = CliRunner().invoke(cli, ["--db", str(bogus), "list"])
    assert result.exit_code == Exit.STORAGE
    assert result.stderr.startswith("error: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert bogus.read_text() == "hello, I am a spreadsheet"


def test_broken_config_names_the_key(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "bad.toml"
    config.write_text('commission_rate = "lots"\n')
    result = CliRunner().invoke(cli, ["--config", str(config), "scorecard"])
    assert result.exit_code == Exit.CONFIG
    assert "commission_rate" in result.stderr


def test_paths(run, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run("paths", "--json")
    assert code == 0
    assert json.loads(out)["database"] == str(db_path)
