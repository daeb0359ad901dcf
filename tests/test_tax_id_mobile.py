"""Tax ID (統一編號) and a contact's mobile: the rule, the forms, the CLI, CSV and duplicates."""

from __future__ import annotations

import csv
import io
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from textual.widgets import Input, Label, TextArea
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.domain.tax_id import is_taiwan_tax_id, normalize_tax_id, tax_id_problem
from salesdev_tui.domain.validation import (
    ContactInput,
    CustomerInput,
    InvalidInput,
    validate,
)
from salesdev_tui.forms.customer_form import CustomerFormScreen
from salesdev_tui.models.tables import Contact
from salesdev_tui.store.leads import DuplicateReason
from tests.conftest import wait_ready

# --- the rule -------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["22099131", "04595257", "12345675", "10458575"])
def test_real_taiwanese_tax_ids_pass(number: str) -> None:
    assert is_taiwan_tax_id(number)
    assert tax_id_problem(number) is None


@pytest.mark.parametrize("number", ["22099132", "12345678", "04595258"])
def test_one_wrong_digit_fails_the_checksum(number: str) -> None:
    assert not is_taiwan_tax_id(number)
    problem = tax_id_problem(number)
    assert problem is not None and "統一編號" in problem and number in problem


def test_the_seventh_digit_seven_may_count_as_one_or_zero() -> None:
    # 1,0,4,5,8,5,7,x: products' digits 1+0+4+1+8+1+(2+8)+x = 25 + x. With 28 -> 10 -> 1
    # or 0, the sum is 16+x or 15+x; x = 4 (sum 29+1) and x = 5 (sum 30) both pass, the
    # others fail (mod 5: only the "+1" branch makes 4 pass).
    assert is_taiwan_tax_id("10458575")
    assert is_taiwan_tax_id("10458574")
    assert not is_taiwan_tax_id("10458576")
    # The same sum with a 6th-digit change instead of a 7th-digit 7 gets no "+1".
    assert not is_taiwan_tax_id("10458584")


def test_width_and_separators_are_folded_and_stored_as_eight_digits() -> None:
    assert tax_id_problem("１２３４-５６７５") is None
    assert normalize_tax_id("１２３４-５６７５") == "12345675"
    assert normalize_tax_id(" 2209 9131 ") == "22099131"


def test_the_limit_is_the_columns() -> None:
    from salesdev_tui.domain.tax_id import TAX_ID_MAX
    from salesdev_tui.models import limits

    assert TAX_ID_MAX == limits.TAX_ID


def test_other_countries_ids_are_free_text_with_a_digit() -> None:
    for foreign in ("DE123456789", "9011101008397", "91310000MA1FL5LX3X", "12-3456789X"):
        assert tax_id_problem(foreign) is None, foreign
        assert normalize_tax_id(foreign) == foreign
    assert tax_id_problem("unknown") is not None  # a word typed into the wrong field
    assert tax_id_problem("00000000") is not None  # a CRM's placeholder
    assert tax_id_problem("X" * 30 + "123") is not None  # over the column's 32


def test_the_input_model_names_the_field_and_keeps_the_digits() -> None:
    with pytest.raises(InvalidInput) as refused:
        validate(CustomerInput, {"name": "Acme", "tax_id": "12345678"})
    assert refused.value.by_field()["tax_id"].startswith("Tax ID (統一編號): 12345678 is not")
    ok = validate(CustomerInput, {"name": "Acme", "tax_id": "1234 5675"})
    assert ok.tax_id == "12345675"
    assert validate(CustomerInput, {"name": "Acme", "tax_id": "  "}).tax_id is None


def test_the_mobile_is_checked_and_normalised_like_the_phone() -> None:
    person = validate(ContactInput, {"name": "Li", "mobile": "0912-345-678"})
    assert person.mobile_normalized == "+886912345678"
    with pytest.raises(InvalidInput) as refused:
        validate(ContactInput, {"name": "Li", "mobile": "12"})
    assert refused.value.by_field()["mobile"].startswith("Mobile: needs at least")


