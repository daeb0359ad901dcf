"""A pull's pages (server/pull.py): in the order of the transaction ids themselves, not of
their text, and a rep's page one range of server migration v0005's index."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import psycopg
import pytest

from salesdev_tui.db import open_database
from salesdev_tui.models.stored import to_db_timestamp as ts
from salesdev_tui.server import pull
from salesdev_tui.usecases.sync import join, sync
from tests.conftest import FIXED_NOW
from tests.server.conftest import Team

STAMP = ts(FIXED_NOW)


def test_pages_across_a_power_of_ten_of_txids_skip_nothing(
        team: Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two customers last written by transactions 99,999 and 100,000, one row a page: the
    text order ('100000' < '99999') read the second first and its bound then left the
    first out forever."""
    rows = {uuid.uuid4(): "99999", uuid.uuid4(): "100000"}
    with psycopg.connect(team.admin_url, autocommit=True) as admin:
        admin.execute("SET search_path = salesdev")
        admin.execute("SET session_replication_role = replica")  # keep the txids given
        for customer, txid in rows.items():
            admin.execute("INSERT INTO customer (owner, server_txid, id, created_at,"
                          " updated_at, name, name_key, stage) VALUES (%s, %s::xid8, %s,"
                          " %s, %s, %s, %s, 'prospect')",
                          (team.user("amy"), txid, customer, STAMP, STAMP,
                           f"Customer {txid}", f"customer {txid}"))
    monkeypatch.setattr(pull, "PAGE", 1)
    laptop = open_database(tmp_path / "amy.db")
    join(laptop)
    report = sync(laptop, team.url("amy"))
    laptop.close()
    with sqlite3.connect(tmp_path / "amy.db") as conn:
        here = {row[0] for row in conn.execute("SELECT id FROM customer")}
    assert here == {customer.hex for customer in rows}
    assert report.pulled == 2


def test_a_reps_page_is_one_index_range(team: Team) -> None:
    """A rep's page names the owner in the default collation (row-level security's
    owner = current_user compares in "C": no index serves it): owner, cursor and bound
    are one range of v0005's index, read in order (no sort)."""
    with psycopg.connect(team.admin_url) as conn:
        conn.execute("SET search_path = salesdev")
        conn.execute("SET enable_seqscan = off")  # an empty table: force the choice
        conn.execute(f"SET ROLE {team.user('amy')}")
        plan = "\n".join(str(row[0]) for row in conn.execute(
            "EXPLAIN SELECT id FROM contact_plan WHERE server_txid >= '5'::xid8"
            " AND owner = current_user::text COLLATE \"default\""
            " AND (server_txid, id) > ('7'::xid8, %s) ORDER BY server_txid, id LIMIT 10",
            (uuid.uuid4(),)))
    assert "ix_contact_plan_owner_txid_id" in plan and "Sort" not in plan
    index_condition = next(line for line in plan.splitlines() if "Index Cond" in line)
    assert "CURRENT_USER" in index_condition and "server_txid" in index_condition
