"""Customer search at store level: the trigram index, filters, sorts and keyset paging."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from salesdev_tui.db import open_database
from salesdev_tui.db.search_index import (
    check_search_index,
    create_search_index,
    fts_expression,
    has_search_index,
)
from salesdev_tui.domain.customer_query import SortKey, parse_customer_query
from salesdev_tui.domain.validation import (
    ContactInput,
    ContactPlanInput,
    CustomerInput,
    validate,
)
from salesdev_tui.models.enums import Potential, Source, Stage
from salesdev_tui.models.tables import Contact, Customer
from salesdev_tui.store.combined import Store
from salesdev_tui.store.search import CustomerListRow
from tests.conftest import FIXED_NOW, Clock

NOW = FIXED_NOW


@pytest.fixture
def store(db_path: Path, clock: Clock) -> Iterator[Store]:
    """A store whose database has the search index (created here until create_schema does)."""
    db = open_database(db_path)
    with db.engine.begin() as conn:
        if not has_search_index(conn):
            create_search_index(conn)
    try:
        yield Store(db, clock=clock)
    finally:
        db.close()


def add(
    store: Store,
    name: str,
    *,
    contact: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    contact_notes: str | None = None,
    **fields: object,
) -> uuid.UUID:
    person = None
    if contact or phone or email:
        person = validate(
            ContactInput,
            {"name": contact or "Someone", "phone": phone, "email": email,
             "notes": contact_notes},
        )
    return store.customers.add_lead(validate(CustomerInput, {"name": name, **fields}), person).id


def plan(store: Store, customer_id: uuid.UUID, hours: float) -> None:
    data = {"method": "phone", "scheduled_at": NOW + timedelta(hours=hours)}
    store.plans.plan_contact(customer_id, validate(ContactPlanInput, data))


def found(store: Store, typed: str, **kwargs: Any) -> list[str]:
    page = store.search.search_customers(parse_customer_query(typed), now=NOW, **kwargs)
    return [row.name for row in page.rows]


def edit(store: Store, model: type[Any], record_id: uuid.UUID, **values: object) -> None:
    """Change a record through the ORM, as any write path would."""
    with store.db.write() as session:
        row = session.get(model, record_id)
        assert row is not None
        for key, value in values.items():
            setattr(row, key, value)
        session.add(row)


def index_is_consistent(store: Store) -> None:
    with store.db.engine.connect() as conn:
        check_search_index(conn)


# -- what the text finds ---------------------------------------------------------------------


def test_substring_of_a_name_in_any_case(store: Store) -> None:
    add(store, "Acme Trading Co., Ltd.")
    add(store, "Globex")
    assert found(store, "cme") == ["Acme Trading Co., Ltd."]
    assert found(store, "TRADING acme") == ["Acme Trading Co., Ltd."]
    assert found(store, "me tr") == ["Acme Trading Co., Ltd."]  # short words: as typed
    assert found(store, "xyz") == []


def test_cjk_substrings(store: Store) -> None:
    add(store, "東京精密株式会社")
    add(store, "삼성전자")
    add(store, "トヨタ自動車")
    assert found(store, "精密株") == ["東京精密株式会社"]
    assert found(store, "성전자") == ["삼성전자"]
    assert found(store, "自動車") == ["トヨタ自動車"]


def test_contact_name_email_phone_and_notes(store: Store) -> None:
    add(store, "Acme", contact="Mei-Ling Chen", phone="0912 345 678",
        email="mei@acme.example", contact_notes="prefers LINE", notes="likes golf")
    add(store, "Other", contact="Bob", phone="02 2222 3333")
    assert found(store, "ling che") == ["Acme"]
    assert found(store, "mei@acme") == ["Acme"]
    assert found(store, "345 678") == ["Acme"]
    assert found(store, "345678") == ["Acme"]  # digits only
    assert found(store, "912-345") == ["Acme"]  # other separators
    assert found(store, "golf") == ["Acme"]
    assert found(store, "line") == ["Acme"]


def test_industry_and_source_detail_are_searched(store: Store) -> None:
    add(store, "Acme", industry="Semiconductors", source_detail="Computex 2026 booth")
    assert found(store, "conductor") == ["Acme"]
    assert found(store, "computex") == ["Acme"]


def test_one_character_matches_the_start_of_a_name_two_match_anywhere(store: Store) -> None:
    add(store, "Acme")
    add(store, "Zacme")
    add(store, "東京精密")
    add(store, "新東京")
    assert found(store, "A") == ["Acme"]
    assert found(store, "東") == ["東京精密"]
    assert sorted(found(store, "ac")) == ["Acme", "Zacme"]
    assert sorted(found(store, "東京")) == ["新東京", "東京精密"]


def test_short_digits_match_the_start_of_a_phone(store: Store) -> None:
    add(store, "Acme", phone="+1 415 555 0100")
    add(store, "Other", phone="0912 345 678")
    assert found(store, "14") == ["Acme"]


def test_markup_is_searched_as_text(store: Store) -> None:
    add(store, "[@click=app.quit]x[/]")
    add(store, "[/]")
    assert sorted(found(store, "[/]")) == ["[/]", "[@click=app.quit]x[/]"]
    assert found(store, "click=app") == ["[@click=app.quit]x[/]"]


def test_any_two_characters_find_the_customer_in_any_script(store: Store) -> None:
    """Issue 14.1: two characters anywhere (not only at the start of a name) find it."""
    add(store, "台灣精密機械股份有限公司")
    add(store, "王氏貿易", contact="王大明")
    add(store, "Lotus Foods", contact="林美玲")
    add(store, "Globex", contact_notes="見過陳美玲 at the fair", contact="Bob")
    add(store, "Acme Trading")
    assert found(store, "精密") == ["台灣精密機械股份有限公司"]
    assert found(store, "大明") == ["王氏貿易"]  # the end of a contact's name
    assert sorted(found(store, "美玲")) == ["Globex", "Lotus Foods"]  # name and notes
    assert found(store, "CM") == ["Acme Trading"]  # Latin too, any case
    assert found(store, "ng") == ["Acme Trading"]  # the very end of the name
    assert found(store, "大明 wang") == []  # every word must occur
    assert found(store, "大明 王氏") == ["王氏貿易"]
    assert found(store, "精密 stage:prospect") == ["台灣精密機械股份有限公司"]
    assert found(store, "密精") == [] and found(store, "zz") == []
    assert store.search.count_customers(parse_customer_query("美玲"), now=NOW) == 2
    assert found(store, "美玲", limit=1) != []
    assert found(store, "美玲 sort:next") != []  # the next-contact order reads it too
    assert [r.name for r in store.search.quick_find("精密")] == ["台灣精密機械股份有限公司"]
    assert [r.name for r in store.search.quick_find("大明")] == ["王氏貿易"]
    index_is_consistent(store)


def test_two_characters_follow_edits(store: Store) -> None:
    acme = add(store, "Acme", contact="王大明")
    (contact,) = store.customers.contacts_of(acme)
    edit(store, Contact, contact.id, name="陳小華")
    assert found(store, "大明") == []
    assert found(store, "小華") == ["Acme"]
    index_is_consistent(store)


def test_a_very_long_search_is_capped_with_a_message(store: Store) -> None:
    """Issue 20.11: 10,000 characters were searched in full (15 s); the core caps them."""
    from salesdev_tui.domain.customer_query import MAX_SEARCH_CHARS

    add(store, "Acme")
    query = parse_customer_query("acme " + "x" * 10_000)
    assert any(str(MAX_SEARCH_CHARS) in problem for problem in query.problems)
    assert len(query.text) <= MAX_SEARCH_CHARS
    assert found(store, "acme " + "x" * 10_000) == []
    assert store.search.quick_find("acme" + "x" * 10_000) == []
    assert parse_customer_query("acme").problems == ()


@pytest.mark.parametrize("typed", ['x"', 'a"b"c', "NEAR(x y)", "x OR y", "*", "1:2:3", "-x"])
def test_fts_syntax_in_the_text_is_literal(store: Store, typed: str) -> None:
    add(store, "Acme")
    assert found(store, typed) == []  # no FTS5 syntax error, nothing found


def test_fts_expression_quotes_every_word() -> None:
    assert fts_expression("x OR yz") == '"x OR yz"'
    assert fts_expression("acme AND globex") == '"acme" AND "AND" AND "globex"'
    assert fts_expression('say "hi"') == '"say" AND """hi"""'
    assert fts_expression("ab") is None  # two characters need the vocabulary
    assert fts_expression("ab", lambda t: ["abc", "ab\n"]) == '("abc" OR "ab\n")'
    assert fts_expression("ab cde", lambda t: []) == '"ab" AND "cde"'


# -- filters ---------------------------------------------------------------------------------


def test_filters(store: Store, clock: Clock) -> None:
    clock.current = NOW - timedelta(days=40)
    add(store, "Old Show A", source="trade_show", potential="A", size="large",
        industry="Manufacturing")
    clock.current = NOW
    add(store, "New Web B", source="online", potential="B", size="small", industry="Retail")
    new_id = add(store, "New Ref C", source="referral", potential="C")
    edit(store, Customer, new_id, stage=Stage.PROPOSAL)
    assert found(store, "source:show") == ["Old Show A"]
    assert found(store, "pot:AB sort:name") == ["New Web B", "Old Show A"]
    assert found(store, "size:large") == ["Old Show A"]
    assert found(store, "industry:manu") == ["Old Show A"]
    assert found(store, "idle:30") == ["Old Show A"]
    assert found(store, "idle:30 pot:B") == []
    assert found(store, "stage:prop") == ["New Ref C"]
    assert found(store, "new stage:prospect") == ["New Web B"]
    assert found(store, "ind:100%") == []  # LIKE wildcards are literal


def test_days_idle_and_next_plan_are_reported(store: Store, clock: Clock) -> None:
    clock.current = NOW - timedelta(days=10, hours=1)
    acme = add(store, "Acme")
    plan(store, acme, 30)
    plan(store, acme, 5)
    (row,) = store.search.search_customers(parse_customer_query("acme"), now=NOW).rows
    assert isinstance(row, CustomerListRow)
    assert row.days_idle == 10
    assert row.next_plan_at == NOW + timedelta(hours=5)
    assert row.potential is None and row.source is None


def test_count_is_capped(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import salesdev_tui.store.search as search

    for i in range(5):
        add(store, f"Acme {i}")
    assert store.search.count_customers(parse_customer_query("acme"), now=NOW) == 5
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    assert store.search.count_customers(parse_customer_query("acme"), now=NOW) == 4  # "3+"
    assert store.search.count_customers(parse_customer_query("nothing"), now=NOW) == 0


def test_quick_find_puts_names_that_start_with_the_text_first(store: Store) -> None:
    add(store, "Big Acme")
    add(store, "Acme Two")
    add(store, "Acme One")
    add(store, "Other", contact="Acme Person")
    names = [row.name for row in store.search.quick_find("acme")]
    assert names[:2] == ["Acme One", "Acme Two"]
    assert set(names[2:]) == {"Big Acme", "Other"}
    assert [row.name for row in store.search.quick_find("acme", limit=1)] == ["Acme One"]
    assert store.search.quick_find("  ") == []


# -- sorting and keyset paging ---------------------------------------------------------------


@pytest.fixture
def many(store: Store, clock: Clock) -> dict[str, uuid.UUID]:
    """23 customers with ties in every sort key, some with plans, one soft-deleted."""
    ids: dict[str, uuid.UUID] = {}
    names = ["acme", "Acme", "beta", "Gamma", "delta", "東京", "삼성", "epsilon", "Zeta",
             "eta", "Theta", "iota", "kappa", "Lambda", "mu", "nu", "xi", "omicron", "pi",
             "rho", "sigma", "tau", "upsilon"]
    for i, name in enumerate(names):
        clock.current = NOW - timedelta(days=(i * 7) % 5, hours=i % 3)  # ties on purpose
        ids[name] = add(store, name)
    clock.current = NOW
    for i, name in enumerate(names[:9]):
        plan(store, ids[name], (i % 4) * 24)  # ties in the next contact too
    plan(store, ids["acme"], -3)  # two plans: the earlier one counts
    edit(store, Customer, ids["pi"], deleted_at=NOW)
    return ids


def _all_pages(store: Store, typed: str, size: int) -> list[CustomerListRow]:
    query = parse_customer_query(typed)
    rows: list[CustomerListRow] = []
    after = None
    for _ in range(100):
        page = store.search.search_customers(query, after=after, limit=size, now=NOW)
        assert len(page.rows) <= size
        rows += page.rows
        if page.next_cursor is None:
            return rows
        assert len(page.rows) == size
        after = page.next_cursor
    raise AssertionError("paging never ended")


@pytest.mark.parametrize("sort", list(SortKey))
@pytest.mark.parametrize("size", [1, 4, 7, 100])
def test_every_sort_pages_every_row_exactly_once(
    store: Store, many: dict[str, uuid.UUID], sort: SortKey, size: int
) -> None:
    rows = _all_pages(store, f"sort:{sort.value}", size)
    ids = [row.id for row in rows]
    assert len(ids) == len(set(ids)) == len(many) - 1  # pi is deleted
    assert many["pi"] not in ids
    if sort is SortKey.UPDATED:
        keys: list[Any] = [(r.updated_at, r.id.hex) for r in rows]
        assert keys == sorted(keys, reverse=True)
    elif sort is SortKey.NAME:
        keys = [(r.name.lower(), r.id.hex) for r in rows]
        assert keys == sorted(keys)
    elif sort is SortKey.IDLE:
        keys = [(r.quiet_since, r.id.hex) for r in rows]
        assert keys == sorted(keys)
        assert [r.days_idle for r in rows] == sorted((r.days_idle for r in rows), reverse=True)
    else:
        planned = [r for r in rows if r.next_plan_at is not None]
        assert len(planned) == 9
        assert rows[: len(planned)] == planned  # planned first
        assert [(r.next_plan_at, r.id.hex) for r in planned] == sorted(
            (r.next_plan_at, r.id.hex) for r in planned
        )
        rest = [(r.name.lower(), r.id.hex) for r in rows[len(planned):]]
        assert rest == sorted(rest)
        assert rows[0].id == many["acme"]  # its earlier plan


@pytest.mark.parametrize("size", [1, 4, 100])
def test_next_sort_walking_the_open_plans(
    store: Store, many: dict[str, uuid.UUID], size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many matches: the open plans are walked in time order instead of looked up."""
    import salesdev_tui.store.search as search

    expected = _all_pages(store, "sort:next", 100)
    monkeypatch.setattr(search, "_FEW_MATCHES", 1)
    assert _all_pages(store, "sort:next", size) == expected
    assert _all_pages(store, "sort:next stage:prospect", size) == expected


