"""Issue 20.1, 20.3, 20.5, 20.6: what hostile input could store, and what it could print.

- Dates: every write path keeps times and dates within 1900-2999; a value outside that
  (left by an older version, or edited by hand) reads as empty instead of breaking every
  read, and `salesdev check` names it.
- CSV identity: an export read back gives the same customers, one per row, each row counted.
- Text: escape sequences, overlong text and invalid UTF-8 in `stage --reason` and
  `--credit-override` are refused; stored escape sequences are shown, never obeyed.
- Messages: argv, file headers, JSON names and config keys are echoed with their control
  characters made visible.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.cli.app import Exit
from salesdev_tui.domain.visible import json_visible, visible
from salesdev_tui.domain.when import parse_day, parse_when
from salesdev_tui.models.date_range import local_text, read_stored_moment

OSC8 = "\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07"
OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"


def _has_control(text: str) -> bool:
    return any((ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in text)


@pytest.fixture
def run(db_path: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    config = tmp_path / "config.toml"
    # East of UTC: a time at the end of year 9999 overflows when shown here.
    config.write_text('timezone = "Asia/Taipei"\n')
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(cli, ["--db", str(db_path), "--config", str(config), *args])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.stdout, result.stderr

    return invoke


def _add(run, name: str) -> str:  # type: ignore[no-untyped-def]
    code, out, err = run("add", "--json", "--allow-duplicate", "--", name)
    assert code == 0, err
    return str(json.loads(out)["id"])


def _dump(db_path: Path) -> list[str]:
    with sqlite3.connect(db_path) as conn:
        return list(conn.iterdump())


# --- 20.1 dates ------------------------------------------------------------------------------


@pytest.mark.parametrize("when", ["0999-06-01 10:00", "1899-12-31 10:00", "3000-01-01 10:00",
                                  "9999-12-31 23:59"])
def test_csv_import_refuses_a_plan_outside_the_range(run, tmp_path: Path, db_path: Path,
                                                     when: str) -> None:  # type: ignore[no-untyped-def]
    _add(run, "Acme")
    before = _dump(db_path)
    source = tmp_path / "plans.csv"
    source.write_text(f"company,method,scheduled_at\nAcme,call,{when}\n", encoding="utf-8")
    code, _out, err = run("import", str(source))
    assert code == Exit.INVALID
    assert "between the years 1900 and 2999" in err
    assert _dump(db_path) == before


@pytest.mark.parametrize("text", ["0999-06-01", "1899-12-31 10:00", "3000-01-01"])
def test_typed_dates_outside_the_range_are_refused(text: str) -> None:
    now = datetime(2026, 11, 16, 9, tzinfo=UTC)
    with pytest.raises(ValueError, match="1900 and 2999"):
        parse_when(text, now, ZoneInfo("Asia/Taipei"))
    with pytest.raises(ValueError, match="1900 and 2999"):
        parse_day(text.split()[0], now.date())


def test_the_store_refuses_a_time_outside_the_range(store) -> None:  # type: ignore[no-untyped-def]
    from salesdev_tui.models.tables import Customer
    from salesdev_tui.models.write_guard import RecordRefused

    with pytest.raises(RecordRefused, match="first contacted at"), store.db.write() as session:
        session.add(Customer(name="Early", first_contacted_at=datetime(1800, 1, 1, tzinfo=UTC)))
    assert store.count_live(Customer) == 0


def _corrupt(db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE contact_plan SET scheduled_at = '999-06-01 02:00:00.000000'")
        conn.execute("UPDATE customer SET first_contacted_at = '9999-12-31 23:59:00.000000', "
                     "last_activity_at = 'not a time'")


def test_reads_survive_stored_values_outside_the_range(run, tmp_path: Path,
                                                       db_path: Path) -> None:  # type: ignore[no-untyped-def]
    customer_id = _add(run, "Acme")
    source = tmp_path / "plans.csv"
    source.write_text("company,method,scheduled_at\nAcme,call,2026-12-01 10:00\n")
    assert run("import", "--on-match", "update", str(source))[0] == 0
    _corrupt(db_path)
    for args in (["list"], ["list", "--json"], ["export"], ["show", customer_id],
                 ["show", customer_id, "--json"], ["plans"], ["review"],
                 ["export", "--format", "csv", "--what", "plans"],
                 ["export", "--format", "csv", "--what", "customers"]):
        code, _out, err = run(*args)
        assert code == 0, (args, err)
    code, out, err = run("check")
    assert code == Exit.STORAGE
    assert "contact_plan" in out and "scheduled_at" in out
    assert "first_contacted_at" in out and "last_activity_at" in out
    assert "cannot be read" in err


def test_stored_text_outside_the_range_reads_as_none() -> None:
    assert read_stored_moment("999-06-01 02:00:00.000000") is None
    assert read_stored_moment("9999-12-31 23:59:00.000000") is None
    assert read_stored_moment("2026-11-16 01:00:00.000000") == datetime(2026, 11, 16, 1,
                                                                        tzinfo=UTC)
    east = ZoneInfo("Pacific/Kiritimati")
    assert local_text(datetime(9999, 12, 31, 23, 59, tzinfo=UTC), east) is None


# --- 20.3 CSV identity -----------------------------------------------------------------------

TRICKY = ["A-1 Foods", "A1 Foods", "Lee & Sons", "Lee Sons", "=1", "'=1", "1-1", "-1-1",
          "+1", "@1", "1 1", "１-１"]


def test_a_csv_round_trip_keeps_every_customer(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ids = {_add(run, name) for name in TRICKY}
    code, exported, err = run("export", "--format", "csv", "--what", "customers")
    assert code == 0, err
    file = tmp_path / "customers.csv"
    file.write_text(exported, encoding="utf-8")
    other = tmp_path / "other.db"
    result = CliRunner().invoke(cli, ["--db", str(other), "import", str(file)])
    assert result.exit_code == 0, result.stderr
    assert f"rows: {len(TRICKY)} read: {len(TRICKY)} new," in result.stdout
    listed = CliRunner().invoke(cli, ["--db", str(other), "list", "--json"])
    rows = json.loads(listed.stdout)
    assert {r["id"] for r in rows} == ids
    assert sorted(r["name"] for r in rows) == sorted(TRICKY)
    again = CliRunner().invoke(cli, ["--db", str(other), "import", str(file)])
    assert f"{len(TRICKY)} skipped, 0 failed" in again.stdout


def test_every_row_is_accounted_for(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _add(run, "Stored Ltd")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["company", "contact", "email"])
    writer.writerows([["New Co", "Ann", "ann@new.example"], ["New Co", "Bob", "bob@new.example"],
                      ["Stored Ltd", "Cy", "cy@stored.example"], ["", "", ""],
                      ["Bad Co", "Di", "not an address"]])
    file = tmp_path / "rows.csv"
    file.write_text(out.getvalue(), encoding="utf-8")
    code, stdout, _err = run("import", "--skip-bad-rows", "--on-match", "update", str(file))
    assert code == 0
    line = next(x for x in stdout.splitlines() if "rows:" in x)
    numbers = [int(word) for word in line.replace(",", " ").split() if word.isdigit()]
    total, parts = numbers[0], numbers[1:]
    assert sum(parts) == total
    assert "1 new, 1 merged" in line and "1 updated" in line


# --- 20.5 text on every path -----------------------------------------------------------------


@pytest.mark.parametrize("option", ["--reason", "--credit-override"])
@pytest.mark.parametrize("value", [OSC8, OSC52, "x" * 1500, "ab\udcff"],
                         ids=["osc8", "osc52", "1500 chars", "invalid utf-8"])
def test_stage_text_options_are_validated(run, db_path: Path, option: str,
                                          value: str) -> None:  # type: ignore[no-untyped-def]
    customer_id = _add(run, "Acme")
    before = _dump(db_path)
    code, out, err = run("stage", customer_id, "lost", option, value)
    assert code == Exit.INVALID
    assert option in err
    assert not _has_control(out + err)
    assert _dump(db_path) == before


def test_stored_escape_sequences_are_shown_not_sent(run, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    customer_id = _add(run, "Acme")
    assert run("stage", customer_id, "contacted", "--reason", "first call")[0] == 0
    with sqlite3.connect(db_path) as conn:  # as an older version let it in
        conn.execute("UPDATE stage_change SET reason = ? WHERE reason = 'first call'", (OSC8,))
        conn.execute("UPDATE customer SET notes = ?", (OSC52 + "\u202eevil",))
    for args in (["show", customer_id], ["show", customer_id, "--json"], ["review"],
                 ["review", "--format", "md"], ["review", "--format", "json"],
                 ["list", "--json"], ["export"]):
        code, out, err = run(*args)
        assert code == 0, (args, err)
        assert not _has_control(out + err), args
        assert "\u202e" not in out, args
    code, out, _err = run("show", customer_id)
    assert "\\x1b]8;;" in out


def test_the_store_refuses_control_characters_on_any_write(store) -> None:  # type: ignore[no-untyped-def]
    from salesdev_tui.models.tables import Customer
    from salesdev_tui.models.write_guard import RecordRefused

    for bad in ("\x1b[2Jx", "a\x00b", "\x9b31m", "x\udcff"):
        with pytest.raises(RecordRefused), store.db.write() as session:
            session.add(Customer(name=bad))
    assert store.count_live(Customer) == 0


# --- 20.6 echoed input -----------------------------------------------------------------------


@pytest.mark.parametrize("args", [
    ["show", "\x1b]52;c;aGk=\x07"],
    ["stage", "\x1b[2Jdead", "won"],
    ["list", "--stage", "\x1b[31mred"],
    ["stage", "abc", "\x9b31mwon"],
    ["\x1b[2Jnosuchcommand"],
    ["show", "\udcff\udcfe"],
])
def test_argv_is_echoed_visibly(run, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(*args)
    assert code in (Exit.USAGE, Exit.INVALID, Exit.NOT_FOUND)
    assert not _has_control(out + err)
    assert "\\x1b" in err or "\\x9b" in err or "\\xff" in err


def test_file_contents_are_echoed_visibly(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sheet = tmp_path / "h.csv"
    sheet.write_text("company,no\x1b[2J\x07te\nAcme,call\n", encoding="utf-8")
    code, out, err = run("import", "--dry-run", str(sheet))
    assert not _has_control(out + err)
    assert "no\\x1b[2J\\x07te" in out + err
    document = tmp_path / "d.json"
    document.write_text(json.dumps({"format": "salesdev", "version": 1,
                                    "coll\x1b[2Jx": [], "customers": [{"na\x1bme": 1}]}))
    code, out, err = run("import", str(document))
    assert code == Exit.INVALID
    assert not _has_control(out + err)
    assert "coll\\x1b[2Jx" in err
    config = tmp_path / "bad.toml"
    config.write_text('"col\\u001b[31mor" = 1\n')
    result = CliRunner().invoke(cli, ["--config", str(config), "scorecard"])
    assert result.exit_code == Exit.CONFIG
    assert not _has_control(result.stdout + result.stderr)


def test_visible_escapes_every_dangerous_character() -> None:
    assert visible("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert visible("\x9b\x7f\u202e\u2066") == "\\x9b\\x7f\\u202e\\u2066"
    assert visible("bad \udcff byte") == "bad \\xff byte"
    assert visible("two\nlines\t") == "two\\x0alines\\x09"
    assert visible("two\nlines\t", multiline=True) == "two\nlines\t"
    assert visible("台灣 émoji 👍") == "台灣 émoji 👍"
    dumped = json.dumps({"k": "a\x9b\u202eb"}, ensure_ascii=False, indent=2)
    assert json.loads(json_visible(dumped)) == {"k": "a\x9b\u202eb"}
    assert not _has_control(json_visible(dumped).replace("\n", ""))


# --- 20.5 the TUI's second line of defence ----------------------------------------------------


async def test_the_customer_page_shows_stored_escapes_visibly(make_app, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    from rich.text import Text
    from textual.widgets import DataTable, Static

    from tests.conftest import wait_ready
    from tests.test_today_and_page import _open_page, add_customer

    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_ready(pilot)
        customer_id = add_customer(app.store, "Acme")
        with sqlite3.connect(db_path) as conn:  # as an older version let it in
            conn.execute("UPDATE customer SET name = ?, industry = ?",
                         ("Acme" + OSC8, "x" + OSC52))
            conn.execute("UPDATE stage_change SET reason = ?", (OSC52 + "why",))
        page = await _open_page(pilot, app, customer_id)
        header = str(page.query_one("#customer-header", Static).render())
        assert "Acme\\x1b]8;;" in header
        assert not _has_control(header)
        await pilot.press("h")
        await wait_ready(pilot)
        shown = [
            cell.plain if isinstance(cell, Text) else str(cell)
            for table in page.query(DataTable)
            for index in range(table.row_count)
            for cell in table.get_row_at(index)
        ]
        assert any("\\x1b]52" in cell for cell in shown)
        assert not any(_has_control(cell) for cell in shown)


def test_the_input_models_keep_dates_in_range() -> None:
    from salesdev_tui.domain.validation import ContactPlanInput, validate

    for moment in (datetime(1899, 12, 31, 23, tzinfo=UTC), datetime(3000, 1, 1, tzinfo=UTC),
                   "0999-06-01T10:00:00+00:00"):
        with pytest.raises(ValueError, match="1900 and 2999"):
            validate(ContactPlanInput, {"method": "phone", "scheduled_at": moment})
    ok = validate(ContactPlanInput, {"method": "phone",
                                     "scheduled_at": datetime(2026, 12, 1, tzinfo=UTC)})
    assert ok.scheduled_at == datetime(2026, 12, 1, tzinfo=UTC)


async def test_the_plan_form_refuses_a_year_outside_the_range(make_app) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import Input

    from salesdev_tui.forms.plan_form import PlanFormScreen
    from tests.conftest import wait_ready
    from tests.test_plans_screens import add_customer, open_page, plans_of

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        acme = add_customer(app.store, "Acme Trading", "Jane Wu")
        await open_page(pilot, app, acme)
        await pilot.press("2", "a")
        await wait_ready(pilot)
        await pilot.press("tab", *"0999-06-01 10:00")
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        form = app.screen
        assert isinstance(form, PlanFormScreen)
        assert "1900 and 2999" in str(form.query_one("#e-scheduled_at").render())
        assert form.query_one("#f-scheduled_at", Input).value == "0999-06-01 10:00"
        assert plans_of(app, acme) == []
