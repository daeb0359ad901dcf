"""Migration v0005: the server refreshes a customer's maintained facts once per customer at
each firing point (the commit, or a statement's end after SET CONSTRAINTS ... IMMEDIATE),
not once per record, and the facts stay exactly those of the customer's live records."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import psycopg
import pytest

from salesdev_tui.models.stored import to_db_timestamp as ts
from tests.conftest import FIXED_NOW
from tests.server.conftest import Team

STAMP = ts(FIXED_NOW)


def _day(days: int) -> str:
    return ts(FIXED_NOW - timedelta(days=days))


@pytest.fixture
def amy(team: Team) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """Amy's rows, written as the administrator who took Amy's role: the function call
    counters (track_functions) are the administrator's to switch on."""
    with psycopg.connect(team.admin_url) as conn:
        conn.execute("SET track_functions = 'all'")
        conn.execute("SET search_path = salesdev")
        conn.execute(f"SET ROLE {team.user('amy')}")
        yield conn


def _customer(conn: psycopg.Connection[tuple[object, ...]]) -> uuid.UUID:
    customer = uuid.uuid4()
    conn.execute("INSERT INTO customer (id, created_at, updated_at, name, name_key, stage)"
                 " VALUES (%s, %s, %s, 'Facts', 'facts', 'contacted')",
                 (customer, STAMP, STAMP))
    return customer


def _plans(conn: psycopg.Connection[tuple[object, ...]], customer: uuid.UUID,
           *done: tuple[int, str | None]) -> None:
    """One multi-row INSERT: a plan per (days ago, deleted_at), all done."""
    rows = [(uuid.uuid4(), STAMP, STAMP, customer, _day(days), _day(days), deleted)
            for days, deleted in done]
    marks = ", ".join(["(%s, %s, %s, %s, 'visit', %s, 'done', %s, %s)"] * len(rows))
    conn.execute("INSERT INTO contact_plan (id, created_at, updated_at, customer_id, method,"
                 f" scheduled_at, status, done_at, deleted_at) VALUES {marks}",
                 [value for row in rows for value in row])


def _facts(conn: psycopg.Connection[tuple[object, ...]], customer: uuid.UUID
           ) -> tuple[object, ...]:
    row = conn.execute("SELECT first_contacted_at, last_contacted_at, first_signed_at"
                       " FROM customer WHERE id = %s", (customer,)).fetchone()
    assert row is not None
    return tuple(row)


def _computations(conn: psycopg.Connection[tuple[object, ...]]) -> int:
    """How many times this transaction computed a customer's facts."""
    row = conn.execute("SELECT pg_stat_get_xact_function_calls("
                       "'salesdev.customer_facts_of(uuid)'::regprocedure)").fetchone()
    assert row is not None
    return int(str(row[0] or 0))


def test_a_commit_computes_each_customers_facts_once(
        amy: psycopg.Connection[tuple[object, ...]]) -> None:
    first, second = _customer(amy), _customer(amy)
    _plans(amy, first, (9, None), (4, None), (30, _day(1)), (2, None))
    _plans(amy, second, (7, None), (5, None))
    _plans(amy, first, (12, None))
    amy.execute("SET CONSTRAINTS ALL IMMEDIATE")  # fires the deferred refreshes here
    # Version 3 computed once per customer row and once per done plan: 2 + 7 times.
    assert _computations(amy) == 2
    assert _facts(amy, first) == (_day(12), _day(2), None)  # the deleted plan not counted
    assert _facts(amy, second) == (_day(7), _day(5), None)
    amy.commit()


def test_each_statement_after_set_constraints_immediate_refreshes_again(
        amy: psycopg.Connection[tuple[object, ...]]) -> None:
    """In immediate mode every statement's end is a firing point of its own: a customer
    refreshed by one statement is refreshed again by the next that changes its records."""
    amy.execute("SET CONSTRAINTS ALL IMMEDIATE")
    customer = _customer(amy)
    assert _facts(amy, customer) == (None, None, None)
    _plans(amy, customer, (5, None), (3, None))
    assert _facts(amy, customer) == (_day(5), _day(3), None)
    _plans(amy, customer, (8, None))
    assert _facts(amy, customer) == (_day(8), _day(3), None)
    amy.execute("UPDATE contact_plan SET deleted_at = %s WHERE customer_id = %s"
                " AND done_at = %s", (STAMP, customer, _day(8)))
    assert _facts(amy, customer) == (_day(5), _day(3), None)
    amy.commit()
    # A later transaction starts its own list: the same customer is refreshed again.
    _plans(amy, customer, (1, None))
    amy.commit()
    assert _facts(amy, customer) == (_day(5), _day(1), None)


def test_the_facts_use_their_partial_indexes(team: Team) -> None:
    """The three reads are index probes of v0005's partial indexes, and v0003's plain
    duplicates of the hand-over indexes are gone."""
    with psycopg.connect(team.admin_url) as conn:
        names = {name for (name,) in conn.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = 'salesdev'"
            " AND tablename IN ('contact_plan', 'contract')")}
        conn.execute("SET search_path = salesdev")
        conn.execute("SET enable_seqscan = off")  # an empty table: force the choice
        plan = "\n".join(str(row[0]) for row in conn.execute(
            "EXPLAIN SELECT min(done_at) FROM contact_plan WHERE customer_id = %s"
            " AND status = 'done' AND deleted_at IS NULL", (uuid.uuid4(),)))
    assert {"ix_contact_plan_customer_done", "ix_contract_customer_signed",
            "ix_handover_contact_plan", "ix_handover_contract"} <= names
    assert not {"ix_contact_plan_customer", "ix_contract_customer"} & names
    assert "ix_contact_plan_customer_done" in plan