@pytest.mark.parametrize("sort", list(SortKey))
def test_paging_with_a_filter_and_text(
    store: Store, many: dict[str, uuid.UUID], sort: SortKey
) -> None:
    # "a" matches the names starting with a/A; "eta" is a substring of four names.
    rows = _all_pages(store, f"eta sort:{sort.value}", 1)
    assert sorted(r.name for r in rows) == ["Theta", "Zeta", "beta", "eta"]
    rows = _all_pages(store, f"a sort:{sort.value}", 1)
    assert sorted(r.name for r in rows) == ["Acme", "acme"]


def test_a_cursor_of_another_sort_starts_at_the_top(
    store: Store, many: dict[str, uuid.UUID]
) -> None:
    by_name = store.search.search_customers(parse_customer_query("sort:name"), limit=3, now=NOW)
    assert by_name.next_cursor is not None
    again = store.search.search_customers(
        parse_customer_query("sort:idle"), after=by_name.next_cursor, limit=3, now=NOW
    )
    first = store.search.search_customers(parse_customer_query("sort:idle"), limit=3, now=NOW)
    assert again.rows == first.rows


# -- the index follows every write -----------------------------------------------------------


def test_triggers_keep_the_index_current(store: Store) -> None:
    acme = add(store, "Acme", contact="Mei Chen", phone="0912 345 678",
               email="mei@acme.example")
    assert found(store, "acme") == ["Acme"]
    edit(store, Customer, acme, name="Globex")
    assert found(store, "acme") == ["Globex"]  # still: the e-mail says acme
    (contact,) = store.customers.contacts_of(acme)
    edit(store, Contact, contact.id, email="mei@globex.example", name="May Chen")
    assert found(store, "acme") == []
    assert found(store, "globex.example") == ["Globex"]
    assert found(store, "i che") == []  # the old name, as typed
    assert found(store, "may chen") == ["Globex"]
    index_is_consistent(store)

    # A contact soft-deleted: its phone no longer finds the customer.
    edit(store, Contact, contact.id, deleted_at=NOW)
    assert found(store, "345678") == []
    assert found(store, "globex") == ["Globex"]
    index_is_consistent(store)

    # A second contact, then the contact deleted for good.
    with store.db.write() as session:
        session.add(Contact(customer_id=acme, name="Temp Person", created_at=NOW,
                            updated_at=NOW))
    assert found(store, "temp person") == ["Globex"]
    with store.db.write() as session:
        temp = session.exec(select(Contact).where(Contact.name == "Temp Person")).one()
        session.delete(temp)
    assert found(store, "temp person") == []
    index_is_consistent(store)