# --- the store: duplicates ------------------------------------------------------------------


def _lead(store: Any, name: str, tax_id: str | None = None, **person: str) -> uuid.UUID:
    contact = validate(ContactInput, {"name": "Jane", **person}) if person else None
    customer = validate(CustomerInput, {"name": name, "tax_id": tax_id})
    return store.customers.add_lead(customer, contact).id  # type: ignore[no-any-return]


def test_a_mobile_finds_the_customer_whose_phone_or_mobile_it_is(store: Any) -> None:
    first = _lead(store, "Lotus Foods", mobile="0912 345 678")
    second = _lead(store, "Harbor Steel", phone="0922 111 222")
    by_phone = store.leads.find_duplicates(name="Other", email=None,
                                           phone_normalized="+886912345678")
    assert [(m.customer_id, m.reason) for m in by_phone] == [(first, DuplicateReason.PHONE)]
    by_mobile = store.leads.find_duplicates(name="Other", email=None, phone_normalized=None,
                                      mobile_normalized="+886922111222")
    assert [(m.customer_id, m.reason) for m in by_mobile] == [(second, DuplicateReason.PHONE)]


def test_the_same_tax_id_is_the_strongest_duplicate_reason(store: Any) -> None:
    known = _lead(store, "台灣積體電路製造股份有限公司", tax_id="22099131")
    lead = validate(CustomerInput, {"name": "TSMC", "tax_id": "2209-9131"})
    matches = store.leads.duplicates_of_lead(lead, None)
    assert [(m.customer_id, m.reason_text) for m in matches] == [(known, "same tax ID")]


def test_an_edit_without_the_mobile_keeps_its_normalised_form(store: Any) -> None:
    customer_id = _lead(store, "Lotus Foods", mobile="0912 345 678")
    with store.db.read() as session:
        contact = session.exec(select(Contact).where(Contact.customer_id == customer_id)).one()
    # A caller that does not give the mobile (exclude_unset) must not blank its E.164.
    store.records.update_record(Contact, contact.id, ContactInput.model_validate(
        {"name": "Jane Wu"}, context={"region": "TW"}))
    with store.db.read() as session:
        again = session.get(Contact, contact.id)
        assert again is not None
        assert (again.name, again.mobile_normalized) == ("Jane Wu", "+886912345678")


# --- the CLI and CSV ------------------------------------------------------------------------


