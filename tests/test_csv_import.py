"""Spreadsheet imports: encodings, delimiters, header maps, bad rows, matching, the CLI."""

from __future__ import annotations

import csv
import io
import json
import stat
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import event
from sqlmodel import select
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.cli.app import Exit
from salesdev_tui.domain.csv_columns import auto_map, guess_field
from salesdev_tui.domain.csv_import import OnMatch
from salesdev_tui.domain.csv_sniff import detect_delimiter, detect_encoding, read_table
from salesdev_tui.domain.csv_values import fast_normalize_email, read_moment
from salesdev_tui.domain.text_rules import normalize_email
from salesdev_tui.domain.validation import ContactInput, CustomerInput, validate
from salesdev_tui.models.enums import PlanStatus, Stage
from salesdev_tui.models.tables import Contact, ContactPlan, Customer, FieldEdit
from salesdev_tui.usecases.data_transfer import CsvOptions, import_csv_file

TAIPEI = ZoneInfo("Asia/Taipei")

TRADITIONAL = [
    ["公司名稱", "聯絡人", "電話", "電子郵件", "行業", "地址", "備註"],
    ["台灣精密工業股份有限公司", "王小明", "02-2345-6789", "wang@tpi.com.tw", "製造",
     "台北市信義區松仁路 100 號", "展會認識，要報價"],
    ["大同貿易有限公司", "陳美玲", "0912 345 678", "chen@datong.com.tw", "零售", "", ""],
]
SIMPLIFIED = [
    ["公司名称", "联系人", "手机", "邮箱", "行业", "地址", "备注"],
    ["上海精密机械有限公司", "李强", "+86 138 0013 8000", "li@shjm.cn", "制造", "上海市浦东新区",
     "需要样品"],
    ["深圳电子科技有限公司", "张伟", "+86 139 1234 5678", "zhang@szdz.cn", "电子", "", ""],
]


def write_csv(path: Path, rows: list[list[str]], *, encoding: str = "utf-8",
              delimiter: str = ",") -> Path:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def run_import(store: Any, path: Path, **options: Any) -> Any:
    return import_csv_file(store, path, CsvOptions(**options), region="TW", zone=TAIPEI)


def customers(store: Any) -> list[Customer]:
    with store.db.read() as session:
        return list(session.exec(select(Customer).order_by(Customer.name)).all())


def contacts(store: Any) -> list[Contact]:
    with store.db.read() as session:
        return list(session.exec(select(Contact).order_by(Contact.name)).all())


# --- reading what Excel writes -------------------------------------------------------------


@pytest.mark.parametrize(("encoding", "rows", "detected"), [
    ("utf-8", TRADITIONAL, "utf-8"),
    ("utf-8-sig", TRADITIONAL, "utf-8-sig"),
    ("cp950", TRADITIONAL, "cp950"),
    ("big5", TRADITIONAL, "cp950"),
    ("gb18030", SIMPLIFIED, "gb18030"),
    ("gbk", SIMPLIFIED, "gb18030"),
    ("utf-16", SIMPLIFIED, "utf-16"),
])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_each_encoding_and_delimiter_imports(store: Any, tmp_path: Path, encoding: str,
                                              rows: list[list[str]], detected: str,
                                              delimiter: str) -> None:
    path = write_csv(tmp_path / "leads.csv", rows, encoding=encoding, delimiter=delimiter)
    outcome = run_import(store, path)
    assert (outcome.table.encoding, outcome.table.delimiter) == (detected, delimiter)
    # 手机 (mobile) is kept as the mobile, 電話 as the phone.
    phone = "mobile" if rows is SIMPLIFIED else "phone"
    assert outcome.fields == ["company", "contact", phone, "email", "industry", "address",
                              "notes"]
    assert outcome.problems == []
    assert [c.name for c in customers(store)] == sorted(r[0] for r in rows[1:])
    people = {c.name: c for c in contacts(store)}
    first = people[rows[1][1]]
    assert (getattr(first, phone), first.email, first.is_primary) == (rows[1][2], rows[1][3],
                                                                      True)
    assert customers(store)[-1].industry or customers(store)[0].industry