def test_soft_deleted_customers_are_never_found(store: Store) -> None:
    acme = add(store, "Acme", contact="Mei", phone="0912 345 678", email="mei@acme.example")
    add(store, "Acme Two")
    edit(store, Customer, acme, deleted_at=NOW)
    assert found(store, "acme") == ["Acme Two"]
    assert found(store, "mei@") == []
    assert found(store, "345678") == []
    assert found(store, "ac") == ["Acme Two"]  # the short-query path too
    assert store.search.count_customers(parse_customer_query(""), now=NOW) == 1
    assert [r.name for r in store.search.quick_find("acme")] == ["Acme Two"]
    # A change to a deleted customer's contact does not bring it back.
    (contact,) = store.customers.contacts_of(acme)
    edit(store, Contact, contact.id, name="Mei Again")
    assert found(store, "again") == []
    index_is_consistent(store)
    # Restored: found again.
    edit(store, Customer, acme, deleted_at=None)
    assert sorted(found(store, "acme")) == ["Acme", "Acme Two"]
    index_is_consistent(store)


def test_a_contact_moved_to_another_customer(store: Store) -> None:
    acme = add(store, "Acme", contact="Mei Chen")
    globex = add(store, "Globex")
    (contact,) = store.customers.contacts_of(acme)
    edit(store, Contact, contact.id, customer_id=globex)
    assert found(store, "mei chen") == ["Globex"]
    index_is_consistent(store)


