"""Issue 17.6: the spreadsheet import streams its rows (read, checked, matched and written a
chunk at a time, in one transaction), and does exactly what it did whole.

Each file is imported twice into the same stored records: in chunks of two rows (every rule
that spans rows then spans chunks: people joining a company an earlier chunk made, a later
row filling a value, the primary contact, a shared phone kept apart) and in one chunk. The
outcomes, the row notes and the stored records must be the same. And the memory an import
holds does not grow with the file the way the whole table did.
"""

from __future__ import annotations

import csv
import io
import tracemalloc
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from salesdev_tui.db import open_database
from salesdev_tui.domain.csv_import import OnMatch
from salesdev_tui.models.tables import Contact, Customer
from salesdev_tui.store.combined import Store
from salesdev_tui.usecases import csv_check_pool
from salesdev_tui.usecases.data_transfer import CsvOptions, import_csv_file
from tests.conftest import Clock

TAIPEI = ZoneInfo("Asia/Taipei")
HEADERS = ["公司名稱", "聯絡人", "電話", "手機", "Email", "行業", "地址", "主要聯絡人"]

STORED = [
    HEADERS,
    ["Gamma Co.", "Gil", "02-5555-6666", "", "gil@gamma.tw", "", "", ""],
    ["Gamma Co.", "Gwen", "02-5555-7777", "", "gwen@gamma.tw", "", "", ""],
    ["Omega Co.", "Olga", "02-7777-8888", "", "info@gmail.com", "", "", ""],
]

ROWS = [
    HEADERS,
    ["Acme Co.", "Amy", "02-2222-3333", "", "amy@acme.tw", "製造", "", ""],
    ["Beta Co.", "Ben", "02-2222-3333", "", "ben@beta.tw", "", "", ""],  # Acme's phone
    ["Acme Co.", "Andy", "02-1111-0000", "", "andy@acme.tw", "", "", ""],
    ["Acme Co.", "Amy", "", "0912-111-222", "", "零售", "台北市信義路 1 號", ""],
    ["Gamma Co.", "Gina", "02-5555-0000", "", "gina@gamma.tw", "物流", "", ""],
    ["Gamma Co.", "Gil", "", "0912-345-678", "", "", "新竹市", ""],
    ["", "", "", "", "AMY@acme.tw", "", "", ""],  # Amy by her e-mail alone
    ["Delta Co.", "Dan", "03-1234-5678", "", "", "", "", ""],
    ["Delta Co.", "Dora", "03-1234-9999", "", "dora@delta.tw", "", "", "yes"],
    ["Epsilon Co.", "Eve", "", "", "no-at-sign", "", "", ""],  # a bad row
    ["Zeta Co.", "Zoe", "", "", "info@gmail.com", "", "", ""],  # Omega's e-mail
    ["Delta Co.", "Dan", "", "", "", "電子", "", "yes"],
    ["Acme Co.", "Andy", "", "", "", "", "", "no"],
    ["Gamma Co.", "Gwen", "", "", "", "", "", "yes"],
]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def stored_state(store: Store) -> list[tuple[Any, ...]]:
    """Every customer with its values and people, by name (ids differ between databases)."""
    with store.db.read() as session:
        people: dict[Any, list[tuple[Any, ...]]] = {}
        for c in session.exec(select(Contact)).all():
            people.setdefault(c.customer_id, []).append(
                (c.name, c.email, c.phone, c.mobile, c.is_primary, c.deleted_at))
        return sorted(
            ((row.name, row.stage, row.industry, row.address,
              sorted(people.get(row.id, []), key=repr))
             for row in session.exec(select(Customer)).all()), key=repr)


