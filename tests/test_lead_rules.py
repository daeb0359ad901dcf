"""One rule for a valid lead: `salesdev add`, the lead form and the quick line agree (14.15)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.cli.app import Exit
from salesdev_tui.domain.validation import LeadInvalid
from salesdev_tui.forms.lead_dialog import form_lead

COMPANIES = ["Acme Trading", "台灣精密工業股份有限公司", "", "   ", "A" * 300, "Bad\x1bName"]
PEOPLE = [None, "", "Jane Wu", "王小明", "x\ny"]
PHONES = [None, "", "0912 345 678", "(02) 2345-6789 分機 123", "0912 345 678 ext 12", "12",
          "phone", "０９１２３４５６７８"]
EMAILS = [None, "", "jane@acme.tw", "nobody@", "jane@acme"]


def some(values: list[Any]) -> st.SearchStrategy[Any]:
    """A listed value, or now and then any text (any script, control characters too)."""
    return st.one_of(st.sampled_from(values), st.text(max_size=12))


def cli_verdict(db: Path, company: str, person: str | None, phone: str | None,
                email: str | None) -> tuple[bool, str]:
    args = ["--db", str(db), "add", "--json", "--allow-duplicate"]
    for option, value in (("--contact", person), ("--phone", phone), ("--email", email)):
        if value is not None:
            args += [option, value]
    result = CliRunner().invoke(cli, [*args, "--", company])
    assert result.exit_code in (0, Exit.INVALID), result.output
    assert "Traceback" not in result.stderr
    if result.exit_code == 0:
        return True, str(json.loads(result.stdout)["name"])
    return False, result.stderr


def form_verdict(company: str, person: str | None, phone: str | None,
                 email: str | None) -> tuple[bool, str]:
    values = {"company": company, "contact_name": person or "", "phone": phone or "",
              "email": email or ""}
    try:
        draft = form_lead(values, region="TW")
    except LeadInvalid as exc:
        return False, "; ".join(exc.problems.values())
    return True, draft.customer.name


def test_the_issue_example_is_refused_by_both_faces(db_path: Path) -> None:
    """`add "Acme Trading" --phone "0912 345 678"`: the form refuses it, so must the CLI."""
    ok, message = cli_verdict(db_path, "Acme Trading", None, "0912 345 678", None)
    assert not ok
    assert "Contact person" in message and "--contact" in message
    ok, message = form_verdict("Acme Trading", None, "0912 345 678", None)
    assert not ok and "Contact person" in message


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(company=some(COMPANIES), person=some(PEOPLE), phone=some(PHONES), email=some(EMAILS))
def test_cli_and_form_give_the_same_verdict(db_path: Path, company: str, person: str | None,
                                            phone: str | None, email: str | None) -> None:
    by_cli = cli_verdict(db_path, company, person, phone, email)
    by_form = form_verdict(company, person, phone, email)
    assert by_cli[0] == by_form[0], (by_cli, by_form)
    if by_cli[0]:
        assert by_cli[1] == by_form[1]  # the same name stored


@pytest.mark.parametrize(
    "line", ["Acme Trading 0912 345 678", "Acme Trading; Jane Wu 0912 345 678"]
)
def test_quick_line_uses_the_same_rule(db_path: Path, line: str) -> None:
    from salesdev_tui.domain.quickadd import check_quick_line

    lead_ok = True
    try:
        check_quick_line(line, region="TW")
    except LeadInvalid:
        lead_ok = False
    person = "Jane Wu" if "Jane" in line else None
    assert lead_ok == form_verdict("Acme Trading", person, "0912 345 678", None)[0]
