"""Exports that re-import: CSV round trips with awkward text, vCard, and the JSON round trip."""

from __future__ import annotations

import json
import re
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.cli.app import Exit
from salesdev_tui.db import open_database
from salesdev_tui.domain.csv_import import OnMatch
from salesdev_tui.domain.exchange import dump_document, parse_document
from salesdev_tui.domain.validation import (
    ContactInput,
    ContactPlanInput,
    CustomerInput,
    PlanOutcomeInput,
    validate,
)
from salesdev_tui.domain.vcard import fold, to_vcards
from salesdev_tui.models.enums import PlanStatus, Stage
from salesdev_tui.store.combined import Store
from salesdev_tui.usecases.data_transfer import (
    CsvOptions,
    export_text,
    import_csv_file,
    write_export,
)
from tests.conftest import FIXED_NOW, Clock

TAIPEI = ZoneInfo("Asia/Taipei")

AWKWARD_NOTES = (
    'first line\nsecond, with a comma; a semicolon and "quotes"\n第三行：中文，逗號、"引號"'
)


def fill(store: Any, clock: Clock) -> None:
    """Customers, contacts and plans whose text needs quoting in every way."""
    acme = store.customers.add_lead(
        validate(CustomerInput, {
            "name": 'Acme "Quoted", Inc.', "industry": "[b]markup[/b]", "notes": AWKWARD_NOTES,
            "address": "1 Main St.\nSuite 2, Taipei", "source": "trade_show",
            "source_detail": "Computex, 2026", "potential": "A", "revisit_days": 30,
            "website": "https://acme.example.com/a,b"}),
        validate(ContactInput, {"name": "Jane \"JJ\" Wu", "email": "Jane@ACME.tw",
                                "phone": "(02) 2345-6789 ext 12", "role": "Buyer, senior",
                                "notes": "likes\ttabs, and\nnew lines"}),
    )
    bob = store.contacts.add_contact(acme.id, validate(ContactInput, {"name": "Bob, Jr.",
                                                             "phone": "0912 345 678"}))
    taiwan = store.customers.add_lead(
        validate(CustomerInput, {"name": "台灣精密工業股份有限公司", "notes": "中文，逗號；分號",
                                 "size": "large", "purchasing_power": "high"}),
        validate(ContactInput, {"name": "王小明", "email": "wang@tpi.com.tw"}),
    )
    store.customers.add_lead(validate(CustomerInput, {"name": "Lost Co"}))
    lost = next(c for c in store.customers.list_customers(limit=50) if c.name == "Lost Co")
    store.customers.change_stage(lost.id, Stage.LOST, reason="price, mostly")
    first = store.plans.plan_contact(acme.id, validate(ContactPlanInput, {
        "method": "visit", "scheduled_at": FIXED_NOW - timedelta(days=2),
        "contact_id": bob.id, "agenda": "bring samples,\n\"new\" catalogue"}))
    clock.current = FIXED_NOW + timedelta(microseconds=123456)
    store.plans.log_outcome(first.id, validate(PlanOutcomeInput, {
        "status": "done", "outcome": "ok; they liked it", "next_step": "quote, by Friday"}))
    store.plans.plan_contact(taiwan.id, validate(ContactPlanInput, {
        "method": "phone", "scheduled_at": FIXED_NOW + timedelta(days=1, minutes=7)}))


def exports(store: Any) -> dict[str, str]:
    return {what: export_text(store, "csv", what, zone=TAIPEI, now=FIXED_NOW)[0]
            for what in ("customers", "contacts", "plans")}


def import_file(store: Any, path: Path, on_match: OnMatch = OnMatch.UPDATE) -> Any:
    outcome = import_csv_file(store, path, CsvOptions(on_match=on_match), region="TW",
                              zone=TAIPEI)
    assert outcome.problems == []
    return outcome.result


@pytest.fixture
def other_store(tmp_path: Path) -> Any:
    db = open_database(tmp_path / "other" / "salesdev.db")
    try:
        yield Store(db, clock=Clock(FIXED_NOW + timedelta(days=3)))
    finally:
        db.close()