def test_raw_bulk_inserts_are_indexed_too(store: Store, db_path: Path) -> None:
    """Importers and the demo generator write with executemany; the triggers see them."""
    raw = sqlite3.connect(db_path)
    with raw:
        raw.executemany(
            "INSERT INTO customer (id, created_at, updated_at, name, name_key, stage) "
            "VALUES (?, ?, ?, ?, ?, 'prospect')",
            [(uuid.uuid4().hex, "2026-01-01 00:00:00.000000", "2026-01-01 00:00:00.000000",
              f"Bulk 株式会社 {i}", f"bulk{i}") for i in range(30)],
        )
    raw.close()
    assert store.search.count_customers(parse_customer_query("式会社"), now=NOW) == 30
    index_is_consistent(store)


def test_create_search_index_is_idempotent(store: Store) -> None:
    add(store, "Acme")
    with store.db.engine.begin() as conn:
        create_search_index(conn)
    assert found(store, "acme") == ["Acme"]
    index_is_consistent(store)


def test_enum_values_come_back_as_enums(store: Store) -> None:
    add(store, "Acme", source="trade_show", potential="A")
    (row,) = store.search.search_customers(parse_customer_query("acme"), now=NOW).rows
    assert row.source is Source.TRADE_SHOW
    assert row.potential is Potential.A
    assert row.stage is Stage.PROSPECT