def _cli(db_path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", str(db_path), *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_add_and_edit_take_the_tax_id_and_the_mobile(db_path: Path) -> None:
    code, out, err = _cli(db_path, "add", "Lotus Foods", "--contact", "Jane Wu",
                          "--mobile", "0912 345 678", "--tax-id", "04595257", "--json")
    assert code == 0, err
    customer_id = json.loads(out)["id"]
    assert json.loads(out)["tax_id"] == "04595257"

    code, _out, err = _cli(db_path, "edit", customer_id[:8], "--tax-id", "04595258")
    assert code == 3
    assert "Tax ID (統一編號): 04595258 is not a valid Taiwanese tax ID" in err
    code, out, err = _cli(db_path, "edit", customer_id[:8], "--tax-id", "DE123456789",
                          "--address", "台北市信義區市府路1號")
    assert code == 0, err
    code, out, err = _cli(db_path, "show", customer_id[:8], "--json")
    shown = json.loads(out)
    assert (shown["tax_id"], shown["address"]) == ("DE123456789", "台北市信義區市府路1號")
    assert shown["contacts"][0]["mobile_normalized"] == "+886912345678"

    code, _out, err = _cli(db_path, "edit", customer_id[:8])
    assert code == 3 and "Nothing to change" in err


def test_csv_export_and_import_carry_the_tax_id_and_the_mobile(
    db_path: Path, tmp_path: Path
) -> None:
    code, _out, err = _cli(db_path, "add", "Lotus Foods", "--contact", "Jane Wu",
                           "--mobile", "0912 345 678", "--tax-id", "04595257")
    assert code == 0, err
    for what, wanted in (("customers", ("tax_id", "04595257")),
                         ("contacts", ("mobile", "0912 345 678"))):
        code, out, err = _cli(db_path, "export", "--format", "csv", "--what", what)
        assert code == 0, err
        rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
        assert rows[0][wanted[0]] == wanted[1]

    sheet = tmp_path / "leads.csv"
    sheet.write_text("Company,統一編號,Contact,mobile\n"
                     "Harbor Steel,22099131,Li Wei,0922-111-222\n"
                     "Bad Number Ltd,22099132,Chen,0933-000-111\n", encoding="utf-8")
    code, out, err = _cli(db_path, "import", str(sheet), "--skip-bad-rows")
    assert code == 0, err + out
    assert "22099132 is not a valid Taiwanese tax ID" in out + err
    code, out, _err = _cli(db_path, "list", "--json")
    names = {c["name"]: c for c in json.loads(out)}
    assert "Bad Number Ltd" not in names
    code, out, _err = _cli(db_path, "show", names["Harbor Steel"]["id"][:8], "--json")
    assert json.loads(out)["tax_id"] == "22099131"
    assert json.loads(out)["contacts"][0]["mobile_normalized"] == "+886922111222"


# --- the TUI --------------------------------------------------------------------------------


async def test_the_customer_form_refuses_a_bad_tax_id_and_keeps_what_was_typed(
    make_app: Any,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        customer_id = _lead(app.store, "Lotus Foods")
        await wait_ready(pilot)
        app.open_customer(customer_id)
        await wait_ready(pilot)
        page = app.screen
        await pilot.press("e")
        await wait_ready(pilot)
        form = app.screen
        assert isinstance(form, CustomerFormScreen)
        form.query_one("#f-address", TextArea).text = "台北市信義區市府路1號"
        form.query_one("#f-tax_id", Input).focus()
        await pilot.press(*"04595258", "ctrl+s")
        await wait_ready(pilot)
        assert app.screen is form  # refused: nothing saved, the form stays
        error = form.query_one("#e-tax_id", Label)
        assert not error.has_class("-hidden")
        assert str(error.render()).startswith("Tax ID (統一編號): 04595258 is not")
        assert form.query_one("#f-tax_id", Input).value == "04595258"
        assert form.query_one("#f-address", TextArea).text == "台北市信義區市府路1號"
        assert app.store.customers.get_customer(customer_id).tax_id is None

        await pilot.press("backspace", "7", "ctrl+s")  # 04595257: the right check digit
        await wait_ready(pilot)
        assert app.screen is page
        saved = app.store.customers.get_customer(customer_id)
        assert (saved.tax_id, saved.address) == ("04595257", "台北市信義區市府路1號")
        header = str(page.query_one("#customer-header").render())  # shown on the page
        assert "04595257" in header


def test_a_csv_update_logs_the_mobile_once_not_its_normalised_form(
    db_path: Path, tmp_path: Path
) -> None:
    from salesdev_tui.db import open_database
    from salesdev_tui.models.tables import FieldEdit

    sheet = tmp_path / "leads.csv"
    sheet.write_text("Company,Contact,mobile\nHarbor Steel,Li Wei,0922-111-222\n",
                     encoding="utf-8")
    assert _cli(db_path, "import", str(sheet))[0] == 0
    sheet.write_text("Company,Contact,mobile\nHarbor Steel,Li Wei,0933-444-555\n",
                     encoding="utf-8")
    code, out, err = _cli(db_path, "import", str(sheet), "--on-match", "update")
    assert code == 0, err + out
    db = open_database(db_path)
    try:
        with db.read() as session:
            person = session.exec(select(Contact).where(Contact.name == "Li Wei")).one()
            fields = [e.field for e in session.exec(select(FieldEdit)).all()]
    finally:
        db.close()
    assert person.mobile_normalized == "+886933444555"
    assert fields.count("mobile") == 1 and "mobile_normalized" not in fields