def test_csv_round_trip(store: Any, clock: Clock, other_store: Any, tmp_path: Path) -> None:
    fill(store, clock)
    texts = exports(store)
    assert '"Acme ""Quoted"", Inc."' in texts["customers"]
    assert "2026-11-14 14:30+08:00" in texts["plans"]  # local time with its offset
    assert "2026-11-16 14:30:00.123456+08:00" in texts["plans"]
    files = {}
    for what in texts:
        files[what], _count = write_export(store, "csv", what, tmp_path / f"{what}.csv",
                                           zone=TAIPEI, now=FIXED_NOW)
        assert stat.S_IMODE(files[what].stat().st_mode) == 0o600
        assert files[what].read_bytes().startswith(b"\xef\xbb\xbf")
    # Into the database it came from: nothing changes.
    for what in ("customers", "contacts", "plans"):
        result = import_file(store, files[what])
        for counts in result.parts().values():
            assert (counts.created, counts.updated) == (0, 0)
    assert exports(store) == texts
    # Into an empty database: the same records, the same export, byte for byte.
    for what in ("customers", "contacts", "plans"):
        import_file(other_store, files[what])
    assert exports(other_store) == texts
    lost = next(c for c in other_store.customers.list_customers(limit=50) if c.name == "Lost Co")
    assert other_store.customers.get_customer(lost.id).lost_reason == "price, mostly"
    done = [p for c in other_store.customers.list_customers(
        limit=50) for p in other_store.plans.plans_of(c.id)
            if p.status is PlanStatus.DONE]
    assert [p.done_at for p in done] == [FIXED_NOW + timedelta(microseconds=123456)]


def test_json_round_trip_with_awkward_text(store: Any, clock: Clock, other_store: Any) -> None:
    fill(store, clock)
    text = dump_document(store.exchange.export_records(), exported_at=FIXED_NOW)
    assert AWKWARD_NOTES.replace("\n", "\\n").replace('"', '\\"') in text
    summary = other_store.exchange.import_records(parse_document(text))
    assert summary.updated == 0 and summary.created > 0
    assert dump_document(other_store.exchange.export_records(), exported_at=FIXED_NOW) == text
    again = other_store.exchange.import_records(parse_document(text))
    assert (again.created, again.updated) == (0, 0)


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_vcard_escapes_and_folds(store: Any, clock: Clock) -> None:
    fill(store, clock)
    cards = to_vcards(store.csv_export.contacts_for_export())
    assert cards.count("BEGIN:VCARD") == 3 and cards.endswith("END:VCARD\r\n")
    for line in cards.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    lines = _unfold(cards)
    assert 'FN:Jane "JJ" Wu' in lines
    assert "ORG:Acme \"Quoted\"\\, Inc." in lines
    assert "TITLE:Buyer\\, senior" in lines
    assert "NOTE:likes\ttabs\\, and\\nnew lines" in lines
    assert "ADR;TYPE=WORK:;;1 Main St.\\nSuite 2\\, Taipei;;;;" in lines
    assert "EMAIL;TYPE=INTERNET,WORK:Jane@acme.tw" in lines
    assert "ORG:台灣精密工業股份有限公司" in lines
    assert any(re.fullmatch(r"UID:urn:uuid:[0-9a-f-]{36}", line) for line in lines)


def test_fold_never_splits_a_character() -> None:
    line = "NOTE:" + "中文字" * 40
    folded = fold(line)
    assert folded.replace("\r\n ", "") == line
    for piece in folded.split("\r\n"):
        assert len(piece.encode("utf-8")) <= 75
        piece.encode("utf-8").decode("utf-8")


def test_cli_exports(db_path: Path, tmp_path: Path) -> None:
    runner = CliRunner()

    def run(*args: str) -> Any:
        return runner.invoke(cli, ["--db", str(db_path), *args])

    db = open_database(db_path)
    try:
        fill(Store(db, clock=Clock()), Clock())
    finally:
        db.close()
    out = tmp_path / "contacts.csv"
    result = run("export", "--format", "csv", "--what", "contacts", "--out", str(out))
    assert result.exit_code == Exit.OK, result.stderr
    assert "Exported 3 contacts" in result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    result = run("import", str(out), "--on-match", "update")
    assert result.exit_code == Exit.OK
    assert "contacts: 0 new, 0 updated, 3 unchanged" in result.stdout
    result = run("export", "--format", "csv", "--what", "plans")
    assert result.stdout.startswith("plan_id,customer_id,company,contact_id")
    result = run("export", "--format", "vcard", "--out", str(tmp_path / "c.vcf"))
    assert result.exit_code == Exit.OK
    assert (tmp_path / "c.vcf").read_text(encoding="utf-8").count("BEGIN:VCARD") == 3
    assert run("export", "--format", "csv", "--what", "deals").exit_code == Exit.INVALID
    assert run("export", "--format", "xml").exit_code == Exit.INVALID
    assert run("export", "--what", "customers").exit_code == Exit.INVALID
    result = run("export")
    assert json.loads(result.stdout)["format"] == "salesdev"
    assert datetime.now(UTC).year >= 2026
