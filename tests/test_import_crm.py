"""Issue 17.1-17.3: files from other CRMs and Excel, every row accounted for, people kept.

The fixtures (tests/fixtures/imports/) carry the headers Pipedrive, HubSpot and Salesforce
document for their exports, and an Excel sheet made in Taiwan (Big5, Chinese headers).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.cli.app import Exit
from salesdev_tui.domain.csv_columns import auto_map
from salesdev_tui.domain.csv_import import OnMatch
from salesdev_tui.domain.csv_sniff import read_table
from salesdev_tui.domain.csv_values import unguard_formula
from salesdev_tui.domain.validation import ContactInput, CustomerInput, validate
from salesdev_tui.models.tables import Contact, Customer
from salesdev_tui.usecases.data_transfer import CsvOptions, import_csv_file

TAIPEI = ZoneInfo("Asia/Taipei")
OUTCOMES = ("new", "merged", "attached", "updated", "unchanged", "skipped", "failed")
FIXTURES = Path(__file__).parent / "fixtures" / "imports"
ALL = sorted(path.name for path in FIXTURES.iterdir())
#: Companies first, then their people: how these CRMs export.
PRESETS = {
    "pipedrive": ("pipedrive_organizations.csv", "pipedrive_people.csv"),
    "hubspot": ("hubspot_companies.csv", "hubspot_contacts.csv"),
    "salesforce": ("salesforce_accounts.csv", "salesforce_contacts.csv"),
    "excel": ("excel_zh_tw.csv",),
}


def copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    target.write_bytes((FIXTURES / name).read_bytes())
    return target


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def run_import(store: Any, path: Path, **options: Any) -> Any:
    return import_csv_file(store, path, CsvOptions(**options), region="TW", zone=TAIPEI)


def customers(store: Any) -> list[Customer]:
    with store.db.read() as session:
        return list(session.exec(select(Customer).order_by(Customer.name)).all())


def people(store: Any) -> dict[str, Contact]:
    with store.db.read() as session:
        return {c.name: c for c in session.exec(select(Contact)).all()}


@pytest.fixture
def run(db_path: Path) -> Any:
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(cli, ["--db", str(db_path), *args])
        return result.exit_code, result.stdout, result.stderr

    return invoke


# -- 17.1 every row accounted for --------------------------------------------------------------


@pytest.mark.parametrize("name", ALL)
def test_every_row_of_every_fixture_is_accounted_for(store: Any, tmp_path: Path,
                                                     name: str) -> None:
    path = copy(name, tmp_path)
    outcome = run_import(store, path, skip_bad_rows=True)
    lines = [line for line, _cells in outcome.table.rows]
    rows = outcome.result.rows
    assert rows.total == len(lines) == sum(getattr(rows, o) for o in OUTCOMES)
    # One note a row, in the file's order, each with an outcome and words.
    assert [note.line for note in outcome.result.notes] == lines
    assert all(note.outcome in OUTCOMES and note.detail for note in outcome.result.notes)
    # The notes file says the same, row by row, with the row as it was.
    assert outcome.notes_path is not None
    written = list(csv.reader(io.StringIO(outcome.notes_path.read_text("utf-8-sig"))))
    assert [int(row[0]) for row in written[1:]] == lines
    assert written[0][3:] == outcome.table.headers



def test_the_notes_file_written_piece_by_piece_is_one_whole_file(
        store: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large import's notes are encoded a batch at a time (issue 17.6): one BOM, one header,
    every row once in order; and a piece that fails leaves no notes file at all."""
    from salesdev_tui.usecases import data_transfer

    monkeypatch.setattr(data_transfer, "_NOTES_BATCH", 2)
    rows = [["公司名稱", "電話"]] + [[f"公司{n}", f"02-2345-{n:04d}"] for n in range(7)]
    folder = tmp_path / "files"
    folder.mkdir()
    path = write_csv(folder / "seven.csv", rows)
    outcome = run_import(store, path)
    assert outcome.notes_path is not None
    raw = outcome.notes_path.read_bytes()
    assert raw.startswith("\ufeff".encode()) and raw.count("\ufeff".encode()) == 1
    written = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert written[0][3:] == ["公司名稱", "電話"]
    assert [int(row[0]) for row in written[1:]] == list(range(2, 9))
    assert [row[3] for row in written[1:]] == [f"公司{n}" for n in range(7)]

    def broken(*_args: Any) -> Any:
        yield b"line,result\r\n"
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(data_transfer, "_notes_parts", broken)
    again = run_import(store, write_csv(folder / "again.csv", rows))
    assert again.notes_path is None and again.notes_error is not None
    # No half-written notes, and no temporary file left beside the spreadsheet.
    assert sorted(p.name for p in folder.iterdir()) == [
        "again.csv", "seven.csv", "seven.import-notes.csv"]