def test_a_table_rebuild_migration_drops_and_recreates_the_index(
    store: Store, db_path: Path, clock: Clock
) -> None:
    """Rebuilding `customer` renumbers its rowids; the index is rebuilt to match."""
    from sqlalchemy.engine import Connection

    from salesdev_tui.db.database import Database
    from salesdev_tui.db.engine import make_engine
    from salesdev_tui.db.migrations import SCHEMA_VERSION, migrate
    from salesdev_tui.db.search_index import drop_search_index

    add(store, "Acme", contact="Mei Chen")
    add(store, "Globex", contact="Bob Wu")

    def rebuild(conn: Connection) -> None:
        drop_search_index(conn)
        ddl = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type='table' AND name='customer'"
        ).scalar()
        assert isinstance(ddl, str)
        conn.exec_driver_sql(ddl.replace("CREATE TABLE customer", "CREATE TABLE customer_new"))
        # Copied in reverse: every customer gets another rowid.
        conn.exec_driver_sql("INSERT INTO customer_new SELECT * FROM customer ORDER BY rowid DESC")
        conn.exec_driver_sql("DROP TABLE customer")
        conn.exec_driver_sql("ALTER TABLE customer_new RENAME TO customer")
        create_search_index(conn)

    migrate(db_path, SCHEMA_VERSION, steps={SCHEMA_VERSION + 1: rebuild},
            target=SCHEMA_VERSION + 1)
    db = Database(db_path, make_engine(db_path))
    try:
        after = Store(db, clock=clock)
        assert found(after, "acme") == ["Acme"]
        assert found(after, "bob wu") == ["Globex"]
        index_is_consistent(after)
    finally:
        db.close()


