"""LeadStore: duplicate lookup while typing a lead, and completions from values already used."""

from __future__ import annotations

import sqlite3
import uuid
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import event
from sqlmodel import select

from salesdev_tui.domain.dedupe import DuplicateReason
from salesdev_tui.domain.text_rules import email_domain, normalize_email, normalize_phone
from salesdev_tui.domain.validation import ContactInput, CustomerInput, validate
from salesdev_tui.models.email_rule import domain_range, email_key
from salesdev_tui.models.enums import Source, Stage
from salesdev_tui.models.tables import Contact, Customer
from tests.conftest import FIXED_NOW


def add(
    store: Any,
    name: str,
    *,
    contact: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    **fields: object,
) -> uuid.UUID:
    customer = validate(CustomerInput, {"name": name, **fields})
    person = None
    if contact or email or phone:
        person = validate(ContactInput, {"name": contact or "Someone", "email": email,
                                         "phone": phone})
    customer_id: uuid.UUID = store.customers.add_lead(customer, person).id
    return customer_id


def soft_delete(store: Any, customer_id: uuid.UUID) -> None:
    with store.db.write() as session:
        row = session.get(Customer, customer_id)
        row.deleted_at = FIXED_NOW
        session.add(row)


def reasons(matches: list[Any]) -> list[tuple[str, DuplicateReason]]:
    return [(m.customer_name, m.reason) for m in matches]


def test_same_email_names_the_customer_and_the_contact(store: Any) -> None:
    acme = add(store, "Acme Trading Co., Ltd.", contact="Jane Wu", email="jane@acme.tw")
    found = store.leads.find_duplicates(name="Other", email="jane@acme.tw", phone_normalized=None)
    assert len(found) == 1
    match = found[0]
    assert (match.customer_id, match.customer_name) == (acme, "Acme Trading Co., Ltd.")
    assert match.reason is DuplicateReason.EMAIL
    assert match.reason_text == "same e-mail"
    assert match.contact_name == "Jane Wu"
    assert match.stage is Stage.PROSPECT


def test_email_matches_despite_case_and_spaces(store: Any) -> None:
    add(store, "Acme", contact="Jane", email="jane@acme.tw")
    found = store.leads.find_duplicates(name=None, email="  Jane@ACME.TW ", phone_normalized=None)
    assert reasons(found) == [("Acme", DuplicateReason.EMAIL)]


def test_same_normalised_phone(store: Any) -> None:
    add(store, "Acme", contact="Jane", phone="0912-345-678")
    typed = normalize_phone("+886 912 345 678", "TW")
    found = store.leads.find_duplicates(name=None, email=None, phone_normalized=typed)
    assert reasons(found) == [("Acme", DuplicateReason.PHONE)]


def test_same_company_key_is_the_same_name(store: Any) -> None:
    add(store, "Acme Trading Co., Ltd.")
    found = store.leads.find_duplicates(name="ACME TRADING", email=None, phone_normalized=None)
    assert reasons(found) == [("Acme Trading Co., Ltd.", DuplicateReason.NAME)]


@pytest.mark.parametrize(
    ("existing", "typed"),
    [
        ("Acme Trading", "Acme"),  # the typed key is a prefix of the existing one
        ("Acme", "Acme Trading Taipei"),  # the existing key is a prefix of the typed one
        ("台灣精密工業股份有限公司", "台灣精密"),
    ],
)
def test_similar_name_either_way(store: Any, existing: str, typed: str) -> None:
    add(store, existing)
    found = store.leads.find_duplicates(name=typed, email=None, phone_normalized=None)
    assert reasons(found) == [(existing, DuplicateReason.SIMILAR_NAME)]


def test_similar_needs_four_characters(store: Any) -> None:
    add(store, "ABC Trading")
    add(store, "Xyz")
    assert store.leads.find_duplicates(name="ABC", email=None, phone_normalized=None) == []
    assert store.leads.find_duplicates(name="Xyz Co Taipei", email=None,
                                       phone_normalized=None) == []


def test_same_company_domain_but_not_free_mail(store: Any) -> None:
    add(store, "Acme", contact="Jane", email="jane@acme.tw")
    add(store, "Solo Shop", contact="Lee", email="lee@gmail.com")
    found = store.leads.find_duplicates(name=None, email="bob@acme.tw", phone_normalized=None)
    assert reasons(found) == [("Acme", DuplicateReason.EMAIL_DOMAIN)]
    assert store.leads.find_duplicates(name=None, email="bob@gmail.com",
                                       phone_normalized=None) == []