def test_the_summary_names_each_outcome(run: Any, tmp_path: Path) -> None:
    code, out, err = run("import", str(copy("shared_and_multi.csv", tmp_path)),
                         "--skip-bad-rows")
    assert code == Exit.OK, err
    assert ("rows: 5 read: 3 new, 1 merged into a customer of an earlier row, 0 attached to a "
            "stored customer, 0 updated, 0 unchanged, 0 skipped, 1 failed") in out
    notes = (tmp_path / "shared_and_multi.import-notes.csv").read_text("utf-8-sig")
    assert "added to Gamma Corp, made by line 4" in notes
    assert 'rejected because ""Email"": E-mail: not a valid address' in notes
    assert "shares the e-mail info@gmail.com with Alpha Trading Co." in notes


# -- 17.2 people attach to their companies; shared phones never merge companies ---------------


@pytest.mark.parametrize("preset", ["pipedrive", "hubspot", "salesforce"])
def test_a_people_file_attaches_to_stored_companies(store: Any, tmp_path: Path,
                                                    preset: str) -> None:
    companies, persons = PRESETS[preset]
    first = run_import(store, copy(companies, tmp_path))
    assert first.problems == [] and first.result.rows.new == 2
    second = run_import(store, copy(persons, tmp_path))  # no flag: --on-match skip
    assert second.problems == []
    table = read_table((FIXTURES / persons).read_bytes())
    assert second.result.rows.attached == len(table.rows)
    assert second.result.contacts.created == len(table.rows)
    assert len(customers(store)) == 2
    by_id = {c.id: c.name for c in customers(store)}
    company = auto_map(table.headers).index("company")
    expected = sorted((cells[company], "") for _line, cells in table.rows)
    assert sorted((by_id[c.customer_id], "") for c in people(store).values()) == expected
    assert "attached to the stored customer" in second.result.notes[0].detail


@pytest.mark.parametrize("on_match", [OnMatch.SKIP, OnMatch.CREATE, OnMatch.UPDATE])
@pytest.mark.parametrize("shared", [("02-2222-3333", ""), ("", "info@gmail.com")])
def test_shared_phone_or_email_never_merges_two_companies(
        store: Any, tmp_path: Path, on_match: OnMatch, shared: tuple[str, str]) -> None:
    phone, email = shared
    path = write_csv(tmp_path / "two.csv", [
        ["Company", "Contact", "Phone", "Email"],
        ["Alpha Trading Co.", "Amy", phone, email],
        ["Beta Machinery Co.", "Ben", phone, email],
    ])
    outcome = run_import(store, path, on_match=on_match)
    assert [c.name for c in customers(store)] == ["Alpha Trading Co.", "Beta Machinery Co."]
    assert sorted(people(store)) == ["Amy", "Ben"]
    assert outcome.result.rows.new == 2
    assert [p.line for p in outcome.result.shared] == [3]
    assert "Alpha Trading Co." in str(outcome.result.shared[0])


def test_shared_phone_with_a_stored_company_is_reported_by_the_cli(
        run: Any, store: Any, tmp_path: Path) -> None:
    store.customers.add_lead(validate(CustomerInput, {"name": "Alpha Trading Co."}),
                   validate(ContactInput, {"name": "Amy", "phone": "02-2222-3333"}))
    path = write_csv(tmp_path / "b.csv", [["Company", "Contact", "Phone"],
                                          ["Beta Machinery Co.", "Ben", "02-2222-3333"]])
    code, out, err = run("import", str(path), "--on-match", "update")
    assert code == Exit.OK, err
    assert "kept apart although they share a phone or e-mail with another company: 1" in out
    assert "line 2: shares the phone +886222223333 with Alpha Trading Co." in out
    assert [c.name for c in customers(store)] == ["Alpha Trading Co.", "Beta Machinery Co."]


