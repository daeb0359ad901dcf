"""vCard and .ics as an address book and a calendar read them: names split the way each
culture writes them, E.164 numbers with the mobile marked, the visit's place, the contact's
numbers and cancelled plans called off. Parsed with vobject and icalendar, not by eye."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import vobject
from icalendar import Calendar
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.db import open_database
from salesdev_tui.domain.validation import (
    ContactInput,
    ContactPlanInput,
    CustomerInput,
    PlanOutcomeInput,
    validate,
)
from salesdev_tui.domain.vcard import dial_number, split_name
from salesdev_tui.models.tables import Contact
from salesdev_tui.store.combined import Store
from tests.conftest import Clock


@pytest.mark.parametrize(("name", "parts"), [
    ("王大明", ("王", "大明", "")),
    ("林志", ("林", "志", "")),
    ("歐陽娜娜", ("歐陽", "娜娜", "")),
    ("張簡愛玲", ("張簡", "愛玲", "")),
    ("王 大明", ("王", "大明", "")),
    ("김민준", ("김", "민준", "")),
    ("Jane Wu", ("Wu", "Jane", "")),
    ("Jane Mary Wu", ("Wu", "Jane", "Mary")),
    ("Wu, Jane", ("Wu", "Jane", "")),
    ("Madonna", ("Madonna", "", "")),
])
def test_names_split_family_and_given_as_each_culture_writes_them(
    name: str, parts: tuple[str, str, str]
) -> None:
    assert split_name(name) == parts


def test_numbers_are_e164_with_the_extension_after_a_pause() -> None:
    assert dial_number("02 2345 6789 分機 12", "+886223456789", "TW") == (
        "+886223456789,12", False)
    assert dial_number("0912-345-678", None, "TW") == ("+886912345678", True)
    assert dial_number("(03) 1234-5678", None, "JP") == ("+81312345678", False)
    assert dial_number("call the front desk", None, "TW") == ("call the front desk", False)


def _fill(db_path: Path) -> dict[str, uuid.UUID]:
    db = open_database(db_path)
    try:
        store = Store(db, clock=Clock())
        customer = store.customers.add_lead(
            validate(CustomerInput, {"name": "台灣精密工業股份有限公司",
                                     "address": "台北市信義區\n市府路1號"}),
            validate(ContactInput, {"name": "王大明", "role": "採購經理",
                                    "phone": "02 2345 6789 分機 12",
                                    "mobile": "0912-345-678"}))
        wang = store.customers.contacts_of(customer.id)[0]
        jane = store.records.add_record(Contact, customer.id, validate(
            ContactInput, {"name": "Jane Mary Wu", "phone": "0912 000 111"}))
        # The CLI exports from the real today on: the plans are tomorrow, really.
        base = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
        ids = {}
        for key, method, contact, hours in (("visit", "visit", wang.id, 0),
                                            ("call", "phone", jane.id, 2),
                                            ("off", "visit", wang.id, 4)):
            data = {"method": method, "scheduled_at": base + timedelta(hours=hours),
                    "contact_id": contact, "agenda": f"{key} agenda"}
            ids[key] = store.plans.plan_contact(customer.id, validate(ContactPlanInput, data)).id
        store.plans.log_outcome(ids["off"], validate(PlanOutcomeInput, {"status": "cancelled"}))
        return ids
    finally:
        db.close()


def _config(tmp_path: Path) -> Path:
    config = tmp_path / "c.toml"
    config.write_text('timezone = "Asia/Taipei"\nphone_region = "TW"\n', encoding="utf-8")
    return config


def test_the_vcard_export_reads_back_in_an_address_book(db_path: Path, tmp_path: Path) -> None:
    _fill(db_path)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "--config", str(_config(tmp_path)),
                                      "export", "--format", "vcard"])
    assert result.exit_code == 0, result.stderr
    cards = {card.fn.value: card for card in vobject.readComponents(result.stdout)}
    wang, jane = cards["王大明"], cards["Jane Mary Wu"]

    assert (wang.n.value.family, wang.n.value.given) == ("王", "大明")
    assert (jane.n.value.family, jane.n.value.given, jane.n.value.additional) == (
        "Wu", "Jane", "Mary")
    assert wang.org.value == ["台灣精密工業股份有限公司"]
    assert wang.title.value == "採購經理"

    def numbers(card: Any) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for tel in card.contents["tel"]:
            found.setdefault(tel.value, set()).update(
                t.upper() for t in tel.params["TYPE"] for t in t.split(","))
        return found

    assert numbers(wang) == {"+886223456789,12": {"WORK", "VOICE"},
                             "+886912345678": {"CELL"}}
    # A mobile number typed in the phone field is a mobile too (phonenumbers' number type).
    assert numbers(jane) == {"+886912000111": {"CELL"}}


def test_the_calendar_places_visits_reaches_people_and_calls_off_cancelled_plans(
    db_path: Path, tmp_path: Path
) -> None:
    ids = _fill(db_path)
    out = tmp_path / "plans.ics"
    result = CliRunner().invoke(cli, ["--db", str(db_path), "--config", str(_config(tmp_path)),
                                      "plans", "--ics", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "2 planned contacts" in result.stderr  # the cancelled one is not "planned"
    events = {str(e["UID"]): e for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")}
    visit, call, off = (events[str(ids[k])] for k in ("visit", "call", "off"))

    assert str(visit["LOCATION"]) == "台北市信義區, 市府路1號"
    assert "LOCATION" not in call  # a call happens where the rep is
    assert str(visit["DESCRIPTION"]) == (
        "visit agenda\n王大明: Phone: 02 2345 6789 分機 12 · Mobile: 0912-345-678")
    assert str(call["DESCRIPTION"]) == "call agenda\nJane Mary Wu: Phone: 0912 000 111"
    assert (str(visit["STATUS"]), str(call["STATUS"]), str(off["STATUS"])) == (
        "CONFIRMED", "CONFIRMED", "CANCELLED")


def test_the_tui_calendar_export_counts_open_plans_and_keeps_cancelled(
    db_path: Path, tmp_path: Path
) -> None:
    from salesdev_tui.usecases.calendar_export import export_upcoming_plans

    ids = _fill(db_path)
    db = open_database(db_path)
    try:
        count = export_upcoming_plans(Store(db), tmp_path / "p.ics",
                                      zone=ZoneInfo("Asia/Taipei"), now=datetime.now(UTC))
    finally:
        db.close()
    assert count == 2
    events = Calendar.from_ical((tmp_path / "p.ics").read_bytes()).walk("VEVENT")
    assert {str(e["UID"]): str(e["STATUS"]) for e in events}[str(ids["off"])] == "CANCELLED"