def test_detection_of_short_chinese_files() -> None:
    # A header alone is enough to tell Big5 from GB18030.
    assert detect_encoding("公司名稱,聯絡人,電話\n".encode("cp950")) == "cp950"
    assert detect_encoding("公司名称,联系人,电话\n".encode("gb18030")) == "gb18030"
    assert detect_encoding("Firma;Straße;Müller\n".encode("cp1252")) == "cp1252"
    assert detect_delimiter('a;b;"c;d"\n1;2;3\n') == ";"
    assert detect_delimiter("a\tb, c\tx\n1\t2, 3\ty\n") == "\t"
    assert detect_delimiter("just one column\nvalue\n") == ","


def test_overrides_of_encoding_and_delimiter(tmp_path: Path) -> None:
    data = "name|note\nAcme|a;b\n".encode("cp1252")
    table = read_table(data, encoding="cp1252", delimiter="|")
    assert table.headers == ["name", "note"] and table.rows == [(2, ["Acme", "a;b"])]


def test_header_maps() -> None:
    assert auto_map(["Organization - Name", "Person - Name", "Person - Email - Work",
                     "Person - Phone - Mobile", "Organization - Address", "Person - Job title",
                     "Organization - ID", "Deal - Value", "Lead Status"]) == [
        "company", "contact", "email", "mobile", "address", "role", None, None, None]
    assert auto_map(["First Name", "Last Name", "Company name", "Phone Number", "Email",
                     "Lead Source", "Website URL"]) == [
        "first_name", "last_name", "company", "phone", "email", "source", "website"]
    # A bare "Name" is the person when another column names the company, else the company.
    assert auto_map(["Name", "Company"]) == ["contact", "company"]
    assert auto_map(["Name", "Email"]) == ["company", "email"]
    assert auto_map(["Firma", "Notes"], {"Notes": None}) == ["company", None]
    assert [guess_field(h) for h in ("郵箱", "電子郵件", "聯繫人", "產業", "來源", "E-mail")] == [
        "email", "email", "contact", "industry", "source", "email"]


def test_pipedrive_and_hubspot_exports(store: Any, tmp_path: Path) -> None:
    pipedrive = write_csv(tmp_path / "pipedrive.csv", [
        ["Organization - Name", "Person - Name", "Person - Email - Work",
         "Person - Phone - Work", "Organization - Address", "Deal - Title"],
        ["Acme Co., Ltd.", "Jane Wu", "jane@acme.tw", "02-2345-6789", "Taipei", "Big deal"],
    ])
    hubspot = write_csv(tmp_path / "hubspot.csv", [
        ["First Name", "Last Name", "Company Name", "Phone Number", "Email", "Lead Source"],
        ["Bob", "Lin", "ACME CO LTD", "0912-345-678", "bob@acme.tw", "Trade show"],
        ["小明", "王", "Globex", "", "ming@globex.com", "Cold call"],
    ])
    run_import(store, pipedrive)
    outcome = run_import(store, hubspot)
    # "ACME CO LTD" is the same company as "Acme Co., Ltd." (company key): Bob joins it (he
    # was skipped with the company before issue 17), the stored company is left as it is.
    assert outcome.result.customers.created == 1 and outcome.result.customers.unchanged == 1
    assert (outcome.result.rows.attached, outcome.result.rows.new) == (1, 1)
    assert [c.name for c in customers(store)] == ["Acme Co., Ltd.", "Globex"]
    globex = customers(store)[1]
    assert (globex.source, globex.source_detail) == ("other", "Cold call")
    assert sorted(c.name for c in contacts(store)) == ["Bob Lin", "Jane Wu", "王小明"]


def test_first_and_last_names_and_stand_in_names(store: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [
        ["Company", "First Name", "Last Name", "Phone"],
        ["Acme", "Jane", "Wu", "0912345678"],
        ["Globex", "", "", "02-2222-3333"],
    ])
    run_import(store, path)
    assert [c.name for c in contacts(store)] == ["02-2222-3333", "Jane Wu"]


# --- bad rows ------------------------------------------------------------------------------