def test_same_domain_is_the_whole_domain_in_any_case(store: Any) -> None:
    """The domain's key range holds that domain only (not a longer one, a subdomain or one
    it ends with), whatever the case typed, and a domain stored in another case (not by the app,
    which stores it in lower case; by hand, an old file) is found as LIKE found it."""
    for name, address in (("Longer", "ann@acme.tw.cn"), ("Suffix", "ben@acme.twx"),
                          ("Sub", "cid@sales.acme.tw"), ("Shorter", "dee@me.tw"),
                          ("Acme", "eve@acme.tw")):
        add(store, name, contact=name, email=address)
    odd = add(store, "Odd Case", contact="Fay", email="fay@odd.tw")
    with store.db.write() as session:
        row = session.exec(select(Contact).where(Contact.customer_id == odd)).one()
        row.email = "Fay@Odd.TW"
        session.add(row)
    found = store.leads.find_duplicates(name=None, email="Bob@ACME.tw", phone_normalized=None)
    assert reasons(found) == [("Acme", DuplicateReason.EMAIL_DOMAIN)]
    found = store.leads.find_duplicates(name=None, email="bob@ODD.tw", phone_normalized=None)
    assert reasons(found) == [("Odd Case", DuplicateReason.EMAIL_DOMAIN)]
    found = store.leads.find_duplicates(name=None, email="Fay@odd.tw", phone_normalized=None)
    assert reasons(found) == [("Odd Case", DuplicateReason.EMAIL)]


def test_same_domain_of_an_international_name(store: Any) -> None:
    add(store, "Bücher", contact="Jane", email="jane@BÜCHER.de")  # stored "jane@bücher.de"
    found = store.leads.find_duplicates(name=None, email="Bob@Bücher.DE", phone_normalized=None)
    assert reasons(found) == [("Bücher", DuplicateReason.EMAIL_DOMAIN)]
    found = store.leads.find_duplicates(name=None, email="bob@xn--bcher-kva.de",
                                        phone_normalized=None)
    assert reasons(found) == [("Bücher", DuplicateReason.EMAIL_DOMAIN)]


def test_domain_with_like_wildcards_is_literal(store: Any) -> None:
    add(store, "Acme", contact="Jane", email="jane@acme.tw")
    assert store.leads.find_duplicates(name=None, email="bob@a_me.tw", phone_normalized=None) == []


def test_one_entry_per_customer_with_the_strongest_reason_first(store: Any) -> None:
    phone = normalize_phone("0912 345 678", "TW")
    add(store, "Acme Trading", contact="Jane", email="jane@acme.tw", phone="0912 345 678")
    add(store, "Acme Trading Taipei")
    add(store, "Beta Corp", contact="Ken", email="ken@acme.tw")
    found = store.leads.find_duplicates(name="Acme Trading", email="jane@acme.tw",
                                  phone_normalized=phone)
    assert reasons(found) == [
        ("Acme Trading", DuplicateReason.EMAIL),
        ("Acme Trading Taipei", DuplicateReason.SIMILAR_NAME),
        ("Beta Corp", DuplicateReason.EMAIL_DOMAIN),
    ]
    assert len(store.leads.find_duplicates(name="Acme Trading", email="jane@acme.tw",
                                     phone_normalized=phone, limit=2)) == 2


def test_deleted_customers_are_not_duplicates(store: Any) -> None:
    gone = add(store, "Acme", contact="Jane", email="jane@acme.tw")
    soft_delete(store, gone)
    assert store.leads.find_duplicates(name="Acme", email="jane@acme.tw",
                                       phone_normalized=None) == []


def test_nothing_typed_finds_nothing(store: Any) -> None:
    add(store, "Acme", contact="Jane", email="jane@acme.tw")
    assert store.leads.find_duplicates(name="", email="not an address", phone_normalized=None) == []
    assert store.leads.find_duplicates(name=None, email=None, phone_normalized=None) == []


