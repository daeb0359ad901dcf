"""Planned contacts as an .ics calendar: the pure service, and `salesdev plans --ics`."""

from __future__ import annotations

import json
import stat
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.domain.ics import plans_to_ics, upcoming_window
from salesdev_tui.models.enums import ContactMethod
from tests.conftest import FIXED_NOW

TAIPEI = ZoneInfo("Asia/Taipei")


@dataclass(frozen=True)
class Entry:
    plan_id: uuid.UUID
    customer_name: str
    method: ContactMethod
    scheduled_at: datetime
    agenda: str | None
    contact_name: str | None


def events(data: bytes) -> dict[str, Any]:
    calendar = Calendar.from_ical(data)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_each_plan_is_an_event_at_its_local_time() -> None:
    call = Entry(uuid.uuid4(), "Acme Trading", ContactMethod.PHONE,
                 datetime(2026, 11, 17, 2, 0, tzinfo=UTC), "Samples, prices; and\nterms",
                 "Jane Wu")
    visit = Entry(uuid.uuid4(), "台灣精密工業", ContactMethod.VISIT,
                  datetime(2026, 11, 20, 6, 30, tzinfo=UTC), None, None)
    data = plans_to_ics([call, visit], TAIPEI, FIXED_NOW)
    found = events(data)
    assert set(found) == {str(call.plan_id), str(visit.plan_id)}

    first = found[str(call.plan_id)]
    assert first.start == datetime(2026, 11, 17, 10, 0, tzinfo=TAIPEI)
    assert first.start.replace(tzinfo=None) == datetime(2026, 11, 17, 10, 0)
    assert first["DTSTART"].params["TZID"] == "Asia/Taipei"
    assert first.end - first.start == timedelta(minutes=30)
    assert str(first["SUMMARY"]) == "Call Acme Trading (Jane Wu)"
    assert str(first["DESCRIPTION"]) == "Samples, prices; and\nterms"
    assert first["DTSTAMP"].dt == FIXED_NOW

    second = found[str(visit.plan_id)]
    assert second.start.replace(tzinfo=None) == datetime(2026, 11, 20, 14, 30)
    assert str(second["SUMMARY"]) == "Visit 台灣精密工業"
    assert "DESCRIPTION" not in second

    calendar = Calendar.from_ical(data)
    assert [tz.tz_name for tz in calendar.timezones] == ["Asia/Taipei"]
    assert calendar.get_missing_tzids() == set()


def test_the_same_plans_give_the_same_file() -> None:
    entry = Entry(uuid.UUID(int=7), "Acme", ContactMethod.MEETING,
                  datetime(2026, 11, 17, 2, 0, tzinfo=UTC), "[b]x[/]", None)
    once = plans_to_ics([entry], TAIPEI, FIXED_NOW)
    assert once == plans_to_ics([entry], TAIPEI, FIXED_NOW)
    assert str(events(once)[str(uuid.UUID(int=7))]["UID"]) == "00000000-0000-0000-0000-000000000007"


def test_no_plans_is_an_empty_but_valid_calendar() -> None:
    calendar = Calendar.from_ical(plans_to_ics([], TAIPEI, FIXED_NOW))
    assert calendar.walk("VEVENT") == []
    assert str(calendar["VERSION"]) == "2.0"


def test_upcoming_window_starts_at_the_start_of_today() -> None:
    start, end = upcoming_window(FIXED_NOW, TAIPEI, 7)  # FIXED_NOW is 14:30 in Taipei
    assert start == datetime(2026, 11, 16, tzinfo=TAIPEI)
    assert end == datetime(2026, 11, 24, tzinfo=TAIPEI)


# -- the command --------------------------------------------------------------------------


def _seed(db_path: Path, now: datetime) -> dict[str, uuid.UUID]:
    from salesdev_tui.db import open_database
    from salesdev_tui.domain.validation import (
        ContactInput,
        ContactPlanInput,
        CustomerInput,
        validate,
    )
    from salesdev_tui.store.combined import Store

    db = open_database(db_path)
    try:
        store = Store(db)
        customer = store.customers.add_lead(validate(CustomerInput, {"name": "Acme Trading"}),
                                  validate(ContactInput, {"name": "Jane Wu"}))
        jane = store.customers.contacts_of(customer.id)[0]
        # Whole minutes in Taipei, one and three days from now.
        base = now.astimezone(TAIPEI).replace(hour=10, minute=15, second=0, microsecond=0)
        ids = {}
        for name, days, method, contact in (("soon", 1, "phone", jane.id),
                                             ("later", 3, "visit", None),
                                             ("too late", 40, "phone", None)):
            data = {"method": method, "scheduled_at": base + timedelta(days=days),
                    "contact_id": contact, "agenda": name}
            ids[name] = store.plans.plan_contact(customer.id, validate(ContactPlanInput, data)).id
        return ids
    finally:
        db.close()


def test_plans_command_writes_a_private_calendar(db_path: Path, tmp_path: Path) -> None:
    now = datetime.now(UTC)
    ids = _seed(db_path, now)
    config = tmp_path / "config.toml"
    config.write_text('timezone = "Asia/Taipei"\n', encoding="utf-8")
    out = tmp_path / "plans.ics"
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(db_path), "--config", str(config),
                                 "plans", "--ics", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "2 planned contacts" in result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600

    found = events(out.read_bytes())
    assert set(found) == {str(ids["soon"]), str(ids["later"])}
    soon = found[str(ids["soon"])]
    expected = now.astimezone(TAIPEI).date() + timedelta(days=1)
    assert soon.start.replace(tzinfo=None) == datetime.combine(
        expected, datetime.min.time()
    ).replace(hour=10, minute=15)
    assert soon["DTSTART"].params["TZID"] == "Asia/Taipei"
    assert str(soon["SUMMARY"]) == "Call Acme Trading (Jane Wu)"
    assert str(found[str(ids["later"])]["SUMMARY"]) == "Visit Acme Trading"

    # An existing file is kept unless --replace (the CLI's one overwrite rule).
    out.chmod(0o644)
    kept = out.read_bytes()
    result = runner.invoke(cli, ["--db", str(db_path), "--config", str(config),
                                 "plans", "--ics", str(out), "--days", "60"])
    assert result.exit_code == 3 and "--replace" in result.stderr and str(out) in result.stderr
    assert out.read_bytes() == kept
    # With --replace it is replaced, still private; --days reaches further.
    result = runner.invoke(cli, ["--db", str(db_path), "--config", str(config),
                                 "plans", "--ics", str(out), "--days", "60", "--replace"])
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert len(events(out.read_bytes())) == 3


def test_plans_command_lists_json_and_reports_bad_paths(db_path: Path, tmp_path: Path) -> None:
    ids = _seed(db_path, datetime.now(UTC))
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(db_path), "plans", "--json"])
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["plan_id"] for r in rows] == [str(ids["soon"]), str(ids["later"])]
    assert rows[0]["contact"] == "Jane Wu" and rows[0]["method"] == "phone"

    result = runner.invoke(cli, ["--db", str(db_path), "plans"])
    assert result.exit_code == 0 and "Acme Trading" in result.stdout

    missing = tmp_path / "no such folder" / "plans.ics"
    result = runner.invoke(cli, ["--db", str(db_path), "plans", "--ics", str(missing)])
    assert result.exit_code == 5
    assert "Cannot write" in result.stderr and "Traceback" not in result.stderr

    result = runner.invoke(cli, ["--db", str(db_path), "plans", "--days", "0"])
    assert result.exit_code == 2
