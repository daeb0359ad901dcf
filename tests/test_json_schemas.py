"""One documented JSON (issue 17.8): every `--json` / `--format json` output validates
against its schema in docs/json/, on a small demo database; the same thing has the same key
and type in every command; times are UTC with `Z`; money strings, counts numbers."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from tests.json_schema_records import DOCS, expected

#: Every command with a JSON output, and the arguments that ask for it ({id}: a customer).
COMMANDS: dict[str, list[str]] = {
    "list": ["list", "--json", "--limit", "1000"],
    "add": ["add", "Schema Check Co.", "--contact", "Amy Chen", "--phone", "02-2345-6789",
            "--json", "--allow-duplicate"],
    "show": ["show", "{id}", "--json"],
    "paths": ["paths", "--json"],
    "plans": ["plans", "--json", "--days", "60"],
    "scorecard": ["scorecard", "--json"],
    "review": ["review", "--format", "json", "--date", "yesterday"],
    "export": ["export", "--format", "json"],
}

#: A moment as these outputs write it; any other time-looking string is a failure.
UTC_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")
TIME_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}T")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small book with every kind of record (the demo generator), made once."""
    path = tmp_path_factory.mktemp("schemas") / "demo.db"
    result = CliRunner().invoke(cli, ["--db", str(path), "demo", "--customers", "40"])
    assert result.exit_code == 0, result.stderr
    return path


def run_json(db: Path, args: list[str]) -> Any:
    if "{id}" in args:
        listed = run_json(db, COMMANDS["list"])
        args = [a.replace("{id}", listed[0]["id"]) for a in args]
    result = CliRunner().invoke(cli, ["--db", str(db), *args])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def schema_of(name: str) -> dict[str, Any]:
    return json.loads((DOCS / f"{name}.schema.json").read_text(encoding="utf-8"))


def strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return [value] if isinstance(value, str) else []


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_json_output_matches_its_documented_schema(demo_db: Path, name: str) -> None:
    data = run_json(demo_db, COMMANDS[name])
    schema = schema_of(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(data)
    # One time convention: every moment in UTC with Z (no +08:00, no +00:00).
    for text in strings(data):
        if TIME_LIKE.match(text):
            assert UTC_Z.match(text), (name, text)


def test_the_demo_fills_what_the_schemas_check(demo_db: Path) -> None:
    """The fixture is not empty where it matters: a schema is no check on empty lists."""
    assert len(run_json(demo_db, COMMANDS["list"])) >= 40  # `add` may have run first
    assert run_json(demo_db, COMMANDS["plans"])
    card = run_json(demo_db, ["scorecard", "--json", "--period", "year"])
    assert card["indicators"] and card["by_source"] and card["pipeline"]["stages"]
    shown = run_json(demo_db, COMMANDS["show"])
    assert shown["contacts"] and shown["stage_changes"]


def test_every_schema_file_is_checked_and_current() -> None:
    """Each docs/json schema has a command above, and its record shapes are the columns of
    today (after a schema change: `python -m tests.json_schema_records`)."""
    files = {p.name.removesuffix(".schema.json") for p in DOCS.glob("*.schema.json")}
    assert files == set(COMMANDS)
    for name in files:
        assert schema_of(name) == expected(name, schema_of(name)), (
            f"docs/json/{name}.schema.json is out of date: run "
            "`python -m tests.json_schema_records`")


def test_the_same_thing_has_the_same_key_and_type_across_commands(demo_db: Path) -> None:
    plans = run_json(demo_db, COMMANDS["plans"])
    review = run_json(demo_db, ["review", "--format", "json"])
    review_plans = [p for key in ("done", "missed", "rescheduled", "to_come", "cancelled")
                    for p in review["contacts"][key]] + review["tomorrow"]
    # A plan is `plan_id` with a UTC time in both.
    assert plans and all("plan_id" in p and "id" not in p for p in plans)
    assert all(set(plans[0]) - {"contact"} <= set(p) for p in review_plans)
    card = run_json(demo_db, ["scorecard", "--json"])
    month = {i["figure"]: i for i in review["month"]["indicators"]}
    # The review's month has the period figures; the scorecard adds the pipeline's two.
    assert set(month) < {i["figure"] for i in card["indicators"]}
    for indicator in card["indicators"]:
        other = month.get(indicator["figure"])
        if other is None:
            continue
        assert set(indicator) == set(other)
        # Counts are numbers in both, amounts and rates strings in both.
        assert type(indicator["value"]) is type(other["value"]) or None in (
            indicator["value"], other["value"])
    assert isinstance(card["indicators"][0]["value"], int)  # new_customers
    assert isinstance(month["new_customers"]["value"], int)
    assert isinstance(card["new_customers"], int) and isinstance(card["revenue"], str)


def test_scorecard_json_carries_the_targets_pace_and_pipeline(db_path: Path,
                                                              tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('timezone = "Asia/Taipei"\n[targets]\nnew_customers = 4\n'
                      'revenue = "100000"\n')
    now = datetime.now(UTC)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "--config", str(config),
                                      "scorecard", "--json", "--at", f"{now:%Y-%m}"])
    assert result.exit_code == 0, result.stderr
    card = json.loads(result.stdout)
    jsonschema.Draft202012Validator(schema_of("scorecard")).validate(card)
    by_figure = {i["figure"]: i for i in card["indicators"]}
    assert by_figure["new_customers"]["target"] == 4
    assert by_figure["revenue"]["target"] == "100000"
    assert by_figure["revenue"]["working_days_total"] > 0
    assert card["pipeline"] == {"stages": [], "proposals": 0, "value": "0.00",
                                "weighted": "0.00"}