def test_a_broad_two_character_search_walks_the_list_with_the_same_result(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many matches: the page walks the sort order, testing each row against the set of
    matches (any text) or, for two common letters, each row's own text, instead of
    collecting every match and sorting them. Same customers every way."""
    import salesdev_tui.store.search as search

    add(store, "Acme Trading", contact="Mei Chen", email="mei@acme.example")
    add(store, "Globex", contact_notes="met at the ACME booth", contact="Bob")
    add(store, "台灣精密機械", contact="王大明")
    add(store, "精密 Acme")
    gone = add(store, "Acme Gone")
    edit(store, Customer, gone, deleted_at=NOW)
    add(store, "Éclair Foods")
    queries = ["ac", "CM", "me", "精密", "大明", "ac me", "ac 精密", "ac sort:name",
               "ac sort:idle", "ac stage:prospect", "éc", "zz", "ac sort:next", "acme",
               "acme sort:name", "acme sort:idle", "acme stage:prospect", "精密機械", "gone"]
    monkeypatch.setattr(search, "SET_WALK_RATIO", 10.0**9)  # collect every match
    through_index = {q: sorted(found(store, q)) for q in queries}
    walked: list[str] = []
    real = search.doc_contains
    monkeypatch.setattr(search, "doc_contains", lambda words: (walked.append("x"), real(words))[1])
    sets: list[str] = []
    real_set = search.fts_matches
    monkeypatch.setattr(search, "fts_matches",
                        lambda expression: (sets.append("x"), real_set(expression))[1])
    monkeypatch.setattr(search, "SET_WALK_RATIO", 10.0**-9)  # walk with the set of matches
    monkeypatch.setattr(search, "DOC_WALK_RATIO", 10.0**9)
    assert {q: sorted(found(store, q)) for q in queries} == through_index
    assert sets and not walked
    monkeypatch.setattr(search, "DOC_WALK_RATIO", 10.0**-9)  # two letters: test the text
    assert {q: sorted(found(store, q)) for q in queries} == through_index
    assert walked  # the walk was taken
    assert through_index["ac"] == ["Acme Trading", "Globex", "精密 Acme"]
    assert through_index["éc"] == ["Éclair Foods"]
    assert through_index["gone"] == []
    for ratio in (10.0**9, 10.0**-9):
        monkeypatch.setattr(search, "DOC_WALK_RATIO", ratio)
        for text in ("ac sort:name", "acme sort:name"):
            page = store.search.search_customers(parse_customer_query(text), limit=1, now=NOW)
            assert page.next_cursor is not None
            rest = store.search.search_customers(parse_customer_query(text),
                                                 after=page.next_cursor, limit=5, now=NOW)
            assert [r.name for r in page.rows + rest.rows] == [
                "Acme Trading", "Globex", "精密 Acme"], (text, ratio)
