"""The CLI in scripts and pipes (issue 17.7): every column of every row when stdout is not a
terminal, csv/tsv for `list`, "N of M shown" when a limit cuts, `-` for stdin/stdout, one
overwrite rule (`--replace`), and the bare command refusing to draw into a file."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.cli.app import Exit
from salesdev_tui.models.tables import Proposal

LONG_NAME = "Taiwan Precision Machinery Industrial Co., Ltd. " + " ".join(
    ["Tainan Science Park"] * 5)


def invoke(db_path: Path, *args: str, stdin: str | bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", str(db_path), *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def add(db_path: Path, name: str, *args: str) -> str:
    code, out, err = invoke(db_path, "add", name, "--allow-duplicate", "--json", *args)
    assert code == 0, err
    return str(json.loads(out)["id"])


def test_a_piped_table_keeps_every_column_of_every_row(db_path: Path) -> None:
    first = add(db_path, LONG_NAME, "--industry", "semiconductor equipment", "--source",
                "trade_show", "--potential", "A")
    second = add(db_path, "Beta Foods", "--industry", "food")
    code, out, _ = invoke(db_path, "list")
    assert code == 0
    lines = out.splitlines()
    # One line per customer, holding its id, its whole name and every later column.
    long_line = next(line for line in lines if first[:8] in line)
    assert LONG_NAME in long_line
    # The table is for people: vocabulary as the app names it (csv/tsv keep the stored values).
    for value in ("semiconductor equipment", "trade show", "prospect", " A "):
        assert value in long_line
    assert any(second[:8] in line and "Beta Foods" in line and "food" in line
               for line in lines)
    # `salesdev list | grep` finds the row by a word at the end of the long name.
    assert [line for line in lines if "Science Park" in line] == [long_line]


@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("tsv", "\t")])
def test_list_as_csv_and_tsv(db_path: Path, fmt: str, delimiter: str) -> None:
    first = add(db_path, LONG_NAME, "--industry", "machinery, tools")
    add(db_path, "Beta Foods")
    code, out, _ = invoke(db_path, "list", "--format", fmt)
    assert code == 0
    rows = list(csv.reader(io.StringIO(out), delimiter=delimiter))
    assert rows[0] == ["id", "name", "stage", "potential", "industry", "source",
                       "next_plan_at", "last_activity_at"]
    assert len(rows) == 3
    record = next(r for r in rows[1:] if r[0] == first)
    assert record[1] == LONG_NAME and record[4] == "machinery, tools"
    assert record[2] == "prospect"


@pytest.mark.parametrize("extra", [[], ["--json"], ["--format", "csv"], ["--stage", "prospect"],
                                   ["--search", "Customer"]])
def test_a_cut_listing_says_so_on_stderr(db_path: Path, extra: list[str]) -> None:
    for n in range(5):
        add(db_path, f"Customer {n}")
    code, out, err = invoke(db_path, "list", "--limit", "3", *extra)
    assert code == 0
    assert "3 of 5 shown" in err
    if extra == ["--json"]:
        assert len(json.loads(out)) == 3  # stdout holds the rows only
    code, out, err = invoke(db_path, "list", "--limit", "5", *extra)
    assert code == 0 and "shown" not in err


def test_list_json_stops_at_100_and_says_so(db_path: Path) -> None:
    rows = "".join(f"Lead {n:03},{n:03}@lead.tw\n" for n in range(124))
    code, _, err = invoke(db_path, "import", "-", stdin="Company,E-mail\n" + rows)
    assert code == 0, err
    code, out, err = invoke(db_path, "list", "--json")
    assert code == 0 and len(json.loads(out)) == 100
    assert "100 of 124 shown" in err


def test_a_long_list_is_counted_up_to_the_cap(db_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the cap the listing says "more than": the count stops there, so a million
    customers cost what ten thousand do, whatever plan SQLite picks."""
    from salesdev_tui.store import customer_list

    for n in range(7):
        add(db_path, f"Customer {n}")
    monkeypatch.setattr(customer_list, "COUNT_CAP", 4)
    code, _, err = invoke(db_path, "list", "--limit", "2")
    assert code == 0 and "2 of more than 4 shown" in err
    conn = sqlite3.connect(db_path)
    try:
        assert customer_list.list_and_count(conn, stage=None, limit=2)[1] == 5  # cap + 1
        assert customer_list.list_and_count(conn, stage=None, limit=7)[1] is None
    finally:
        conn.close()


