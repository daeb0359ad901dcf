"""Saving a lead that may already be a customer asks first; `salesdev add` refuses it (14.14)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.cli.app import Exit
from salesdev_tui.dialogs.duplicate_choice import DuplicateChoiceScreen
from salesdev_tui.domain.dedupe import company_key, similar_keys
from salesdev_tui.domain.validation import ContactInput, CustomerInput, validate
from salesdev_tui.forms.lead_form import LeadFormScreen
from salesdev_tui.forms.lead_quick import QuickLeadScreen
from salesdev_tui.models.tables import Contact, Customer
from salesdev_tui.screens.customer_page import CustomerPageScreen
from tests.conftest import wait_ready

MakeApp = Callable[..., Any]


def seed(store: Any, name: str = "Lotus Foods Trading Co., Ltd.") -> uuid.UUID:
    customer = validate(CustomerInput, {"name": name})
    contact = validate(ContactInput, {"name": "Amy Lin", "email": "amy@lotus.tw",
                                      "phone": "02 2345 6789"})
    customer_id: uuid.UUID = store.customers.add_lead(customer, contact).id
    return customer_id


@pytest.mark.parametrize(
    ("typed", "existing"),
    [
        ("Lotus Food Co.", "Lotus Foods Co., Ltd."),
        ("Lotus Food Trading", "Lotus Foods Trading Co., Ltd."),
        ("Lotus Fods Trading", "Lotus Foods Trading"),
    ],
)
def test_similar_names_are_found_by_the_fuzzy_matcher(store: Any, typed: str,
                                                      existing: str) -> None:
    assert similar_keys(company_key(typed), [company_key(existing)])
    seed(store, existing)
    matches = store.leads.find_duplicates(name=typed, email=None, phone_normalized=None)
    assert [m.customer_name for m in matches] == [existing]


def test_unrelated_names_are_not_similar() -> None:
    assert similar_keys(company_key("Lotus Foods"), [company_key("Lantern Tools")]) == []


def test_names_with_other_numbers_are_different_companies(db_path: Path) -> None:
    for n in (1, 2, 10, 11):
        code, _out, err = cli_add(db_path, f"Customer {n}")
        assert code == 0, err


def cli_add(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", str(db), "add", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["Other Co", "--contact", "Bob", "--phone", "(02) 2345-6789"],
        ["Other Co", "--contact", "Bob", "--email", "AMY@lotus.tw"],
        ["LOTUS FOODS TRADING"],
        ["Lotus Food Trading"],
    ],
)
def test_cli_add_refuses_a_duplicate_unless_allowed(db_path: Path, args: list[str]) -> None:
    code, out, err = cli_add(db_path, "Lotus Foods Trading Co., Ltd.", "--contact", "Amy Lin",
                             "--phone", "02 2345 6789", "--email", "amy@lotus.tw", "--json")
    assert code == 0, err
    lotus = json.loads(out)["id"]
    code, out, err = cli_add(db_path, *args)
    assert code == Exit.INVALID
    assert "Lotus Foods Trading Co., Ltd." in err and uuid.UUID(lotus).hex[:8] in err
    assert "--allow-duplicate" in err and len(err.strip().splitlines()) == 1
    code, out, err = cli_add(db_path, *args, "--allow-duplicate")
    assert code == 0, err


def customers(app: Any) -> list[Customer]:
    with app.store.db.read() as session:
        return list(session.exec(select(Customer).order_by(col(Customer.created_at))).all())


def contacts_of(app: Any, customer_id: uuid.UUID) -> list[str]:
    with app.store.db.read() as session:
        rows = session.exec(select(Contact).where(Contact.customer_id == customer_id)).all()
        return sorted(c.name for c in rows)


async def quick_save(pilot: Any, line: str) -> DuplicateChoiceScreen:
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, QuickLeadScreen)
    await pilot.press(*line, "enter")
    await wait_ready(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, DuplicateChoiceScreen)
    return dialog


async def test_quick_line_asks_and_adds_the_contact_to_the_existing(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        lotus = seed(app.store)
        dialog = await quick_save(pilot, "Lotus Food Trading; Ben Wu 0912 345 678")
        shown = str(dialog.query_one("#duplicate-matches").render())
        assert "Lotus Foods Trading Co., Ltd." in shown and "similar name" in shown
        await pilot.press("2")  # add Ben Wu as a contact of Lotus
        await wait_ready(pilot)
        assert [c.id for c in customers(app)] == [lotus]
        assert contacts_of(app, lotus) == ["Amy Lin", "Ben Wu"]
        assert isinstance(app.screen, QuickLeadScreen)
        assert app.screen.line.value == ""


async def test_escape_keeps_the_line_and_save_anyway_saves(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        seed(app.store)
        line = "Acme; Ben Wu 02-2345-6789"
        await quick_save(pilot, line)
        await pilot.press("escape")
        await wait_ready(pilot)
        assert isinstance(app.screen, QuickLeadScreen)
        assert app.screen.line.value == line  # nothing typed is lost
        assert len(customers(app)) == 1
        await pilot.press("enter")
        await wait_ready(pilot)
        await pilot.press("3")  # save as a new customer anyway
        await wait_ready(pilot)
        assert [c.name for c in customers(app)] == ["Lotus Foods Trading Co., Ltd.", "Acme"]


async def test_form_asks_and_opens_the_existing(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        lotus = seed(app.store)
        await pilot.press("N")
        await wait_ready(pilot)
        assert isinstance(app.screen, LeadFormScreen)
        await pilot.press(*"Lotus Foods Trading", "ctrl+s")
        await wait_ready(pilot)
        assert isinstance(app.screen, DuplicateChoiceScreen)
        await pilot.press("1")
        await wait_ready(pilot)
        assert isinstance(app.screen, CustomerPageScreen)
        assert app.screen.customer_id == lotus
        assert len(customers(app)) == 1


async def test_batch_mode_asks_and_adds_the_contact_then_clears(make_app: MakeApp) -> None:
    from textual.widgets import Input

    from salesdev_tui.forms.lead_dialog import DUPLICATE_DELAY

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        lotus = seed(app.store)
        await pilot.press("N")
        await wait_ready(pilot)
        form = app.screen
        assert isinstance(form, LeadFormScreen)
        await pilot.press("ctrl+b", *"Expo", "tab")
        await pilot.press(*"Lotus Foods Trading", "tab", *"Ben Wu", "tab", *"0912 345 678")
        await pilot.pause(DUPLICATE_DELAY + 0.1)
        await wait_ready(pilot)
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        assert isinstance(app.screen, DuplicateChoiceScreen)
        await pilot.press("2")
        await wait_ready(pilot)
        assert app.screen is form
        assert form.query_one("#company", Input).value == ""  # ready for the next card
        assert [c.id for c in customers(app)] == [lotus]
        assert contacts_of(app, lotus) == ["Amy Lin", "Ben Wu"]