def import_both_ways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                     **options: Any) -> list[tuple[Any, Any, list[tuple[str, int, int]]]]:
    """The same file imported in chunks of 2 rows and in one chunk, onto the same records."""
    source = write_csv(tmp_path / "rows.csv", ROWS)
    outcomes = []
    for chunk in (2, 5_000):
        monkeypatch.setattr(csv_check_pool, "CHUNK", chunk)
        store = Store(open_database(tmp_path / f"chunk-{chunk}" / "salesdev.db"), clock=Clock())
        try:
            import_csv_file(store, write_csv(tmp_path / "stored.csv", STORED), CsvOptions(),
                            region="TW", zone=TAIPEI)
            calls: list[tuple[str, int, int]] = []
            outcome = import_csv_file(
                store, source, CsvOptions(notes=tmp_path / f"notes-{chunk}.csv", **options),
                region="TW", zone=TAIPEI, progress=lambda *call, to=calls: to.append(call))
            outcomes.append((outcome, stored_state(store), calls))
        finally:
            store.db.close()
    return outcomes


def summary(outcome: Any) -> tuple[Any, ...]:
    result = outcome.result
    return (result.rows, result.customers, result.contacts, result.plans, result.rolled_back,
            [(n.line, n.outcome, n.detail) for n in result.notes],
            [str(p) for p in result.shared], [str(p) for p in outcome.problems])


@pytest.mark.parametrize("on_match", [OnMatch.UPDATE, OnMatch.SKIP, OnMatch.CREATE])
def test_chunks_of_two_rows_do_what_one_chunk_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, on_match: OnMatch) -> None:
    (small, small_state, calls), (whole, whole_state, _calls) = import_both_ways(
        tmp_path, monkeypatch, on_match=on_match, skip_bad_rows=True)
    assert summary(small) == summary(whole)
    assert small_state == whole_state
    rows = small.result.rows
    assert rows.total == len(ROWS) - 1 and rows.failed == 1 and rows.merged >= 4
    assert (tmp_path / "notes-2.csv").read_bytes() == (tmp_path / "notes-5000.csv").read_bytes()
    # Every customer the import gave people to has one primary contact.
    for name, _stage, _industry, _address, contacts in small_state:
        live = [c for c in contacts if c[5] is None]
        assert sum(1 for c in live if c[4]) == 1, name
    # The progress the import wizard shows: one step, rising to the rows read.
    assert {step for step, _done, _total in calls} == {"Importing rows"}
    dones = [done for _step, done, _total in calls]
    assert dones == sorted(dones) and calls[-1][2] == len(ROWS) - 1