BAD = [
    ["Company", "Contact", "Email", "Phone", "Revisit days"],
    ["Acme", "Jane", "jane@acme.tw", "0912345678", "30"],
    ["Globex", "Hank", "hank@globex", "12", ""],           # line 3: two problems
    ["", "Nobody", "", "", ""],                              # line 4: no company
    ["Initech", "Peter", "peter@initech.com", "", "many"],   # line 5: not a number
]


def test_dry_run_lists_every_bad_row_and_writes_nothing(store: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", BAD)
    outcome = run_import(store, path, dry_run=True, skip_bad_rows=True)
    assert outcome.result.rolled_back
    assert [(p.line, p.column) for p in outcome.problems] == [
        (3, "Email"), (3, "Phone"), (4, None), (5, "Revisit days")]
    assert "Phone: needs at least 6 digits" in outcome.problems[1].message
    assert outcome.result.customers.created == 1
    assert customers(store) == []
    assert not list(tmp_path.glob("*.rejects*"))


def test_all_or_nothing_by_default(store: Any, tmp_path: Path) -> None:
    outcome = run_import(store, write_csv(tmp_path / "bad.csv", BAD))
    assert outcome.result.rolled_back and len(outcome.bad_lines) == 3
    assert customers(store) == []


def test_skip_bad_rows_writes_a_private_reject_file(store: Any, tmp_path: Path) -> None:
    rows = [[cell.replace("Acme", "Acme; Sons") for cell in row] for row in BAD]
    path = write_csv(tmp_path / "bad.csv", rows, encoding="cp950", delimiter=";")
    outcome = run_import(store, path, skip_bad_rows=True)
    assert not outcome.result.rolled_back
    assert [c.name for c in customers(store)] == ["Acme; Sons"]
    rejects = outcome.rejects_path
    assert rejects == tmp_path / "bad.rejects.csv"
    assert stat.S_IMODE(rejects.stat().st_mode) == 0o600
    back = list(csv.reader(io.StringIO(rejects.read_bytes().decode("cp950")), delimiter=";"))
    assert back[0] == [*BAD[0], "reason"]
    assert [row[:5] for row in back[1:]] == [BAD[2], BAD[3], BAD[4]]
    assert "E-mail" in back[1][5] and "Phone" in back[1][5]


def test_line_numbers_count_multiline_cells(store: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "m.csv", [
        ["Company", "Notes", "Email"],
        ["Acme", "first line\nsecond line\nthird", "a@acme.tw"],
        ["Globex", "", "not an address"],
    ])
    outcome = run_import(store, path)
    assert [p.line for p in outcome.problems] == [5]


def test_a_row_longer_than_the_header_is_bad(store: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [["Company", "Phone"], ["Acme, Inc", "02 1234 5678",
                                                                   "extra"]])
    outcome = run_import(store, path)
    assert [p.line for p in outcome.problems] == [2]
    assert "needs quotes" in outcome.problems[0].message


# --- matching and twice in a row -------------------------------------------------------------


@pytest.mark.parametrize("on_match", [OnMatch.SKIP, OnMatch.UPDATE])
def test_importing_twice_creates_nothing_new(store: Any, tmp_path: Path,
                                             on_match: OnMatch) -> None:
    path = write_csv(tmp_path / "leads.csv", [
        *TRADITIONAL,
        ["台灣精密工業", "林志明", "02-2345-6790", "lin@tpi.com.tw", "", "", ""],
    ])
    first = run_import(store, path, on_match=on_match)
    assert (first.result.customers.created, first.result.contacts.created) == (2, 3)
    before = (len(customers(store)), len(contacts(store)))
    second = run_import(store, path, on_match=on_match)
    assert second.result.customers.created == second.result.contacts.created == 0
    assert second.result.customers.updated == second.result.contacts.updated == 0
    assert (len(customers(store)), len(contacts(store))) == before


def test_matches_stored_customers_by_email_phone_and_name(store: Any, tmp_path: Path) -> None:
    by_email = store.customers.add_lead(validate(CustomerInput, {"name": "Alpha Ltd"}),
                              validate(ContactInput, {"name": "Ann", "email": "Ann@Alpha.tw"}))
    by_phone = store.customers.add_lead(validate(CustomerInput, {"name": "Beta"}),
                              validate(ContactInput, {"name": "Ben", "phone": "0912 345 678"}))
    by_name = store.customers.add_lead(validate(CustomerInput, {"name": "Gamma Trading Co., Ltd."}))
    # A row that names no company is matched by its e-mail or phone (one that names another
    # company is not: test_shared_phone_or_email_never_merges_two_companies).
    path = write_csv(tmp_path / "m.csv", [
        ["Company", "Contact", "Email", "Phone", "Industry"],
        ["", "Ann", "Ann@ALPHA.TW", "", "chemicals"],
        ["", "Ben", "", "+886 912-345-678", "retail"],
        ["GAMMA TRADING", "Gus", "", "", "logistics"],
    ])
    dry = run_import(store, path, on_match=OnMatch.UPDATE, dry_run=True)
    assert (dry.result.customers.created, dry.result.customers.updated) == (0, 3)
    run_import(store, path, on_match=OnMatch.UPDATE)
    assert store.customers.get_customer(by_email.id).industry == "chemicals"
    assert store.customers.get_customer(by_email.id).name == "Alpha Ltd"
    assert store.customers.get_customer(by_phone.id).industry == "retail"
    assert [c.name for c in store.customers.contacts_of(by_name.id)] == ["Gus"]
    with store.db.read() as session:
        edits = session.exec(select(FieldEdit).where(FieldEdit.customer_id == by_email.id)).all()
    assert {(e.field, e.old_value, e.new_value) for e in edits} >= {
        ("industry", None, "chemicals")}


def test_known_contacts_are_looked_up_by_the_email_key(store: Any, tmp_path: Path) -> None:
    """The rows' e-mails find stored contacts through ix_contact_email_key (schema 13: the
    plain e-mail index is gone), one lookup a key; a stored domain in another case too."""
    ann = validate(ContactInput, {"name": "Ann", "email": "ann@alpha.tw"})
    alpha = store.customers.add_lead(validate(CustomerInput, {"name": "Alpha Ltd"}), ann)
    with store.db.write() as session:
        row = session.exec(select(Contact).where(Contact.customer_id == alpha.id)).one()
        row.email = "ann@Alpha.TW"  # not as the app stores it: by hand, an old file
        session.add(row)
    statements: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: bool) -> None:
        if "FROM contact WHERE" in sql and "instr(email" in sql:
            statements.append((sql, params))

    path = write_csv(tmp_path / "k.csv", [["Company", "Contact", "Email", "Industry"],
                                          ["", "Ann", "ann@ALPHA.tw", "chemicals"],
                                          ["Beta", "Bo", "bo@beta.tw", "retail"]])
    event.listen(store.db.engine, "before_cursor_execute", capture)
    try:
        run_import(store, path, on_match=OnMatch.UPDATE)
    finally:
        event.remove(store.db.engine, "before_cursor_execute", capture)
    assert store.customers.get_customer(alpha.id).industry == "chemicals"
    assert len(statements) == 1
    with store.db.engine.connect() as conn:
        sql, params = statements[0]
        plan = [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)]
    assert plan == ["SEARCH contact USING INDEX ix_contact_email_key (<expr>=?)"]


