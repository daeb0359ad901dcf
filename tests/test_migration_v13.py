"""Migration 12 -> 13: ix_contact_email_key (each address domain first, `models.email_rule`)
in place of ix_contact_email, so the duplicate check's "same e-mail domain" is an index
range instead of a LIKE over every address; every row kept, the same duplicates found.

The version 12 file is a current one given back the plain e-mail index (its SQL below, as
version 12 made it) instead of the key's."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from salesdev_tui.db import open_database
from salesdev_tui.db.migrations import SCHEMA_VERSION
from salesdev_tui.db.search_index import check_search_index
from salesdev_tui.domain.dedupe import DuplicateReason
from salesdev_tui.domain.validation import ContactInput, CustomerInput, validate
from salesdev_tui.models.email_rule import domain_range, email_key
from salesdev_tui.store.combined import Store
from tests.conftest import Clock
from tests.test_migration_v4 import _schema

#: Version 12's e-mail index, copied from a version 12 file.
_V12_EMAIL_INDEX = "CREATE INDEX ix_contact_email ON contact (email)"


def make_version_12(path: Path) -> None:
    """A current file made version 12: the plain e-mail index instead of the key's."""
    with sqlite3.connect(path) as conn:
        conn.execute("DROP INDEX ix_contact_email_key")
        conn.execute(_V12_EMAIL_INDEX)
        conn.execute("PRAGMA user_version=12")


def _leads(path: Path) -> None:
    db = open_database(path)
    try:
        store = Store(db, clock=Clock())
        for company, person, address in (("Acme Trading", "Jane", "Jane.Wu@ACME.tw"),
                                         ("Beta Corp", "Ken", "ken@acme.tw"),
                                         ("Bücher GmbH", "Uli", "uli@BÜCHER.de"),
                                         ("Quiet Ltd", "Nobody", None)):
            store.customers.add_lead(validate(CustomerInput, {"name": company}),
                                     validate(ContactInput, {"name": person, "email": address}))
    finally:
        db.close()
    with sqlite3.connect(path) as conn:  # a domain in another case, as a hand edit leaves it
        conn.execute("UPDATE contact SET email = 'Ken@Acme.TW' WHERE email = 'ken@acme.tw'")


def _rows(path: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT * FROM contact ORDER BY id").fetchall()


def _plan(path: Path, sql: str, params: tuple[Any, ...]) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [row[-1] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]


def test_version_12_files_get_the_email_key_index(tmp_path: Path) -> None:
    fresh, old = tmp_path / "fresh.db", tmp_path / "old.db"
    open_database(fresh).close()
    _leads(old)
    make_version_12(old)
    rows = _rows(old)
    assert len(rows) == 4
    assert _plan(old, "SELECT id FROM contact WHERE email IN (?, ?)", ("a@b.tw", "c@d.tw")) == [
        "SEARCH contact USING INDEX ix_contact_email (email=?)"]

    db = open_database(old)  # migrates
    try:
        store = Store(db, clock=Clock())
        by_domain = store.leads.find_duplicates(name=None, email="bob@Acme.tw",
                                                phone_normalized=None)
        by_address = store.leads.find_duplicates(name=None, email="Jane.Wu@acme.TW",
                                                 phone_normalized=None)
        international = store.leads.find_duplicates(name=None, email="eva@xn--bcher-kva.de",
                                                     phone_normalized=None)
        with db.engine.connect() as conn:
            check_search_index(conn)
    finally:
        db.close()

    with sqlite3.connect(old) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 13
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert _rows(old) == rows
    schema = _schema(old)
    assert schema == _schema(fresh)  # a migrated file has a new file's indexes, as written
    assert "ix_contact_email" not in schema
    assert "instr(email, '@')" in schema["ix_contact_email_key"]
    assert [(m.customer_name, m.reason) for m in by_domain] == [
        ("Acme Trading", DuplicateReason.EMAIL_DOMAIN), ("Beta Corp", DuplicateReason.EMAIL_DOMAIN)]
    assert [(m.customer_name, m.reason) for m in by_address] == [
        ("Acme Trading", DuplicateReason.EMAIL), ("Beta Corp", DuplicateReason.EMAIL_DOMAIN)]
    assert [(m.customer_name, m.reason) for m in international] == [
        ("Bücher GmbH", DuplicateReason.EMAIL_DOMAIN)]
    key = email_key("email")
    assert _plan(old, f"SELECT id FROM contact WHERE {key} >= ? AND {key} < ?",
                 domain_range("acme.tw")) == [
        "SEARCH contact USING INDEX ix_contact_email_key (<expr>>? AND <expr><?)"]