def test_chunked_import_spans_chunks_as_one_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the rules across rows give, checked outright (not only as equal both ways)."""
    (small, state, _calls), _whole = import_both_ways(
        tmp_path, monkeypatch, on_match=OnMatch.UPDATE, skip_bad_rows=True)
    by_name = {name: (industry, address, people) for name, _s, industry, address, people in state}
    # Amy's later rows (one by her e-mail alone) fill what was empty, never overwrite.
    industry, address, people = by_name["Acme Co."]
    assert (industry, address) == ("製造", "台北市信義路 1 號")
    assert [p[:4] for p in people] == [
        ("Amy", "amy@acme.tw", "02-2222-3333", "0912-111-222"),
        ("Andy", "andy@acme.tw", "02-1111-0000", None)]
    assert [p[4] for p in people] == [True, False]  # Andy said "no"; Amy, the first, is it
    # A shared phone or e-mail alone never merges two company names.
    assert "Beta Co." in by_name and "Zeta Co." in by_name
    assert len(small.result.shared) == 2
    # Dora was made the primary; Dan, stored earlier in the file, said so later.
    assert [(p[0], p[4]) for p in by_name["Delta Co."][2]] == [("Dan", True), ("Dora", False)]
    # The stored customer: Gil's mobile filled, Gina added, Gwen made the primary.
    gamma = {p[0]: p for p in by_name["Gamma Co."][2]}
    assert gamma["Gil"][3] == "0912-345-678" and gamma["Gwen"][4] and not gamma["Gil"][4]
    assert by_name["Gamma Co."][:2] == ("物流", "新竹市")
    assert "Epsilon Co." not in by_name  # the bad row


def test_a_bad_row_in_a_later_chunk_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """All or nothing: chunks written before the bad row are rolled back with the rest."""
    (small, small_state, _c), (whole, whole_state, _w) = import_both_ways(tmp_path, monkeypatch)
    assert summary(small) == summary(whole)
    assert small.result.rolled_back and small_state == whole_state
    assert [name for name, *_rest in small_state] == ["Gamma Co.", "Omega Co."]


def test_a_dry_run_in_chunks_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (small, small_state, _c), (whole, _state, _w) = import_both_ways(
        tmp_path, monkeypatch, dry_run=True, skip_bad_rows=True, on_match=OnMatch.UPDATE)
    assert summary(small) == summary(whole) and small.result.rolled_back
    assert [name for name, *_rest in small_state] == ["Gamma Co.", "Omega Co."]
    assert small.result.rows.new == whole.result.rows.new > 0


def _held_memory(tmp_path: Path, rows: int, *, again: bool = False) -> int:
    """The most memory Python held while `rows` leads were imported (bytes), sampled at each
    progress report (the read of the file, made before, is left out); `again`: while the
    same file was imported a second time (on-match update), every row a stored customer."""
    lines = [["company", "contact", "phone", "email", "address", "notes"]]
    lines += [[f"Lead {n} Co.", f"Person {n}", f"02-{2000 + n // 10000:04d}-{n % 10000:04d}",
               f"p{n}@lead{n}.com.tw", f"台北市信義區松仁路 {n} 號", "met at the show\n第一次"]
              for n in range(rows)]
    source = write_csv(tmp_path / f"leads-{rows}.csv", lines)
    store = Store(open_database(tmp_path / f"m-{rows}" / "salesdev.db"), clock=Clock())
    most = 0

    def progress(_step: str, _done: int, _total: int) -> None:
        nonlocal most
        most = max(most, tracemalloc.get_traced_memory()[0])

    options = CsvOptions(on_match=OnMatch.UPDATE)
    try:
        if again:
            import_csv_file(store, source, options, region="TW", zone=TAIPEI)
        tracemalloc.start()
        try:
            outcome = import_csv_file(store, source, options, region="TW", zone=TAIPEI,
                                      progress=progress)
        finally:
            tracemalloc.stop()
    finally:
        store.db.close()
    assert outcome.result.rows.unchanged if again else outcome.result.rows.new == rows
    assert not outcome.result.rolled_back
    return most


def test_memory_grows_only_by_what_later_rows_are_matched_by(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a chunk's rows are held in full; of the rows before, only what later rows are
    matched by and the notes name (ids, names, e-mails, phones, company keys, each row's
    note): about 1.3 KB a row. Whole, the table, the checked rows and the plan held about
    2.4 KB a row here (3.4 KB at 100,000 rows, issue 17.6)."""
    monkeypatch.setattr(csv_check_pool, "CHUNK", 500)
    small = _held_memory(tmp_path, 2_000)
    large = _held_memory(tmp_path, 8_000)
    assert (large - small) / 6_000 < 1_800, (small, large)


