"""Every CLI command and importer, fed generated hostile values (issue 20, "Done when").

For each command `salesdev --help` lists, templates put a hostile value in each argument and
option: control and escape sequences (OSC 8 links, OSC 52 clipboard writes, CSI, C1), invalid
UTF-8 (argv's surrogateescape), huge, negative and non-finite numbers, out-of-range and
impossible dates, hostile paths. The importers get files whose headers, cells and JSON names
carry the same. Every run must end with:

- no traceback (the command exits, it does not raise),
- a documented exit code (README: 0, 2, 3, 4, 5, 6),
- no control byte on stdout or stderr but line break and tab,
- the database byte-for-byte unchanged (its SQL dump) when the command failed.

In-process through typer's CliRunner (a subprocess costs ~0.5 s of start-up a run); each
example starts from a fresh copy of one small database. Runtime: about a minute.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from salesdev_tui.cli import cli

DOCUMENTED = {0, 2, 3, 4, 5, 6}

escapes = st.sampled_from([
    "\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07",  # OSC 8 link
    "\x1b]52;c;cm0gLXJmIH4=\x07",  # OSC 52 clipboard write
    "\x1b[2J\x1b[H", "\x1b[31mred\x1b[0m", "\x9b31m", "\x07", "\x00", "a\x00b", "\x7f",
    "\u202eevil\u202c", "\u2066x\u2069", "\r\noops", "\x1bP+q\x1b\\", "\x85",
])
invalid_utf8 = st.sampled_from(["\udcff", "ab\udcfe\udcff", "\udc80x", "caf\udce9"])
numbers = st.sampled_from([
    "99999999999999999999999", "-1", "0", "1e30", "nan", "inf", "-0", "１２", "0x10",
    "9" * 400, "1.5", "", " ",
])
dates = st.sampled_from([
    "0999-06-01", "9999-12-31", "3000-01-01", "1899-12-31", "2026-02-30", "2026-13-01",
    "0000-00-00", "9999-12-31 23:59", "-2026-01-01", "2026-11", "2026-Q9", "tomorrow 99",
])
text = st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "L", "Zs"]),
               max_size=40)
hostile = st.one_of(escapes, invalid_utf8, numbers, dates, text,
                    st.tuples(text, escapes, invalid_utf8).map("".join),
                    st.integers(1000, 5000).map(lambda n: "Ä" * n))


def _path_values(base: Path) -> st.SearchStrategy[str]:
    """Hostile paths: names with escapes or invalid UTF-8, missing folders, a directory."""
    return st.one_of(
        escapes.map(lambda v: str(base / f"out{v}.txt")),
        invalid_utf8.map(lambda v: str(base / f"out{v}.txt")),
        st.sampled_from([str(base / "no" / "such" / "dir" / "x.db"), str(base), "",
                         str(base / "seed.db") + "/x", str(base / ("n" * 200 + ".txt"))]),
    )


# {v}: the hostile value; {id}: the seeded customer's id; {file}: a hostile file to import.
TEMPLATES: list[list[str]] = [
    ["add", "{v}"], ["add", "Acme", "--contact", "{v}"], ["add", "Acme", "--email", "{v}"],
    ["add", "Acme", "--phone", "{v}"], ["add", "Acme", "--source", "{v}"],
    ["add", "Acme", "--source-detail", "{v}"], ["add", "Acme", "--industry", "{v}"],
    ["add", "Acme", "--size", "{v}"], ["add", "Acme", "--potential", "{v}"],
    ["add", "Acme", "--notes", "{v}"], ["add", "{v}", "--company", "{v}", "--json"],
    ["list", "--stage", "{v}"], ["list", "--limit", "{v}"], ["list", "--json", "--stage", "{v}"],
    ["show", "{v}"], ["show", "{v}", "--json"],
    ["stage", "{id}", "{v}"], ["stage", "{v}", "won"],
    ["stage", "{id}", "contacted", "--reason", "{v}"],
    ["stage", "{id}", "lost", "--reason", "{v}"],
    ["stage", "{id}", "won", "--credit-override", "{v}"],
    ["paths", "--json"], ["check"],
    ["export", "--format", "{v}"], ["export", "--format", "csv", "--what", "{v}"],
    ["export", "--format", "vcard", "--what", "{v}"], ["export", "--what", "{v}"],
    ["import", "{file}"], ["import", "--dry-run", "{file}"],
    ["import", "--skip-bad-rows", "--rejects", "{path}", "{file}"],
    ["import", "--encoding", "{v}", "{file}"], ["import", "--delimiter", "{v}", "{file}"],
    ["import", "--map", "{v}", "{file}"], ["import", "--mapping", "{v}", "{file}"],
    ["import", "--on-match", "{v}", "{file}"], ["import", "{path}"],
    ["demo", "--customers", "{v}"], ["demo", "--seed", "{v}"], ["demo", "--years", "{v}"],
    ["plans", "--days", "{v}"], ["plans", "--json", "--days", "{v}"],
    ["proposal", "{v}"], ["proposal", "{v}", "--format", "{v}"],
    ["scorecard", "--period", "{v}"], ["scorecard", "--at", "{v}"],
    ["scorecard", "--json", "--at", "{v}"],
    ["review", "--date", "{v}"], ["review", "--format", "{v}"],
    ["backup", "--to", "{path}"], ["restore", "{path}", "--yes"],
    ["export", "--out", "{path}"], ["export", "--format", "csv", "--out", "{path}"],
    ["plans", "--ics", "{path}"], ["review", "--output", "{path}"],
    ["encrypt", "--passphrase-fd", "{v}"], ["decrypt", "--passphrase-fd", "{v}"],
    ["rekey", "--passphrase-fd", "{v}"],
    ["{v}"], ["--config", "{path}", "list"], ["--db", "{path}", "check"],
]


def _has_control(output: str) -> str | None:
    for char in output:
        code = ord(char)
        if (code < 0x20 and char not in "\n\t") or 0x7F <= code <= 0x9F:
            return repr(char)
    return None


def _dump(db_path: Path) -> list[str]:
    with sqlite3.connect(db_path) as conn:
        # The planner's statistics (sqlite_stat1, written by PRAGMA optimize on close) are
        # not data: a refused command may refresh them.
        return [line for line in conn.iterdump() if "sqlite_stat" not in line]


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """One small database (a customer with a contact and a plan) every example copies."""
    folder = tmp_path_factory.mktemp("seed")
    seed_db = folder / "seed.db"
    runner = CliRunner()
    added = runner.invoke(cli, ["--db", str(seed_db), "add", "Acme Trading", "--contact",
                                "Jane Wu", "--email", "jane@acme.example", "--json"])
    assert added.exit_code == 0, added.stderr
    customer_id = json.loads(added.stdout)["id"]
    plans = folder / "plans.csv"
    plans.write_text("customer_id,method,scheduled_at,agenda\n"
                     f"{customer_id},call,2026-12-01 10:00,first call\n", encoding="utf-8")
    done = runner.invoke(cli, ["--db", str(seed_db), "import", "--on-match", "update",
                               str(plans)])
    assert done.exit_code == 0, done.stderr
    yield seed_db, customer_id


def _hostile_file(folder: Path, kind: str, value: str) -> Path:
    """A CSV or JSON file with `value` in a header, a cell, a collection and a field name."""
    safe = value.encode("utf-8", "surrogateescape")
    if kind == "json":
        document = {"format": "salesdev", "version": 1, f"c{value}": [],
                    "customers": [{"id": "0f8fad5b-d9cb-469f-a165-70867728950e",
                                   "name": value, f"f{value}": 1}]}
        data = json.dumps(document, ensure_ascii=True).encode("ascii")
        target = folder / "hostile.json"
    elif kind == "csv-header":
        data = b"company,notes" + safe + b"\nAcme,x\n"
        target = folder / "hostile.csv"
    elif kind == "csv-plan":
        data = b"company,method,scheduled_at,agenda\nAcme," + safe + b"," + safe + b",x\n"
        target = folder / "hostile.csv"
    else:
        data = b"customer_id,company,notes,stage\n" + safe + b"," + safe + b"," + safe + b",\n"
        target = folder / "hostile.csv"
    target.write_bytes(data)
    return target


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: " ".join(t))
@settings(max_examples=4, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_no_command_breaks_on_hostile_input(template: list[str], data: st.DataObject,
                                            seed: tuple[Path, str], tmp_path: Path) -> None:
    seed_db, customer_id = seed
    work = tmp_path / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    db_path = work / "salesdev.db"
    shutil.copy(seed_db, db_path)
    value = data.draw(hostile, label="value")
    args: list[str] = []
    for token in template:
        if token == "{file}":
            kind = data.draw(st.sampled_from(["json", "csv-header", "csv-plan", "csv-id"]))
            token = str(_hostile_file(work, kind, value))
        elif token == "{path}":
            token = data.draw(_path_values(work), label="path")
        args.append(token.replace("{v}", value).replace("{id}", customer_id))
    before = _dump(db_path)
    result = CliRunner().invoke(cli, ["--db", str(db_path), *args], input="")
    shown = f"salesdev {args!r}: exit {result.exit_code}\n{result.stdout}\n{result.stderr}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(shown) from result.exception
    assert result.exit_code in DOCUMENTED, shown
    bad = _has_control(result.stdout + result.stderr)
    assert bad is None, f"control character {bad} in the output of {shown}"
    if result.exit_code != 0 and db_path.exists():
        assert _dump(db_path) == before, f"the database changed: {shown}"
