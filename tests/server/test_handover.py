"""Customer hand-over by the manager (issue 19.4, and issue 18's leftover: records that
reach a customer only through a parent), against the real PostgreSQL.

A customer with one row in every customer-data table is handed from Amy to Ben; both
laptops sync; Ben's then holds every row Amy's held, column for column, and Amy's holds
none of them: not in any table, not in the sync's bookkeeping, not in the search index and
not in the file's bytes.
"""

from __future__ import annotations

import sqlite3
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest

from salesdev_tui.models.tables import ALL_TABLES
from salesdev_tui.server.admin import ServerError
from salesdev_tui.server.connect import team_connect
from salesdev_tui.server.handover import Refused
from salesdev_tui.server.roles import TeamRole
from salesdev_tui.usecases.handover import hand_over_customers, team_leftovers
from salesdev_tui.usecases.sync import synced_table_names
from tests.server.conftest import Team
from tests.server.test_sync import Device
from tests.test_exchange import _fill

#: Tables that belong to the rep, not to a customer: they stay with Amy.
REPS_OWN = {"research_note", "target"}
CUSTOMER_DATA = {str(m.__table__.name) for m in ALL_TABLES} - REPS_OWN  # type: ignore[attr-defined]


@pytest.fixture
def amy(team: Team, tmp_path: Path) -> Any:
    device = Device(tmp_path / "amy.db", team, "amy")
    yield device
    device.db.close()


@pytest.fixture
def ben(team: Team, tmp_path: Path) -> Any:
    device = Device(tmp_path / "ben.db", team, "ben")
    yield device
    device.db.close()


def _full_customer(device: Device) -> uuid.UUID:
    """A customer with a row in every customer-data table (tests/test_exchange.py), its
    contract not signed and its legal review pending (approving is legal's on a team
    server: issue 19.5)."""
    _fill(device.store)
    with device.db.write() as session:
        session.connection().exec_driver_sql(
            "UPDATE contract SET signed_at = NULL, legal_review = 'pending',"
            " legal_reviewed_at = NULL")
        session.connection().exec_driver_sql(
            "UPDATE customer SET stage = 'contract', first_signed_at = NULL"
            " WHERE stage = 'won'")
    rows = device.rows("customer")
    live = [key for key, row in rows.items() if "Deleted" not in str(row)]
    return uuid.UUID(hex=live[0])


def _manager(team: Team) -> psycopg.Connection[tuple[object, ...]]:
    conn, role = team_connect(team.url("max"))
    assert role is TeamRole.MANAGER
    return conn