def test_the_rep_may_merge_companies_sharing_a_phone(store: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "two.csv", [
        ["Company", "Contact", "Phone"],
        ["Alpha Trading Co.", "Amy", "02-2222-3333"],
        ["Alpha Trading (Taipei branch)", "Ben", "02-2222-3333"],
    ])
    outcome = run_import(store, path, merge_shared=True)
    assert [c.name for c in customers(store)] == ["Alpha Trading Co."]
    assert outcome.result.shared == [] and outcome.result.rows.merged == 1


def test_colleagues_sharing_a_switchboard_stay_two_people(store: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [
        ["Company", "Contact", "Phone"],
        ["Alpha Trading Co.", "Amy Chen", "02-2222-3333"],
        ["Alpha Trading Co.", "Andy Lin", "02-2222-3333"],
        ["Alpha Trading Co.", "Amy", "02-2222-3333"],
    ])
    run_import(store, path)
    assert sorted(people(store)) == ["Amy Chen", "Andy Lin"]


def test_multi_value_cells_are_split(store: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "m.csv", [
        ["Company", "Contact", "Phone", "Email"],
        ["Gamma Corp", "Gus", "02-2555-6666, 0912-000-111", "a@x.com, b@x.com"],
        ["Delta", "Dee", "", "d@x.com; e@x.com"],
    ])
    outcome = run_import(store, path)
    assert outcome.problems == []
    gus, dee = people(store)["Gus"], people(store)["Dee"]
    assert (gus.email, gus.phone) == ("a@x.com", "02-2555-6666")
    assert gus.notes == "Other e-mails: b@x.com\nOther phones: 0912-000-111"
    assert (dee.email, dee.notes) == ("d@x.com", "Other e-mails: e@x.com")


# -- 17.3 presets for real exports ---------------------------------------------------------------


def test_salesforce_contact_id_is_not_a_salesdev_id(store: Any, tmp_path: Path) -> None:
    run_import(store, copy("salesforce_accounts.csv", tmp_path))
    outcome = run_import(store, copy("salesforce_contacts.csv", tmp_path))
    assert outcome.problems == []
    assert outcome.fields[:2] == [None, None]  # Contact ID, Account ID: another CRM's ids
    # A salesdev export's own ids are still read as ids.
    assert auto_map(["contact_id", "company"],
                    sample=[["0f8fad5b-d9cb-469f-a165-70867728950e", "A"]])[0] == "contact_id"


def test_salesforce_accounts(store: Any, tmp_path: Path) -> None:
    outcome = run_import(store, copy("salesforce_accounts.csv", tmp_path))
    assert outcome.problems == []
    epsilon, zeta = customers(store)
    # Rating Hot/Warm/Cold -> potential A/B/C; address parts joined; the phone is the
    # company's (no contact named after a number).
    assert (epsilon.potential, zeta.potential) == ("A", "C")
    assert epsilon.address == "Unter den Linden 5, Berlin, 10117, Germany"
    assert people(store) == {}
    assert epsilon.notes == "Solar panels\nPhone: +49 30 1234567"


def test_salesforce_contact_keeps_mobile_landline_and_description(
        store: Any, tmp_path: Path) -> None:
    run_import(store, copy("salesforce_accounts.csv", tmp_path))
    run_import(store, copy("salesforce_contacts.csv", tmp_path))
    eva = people(store)["Eva Schmidt"]
    assert (eva.phone, eva.mobile, eva.mobile_normalized) == (
        "+49 30 1234568", "+49 151 2345678", "+491512345678")
    assert eva.notes == "Met at Intersolar"  # the contact's, not the company's
    assert customers(store)[0].notes == "Solar panels\nPhone: +49 30 1234567"


def test_hubspot_associated_company(store: Any, tmp_path: Path) -> None:
    outcome = run_import(store, copy("hubspot_contacts.csv", tmp_path))
    assert outcome.fields[7:9] == ["company", None]  # Associated Company (ID)
    assert [c.name for c in customers(store)] == ["Delta Tools LLC", "Gamma Foods Inc."]
    gamma = customers(store)[1]
    assert gamma.address == "500 Market St, San Francisco, 94105, United States"


