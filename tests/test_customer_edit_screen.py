"""Pilot: edit a customer's information by keys, see it in History, and manage contacts."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from rich.text import Text
from sqlmodel import col, select
from textual.widgets import DataTable, Input, Label

from salesdev_tui.dialogs.confirm import ConfirmScreen
from salesdev_tui.domain.validation import ContactInput, CustomerInput, validate
from salesdev_tui.forms.contact_form import ContactFormScreen
from salesdev_tui.forms.customer_form import CustomerFormScreen
from salesdev_tui.models.enums import Potential
from salesdev_tui.models.tables import Contact, Customer, FieldEdit
from salesdev_tui.screens.customer_page import CustomerPageScreen
from tests.conftest import wait_ready

MakeApp = Callable[..., Any]


def add_customer(store: Any, name: str = "Acme Trading", **fields: object) -> uuid.UUID:
    customer = validate(CustomerInput, {"name": name, **fields})
    contact = validate(ContactInput, {"name": "Jane Wu", "phone": "0912 345 678"})
    customer_id: uuid.UUID = store.customers.add_lead(customer, contact).id
    return customer_id


def contacts(store: Any, customer_id: uuid.UUID) -> list[Contact]:
    with store.db.read() as session:
        stmt = (
            select(Contact)
            .where(Contact.customer_id == customer_id, col(Contact.deleted_at).is_(None))
            .order_by(col(Contact.created_at))
        )
        return list(session.exec(stmt).all())


def cells(table: DataTable[Any]) -> list[list[str]]:
    return [
        [cell.plain if isinstance(cell, Text) else str(cell) for cell in table.get_row_at(i)]
        for i in range(table.row_count)
    ]


async def open_page(pilot: Any, customer_id: uuid.UUID) -> CustomerPageScreen:
    await wait_ready(pilot)
    pilot.app.open_customer(customer_id)
    await wait_ready(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CustomerPageScreen)
    return screen


async def test_edit_by_keys_then_history_shows_who_and_what(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        customer_id = add_customer(app.store, industry="steel", potential="B")
        page = await open_page(pilot, customer_id)

        await pilot.press("e")
        await wait_ready(pilot)
        form = app.screen
        assert isinstance(form, CustomerFormScreen)
        assert form.query_one("#f-industry", Input).value == "steel"  # loaded

        await pilot.press("tab")  # name -> industry; its text is selected on focus
        await pilot.press(*"machinery")
        await pilot.press("tab", "tab")  # -> size -> potential
        await pilot.press("enter", "A", "enter")  # open the list, type to find A, pick it
        await pilot.press("ctrl+s")
        await wait_ready(pilot)

        assert app.screen is page
        customer = app.store.customers.get_customer(customer_id)
        assert customer.industry == "machinery"
        assert customer.potential == Potential.A
        with app.store.db.read() as session:
            logged = session.exec(
                select(FieldEdit).where(FieldEdit.customer_id == customer_id)
            ).all()
            assert sorted((e.field, e.old_value, e.new_value, e.edited_by) for e in logged) == [
                ("industry", "steel", "machinery", "Test Rep"),
                ("potential", "B", "A", "Test Rep"),
            ]

        await pilot.press("h")
        await wait_ready(pilot)
        rows = cells(page.query_one("#table-history", DataTable))
        edits = sorted(row[1:4] for row in rows if row[2] == "customer")
        assert edits == [
            ["Test Rep", "customer", "Industry: steel → machinery"],
            ["Test Rep", "customer", "Potential: B → A"],
        ]


async def test_add_a_second_contact_by_keys_and_a_bad_email_is_kept(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        customer_id = add_customer(app.store)
        page = await open_page(pilot, customer_id)

        await pilot.press("1", "a")
        await wait_ready(pilot)
        form = app.screen
        assert isinstance(form, ContactFormScreen)
        await pilot.press(*"Li Wei", "tab", *"Buyer", "tab", *"02 2345 6789", "tab")
        await pilot.press(*"0912-000-111", "tab")  # the mobile, beside the landline
        await pilot.press(*"li.wei-at-acme")
        await pilot.press("ctrl+s")
        await wait_ready(pilot)

        assert app.screen is form  # refused: the form stays, nothing saved
        error = form.query_one("#e-email", Label)
        assert not error.has_class("-hidden")
        assert str(error.render()).startswith("E-mail: not a valid address")
        assert form.query_one("#f-email", Input).value == "li.wei-at-acme"
        assert form.query_one("#f-name", Input).value == "Li Wei"
        assert len(contacts(app.store, customer_id)) == 1

        await pilot.press("end", *"@acme.tw")  # the text was kept: complete it
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        assert app.screen is page
        saved = contacts(app.store, customer_id)
        assert [(c.name, c.role, c.email, c.is_primary) for c in saved] == [
            ("Jane Wu", None, None, True),
            ("Li Wei", "Buyer", "li.wei-at-acme@acme.tw", False),
        ]
        assert saved[1].phone_normalized == "+886223456789"
        assert (saved[1].mobile, saved[1].mobile_normalized) == ("0912-000-111", "+886912000111")
        table = page.query_one("#table-contacts", DataTable)
        assert [row[0] for row in cells(table)] == ["Jane Wu", "Li Wei"]
        assert cells(table)[1][3] == "0912-000-111"  # the mobile column


async def test_make_primary_then_delete_it_by_keys(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        customer_id = add_customer(app.store)
        li = app.store.records.add_record(
            Contact, customer_id, validate(ContactInput, {"name": "Li Wei"})
        )
        page = await open_page(pilot, customer_id)
        table = page.query_one("#table-contacts", DataTable)
        table.focus()
        await pilot.press("down", "enter")  # the second row: Li Wei
        await wait_ready(pilot)
        form = app.screen
        assert isinstance(form, ContactFormScreen) and form.record_id == li.id
        assert form.query_one("#f-name", Input).value == "Li Wei"

        form.query_one("#f-is_primary").focus()
        await pilot.press("space", "ctrl+s")
        await wait_ready(pilot)
        assert [c.name for c in contacts(app.store, customer_id) if c.is_primary] == ["Li Wei"]

        table.focus()
        await pilot.press("home", "enter")  # the primary is listed first
        await wait_ready(pilot)
        assert isinstance(app.screen, ContactFormScreen)
        await pilot.press("ctrl+d")
        await wait_ready(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await wait_ready(pilot)
        assert app.screen is page
        left = contacts(app.store, customer_id)
        assert [(c.name, c.is_primary) for c in left] == [("Jane Wu", True)]
        with app.store.db.read() as session:
            gone = session.get(Contact, li.id)
            assert gone is not None and gone.deleted_at is not None
            assert session.get(Customer, customer_id) is not None

        await pilot.press("h")
        await wait_ready(pilot)
        changes = [row[3] for row in cells(page.query_one("#table-history", DataTable))]
        assert "deleted" in changes