def test_importing_a_file_again_holds_its_stored_records_folded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Imported again, every row matches a stored customer and contact, left unchanged: once
    its chunk is done each is held as a tuple of what later rows are matched by (ids as
    one object each), not as a record and its dict: 1.3 KB a row here, 1.9 KB before
    (issue 17.6)."""
    monkeypatch.setattr(csv_check_pool, "CHUNK", 500)
    small = _held_memory(tmp_path, 2_000, again=True)
    large = _held_memory(tmp_path, 8_000, again=True)
    assert (large - small) / 6_000 < 1_600, (small, large)


def test_a_stored_record_matched_unchanged_is_filled_by_a_later_chunk(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A stored customer and person a row leaves unchanged (then folded: above) and a row
    of a later chunk names again: the later row fills what is empty and overwrites nothing
    an earlier row of the file said, in chunks as in one; the counts say updated once."""
    stored = [HEADERS, ["Gamma Co.", "Gil", "02-5555-6666", "", "gil@gamma.tw", "製造", "", ""]]
    rows = [
        HEADERS,
        ["Gamma Co.", "Gil", "02-5555-6666", "", "gil@gamma.tw", "製造", "", ""],  # unchanged
        ["Kappa Co.", "Kim", "02-3333-4444", "", "kim@kappa.tw", "", "", ""],
        ["Lambda Co.", "Lou", "02-3333-5555", "", "lou@lambda.tw", "", "", ""],
        ["Gamma Co.", "Gil", "", "0912-345-678", "", "", "新竹市", ""],  # fills
        ["", "", "", "", "GIL@gamma.tw", "零售", "台中市", ""],  # said already: kept
    ]
    source = write_csv(tmp_path / "rows.csv", rows)
    outcomes = []
    for chunk in (2, 5_000):
        monkeypatch.setattr(csv_check_pool, "CHUNK", chunk)
        store = Store(open_database(tmp_path / f"chunk-{chunk}" / "salesdev.db"), clock=Clock())
        try:
            import_csv_file(store, write_csv(tmp_path / "stored.csv", stored), CsvOptions(),
                            region="TW", zone=TAIPEI)
            outcome = import_csv_file(store, source, CsvOptions(on_match=OnMatch.UPDATE),
                                      region="TW", zone=TAIPEI)
            outcomes.append((summary(outcome), stored_state(store)))
        finally:
            store.db.close()
    assert outcomes[0] == outcomes[1]
    result, state = outcomes[0]
    by_name = {name: (industry, address, people) for name, _s, industry, address, people in state}
    industry, address, people = by_name["Gamma Co."]
    assert (industry, address) == ("製造", "新竹市")
    assert [p[:4] for p in people] == [("Gil", "gil@gamma.tw", "02-5555-6666", "0912-345-678")]
    customers = result[1]
    assert (customers.created, customers.updated, customers.unchanged) == (2, 1, 0)
    assert [note[1] for note in result[5]] == ["unchanged", "new", "new", "updated", "unchanged"]


def test_an_encrypted_database_takes_a_chunked_import(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The chunks are written through the encrypted connection like any write: reopened with
    its passphrase, the database holds what a plain one does."""
    (_small, plain_state, _c), _whole = import_both_ways(
        tmp_path, monkeypatch, on_match=OnMatch.UPDATE, skip_bad_rows=True)
    monkeypatch.setattr(csv_check_pool, "CHUNK", 2)
    path = tmp_path / "secret" / "salesdev.db"
    store = Store(open_database(path, passphrase="correct horse"), clock=Clock())
    try:
        import_csv_file(store, write_csv(tmp_path / "stored.csv", STORED), CsvOptions(),
                        region="TW", zone=TAIPEI)
        outcome = import_csv_file(store, tmp_path / "rows.csv",
                                  CsvOptions(on_match=OnMatch.UPDATE, skip_bad_rows=True),
                                  region="TW", zone=TAIPEI)
    finally:
        store.db.close()
    assert not outcome.result.rolled_back
    assert b"Acme Co." not in path.read_bytes()  # written encrypted
    store = Store(open_database(path, passphrase="correct horse"), clock=Clock())
    try:
        assert stored_state(store) == plain_state
    finally:
        store.db.close()


def test_the_import_makes_its_ids_in_order() -> None:
    """Each id after the one before (it lands at the end of the primary key's index), a
    valid UUID of version 7, never the same twice; another run starts elsewhere."""
    from datetime import UTC, datetime

    from salesdev_tui.domain.ordered_ids import OrderedIds

    now = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    ids = OrderedIds(now)
    made = [ids() for _n in range(20_000)]
    assert made == sorted(made) and len(set(made)) == len(made)
    assert {(i.version, i.variant) for i in made} == {(7, "specified in RFC 4122")}
    assert int(made[0].hex[:12], 16) == int(now.timestamp() * 1000)  # its time, in ms
    assert not set(made) & {OrderedIds(now)() for _n in range(1_000)}


def test_imported_records_get_ordered_ids(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "rows.csv", [HEADERS, *STORED[1:]])
    store = Store(open_database(tmp_path / "ids" / "salesdev.db"), clock=Clock())
    try:
        import_csv_file(store, source, CsvOptions(), region="TW", zone=TAIPEI)
        with store.db.read() as session:
            ids = [c.id for c in session.exec(select(Customer)).all()]
            ids += [c.id for c in session.exec(select(Contact)).all()]
    finally:
        store.db.close()
    assert len(ids) == 5 and {i.version for i in ids} == {7}