def test_excel_chinese_headers_keep_tax_id_and_mobile(store: Any, tmp_path: Path) -> None:
    outcome = run_import(store, copy("excel_zh_tw.csv", tmp_path))
    assert outcome.problems == [] and outcome.table.encoding == "cp950"
    tpi = {c.name: c for c in customers(store)}["台灣精密工業股份有限公司"]
    assert (tpi.name, tpi.tax_id) == ("台灣精密工業股份有限公司", "12345675")
    assert tpi.address == "110台北市信義區松仁路100號"
    wang = people(store)["王小明"]
    assert (wang.phone, wang.mobile) == ("02-2345-6789", "0912-345-678")


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_round_trip_of_each_preset(run: Any, tmp_path: Path, preset: str) -> None:
    files = PRESETS[preset]
    for name in files:
        code, _out, err = run("import", str(copy(name, tmp_path)))
        assert code == Exit.OK, err
    code, out, err = run("export", "--format", "csv", "--what", "customers")
    assert code == Exit.OK, err
    exported = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    code, out, err = run("export", "--format", "csv", "--what", "contacts")
    assert code == Exit.OK, err
    contacts = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    tables = [read_table((FIXTURES / name).read_bytes()) for name in files]
    companies: set[str] = set()
    persons: list[dict[str, str]] = []
    for table in tables:
        fields = auto_map(table.headers)
        for _line, cells in table.rows:
            row: dict[str, str] = {}
            for f, c in zip(fields, cells, strict=False):
                if f and c:
                    row.setdefault(f, c)  # the first of two e-mail columns is the e-mail
            companies.add(row["company"])
            if {"contact", "first_name"} & set(row):
                persons.append(row)
    # Every company once, with its address.
    assert sorted(r["company"] for r in exported) == sorted(companies)
    assert all(r["address"] for r in exported)
    # Every person once, at the right company, with the phone and e-mail of the file.
    assert len(contacts) == len(persons)
    by_email = {r["email"]: r for r in contacts}
    for person in persons:
        email = person["email"].split(",")[0].strip()
        got = by_email[email]
        assert got["company"] == person["company"]
        if "phone" in person:
            # "+49 …" is written behind an apostrophe (a spreadsheet would compute it).
            assert unguard_formula(got["phone"]) == person["phone"]


# -- 17.4 see before you write ---------------------------------------------------------------------


def test_a_short_western_excel_file_is_read_as_windows_1252(store: Any, tmp_path: Path) -> None:
    path = tmp_path / "de.csv"
    path.write_bytes("Company\r\nMüller GmbH\r\n".encode("cp1252"))
    outcome = run_import(store, path)
    assert outcome.table.encoding == "cp1252"  # was GB18030: "M黮ler GmbH"
    assert [c.name for c in customers(store)] == ["Müller GmbH"]
    assert 0 < outcome.table.confidence < 0.9  # one letter to go by: a guess, and said so