def test_export_out_dash_is_stdout(db_path: Path, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    add(db_path, "Acme Trading", "--contact", "Jane Wu", "--email", "jane@acme.tw")
    monkeypatch.chdir(tmp_path)
    for args in (["--format", "json"], ["--format", "csv"], ["--format", "vcard"]):
        code, out, err = invoke(db_path, "export", *args, "--out", "-")
        assert code == 0, err
        assert "Acme Trading" in out or "Jane Wu" in out
        assert not (tmp_path / "-").exists()
    code, out, _ = invoke(db_path, "export", "--out", "-")
    assert json.loads(out)["customers"][0]["name"] == "Acme Trading"


def test_import_from_stdin(db_path: Path) -> None:
    code, out, err = invoke(db_path, "import", "-", stdin="Company,Contact,Phone\n"
                            "Acme Trading,Jane Wu,02-2222-3333\nBeta Foods,Ben Lin,04-2222-3333\n")
    assert code == 0, err
    code, out, _ = invoke(db_path, "list", "--format", "csv")
    names = {r["name"] for r in csv.DictReader(io.StringIO(out))}
    assert names == {"Acme Trading", "Beta Foods"}
    # A salesdev JSON export comes through stdin too.
    code, exported, _ = invoke(db_path, "export", "--out", "-")
    other = db_path.with_name("other.db")
    code, out, err = invoke(other, "import", "-", stdin=exported)
    assert code == 0, err
    assert "Imported" in out
    code, out, _ = invoke(other, "list", "--format", "csv")
    assert {r["name"] for r in csv.DictReader(io.StringIO(out))} == names


def _proposal(db_path: Path) -> str:
    customer = add(db_path, "Acme Trading", "--contact", "Jane Wu")
    from salesdev_tui.db import open_database

    db = open_database(db_path)
    try:
        with db.write() as session:
            proposal = Proposal(customer_id=uuid.UUID(customer), title="Offer")
            session.add(proposal)
            session.flush()
            return str(proposal.id)
    finally:
        db.close()


def test_proposal_review_and_plans_write_to_stdout_with_dash(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    proposal_id = _proposal(db_path)
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke(db_path, "proposal", proposal_id, "-f", "md", "--out", "-")
    assert code == 0, err
    assert "Offer" in out
    code, out, err = invoke(db_path, "review", "--format", "json", "-o", "-")
    assert code == 0, err
    assert "day" in json.loads(out)
    code, out, err = invoke(db_path, "plans", "--ics", "-")
    assert code == 0 and out.startswith("BEGIN:VCALENDAR")
    assert not (tmp_path / "-").exists()


def test_backup_to_stdout_and_restore_from_stdin(db_path: Path, tmp_path: Path) -> None:
    add(db_path, "Acme Trading")
    result = CliRunner().invoke(cli, ["--db", str(db_path), "backup", "--to", "-"])
    assert result.exit_code == 0, result.stderr
    data = result.stdout_bytes
    assert data.startswith(b"SQLite format 3\x00")
    copy = tmp_path / "copy.db"
    copy.write_bytes(data)
    connection = sqlite3.connect(copy)
    try:
        assert connection.execute("SELECT name FROM customer").fetchall() == [("Acme Trading",)]
    finally:
        connection.close()
    target = tmp_path / "restored" / "salesdev.db"
    code, _, err = invoke(target, "restore", "-", stdin=data)
    assert code == Exit.USAGE and "--yes" in err  # stdin cannot also answer the question
    result = CliRunner().invoke(cli, ["--db", str(target), "restore", "-", "--yes"], input=data)
    assert result.exit_code == 0, result.stderr
    assert "Restored stdin into" in result.stdout  # not the temporary copy's name
    assert "salesdev-" not in result.stdout
    code, out, _ = invoke(target, "list", "--format", "csv")
    assert "Acme Trading" in out


# --- one overwrite rule ---------------------------------------------------------------------

WRITERS = {
    "export json": ["export", "--out", "{path}"],
    "export csv": ["export", "--format", "csv", "--out", "{path}"],
    "export vcard": ["export", "--format", "vcard", "--out", "{path}"],
    "plans ics": ["plans", "--ics", "{path}"],
    "review": ["review", "--format", "md", "--output", "{path}"],
    "proposal": ["proposal", "{proposal}", "-f", "md", "--out", "{path}"],
    "backup": ["backup", "--to", "{path}"],
}


@pytest.mark.parametrize("name", list(WRITERS))
def test_an_existing_file_is_kept_unless_replace(db_path: Path, tmp_path: Path,
                                                 name: str) -> None:
    proposal_id = _proposal(db_path)
    target = tmp_path / "existing.out"
    target.write_text("keep me")
    args = [a.format(path=target, proposal=proposal_id) for a in WRITERS[name]]
    code, out, err = invoke(db_path, *args)
    assert code == Exit.INVALID, (out, err)
    assert str(target) in err and "--replace" in err
    assert target.read_text() == "keep me"
    code, out, err = invoke(db_path, *args, "--replace")
    assert code == 0, err
    assert target.read_bytes() != b"keep me"
    assert oct(target.stat().st_mode & 0o777) == oct(0o600)


def test_import_rejects_file_is_kept_unless_replace(db_path: Path, tmp_path: Path) -> None:
    source = tmp_path / "leads.csv"
    source.write_text("Company,E-mail\nAcme,not-an-address\nBeta,ben@beta.tw\n")
    rejects = tmp_path / "bad.csv"
    rejects.write_text("keep me")
    code, _, err = invoke(db_path, "import", str(source), "--skip-bad-rows", "--rejects",
                          str(rejects))
    assert code == Exit.INVALID and str(rejects) in err and "--replace" in err
    assert rejects.read_text() == "keep me"
    code, _, err = invoke(db_path, "import", str(source), "--skip-bad-rows", "--rejects",
                          str(rejects), "--replace")
    assert code == 0, err
    assert "not-an-address" in rejects.read_text(encoding="utf-8-sig")


# --- the bare command without a terminal ----------------------------------------------------


def test_bare_salesdev_into_a_file_says_so_and_exits_2(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    with out.open("wb") as stdout:
        done = subprocess.run(
            [sys.executable, "-c", "from salesdev_tui.cli import main; main()", "--db",
             str(db_path)],
            stdin=subprocess.DEVNULL, stdout=stdout, stderr=subprocess.PIPE, timeout=60,
            env={**os.environ, "TERM": "xterm-256color"}, check=False,
        )
    assert done.returncode == Exit.USAGE
    assert b"terminal" in done.stderr
    assert out.read_bytes() == b""  # no escape codes in the file
    # The typer path (`--db X` with --config) says the same.
    result = CliRunner().invoke(cli, ["--db", str(db_path)])
    assert result.exit_code == Exit.USAGE and "terminal" in result.stderr


def test_a_folder_is_said_to_be_a_folder_not_an_existing_file(db_path: Path,
                                                              tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for args in (["export", "--out", str(folder)], ["plans", "--ics", str(folder)],
                 ["export", "--format", "csv", "--out", str(folder), "--replace"]):
        code, _, err = invoke(db_path, *args)
        assert code == Exit.INVALID and "folder" in err and "--replace" not in err, err


def test_list_json_and_another_format_is_a_usage_error(db_path: Path) -> None:
    code, out, err = invoke(db_path, "list", "--json", "--format", "csv")
    assert code == Exit.USAGE and "--json" in err and out == ""
