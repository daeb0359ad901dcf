"""The fast demo loader (store.bulk_load + domain.demo_stream) writes what the app writes.

The proof: the same demo through the app's own path (`generate_demo` + `bulk_insert`, every
value through SQLAlchemy and the column types) and through the fast path (pre-converted
values, raw `executemany`, indexes and search index made at the end) gives byte-equal tables,
the same schema, and equal records read back through the store.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from salesdev_tui.db import Database, open_database
from salesdev_tui.db.search_index import check_search_index
from salesdev_tui.domain.demo import generate_demo
from salesdev_tui.domain.demo_stream import stream_demo
from salesdev_tui.models.enums import PlanStatus
from salesdev_tui.models.tables import ALL_TABLES, ContactPlan, Contract, Customer
from salesdev_tui.store.bulk_load import DemoSpec, bulk_load, demo_chunks, prepare
from salesdev_tui.store.combined import Store
from salesdev_tui.store.customers import CustomerStore
from tests.conftest import FIXED_NOW

ZONE = ZoneInfo("Asia/Taipei")


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Any]:
    opened: list[Database] = []

    def make(name: str) -> Database:
        db = open_database(tmp_path / f"{name}.db")
        opened.append(db)
        return db

    yield make
    for db in opened:
        db.close()


def _tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, raw as stored (customers with their rowid: the search
    index is keyed by it), and the schema."""
    conn = sqlite3.connect(path)
    try:
        out = {
            model.__tablename__: conn.execute(  # type: ignore[attr-defined]
                f"SELECT rowid, * FROM {model.__tablename__} ORDER BY id"  # type: ignore[attr-defined]
            ).fetchall()
            for model in ALL_TABLES
        }
        out["schema"] = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name"
        ).fetchall()
        return out
    finally:
        conn.close()


def _load(db: Database, spec: DemoSpec, *, background: bool = False) -> int:
    counts = bulk_load(db, demo_chunks(spec, background=background))
    return counts.total


def test_fast_path_writes_exactly_what_the_app_writes(fresh: Any) -> None:
    app_db, fast_db = fresh("app"), fresh("fast")
    records = generate_demo(customers=90, seed=5, now=FIXED_NOW, zone=ZONE)
    Store(app_db).exchange.bulk_insert(records)
    # Chunks of 25: several transactions and a short last one.
    total = _load(fast_db, DemoSpec(customers=90, seed=5, now=FIXED_NOW, zone=ZONE, chunk=25))
    assert total == sum(len(rows) for rows in records.values())

    app_rows, fast_rows = _tables(app_db.path), _tables(fast_db.path)
    for table, rows in app_rows.items():
        assert fast_rows[table] == rows, table
    # And read back through the app: equal model instances (ids, times, money, enums...).
    assert Store(fast_db).exchange.export_records() == Store(app_db).exchange.export_records()


def test_search_index_is_built_and_finds_customers(fresh: Any) -> None:
    db = fresh("fast")
    _load(db, DemoSpec(customers=40, seed=3, now=FIXED_NOW, zone=ZONE, years=3))
    with db.engine.connect() as conn:
        check_search_index(conn)  # raises if the index disagrees with the customers' text
        pending = conn.exec_driver_sql("SELECT count(*) FROM customer_fts_pending").scalar()
    assert pending == 0
    store = Store(db)
    with db.read() as session:
        name = session.exec(select(Customer.name)).first()
    assert name is not None
    assert name in [row.name for row in store.search.quick_find(name[1:], limit=50)]


def test_maintained_columns_agree_with_the_records(fresh: Any) -> None:
    db = fresh("fast")
    _load(db, DemoSpec(customers=120, seed=8, now=FIXED_NOW, zone=ZONE, years=3, chunk=50))
    with db.read() as session:
        before = {c.id: c for c in session.exec(select(Customer)).all()}
        plans = session.exec(select(ContactPlan)).all()
        contracts = session.exec(select(Contract)).all()
    with db.write() as session:
        CustomerStore.refresh_customer_facts(session, set(before))
    with db.read() as session:
        after = {c.id: c for c in session.exec(select(Customer)).all()}
    for cid, customer in before.items():
        assert customer.first_contacted_at == after[cid].first_contacted_at
        assert customer.first_signed_at == after[cid].first_signed_at
    assert any(c.first_signed_at for c in before.values())
    # The last activity is the latest past event: no done plan or signature after it.
    for plan in plans:
        if plan.status is PlanStatus.DONE:
            last = before[plan.customer_id].last_activity_at
            assert plan.done_at is not None and last is not None and plan.done_at <= last
    for contract in contracts:
        if contract.signed_at is not None:
            last = before[contract.customer_id].last_activity_at
            assert last is not None and contract.signed_at <= last


def test_several_years_of_history_and_numbered_contracts(fresh: Any) -> None:
    db = fresh("fast")
    _load(db, DemoSpec(customers=200, seed=2, now=FIXED_NOW, zone=ZONE, years=3, chunk=64))
    with db.read() as session:
        created = [c.created_at for c in session.exec(select(Customer)).all()]
        numbers = [c.number for c in session.exec(select(Contract)).all()]
    assert min(created) < FIXED_NOW - timedelta(days=2 * 365)
    assert max(created) > FIXED_NOW - timedelta(days=365)
    assert all(n is not None and n.startswith("SD-20") for n in numbers)
    assert len(set(numbers)) == len(numbers)
    # Targets come once, after all customers.
    assert Store(db).exchange.export_records()["targets"]


def test_background_process_gives_the_same_rows() -> None:
    spec = DemoSpec(customers=30, seed=4, now=FIXED_NOW, zone=ZONE, chunk=12)
    assert list(demo_chunks(spec, background=True)) == list(spec.chunks())


def test_chunks_are_bounded_and_complete() -> None:
    chunks = list(stream_demo(customers=50, seed=1, now=FIXED_NOW, zone=ZONE, chunk=20))
    assert [len(c["customers"]) for c in chunks] == [20, 20, 10, 0]
    assert chunks[-1]["targets"] and not any(c["targets"] for c in chunks[:-1])
    assert sum(len(c) for c in prepare(chunks[:1])) > 0


def test_refuses_a_database_with_customers(fresh: Any) -> None:
    db = fresh("full")
    Store(db).exchange.bulk_insert(generate_demo(customers=3, seed=1, now=FIXED_NOW, zone=ZONE))
    with pytest.raises(ValueError, match="without customers"):
        _load(db, DemoSpec(customers=3, seed=1, now=FIXED_NOW, zone=ZONE))


def test_cli_demo_uses_the_fast_loader(tmp_path: Path) -> None:
    from salesdev_tui.cli import cli

    target = tmp_path / "big.db"
    result = CliRunner().invoke(
        cli, ["demo", "--customers", "60", "--years", "2", "--seed", "3", "--db", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert "60 customers" in result.output
    db = open_database(target)
    try:
        with db.read() as session:
            assert len(session.exec(select(Customer)).all()) == 60
    finally:
        db.close()


def test_pace_thins_open_plans_only() -> None:
    def plans(pace: int | None) -> tuple[int, int]:
        rows = [
            row
            for chunk in stream_demo(customers=400, seed=6, now=FIXED_NOW, zone=ZONE, pace=pace)
            for row in chunk["contact_plans"]
        ]
        open_ = sum(1 for row in rows if row.status is PlanStatus.PLANNED)
        return open_, len(rows) - open_

    whole, thinned = plans(None), plans(5)
    assert thinned[1] == whole[1]  # the history is untouched
    assert 0 < thinned[0] < whole[0] / 4
