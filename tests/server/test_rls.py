"""Row-level security, proven by attempts that must fail (issue 18.2).

Each person connects as their own login role with raw SQL through psycopg: what they must
not see is not there (0 rows), what they must not change changes nothing (0 rows) or is a
permission error. RLS turns a forbidden UPDATE or DELETE into 0 rows without an error, so
every assertion checks the row count.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import psycopg
import pytest

from salesdev_tui.server.admin import ServerError
from salesdev_tui.server.connect import team_connect
from salesdev_tui.server.roles import TeamRole
from tests.server.conftest import Team

NOW = "2026-12-07T01:00:00.000000"
Conn = psycopg.Connection[tuple[object, ...]]


def add_customer(conn: Conn, name: str) -> uuid.UUID:
    cid = uuid.uuid4()
    conn.execute("INSERT INTO customer (id, created_at, updated_at, name, name_key, stage)"
                 " VALUES (%s, %s, %s, %s, %s, 'negotiation')", (cid, NOW, NOW, name, name))
    return cid


def add_contract(conn: Conn, customer: uuid.UUID, *, sent: bool) -> uuid.UUID:
    kid = uuid.uuid4()
    conn.execute("INSERT INTO contract (id, created_at, updated_at, customer_id, value, cost,"
                 " legal_review, legal_sent_at) VALUES (%s, %s, %s, %s, 100000, 50000,"
                 " 'pending', %s)", (kid, NOW, NOW, customer, NOW if sent else None))
    return kid


def add_contact(conn: Conn, customer: uuid.UUID, name: str) -> uuid.UUID:
    pid = uuid.uuid4()
    conn.execute("INSERT INTO contact (id, created_at, updated_at, customer_id, name,"
                 " is_primary) VALUES (%s, %s, %s, %s, %s, true)",
                 (pid, NOW, NOW, customer, name))
    return pid


@pytest.fixture
def book(team: Team) -> dict[str, uuid.UUID]:
    """Amy's and Ben's customers, each with a contact and a contract (one sent to legal)."""
    ids: dict[str, uuid.UUID] = {}
    for rep in ("amy", "ben"):
        with team.connect(rep) as conn:
            customer = ids[f"{rep}_customer"] = add_customer(conn, f"{rep} 精密機械")
            ids[f"{rep}_contact"] = add_contact(conn, customer, f"{rep} 王大明")
            ids[f"{rep}_sent"] = add_contract(conn, customer, sent=True)
            ids[f"{rep}_draft"] = add_contract(conn, customer, sent=False)
    return ids


def count(conn: Conn, sql: str, *params: object) -> int:
    return conn.execute(sql, params).rowcount


def test_a_rep_sees_and_changes_only_own_rows(team: Team, book: dict[str, uuid.UUID]) -> None:
    ben = book["ben_customer"]
    with team.connect("amy") as amy:
        names = {name for (name,) in amy.execute("SELECT name FROM customer")}
        assert names == {"amy 精密機械"}
        for table in ("customer", "contact", "contract"):
            owners = {o for (o,) in amy.execute(f"SELECT DISTINCT owner FROM {table}")}
            assert owners == {team.user("amy")}, table
        assert amy.execute("SELECT * FROM customer WHERE id = %s", (ben,)).fetchall() == []
        assert count(amy, "UPDATE customer SET name = 'mine now' WHERE id = %s", ben) == 0
        assert count(amy, "UPDATE contact SET phone = '0912' WHERE customer_id = %s", ben) == 0
        assert count(amy, "DELETE FROM contract WHERE customer_id = %s", ben) == 0
        assert count(amy, "DELETE FROM customer WHERE id = %s", ben) == 0
        # Taking Ben's customer by writing his name as owner, or inserting as Ben: refused.
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            amy.execute("UPDATE customer SET owner = %s WHERE id = %s",
                        (team.user("ben"), book["amy_customer"]))
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            amy.execute("INSERT INTO customer (id, created_at, updated_at, name, name_key,"
                        " stage, owner) VALUES (%s, %s, %s, 'x', 'x', 'prospect', %s)",
                        (uuid.uuid4(), NOW, NOW, team.user("ben")))
    with team.connect("ben") as ben_conn:  # nothing of Ben's changed
        row = ben_conn.execute("SELECT name FROM customer WHERE id = %s", (ben,)).fetchone()
        assert row == ("ben 精密機械",)
        assert ben_conn.execute("SELECT count(*) FROM contract").fetchone() == (2,)


def test_a_manager_reads_everyone_and_may_only_hand_over(
    team: Team, book: dict[str, uuid.UUID]
) -> None:
    with team.connect("max") as manager:
        assert manager.execute("SELECT count(*) FROM customer").fetchone() == (2,)
        assert manager.execute("SELECT count(*) FROM contract").fetchone() == (4,)
        for statement in (
            "UPDATE customer SET name = 'renamed' WHERE id = %s",
            "UPDATE customer SET stage = 'lost' WHERE id = %s",
            "DELETE FROM customer WHERE id = %s",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                manager.execute(statement, (book["ben_customer"],))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            manager.execute("INSERT INTO contact (id, created_at, updated_at, customer_id,"
                            " name, is_primary) VALUES (%s, %s, %s, %s, 'x', false)",
                            (uuid.uuid4(), NOW, NOW, book["ben_customer"]))
        # Handing over to someone who is not a rep (the legal user): refused.
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            manager.execute("UPDATE customer SET owner = %s WHERE id = %s",
                            (team.user("lee"), book["ben_customer"]))
        # Handing Ben's customer to Amy: allowed, and its records follow it.
        assert count(manager, "UPDATE customer SET owner = %s WHERE id = %s",
                     team.user("amy"), book["ben_customer"]) == 1
    with team.connect("amy") as amy:
        assert amy.execute("SELECT count(*) FROM customer").fetchone() == (2,)
        assert amy.execute("SELECT count(*) FROM contact").fetchone() == (2,)
        assert amy.execute("SELECT count(*) FROM contract").fetchone() == (4,)
    with team.connect("ben") as ben:
        assert ben.execute("SELECT count(*) FROM customer").fetchone() == (0,)
        assert ben.execute("SELECT count(*) FROM contract").fetchone() == (0,)


def test_a_manager_sets_a_reps_targets(team: Team) -> None:
    with team.connect("max") as manager:
        assert count(manager, "INSERT INTO target (id, created_at, updated_at, period_kind,"
                     " period_label, kpi, value, owner, set_by) VALUES (%s, %s, %s, 'month',"
                     " '2026-12', 'new_customers', 50000, %s, current_user)",
                     uuid.uuid4(), NOW, NOW, team.user("amy")) == 1
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            manager.execute("INSERT INTO target (id, created_at, updated_at, period_kind,"
                            " period_label, kpi, value, owner) VALUES (%s, %s, %s, 'month',"
                            " '2026-12', 'new_customers', 1, %s)",
                            (uuid.uuid4(), NOW, NOW, team.user("lee")))
    with team.connect("amy") as amy:
        assert amy.execute("SELECT period_label FROM target").fetchall() == [("2026-12",)]


def test_legal_sees_sent_contracts_and_changes_only_the_review(
    team: Team, book: dict[str, uuid.UUID]
) -> None:
    with team.connect("lee") as legal:
        sent = {kid for (kid,) in legal.execute("SELECT id FROM contract")}
        assert sent == {book["amy_sent"], book["ben_sent"]}  # never a draft
        names = {name for (name,) in legal.execute("SELECT name FROM customer")}
        assert names == {"amy 精密機械", "ben 精密機械"}
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            legal.execute("SELECT notes FROM customer")  # the name only
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            legal.execute("SELECT * FROM contact")
        forbidden: list[Callable[[], object]] = [
            lambda: legal.execute("UPDATE contract SET value = 1 WHERE id = %s",
                                  (book["amy_sent"],)),
            lambda: legal.execute("UPDATE contract SET signed_at = %s WHERE id = %s",
                                  (NOW, book["amy_sent"])),
            lambda: legal.execute("DELETE FROM contract WHERE id = %s", (book["amy_sent"],)),
            lambda: legal.execute("UPDATE customer SET name = 'x'"),
        ]
        for attempt in forbidden:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                attempt()
        assert count(legal, "UPDATE contract SET legal_review = 'approved' WHERE id = %s",
                     book["amy_draft"]) == 0  # not sent: not legal's to approve
        assert count(legal, "UPDATE contract SET legal_review = 'approved', legal_reviewer ="
                     " 'lee', legal_reviewed_at = %s WHERE id = %s", NOW, book["amy_sent"]) == 1
    with team.connect("amy") as amy:
        review = amy.execute("SELECT legal_review, legal_reviewer FROM contract WHERE id = %s",
                             (book["amy_sent"],)).fetchone()
        assert review == ("approved", team.user("lee"))  # the server's stamp (v0004)


def test_salesdev_refuses_to_sync_as_superuser_or_owner(team: Team) -> None:
    with pytest.raises(ServerError, match="superuser"):
        team_connect(team.admin_url)
    conn, role = team_connect(team.url("amy"))
    with conn:
        assert role is TeamRole.REP
    _conn, role = team_connect(team.url("lee"))
    _conn.close()
    assert role is TeamRole.LEGAL