def test_lookups_use_indexes(store: Any) -> None:
    """No full scan of customer or contact: the same e-mail and the same domain are lookups
    of the e-mail key's index (schema 13; the domain read every contact's address before)."""
    add(store, "Acme Trading", contact="Jane", email="jane@acme.tw", phone="0912 345 678")
    statements: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: bool) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            statements.append((sql, params))

    event.listen(store.db.engine, "before_cursor_execute", capture)
    try:
        found = store.leads.find_duplicates(name="Acme Trading Taipei", email="Bob@Acme.TW",
                                            phone_normalized="+886912345678")
    finally:
        event.remove(store.db.engine, "before_cursor_execute", capture)
    assert ("Acme Trading", DuplicateReason.PHONE) in reasons(found)
    assert len(statements) >= 5
    keyed = []
    with store.db.engine.connect() as conn:
        for sql, params in statements:
            plan = [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)]
            assert not [step for step in plan if step.startswith("SCAN")], (sql, plan)
            keyed += [step for step in plan if "ix_contact_email_key" in step]
    assert keyed == [
        "SEARCH contact USING INDEX ix_contact_email_key (<expr>=?)",  # the same e-mail
        "SEARCH contact USING INDEX ix_contact_email_key (<expr>>? AND <expr><?)",  # domain
    ]


@settings(max_examples=200, deadline=None)
@given(address=st.emails() | st.sampled_from([
    "Jane.Wu@Acme.COM.tw", "jane@BÜCHER.de", "x@xn--bcher-kva.de", "o'neil+tag@sub.Example.org",
    "李@例子.台灣", "a@b.co",
]))
def test_the_index_key_starts_with_the_email_domain(address: str) -> None:
    """SQLite's key of a stored (normalised) address is `email_domain`'s domain, "@" and the
    local part, so the duplicate check's domain range (from `email_domain`) holds it."""
    try:
        stored = normalize_email(address)
    except ValueError:
        return
    with sqlite3.connect(":memory:") as conn:
        (key,) = conn.execute(f"SELECT {email_key('?1')}", (stored,)).fetchone()
    domain = email_domain(stored)
    low, high = domain_range(domain)
    assert low <= key < high
    assert key == f"{domain}@{stored.rpartition('@')[0]}"


# --- completions -----------------------------------------------------------------------------


def test_industries_most_used_first(store: Any) -> None:
    for name, industry in [("A", "Retail"), ("B", "Steel"), ("C", "Steel"), ("D", None),
                           ("E", "Semiconductors"), ("F", "Steel"), ("G", "Semiconductors")]:
        add(store, name, industry=industry)
    assert store.leads.completions("industry") == ["Steel", "Semiconductors", "Retail"]
    assert store.leads.completions("industry", "s") == ["Steel", "Semiconductors"]
    assert store.leads.completions("industry", "SEM") == ["Semiconductors"]
    assert store.leads.completions("industry", limit=1) == ["Steel"]


def test_source_details_by_source(store: Any) -> None:
    add(store, "A", source="trade_show", source_detail="Computex 2026")
    add(store, "B", source="trade_show", source_detail="Computex 2026")
    add(store, "C", source="trade_show", source_detail="SEMICON Taiwan")
    add(store, "D", source="referral", source_detail="Mr Lin")
    assert store.leads.completions(Source.TRADE_SHOW.value) == ["Computex 2026", "SEMICON Taiwan"]
    assert store.leads.completions("referral") == ["Mr Lin"]
    assert store.leads.completions("source_detail") == ["Computex 2026", "Mr Lin", "SEMICON Taiwan"]
    assert store.leads.completions("online") == []


def test_completions_skip_deleted_and_escape_wildcards(store: Any) -> None:
    gone = add(store, "A", industry="Retail")
    add(store, "B", industry="50% off")
    add(store, "C", industry="500 club")
    soft_delete(store, gone)
    assert store.leads.completions("industry") == ["50% off", "500 club"]
    assert store.leads.completions("industry", "50%") == ["50% off"]
    assert store.leads.completions("industry", "_") == []


def test_unknown_completion_field(store: Any) -> None:
    with pytest.raises(ValueError):
        store.leads.completions("notes")


def test_contacts_are_stored_for_lookup(store: Any) -> None:
    """The fixtures above rely on add_lead storing the normalised phone."""
    add(store, "Acme", contact="Jane", phone="0912 345 678")
    with store.db.read() as session:
        contact = session.exec(select(Contact)).one()
    assert contact.phone_normalized == "+886912345678"