def _sqlite(device: Device, query: str, *params: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(device.path) as conn:
        return conn.execute(query, params).fetchall()


def test_a_hand_over_moves_every_record_of_every_table(
    amy: Device, ben: Device, team: Team,
) -> None:
    _full_customer(amy)
    amy.sync()
    before = {table: amy.rows(table) for table in synced_table_names()}
    assert all(before[table] for table in CUSTOMER_DATA), [
        t for t in CUSTOMER_DATA if not before[t]]  # the fixture covers every table

    with _manager(team) as manager:
        result = hand_over_customers(manager, TeamRole.MANAGER, team.user("max"),
                                     to_rep=team.user("ben"), from_rep=team.user("amy"))
    assert len(result.customers) == 2  # the live one and the soft-deleted one
    assert set(result.moved) == CUSTOMER_DATA
    assert result.moved == {t: len(before[t]) for t in CUSTOMER_DATA}

    report = amy.sync()
    assert report.dropped == sum(len(before[t]) for t in CUSTOMER_DATA)
    for table in CUSTOMER_DATA:
        assert amy.rows(table) == {}, table
    for table in REPS_OWN:  # Amy's own research and targets stay hers
        assert amy.rows(table) == before[table], table
    assert amy.outbox() == 0
    for bookkeeping in ("sync_row", "sync_conflict"):
        assert _sqlite(amy, f"SELECT count(*) FROM {bookkeeping} WHERE table_name"
                            " NOT IN ('research_note', 'target')") == [(0,)], bookkeeping
    assert _sqlite(amy, "SELECT count(*) FROM customer_fts_pending") == [(0,)]
    assert _sqlite(amy, "SELECT count(*) FROM customer_fts_vocab") == [(0,)]  # no term left
    # Removed, not hidden: the text is gone from the file's pages and its log too.
    files = [amy.path, Path(str(amy.path) + "-wal")]
    data = b"".join(p.read_bytes() for p in files if p.exists())
    for text in ("Widget 小工具", "對手", "price [b]"):
        assert text.encode() not in data, text

    ben.sync()
    for table in CUSTOMER_DATA:
        expected = before[table]
        if table == "customer":  # the research note stayed Amy's: the link is let go
            research = [c.name for c in ALL_TABLES[1].__table__.columns].index(  # type: ignore[attr-defined]
                "research_note_id")
            expected = {k: (*v[:research], None, *v[research + 1:]) for k, v in expected.items()}
        assert ben.rows(table) == expected, table
    assert ben.rows("research_note") == {} and ben.rows("target") == {}
    # Ben works on it from here; the next syncs change nothing on Amy's laptop.
    ben.sync()
    assert amy.sync().pulled == 0 and amy.rows("customer") == {}


def _lines_and_points(conn: psycopg.Connection[tuple[object, ...]]) -> uuid.UUID:
    """As Amy: a customer with a proposal line and a negotiation point (and a research
    note it links to); returns the customer's id."""
    now = "2026-12-07T01:00:00.000000"
    cid, pid, nid, rid = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    conn.execute("INSERT INTO research_note (id, created_at, updated_at, title, noted_on)"
                 " VALUES (%s, %s, %s, 'Region north', '2026-11-01')", (rid, now, now))
    conn.execute("INSERT INTO customer (id, created_at, updated_at, name, name_key, stage,"
                 " research_note_id) VALUES (%s, %s, %s, 'Lines Co', 'lines co', 'proposal',"
                 " %s)", (cid, now, now, rid))
    conn.execute("INSERT INTO proposal (id, created_at, updated_at, customer_id, title,"
                 " version, status) VALUES (%s, %s, %s, %s, 'Offer', 1, 'draft')",
                 (pid, now, now, cid))
    conn.execute("INSERT INTO proposal_line (id, created_at, updated_at, proposal_id,"
                 " position, product, quantity, unit_price, discount_pct) VALUES"
                 " (%s, %s, %s, %s, 1, 'Bolt', 1000, 100, 0)", (uuid.uuid4(), now, now, pid))
    conn.execute("INSERT INTO negotiation (id, created_at, updated_at, customer_id,"
                 " held_at) VALUES (%s, %s, %s, %s, %s)", (nid, now, now, cid, now))
    conn.execute("INSERT INTO negotiation_point (id, created_at, updated_at,"
                 " negotiation_id, kind, text, resolved, position) VALUES"
                 " (%s, %s, %s, %s, 'agreed', 'price', false, 1)",
                 (uuid.uuid4(), now, now, nid))
    return cid


_OWNERS = ("SELECT (SELECT owner FROM proposal_line), (SELECT owner FROM negotiation_point),"
           " (SELECT research_note_id FROM customer), (SELECT count(*) FROM sync_gone"
           " WHERE table_name IN ('proposal_line', 'negotiation_point'))")


def test_version_2_repairs_hand_overs_made_under_version_1(
    server_db: tuple[str, str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Version 1 moved only the tables with a customer_id: a proposal's lines and a
    negotiation's points stayed with the old rep (and the customer kept a link to the old
    rep's research note). Migrating to version 2 moves them, logged for the laptops."""
    from salesdev_tui.server import admin

    database, admin_url = server_db
    people = Team(database, admin_url, f"t{uuid.uuid4().hex[:8]}_")
    monkeypatch.setattr(admin, "VERSIONS", (1,))
    monkeypatch.setattr(admin, "LATEST", 1)
    admin.migrate(admin_url)
    try:
        for name, role in (("amy", TeamRole.REP), ("ben", TeamRole.REP),
                           ("max", TeamRole.MANAGER)):
            admin.add_user(admin_url, people.user(name), role)
        with people.connect("amy") as conn:
            cid = _lines_and_points(conn)
        with people.connect("max") as manager:
            manager.execute("UPDATE customer SET owner = %s WHERE id = %s",
                            (people.user("ben"), cid))
            found = manager.execute(_OWNERS).fetchone()
            assert found is not None and found[:2] == (people.user("amy"),) * 2
        monkeypatch.undo()
        # A laptop of this version refuses a server not yet migrated, in plain words.
        with pytest.raises(ServerError, match="run `salesdev server migrate`"):
            team_connect(people.url("amy"))
        assert admin.migrate(admin_url) == (1, admin.LATEST)
        team_connect(people.url("amy"))[0].close()
        with people.connect("max") as manager:
            assert manager.execute(_OWNERS).fetchone() == (
                people.user("ben"), people.user("ben"), None, 2)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute("DROP OWNED BY " + ", ".join(
                people.user(n) for n in ("amy", "ben", "max")))
            for name in ("amy", "ben", "max"):
                conn.execute(f"DROP ROLE IF EXISTS {people.user(name)}")


def test_lines_and_points_move_with_their_customer(team: Team) -> None:
    """Version 2's triggers: a proposal's lines and a negotiation's points move with the
    customer; the link to the old rep's research note is let go."""
    with team.connect("amy") as conn:
        cid = _lines_and_points(conn)
    with team.connect("max") as manager:
        assert manager.execute("UPDATE customer SET owner = %s WHERE id = %s",
                               (team.user("ben"), cid)).rowcount == 1
        assert manager.execute(_OWNERS).fetchone() == (
            team.user("ben"), team.user("ben"), None, 2)


def test_a_rep_cannot_attach_rows_under_a_parent_handed_to_someone_else(
    amy: Device, team: Team,
) -> None:
    """RLS's WITH CHECK for grandchild tables: a foreign key does not look through row-level
    security, so the policy checks the parent is the rep's own."""
    _full_customer(amy)
    amy.sync()
    with _manager(team) as manager:
        hand_over_customers(manager, TeamRole.MANAGER, team.user("max"),
                            to_rep=team.user("ben"), from_rep=team.user("amy"))
        proposal = manager.execute("SELECT id FROM proposal LIMIT 1").fetchone()
        negotiation = manager.execute("SELECT id FROM negotiation LIMIT 1").fetchone()
        contract = manager.execute("SELECT id FROM contract LIMIT 1").fetchone()
    assert proposal and negotiation and contract
    now = "2026-12-07T01:00:00.000000"
    attempts = [
        ("INSERT INTO proposal_line (id, created_at, updated_at, proposal_id, position,"
         " product, quantity, unit_price, discount_pct) VALUES (%s, %s, %s, %s, 1, 'x', 1, 1,"
         " 0)",
         proposal[0]),
        ("INSERT INTO negotiation_point (id, created_at, updated_at, negotiation_id, kind,"
         " text, resolved, position) VALUES (%s, %s, %s, %s, 'agreed', 'x', false, 1)",
         negotiation[0]),
    ]
    with team.connect("amy") as conn:
        for query, parent in attempts:
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level"):
                conn.execute(query, (uuid.uuid4(), now, now, parent))
        # Her own customer cannot point at Ben's proposal or contract either.
        cid = uuid.uuid4()
        conn.execute("INSERT INTO customer (id, created_at, updated_at, name, name_key, stage)"
                     " VALUES (%s, %s, %s, 'Mine', 'mine', 'contract')", (cid, now, now))
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level"):
            conn.execute("INSERT INTO milestone (id, created_at, updated_at, customer_id,"
                         " contract_id, kind, title) VALUES (%s, %s, %s, %s, %s, 'kickoff',"
                         " 'Go')",
                         (uuid.uuid4(), now, now, cid, contract[0]))


def test_a_rep_cannot_hand_over(amy: Device, team: Team) -> None:
    cid = amy.add("Mine Ltd")
    amy.sync()
    conn, role = team_connect(team.url("amy"))
    with conn:
        assert role is TeamRole.REP
        with pytest.raises(Refused, match="Only a manager can do this"):
            hand_over_customers(conn, role, team.user("amy"), to_rep=team.user("ben"),
                                customers=[cid.hex])
        # Raw SQL is refused by the server itself.
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level"):
            conn.execute("UPDATE customer SET owner = %s WHERE id = %s",
                         (team.user("ben"), cid))
    with team.connect("ben") as conn:  # and Ben cannot take it: he does not see it
        assert conn.execute("UPDATE customer SET owner = %s WHERE id = %s",
                            (team.user("ben"), cid)).rowcount == 0
    with team.connect("amy") as conn:
        assert conn.execute("SELECT owner FROM customer").fetchall() == [(team.user("amy"),)]


def test_the_manager_is_refused_plainly_for_bad_names(amy: Device, team: Team) -> None:
    amy.add("Twin Co")
    amy.add("twin co")
    amy.sync()
    with _manager(team) as manager:
        for kwargs, message in (
            ({"to_rep": team.user("lee"), "customers": ["x"]}, "is not a rep"),
            ({"to_rep": team.user("ben"), "customers": ["Nobody Ltd"]}, "no customer"),
            ({"to_rep": team.user("ben"), "customers": ["TWIN CO"]}, "more than one"),
            ({"to_rep": team.user("ben"), "from_rep": team.user("ben")}, "same rep"),
        ):
            with pytest.raises(Refused, match=message):
                hand_over_customers(manager, TeamRole.MANAGER, team.user("max"), **kwargs)
        assert manager.execute("SELECT DISTINCT owner FROM customer").fetchall() == [
            (team.user("amy"),)]


def test_unsent_changes_to_a_handed_over_customer_are_left_for_the_manager(
    amy: Device, ben: Device, team: Team,
) -> None:
    """The decision (usecases/handover.py): the old rep's offline changes cannot go into
    rows that are now Ben's; her sync leaves them on the server for the manager, once, even
    when the sync is killed after the server committed, and then removes her copy."""
    from salesdev_tui.domain.validation import ContactPlanInput
    from tests.conftest import FIXED_NOW

    cid = amy.add("Moved Ltd")
    amy.sync()
    with _manager(team) as manager:
        hand_over_customers(manager, TeamRole.MANAGER, team.user("max"),
                            to_rep=team.user("ben"), customers=["moved ltd"])
    amy.edit(cid, notes="call back Tuesday")
    plan = amy.store.plans.plan_contact(cid, ContactPlanInput.model_validate(
        {"method": "phone", "scheduled_at": FIXED_NOW}))
    kept = amy.add("Still Amy's")
    report = amy.sync(stop_after="push-server")
    # The edit, its line in the edit history, and the new plan.
    assert report.left_for_manager == 3
    report = amy.sync()  # the same changes again: refused again, left only once
    assert report.left_for_manager == 0 and report.dropped >= 3
    assert set(amy.rows("customer")) == {kept.hex} and amy.outbox() == 0
    with _manager(team) as manager:
        left = team_leftovers(manager, TeamRole.MANAGER, team.user("max"))
    assert sorted((x.rep, x.customer, x.table) for x in left) == [
        (team.user("amy"), "Moved Ltd", t) for t in ("contact_plan", "customer", "field_edit")]
    by_table = {x.table: x for x in left}
    assert by_table["field_edit"].fields["new_value"] == "call back Tuesday"
    assert by_table["customer"].fields == {"notes": "call back Tuesday"}
    assert by_table["contact_plan"].row_id == plan.id.hex
    assert by_table["contact_plan"].fields["method"] == "phone"
    ben.sync()
    assert ben.store.customers.get_customer(cid).notes is None  # not silently merged
    assert plan.id.hex not in ben.rows("contact_plan")
    # A rep cannot read the leftovers of others, nor the manager's list.
    conn, role = team_connect(team.url("ben"))
    with conn:
        assert conn.execute("SELECT count(*) FROM handover_leftover").fetchone() == (0,)
        with pytest.raises(Refused, match="Only a manager"):
            team_leftovers(conn, role, team.user("ben"))


def test_a_customer_handed_over_mid_period_counts_for_the_new_rep(
    amy: Device, ben: Device, team: Team,
) -> None:
    """The scorecard follows the customer: after a hand-over mid-month, the contract Amy
    signed earlier that month (and the new customer it made) count for Ben, through each
    rep's own scorecard; the team's sum is unchanged."""
    from datetime import timedelta

    from salesdev_tui.config import Settings
    from salesdev_tui.domain.periods import period_containing
    from salesdev_tui.domain.validation import ContractInput, validate
    from salesdev_tui.models.enums import PeriodKind
    from salesdev_tui.models.tables import Contract
    from salesdev_tui.store.reports import period_figures
    from tests.conftest import FIXED_NOW

    settings = Settings()
    period = period_containing(FIXED_NOW, PeriodKind.MONTH, settings.zone)
    signed = period.start + timedelta(days=2)
    cid = amy.add("Mid Month Co")
    contract = amy.store.contracts.create_contract(cid, validate(ContractInput, {
        "value": "100000", "cost": "40000"}))
    amy.store.contracts.send_to_legal(contract.id)
    amy.sync()
    with team.connect("lee") as lee:  # approved by legal on the server (issue 19.5)
        assert lee.execute("UPDATE contract SET legal_review = 'approved', legal_reviewer ="
                           " current_user, legal_reviewed_at = %s WHERE id = %s",
                           ("2026-11-02T01:00:00.000000", contract.id)).rowcount == 1
    amy.sync()
    with amy.db.write() as session:
        row = session.get(Contract, contract.id)
        assert row is not None
        row.signed_at = signed
        session.add(row)
        session.flush()
        amy.store.customers.refresh_customer_facts(session, {cid})
    amy.sync()

    def card(device: Device) -> tuple[int, Decimal]:
        found = period_figures(device.store, period, settings, FIXED_NOW.date()).card
        return found.new_customers, found.revenue

    assert (card(amy), card(ben)) == ((1, Decimal("100000.00")), (0, Decimal("0")))
    with _manager(team) as manager:  # mid-month, after the signing
        hand_over_customers(manager, TeamRole.MANAGER, team.user("max"),
                            to_rep=team.user("ben"), customers=[cid.hex[:8]])
    amy.sync()
    ben.sync()
    assert contract.id.hex in ben.rows("contract")
    assert (card(amy), card(ben)) == ((0, Decimal("0")), (1, Decimal("100000.00")))


def test_a_revised_proposal_crosses_push_batches_and_pull_pages(
    amy: Device, ben: Device, team: Team, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Found by handing over 2,000 demo customers: a proposal's previous version (whose id
    sorts after it) was pushed in a later batch, and pulled in a later page, than the
    version naming it, and the foreign key refused the first."""
    from salesdev_tui.server import pull
    from salesdev_tui.usecases import sync as sync_use_case

    _full_customer(amy)
    monkeypatch.setattr(sync_use_case, "PUSH_BATCH", 1)
    monkeypatch.setattr(pull, "PAGE", 1)
    amy.sync()
    with _manager(team) as manager:
        hand_over_customers(manager, TeamRole.MANAGER, team.user("max"),
                            to_rep=team.user("ben"), from_rep=team.user("amy"))
    ben.sync()
    proposals = ben.rows("proposal")
    assert len(proposals) == 2 and {row[5] for row in proposals.values()} - {None} <= set(
        proposals)  # previous_id names the other one