def test_skip_and_create_anyway(store: Any, tmp_path: Path) -> None:
    store.customers.add_lead(validate(CustomerInput, {"name": "Acme", "industry": "old"}))
    path = write_csv(tmp_path / "a.csv", [["Company", "Industry"], ["ACME", "new"]])
    skipped = run_import(store, path, on_match=OnMatch.SKIP)
    assert skipped.result.customers.skipped == 1
    assert [(c.name, c.industry) for c in customers(store)] == [("Acme", "old")]
    run_import(store, path, on_match=OnMatch.CREATE)
    assert [(c.name, c.industry) for c in customers(store)] == [("ACME", "new"), ("Acme", "old")]


def test_blank_cells_never_clear(store: Any, tmp_path: Path) -> None:
    store.customers.add_lead(validate(CustomerInput, {"name": "Acme", "industry": "steel"}))
    path = write_csv(tmp_path / "a.csv", [["Company", "Industry", "Notes"], ["Acme", "", "hi"]])
    run_import(store, path, on_match=OnMatch.UPDATE)
    [acme] = customers(store)
    assert (acme.industry, acme.notes) == ("steel", "hi")


def test_new_customers_start_their_stage_history(store: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", [["Company", "Stage"], ["Acme", "Negotiation"],
                                          ["Globex", ""]])
    run_import(store, path)
    by_name = {c.name: c for c in customers(store)}
    assert (by_name["Acme"].stage, by_name["Globex"].stage) == (Stage.NEGOTIATION,
                                                                 Stage.PROSPECT)
    [change] = store.customers.stage_history(by_name["Acme"].id)
    assert change.to_stage == Stage.NEGOTIATION and change.reason == "imported from s.csv"