def test_dry_run_shows_encoding_mapping_and_rows_as_stored(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "de.csv"
    path.write_bytes("Company,Contact,Mobile\r\nMüller GmbH,Jürgen Groß,0912-345-678\r\n"
                     .encode("cp1252"))
    code, out, err = run("import", str(path), "--dry-run")
    assert code == Exit.OK, err
    assert "Windows-1252 (confidence 95%)" in out  # only Windows-1252 reads "ß" here
    assert "Columns: Company -> company, Contact -> contact, Mobile -> mobile" in out
    assert ("line 2: company Müller GmbH; contact Jürgen Groß, mobile=0912-345-678" in out)
    short = tmp_path / "short.csv"
    short.write_bytes("Company\r\nMüller GmbH\r\n".encode("cp1252"))
    code, out, err = run("import", str(short), "--dry-run", "--encoding", "gb18030")
    assert code == Exit.OK, err
    assert "GB18030 (as given)" in out and "company M黮ler GmbH" in out
    code, out, err = run("import", str(copy("excel_zh_tw.csv", tmp_path)), "--dry-run")
    assert "Big5 (confidence 97%)" in out, out
    code, out, err = run("import", str(short))
    assert code == Exit.OK, err
    # Uncertain: said so, with the rows as stored, even without --dry-run.
    assert "Windows-1252 (a guess, confidence 81%: check the rows below" in out
    assert "line 2: company Müller GmbH" in out


async def test_the_wizard_shows_rows_and_asks_about_shared_phones(
        make_app: Any, tmp_path: Path) -> None:
    from textual.widgets import Checkbox, Input, Static

    from salesdev_tui.dialogs.import_wizard import ImportWizardScreen
    from tests.conftest import wait_ready

    path = write_csv(tmp_path / "two.csv", [
        ["Company", "Contact", "Phone"],
        ["Alpha Trading Co.", "Amy", "02-2222-3333"],
        ["Alpha Trading (Taipei branch)", "Ben", "02-2222-3333"],
    ])
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.push_screen(ImportWizardScreen(str(path)))
        await wait_ready(pilot)
        wizard = app.screen

        def summary() -> str:
            return str(wizard.query_one("#import-summary", Static).render())

        assert "UTF-8 (confidence 100%)" in summary()
        assert "line 3: company Alpha Trading (Taipei branch); contact Ben" in summary()
        box = wizard.query_one("#import-merge-shared", Checkbox)
        assert not box.display or box.has_class("-hidden")
        await pilot.press("ctrl+r")  # dry run: the question appears
        await wait_ready(pilot)
        assert "shares the phone +886222223333 with Alpha Trading Co." in summary()
        assert not box.has_class("-hidden")
        box.value = True  # the rep says: one company
        wizard.query_one("#import-path", Input).focus()
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        assert [c.name for c in customers(app.store)] == ["Alpha Trading Co."]
        assert sorted(people(app.store)) == ["Amy", "Ben"]


# -- 17.5 .xlsx and .vcf ---------------------------------------------------------------------------


def test_an_excel_workbook_imports(run: Any, store: Any, tmp_path: Path) -> None:
    code, out, err = run("import", str(copy("excel_zh_tw.xlsx", tmp_path)))
    assert code == Exit.OK, err  # was: "no column holds the company name"
    assert "an Excel workbook (its first sheet)" in out
    by_name = {c.name: c for c in customers(store)}
    # A number cell (統一編號 typed as a number) reads as its digits, not "12345675.0".
    assert by_name["台灣精密工業股份有限公司"].tax_id == "12345675"
    wang = people(store)["王小明"]
    assert (wang.phone, wang.mobile, wang.email) == ("02-2345-6789", "0912-345-678",
                                                     "wang@tpi.com.tw")
    notes = (tmp_path / "excel_zh_tw.import-notes.csv").read_text("utf-8-sig")
    assert [row[0] for row in csv.reader(io.StringIO(notes))][1:] == ["2", "4"]  # sheet rows


def test_a_vcard_file_imports(run: Any, store: Any, tmp_path: Path) -> None:
    code, out, err = run("import", str(copy("phone_contacts.vcf", tmp_path)))
    assert code == Exit.OK, err
    amy = people(store)["Amy Chen"]
    assert (amy.phone, amy.mobile, amy.email, amy.role) == (
        "02-2222-3333", "0912-345-678", "amy@alpha.tw", "Buyer")
    assert amy.notes == "Met at the fair, booth 12\nLikes tea\nOther e-mails: amy.chen@gmail.com"
    assert people(store)["王小明"].mobile == "0933-222-333"  # vCard 2.1, quoted-printable
    alpha = {c.name: c for c in customers(store)}["Alpha Trading Co."]
    assert alpha.address == "12 Harbour Rd, Keelung, 202, Taiwan"
    assert sorted(c.name for c in customers(store)) == ["Alpha Trading Co.",
                                                        "Beta Machinery Co."]


def test_salesdev_vcards_come_back(run: Any, store: Any, tmp_path: Path) -> None:
    run_import(store, copy("pipedrive_organizations.csv", tmp_path))
    run_import(store, copy("pipedrive_people.csv", tmp_path))
    code, out, err = run("export", "--format", "vcard", "--out", str(tmp_path / "all.vcf"))
    assert code == Exit.OK, err
    # The vCard carries numbers in E.164 (issue 16.8): compared in that form.
    before = sorted((c.name, c.phone_normalized, c.email) for c in people(store).values())
    other = ("--db", str(tmp_path / "other.db"))  # the last --db is the one used
    code, out, err = run(*other, "import", str(tmp_path / "all.vcf"))
    assert code == Exit.OK, err
    assert "rows: 3 read: 2 new, 1 merged" in out
    code, out, err = run(*other, "export", "--format", "vcard")
    assert code == Exit.OK, err
    from salesdev_tui.domain.csv_formats import read_vcf

    back = read_vcf(out.encode("utf-8"))
    assert sorted((cells[1], cells[3] or None, cells[5] or None)
                  for _line, cells in back.rows) == before
