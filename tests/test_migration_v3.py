"""The real migration 2 -> 3: `customer.pipeline_value` added and computed, the scorecard's
covering indexes in place of the plain ones, every row kept.

The version 2 file is made from a current one with parents and children (customers,
proposals and their lines, contracts, surveys): the column and the new indexes are dropped
and the version 2 indexes made again, exactly as version 2 declared them.
"""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

from salesdev_tui.db import open_database
from salesdev_tui.db.migrations import SCHEMA_VERSION
from salesdev_tui.domain.validation import (
    CustomerInput,
    ProposalInput,
    ProposalLineInput,
    validate,
)
from salesdev_tui.models.enums import ProposalStatus
from salesdev_tui.store.combined import Store
from tests.conftest import Clock
from tests.test_kpi_summary import drop_schema_11
from tests.test_pipeline_value import reference, stored

_NEW_INDEXES = ("ix_customer_pipeline", "ix_customer_signed_live",
                "ix_customer_contacted_live", "ix_contract_signed_live", "ix_survey_taken_live")
_VERSION_2_INDEXES = {
    "ix_customer_first_signed_at": "customer (first_signed_at)",
    "ix_customer_first_contacted_at": "customer (first_contacted_at)",
    "ix_contract_signed_at": "contract (signed_at)",
    "ix_survey_taken_at": "survey (taken_at)",
}
_TABLES = ("customer", "proposal", "proposal_line", "contract", "survey", "stage_change")


def _line(quantity: str, price: str, discount: str = "") -> ProposalLineInput:
    return validate(ProposalLineInput, {"product": "Robot", "quantity": quantity,
                                        "unit_price": price, "discount_pct": discount})


def _book(path: Path) -> None:
    """Customers with every kind of proposal history, written by the current code."""
    db = open_database(path)
    try:
        store = Store(db, clock=Clock())
        header = validate(ProposalInput, {"title": "Offer"})
        ids = [store.customers.add_lead(validate(CustomerInput, {"name": f"Customer {n}"})).id
               for n in range(6)]
        store.proposals.create_proposal(ids[0], header, [_line("3", "1,234.50", "12.5%")])
        old = store.proposals.create_proposal(ids[1], header, [_line("1", "100")])
        store.proposals.set_proposal_status(old.id, ProposalStatus.PRESENTED)
        newer = store.proposals.new_version_from(old.id)
        store.proposals.replace_lines(newer.id, [_line("2", "100"), _line("0.125", "0.04")])
        rejected = store.proposals.create_proposal(ids[2], header, [_line("1", "5")])
        store.proposals.set_proposal_status(rejected.id, ProposalStatus.PRESENTED)
        store.proposals.set_proposal_status(rejected.id, ProposalStatus.REJECTED)
        store.proposals.create_proposal(ids[3], header)  # no lines: worth 0
        store.proposals.create_proposal(ids[4], header, [_line("1", "7")])
        store.deletion.delete_customer(ids[4])  # deleted with its proposal
        # A line past 64-bit arithmetic: computed in Python.
        store.proposals.create_proposal(ids[5], header, [_line("1000000", "10000000")])
    finally:
        db.close()


def _make_version_2(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        drop_schema_11(conn)
        for name in _NEW_INDEXES:
            conn.execute(f"DROP INDEX {name}")
        conn.execute("ALTER TABLE customer DROP COLUMN pipeline_value")
        for name, target in _VERSION_2_INDEXES.items():
            conn.execute(f"CREATE INDEX {name} ON {target}")
        conn.execute("PRAGMA user_version=2")
        conn.commit()
    finally:
        conn.close()


def _counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in _TABLES}
    finally:
        conn.close()


def test_version_2_files_get_the_pipeline_value_and_the_covering_indexes(
    db_path: Path, tmp_path: Path
) -> None:
    _book(db_path)
    _make_version_2(db_path)
    before = _counts(db_path)
    fresh = tmp_path / "fresh.db"
    open_database(fresh).close()

    db = open_database(db_path)  # migrates
    try:
        store = Store(db, clock=Clock())
        values = stored(store)
        assert values == reference(store)
        assert sorted(v for v in values.values() if v is not None) == [
            Decimal("0.00"), Decimal("200.00"), Decimal("3240.56"),
            Decimal("10000000000000.00")]
        assert len(store.kpis.pipeline_by_stage()) == 1  # all prospects
    finally:
        db.close()

    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 13
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        indexes = dict(conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"))
    finally:
        conn.close()
    with sqlite3.connect(fresh) as new:
        expected = dict(new.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"))
    assert indexes == expected  # the same indexes as a new file, none of version 2's left
    assert _counts(db_path) == before
    assert len(list((db_path.parent / "backups").iterdir())) == 1  # taken before migrating


def test_a_version_1_file_reaches_version_3(db_path: Path) -> None:
    """Step 2 (missing indexes) skips the index on the column step 3 adds."""
    _book(db_path)
    _make_version_2(db_path)
    with sqlite3.connect(db_path) as conn:
        conn.execute("DROP INDEX ix_contact_plan_done")  # one step 2 makes again
        conn.execute("PRAGMA user_version=1")
    db = open_database(db_path)
    try:
        store = Store(db, clock=Clock())
        assert stored(store) == reference(store)
    finally:
        db.close()
    with sqlite3.connect(db_path) as conn:
        names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
        assert {"ix_contact_plan_done", *_NEW_INDEXES} <= names
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