def test_one_primary_contact_per_customer(store: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [
        ["Company", "Contact", "Primary"],
        ["Acme", "Ann", "no"], ["Acme", "Bob", "yes"], ["Acme", "Cid", ""],
    ])
    run_import(store, path)
    assert [(c.name, c.is_primary) for c in contacts(store)] == [
        ("Ann", False), ("Bob", True), ("Cid", False)]


def test_plans_rows(store: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [
        ["Company", "Contact", "Method", "Scheduled at", "Status", "Done at", "Agenda"],
        ["Acme", "Ann", "phone", "2026/11/20 14:30", "", "", "intro"],
        ["Acme", "Ann", "visit", "2026-11-10", "done", "", ""],
        ["Acme", "Ann", "email", "2026-11-12 09:00", "planned", "2026-11-12 10:00", ""],
    ])
    outcome = run_import(store, path, skip_bad_rows=True)
    assert [(p.line, p.column) for p in outcome.problems] == [(4, "Done at")]
    with store.db.read() as session:
        plans = session.exec(select(ContactPlan).order_by(ContactPlan.scheduled_at)).all()
    assert [(p.method, p.status) for p in plans] == [("visit", PlanStatus.DONE),
                                                     ("phone", PlanStatus.PLANNED)]
    assert plans[0].done_at == read_moment("2026-11-10", TAIPEI)  # 09:00 in Taipei
    assert plans[1].contact_id == contacts(store)[0].id
    [acme] = customers(store)
    assert acme.first_contacted_at == plans[0].done_at


def test_a_mapping_without_a_company_is_refused(store: Any, tmp_path: Path) -> None:
    from salesdev_tui.usecases.data_transfer import MappingRefused

    with pytest.raises(MappingRefused):
        run_import(store, write_csv(tmp_path / "x.csv", [["Foo", "Bar"], ["1", "2"]]))


# --- the e-mail fast path --------------------------------------------------------------------

_LOCAL = st.text(alphabet="abcXYZ019._%+-!#'~", min_size=1, max_size=70)
_LABEL = st.text(alphabet="abcXY09-", min_size=1, max_size=66)
_ADDRESS = st.builds(lambda local, labels, tld: f"{local}@{'.'.join(labels)}.{tld}",
                     _LOCAL, st.lists(_LABEL, min_size=1, max_size=4),
                     st.sampled_from(["com", "tw", "CN", "local", "test", "a", "com1", "xn"]))


@settings(max_examples=400, deadline=None)
@given(st.one_of(_ADDRESS, st.text(max_size=40)))
def test_fast_email_agrees_with_the_form_rule(address: str) -> None:
    try:
        expected: str | None = normalize_email(address)
    except ValueError:
        expected = None
    try:
        found: str | None = fast_normalize_email(address)
    except ValueError:
        found = None
    assert found == expected


# --- the command line ------------------------------------------------------------------------


@pytest.fixture
def run(db_path: Path) -> Any:
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> tuple[int, str, str]:
        result = runner.invoke(cli, ["--db", str(db_path), *args], input=input)
        return result.exit_code, result.stdout, result.stderr

    return invoke


