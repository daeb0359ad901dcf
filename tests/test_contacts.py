"""Store: several contacts per customer with one primary, and the edit history (policy IV)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlmodel import col, select

from salesdev_tui.domain.dedupe import company_key
from salesdev_tui.domain.validation import ContactInput, CustomerInput, validate
from salesdev_tui.models.enums import Potential
from salesdev_tui.models.tables import Contact, Customer, FieldEdit
from tests.conftest import FIXED_NOW


def add_customer(store: Any, name: str = "Acme Trading", **fields: object) -> uuid.UUID:
    customer: Customer = store.customers.add_lead(validate(CustomerInput, {"name": name, **fields}))
    return customer.id


def add_contact(store: Any, customer_id: uuid.UUID, name: str, **fields: object) -> uuid.UUID:
    data = validate(ContactInput, {"name": name, **fields})
    contact: Contact = store.records.add_record(Contact, customer_id, data)
    return contact.id


def live_contacts(store: Any, customer_id: uuid.UUID) -> list[Contact]:
    with store.db.read() as session:
        stmt = select(Contact).where(
            Contact.customer_id == customer_id, col(Contact.deleted_at).is_(None)
        )
        return list(session.exec(stmt).all())


def primaries(store: Any, customer_id: uuid.UUID) -> list[str]:
    return sorted(c.name for c in live_contacts(store, customer_id) if c.is_primary)


def edits(store: Any, customer_id: uuid.UUID) -> list[FieldEdit]:
    with store.db.read() as session:
        stmt = (
            select(FieldEdit)
            .where(FieldEdit.customer_id == customer_id)
            .order_by(col(FieldEdit.edited_at), col(FieldEdit.created_at))
        )
        return list(session.exec(stmt).all())


def contact_input(contact: Contact, **changes: object) -> ContactInput:
    fields = ("name", "role", "phone", "email", "is_primary", "notes")
    return validate(ContactInput, {**{f: getattr(contact, f) for f in fields}, **changes})


def test_the_first_contact_is_primary_and_later_ones_are_not(store: Any) -> None:
    customer_id = add_customer(store)
    add_contact(store, customer_id, "Jane Wu")
    add_contact(store, customer_id, "Li Wei")
    add_contact(store, customer_id, "Chen Mei")
    assert len(live_contacts(store, customer_id)) == 3
    assert primaries(store, customer_id) == ["Jane Wu"]


def test_making_a_contact_primary_leaves_exactly_one(store: Any, clock: Any) -> None:
    customer_id = add_customer(store)
    add_contact(store, customer_id, "Jane Wu")
    li = add_contact(store, customer_id, "Li Wei")
    # Added as primary: the old primary steps down in the same transaction.
    add_contact(store, customer_id, "Chen Mei", is_primary="yes")
    assert primaries(store, customer_id) == ["Chen Mei"]

    clock.current = FIXED_NOW + timedelta(minutes=1)
    row = store.records.get_record(Contact, li)
    store.records.update_record(Contact, li, contact_input(row, is_primary=True))
    assert primaries(store, customer_id) == ["Li Wei"]

    store.contacts.set_primary_contact(li)  # already primary: nothing changes, nothing is logged
    assert primaries(store, customer_id) == ["Li Wei"]
    chen = next(c.id for c in live_contacts(store, customer_id) if c.name == "Chen Mei")
    flips = {(e.entity_id, e.old_value, e.new_value) for e in edits(store, customer_id)
             if e.field == "is_primary" and e.edited_at == clock.current}
    assert flips == {(li, "False", "True"), (chen, "True", "False")}


def test_deleting_the_primary_hands_the_role_to_the_next(store: Any, clock: Any) -> None:
    customer_id = add_customer(store)
    jane = add_contact(store, customer_id, "Jane Wu")
    clock.current = FIXED_NOW + timedelta(minutes=1)
    add_contact(store, customer_id, "Li Wei")
    clock.current = FIXED_NOW + timedelta(minutes=2)
    add_contact(store, customer_id, "Chen Mei")

    store.records.delete_record(Contact, jane)
    assert [c.name for c in live_contacts(store, customer_id) if c.name == "Jane Wu"] == []
    assert primaries(store, customer_id) == ["Li Wei"]  # the oldest remaining contact
    with store.db.read() as session:
        assert session.get(Contact, jane).deleted_at is not None  # type: ignore[union-attr]
    fields = {(e.entity_id, e.field) for e in edits(store, customer_id)}
    assert (jane, "deleted_at") in fields


def test_unmarking_the_primary_moves_it_unless_it_is_the_only_one(store: Any) -> None:
    customer_id = add_customer(store)
    jane = add_contact(store, customer_id, "Jane Wu")
    store.records.update_record(Contact, jane, contact_input(store.records.get_record(Contact,
                                                                                      jane),
                                                     is_primary=False))
    assert primaries(store, customer_id) == ["Jane Wu"]
    assert [e for e in edits(store, customer_id) if e.field == "is_primary"] == []

    add_contact(store, customer_id, "Li Wei")
    store.records.update_record(Contact, jane, contact_input(store.records.get_record(Contact,
                                                                                      jane),
                                                     is_primary=False))
    assert primaries(store, customer_id) == ["Li Wei"]


def test_editing_the_phone_recomputes_the_normalized_one(store: Any) -> None:
    customer_id = add_customer(store)
    jane = add_contact(store, customer_id, "Jane Wu", phone="0912 345 678")
    assert store.records.get_record(Contact, jane).phone_normalized == "+886912345678"

    row = store.records.get_record(Contact, jane)
    store.records.update_record(Contact, jane, contact_input(row, phone="02 2345 6789"))
    row = store.records.get_record(Contact, jane)
    assert row.phone == "02 2345 6789"
    assert row.phone_normalized == "+886223456789"
    logged = [(e.field, e.old_value, e.new_value) for e in edits(store, customer_id)]
    # The derived column is stored but not logged: the history shows the phone once.
    assert logged == [("phone", "0912 345 678", "02 2345 6789")]

    store.records.update_record(Contact, jane, contact_input(row, phone=""))
    assert store.records.get_record(Contact, jane).phone_normalized is None


def test_customer_edit_logs_one_row_per_changed_field(store: Any, clock: Any) -> None:
    customer_id = add_customer(store, industry="steel", potential="B", revisit_days=30)
    clock.current = FIXED_NOW + timedelta(hours=1)
    data = validate(CustomerInput, {"name": "Acme Trading", "industry": "machinery",
                                    "potential": "A", "revisit_days": "30", "notes": None})
    store.customers.update_customer(customer_id, data)

    customer = store.customers.get_customer(customer_id)
    assert customer.industry == "machinery"
    assert customer.potential == Potential.A
    assert customer.updated_at == clock.current
    logged = edits(store, customer_id)
    assert [(e.entity, e.field, e.old_value, e.new_value) for e in logged] == [
        ("customer", "industry", "steel", "machinery"),
        ("customer", "potential", "B", "A"),
    ]
    for edit in logged:
        assert edit.entity_id == customer_id
        assert edit.edited_at == clock.current
        assert edit.edited_by == store.actor


def test_customer_edit_keeps_fields_the_form_does_not_show(store: Any) -> None:
    customer_id = add_customer(store, industry="steel")
    store.customers.update_customer(customer_id, validate(CustomerInput, {"name": "Acme Trading"}))
    assert store.customers.get_customer(customer_id).industry == "steel"
    assert edits(store, customer_id) == []


def test_a_new_name_updates_the_name_key_without_logging_it(store: Any) -> None:
    customer_id = add_customer(store, "Acme Trading Co., Ltd.")
    assert store.customers.get_customer(customer_id).name_key == company_key("Acme Trading")
    store.customers.update_customer(customer_id, validate(CustomerInput,
                                                          {"name": "Beta Foods Inc."}))
    customer = store.customers.get_customer(customer_id)
    assert customer.name == "Beta Foods Inc."
    assert customer.name_key == company_key("Beta Foods")
    assert [e.field for e in edits(store, customer_id)] == ["name"]

    # The generic path keeps the key too.
    store.records.update_record(Customer, customer_id, validate(CustomerInput, {"name": "Gamma"}))
    assert store.customers.get_customer(customer_id).name_key == company_key("Gamma")