def test_cli_import_dry_run_then_real(run: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "leads.txt", BAD, encoding="utf-8-sig", delimiter="\t")
    code, out, _err = run("import", str(path), "--dry-run")
    assert code == Exit.INVALID
    assert "Would import:" in out and "customers: 1 new" in out
    assert 'line 3, column "Email"' in out and "line 4:" in out
    code, _out, err = run("import", str(path))
    assert code == Exit.INVALID and "3 bad rows; nothing was imported" in err
    code, out, _err = run("import", str(path), "--skip-bad-rows", "--rejects",
                          str(tmp_path / "r.csv"))
    assert code == Exit.OK and "Imported:" in out and "r.csv" in out
    code, out, _err = run("list", "--json")
    assert [row["name"] for row in json.loads(out)] == ["Acme"]


def test_cli_map_and_saved_mappings(run: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "de.csv", [["Firma", "Ansprechpartner", "Notiz"],
                                           ["Müller GmbH", "Hans", "x"]], encoding="cp1252",
                     delimiter=";")
    options = ("--map", "Notiz=notes", "--encoding", "cp1252", "--delimiter", "semicolon",
               "--save-mapping", "german")
    code, out, err = run("import", str(path), *options, "--dry-run")
    assert code == Exit.OK, err
    # A dry run writes nothing: not the mapping either (issue 20.11).
    assert "Notiz -> notes" in out and "would be saved as 'german'" in out
    assert "no saved mapping 'german'" in run("import", str(path), "--mapping", "german")[2]
    code, out, err = run("import", str(path), *options)
    assert code == Exit.OK, err
    assert "Mapping saved as 'german'" in out and "customers: 1 new" in out
    code, out, err = run("import", str(path), "--mapping", "german", "--dry-run")
    assert code == Exit.OK, err
    assert "Read de.csv: Windows-1252" in out and "Notiz -> notes" in out
    code, out, _err = run("list", "--json")
    assert [row["name"] for row in json.loads(out)] == ["Müller GmbH"]
    code, out, err = run("import", str(path), "--mapping", "nope")
    assert code == Exit.INVALID and "no saved mapping 'nope'" in err
    code, _out, err = run("import", str(path), "--map", "Notiz=nothing")
    assert code == Exit.USAGE and "not a field" in err


def test_cli_json_files_still_take_the_json_path(run: Any, tmp_path: Path) -> None:
    code, out, _err = run("export")
    assert code == Exit.OK
    export = tmp_path / "all.json"
    export.write_text(out, encoding="utf-8")
    code, out, _err = run("import", str(export))
    assert code == Exit.OK and "0 new" in out
    code, _out, err = run("import", str(export), "--on-match", "update")
    assert code == Exit.USAGE and "CSV options" in err
    broken = tmp_path / "broken.json"
    broken.write_text("{nope", encoding="utf-8")
    code, _out, err = run("import", str(broken))
    assert code == Exit.INVALID and "not valid JSON" in err


def test_rows_checked_by_workers_are_the_serial_rows_in_order(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Checked on two processes, a few chunks at a time, the rows are what one process makes,
    in the file's order (the import matches and writes each chunk as it comes: 17.6)."""
    from salesdev_tui.domain.csv_rows import parse_rows
    from salesdev_tui.usecases import csv_check_pool

    monkeypatch.setattr(csv_check_pool, "PARALLEL_FROM", 4)
    monkeypatch.setattr(csv_check_pool, "CHUNK", 2)
    headers = ["company", "contact", "email", "address"]
    fields: list[str | None] = ["company", "contact", "email", "address"]
    rows = [(line, [f"Acme {line}", f"Wu {line}", f"wu{line}@acme.tw", " Taipei "])
            for line in range(2, 12)]
    rows.append((12, ["Bad", "Lin", "no-at-sign", ""]))
    good, problems = csv_check_pool.check_rows(headers, fields, rows, region="TW",
                                               zone=TAIPEI, workers=2)
    serial_good, serial_problems = parse_rows(headers, fields, rows, region="TW", zone=TAIPEI)
    assert good == serial_good and problems == serial_problems
    assert [row.line for row in good] == list(range(2, 12))
    assert [problem.line for problem in problems] == [12]
    assert good[0].customer["address"] == "Taipei"
