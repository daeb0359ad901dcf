"""`salesdev sync` between laptops and the real team server (issue 18.3, 18.4).

Two devices of one rep (a laptop and a desktop), another rep, edits made offline on each,
syncs in different orders and syncs stopped half way; the end state is checked row by row
in every device's SQLite file and on the server.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from salesdev_tui.db import open_database
from salesdev_tui.domain.validation import ContactInput, CustomerInput, validate
from salesdev_tui.store.combined import Store
from salesdev_tui.usecases.sync import join, sync, synced_table_names
from tests.conftest import Clock
from tests.server.conftest import Team


class Device:
    """One laptop: its own SQLite file and store, joined to the team as `user`."""

    def __init__(self, path: Path, team: Team, user: str) -> None:
        self.path = path
        self.url = team.url(user)
        self.db = open_database(path)
        self.store = Store(self.db, clock=Clock())
        join(self.db)

    def sync(self, **kwargs: Any) -> Any:
        return sync(self.db, self.url, **kwargs)

    def add(self, name: str, contact: str = "王大明") -> uuid.UUID:
        customer = validate(CustomerInput, {"name": name})
        person = validate(ContactInput, {"name": contact, "phone": "0912 345 678"})
        return self.store.customers.add_lead(customer, person).id  # type: ignore[no-any-return]

    def edit(self, customer_id: uuid.UUID, **fields: Any) -> None:
        fields.setdefault("name", self.store.customers.get_customer(customer_id).name)
        self.store.customers.update_customer(customer_id, validate(CustomerInput, fields))

    def rows(self, table: str) -> dict[str, tuple[Any, ...]]:
        with sqlite3.connect(self.path) as conn:
            return {row[0]: row for row in conn.execute(f"SELECT * FROM {table}")}

    def outbox(self) -> int:
        with sqlite3.connect(self.path) as conn:
            return int(conn.execute("SELECT count(*) FROM sync_outbox").fetchone()[0])

    def conflicts(self) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.path) as conn:
            return conn.execute("SELECT field, kept_value, lost_value FROM sync_conflict"
                                " ORDER BY noted_at").fetchall()


@pytest.fixture
def devices(team: Team, tmp_path: Path) -> Iterator[dict[str, Device]]:
    found = {name: Device(tmp_path / f"{name}.db", team, user)
             for name, user in (("laptop", "amy"), ("desktop", "amy"), ("ben", "ben"))}
    yield found
    for device in found.values():
        device.db.close()


def same_data(a: Device, b: Device) -> None:
    for table in synced_table_names():
        assert a.rows(table) == b.rows(table), table


def test_a_lead_reaches_the_reps_other_device_exactly(devices: dict[str, Device]) -> None:
    laptop, desktop, ben = devices["laptop"], devices["desktop"], devices["ben"]
    cid = laptop.add("台灣精密機械股份有限公司")
    laptop.edit(cid, name="台灣精密機械股份有限公司", address="台北市信義路五段7號")
    report = laptop.sync()
    rows = sum(len(laptop.rows(table)) for table in synced_table_names())
    assert rows == 4  # the customer, the contact, its first stage, the address edit
    assert report.pushed == rows and laptop.outbox() == 0
    desktop.sync()
    same_data(laptop, desktop)  # every column, times and derived columns included
    ben.sync()
    assert ben.rows("customer") == {} and ben.rows("contact") == {}  # RLS end to end


def test_different_fields_merge_and_the_same_field_keeps_the_later_change(
    devices: dict[str, Device],
) -> None:
    laptop, desktop = devices["laptop"], devices["desktop"]
    cid = laptop.add("Acme Trading")
    laptop.sync()
    desktop.sync()
    # Offline on both: different fields, and one field on both (the desktop's is later).
    laptop.edit(cid, industry="機械")
    laptop.edit(cid, notes="laptop's note")
    desktop.edit(cid, website="acme.example")
    desktop.edit(cid, notes="desktop's note")
    laptop.sync()
    desktop.sync()
    laptop.sync()
    for device in (laptop, desktop):
        row = device.store.customers.get_customer(cid)
        assert (row.industry, row.website, row.notes) == ("機械", "acme.example",
                                                          "desktop's note")
        assert device.conflicts() == [("notes", "desktop's note", "laptop's note")]
    same_data(laptop, desktop)


def test_a_soft_deletion_travels(devices: dict[str, Device]) -> None:
    laptop, desktop = devices["laptop"], devices["desktop"]
    cid = laptop.add("Gone Ltd")
    laptop.sync()
    desktop.sync()
    desktop.store.deletion.delete_customer(cid)
    desktop.sync()
    laptop.sync()
    assert laptop.rows("customer")[cid.hex][3] is not None  # deleted_at
    assert all(row[3] is not None for row in laptop.rows("contact").values())
    same_data(laptop, desktop)


def test_a_push_killed_after_the_server_committed_is_not_doubled(
    devices: dict[str, Device], team: Team,
) -> None:
    laptop, desktop = devices["laptop"], devices["desktop"]
    laptop.add("Once Only Co")
    laptop.sync(stop_after="push-server")
    assert laptop.outbox() > 0  # the laptop does not know the server has it
    laptop.sync()
    assert laptop.outbox() == 0
    with team.connect("amy") as conn:
        assert conn.execute("SELECT count(*) FROM customer").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM contact").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM sync_conflict").fetchone() == (0,)
    desktop.sync()
    same_data(laptop, desktop)


def test_a_pull_killed_half_way_is_finished_by_the_next(devices: dict[str, Device]) -> None:
    laptop, desktop = devices["laptop"], devices["desktop"]
    for index in range(3):
        laptop.add(f"Customer {index}")
    laptop.sync()
    desktop.sync(stop_after="pull-page")  # customers applied, contacts and cursor not
    assert len(desktop.rows("customer")) == 3 and desktop.rows("contact") == {}
    desktop.sync()
    same_data(laptop, desktop)


@pytest.mark.holds_transaction
def test_a_late_commit_is_not_skipped(devices: dict[str, Device], team: Team) -> None:
    """Two server transactions: the first to start commits last. A cursor that moved to
    the highest transaction id seen would skip the first one's row forever."""
    laptop, desktop = devices["laptop"], devices["desktop"]
    early = team.connect("amy")
    early.autocommit = False
    early.execute("INSERT INTO customer (id, created_at, updated_at, name, name_key, stage)"
                  " VALUES (%s, '2026-12-07T01:00:00.000000', '2026-12-07T01:00:00.000000',"
                  " 'Early Start', 'early start', 'prospect')", (uuid.uuid4(),))
    laptop.add("Late Start")
    laptop.sync()  # commits after `early` began: a higher transaction id
    desktop.sync()
    assert "Early Start" not in {row[4] for row in desktop.rows("customer").values()}
    early.commit()
    early.close()
    desktop.sync()
    names = {row[4] for row in desktop.rows("customer").values()}
    assert names == {"Early Start", "Late Start"}


def test_changes_made_while_a_sync_runs_are_sent(
    devices: dict[str, Device], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A field changed again between the push reading it and the outbox being cleared
    keeps its outbox row (a newer hlc) and is sent, not forgotten."""
    import salesdev_tui.server.push as push_module

    laptop, desktop = devices["laptop"], devices["desktop"]
    cid = laptop.add("Busy Co")
    laptop.sync()
    laptop.edit(cid, notes="before the sync")
    original = push_module.push
    edited = threading.Event()

    def push_then_edit(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        if not edited.is_set():
            edited.set()
            laptop.edit(cid, notes="typed during the sync")
        return result

    monkeypatch.setattr(push_module, "push", push_then_edit)
    laptop.sync()
    assert edited.is_set() and laptop.outbox() == 0
    desktop.sync()
    assert desktop.store.customers.get_customer(cid).notes == "typed during the sync"
    same_data(laptop, desktop)


def test_a_lost_value_can_be_restored_on_any_device(devices: dict[str, Device]) -> None:
    laptop, desktop = devices["laptop"], devices["desktop"]
    cid = laptop.add("Acme Trading")
    laptop.sync()
    desktop.sync()
    laptop.edit(cid, notes="laptop's note")
    desktop.edit(cid, notes="desktop's note")
    laptop.sync()
    desktop.sync()  # the desktop's later note wins; the laptop's is kept as lost
    laptop.sync()
    from salesdev_tui.usecases.sync import resolve, status

    assert status(laptop.db).conflicts == 1
    with sqlite3.connect(laptop.path) as conn:
        (conflict_id,) = conn.execute("SELECT id FROM sync_conflict").fetchone()
    assert resolve(laptop.db, conflict_id[:8], restore=True)
    assert not resolve(laptop.db, conflict_id[:8], restore=True)  # no longer open
    laptop.sync()
    desktop.sync()
    for device in (laptop, desktop):
        assert device.store.customers.get_customer(cid).notes == "laptop's note"
        assert status(device.db).conflicts == 0
    same_data(laptop, desktop)


def test_a_migration_keeps_a_joined_laptop_logging(devices: dict[str, Device]) -> None:
    """A schema step that rebuilds a table drops its triggers; the runner puts them back
    with the new columns, so the first edit after an upgrade is still sent."""
    from salesdev_tui.db.migrations import migrate

    laptop, desktop = devices["laptop"], devices["desktop"]
    cid = laptop.add("Upgraded Co")
    laptop.sync()
    desktop.sync()
    laptop.db.close()
    with sqlite3.connect(laptop.path) as conn:
        conn.execute("DROP TRIGGER sync_log_customer_update")  # as a table rebuild would
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    migrate(laptop.path, version - 1, steps={version: lambda conn: None}, target=version)
    laptop.db = open_database(laptop.path)
    laptop.store = Store(laptop.db, clock=Clock())
    laptop.edit(cid, notes="after the upgrade")
    laptop.sync()
    desktop.sync()
    assert desktop.store.customers.get_customer(cid).notes == "after the upgrade"


def test_a_handed_over_customer_moves_to_the_new_reps_devices(
    devices: dict[str, Device], team: Team,
) -> None:
    laptop, ben = devices["laptop"], devices["ben"]
    cid = ben.add("Handed Over Ltd", contact="李小姐")
    kept = ben.add("Stays With Ben")
    ben.sync()
    with team.connect("max") as manager:
        assert manager.execute("UPDATE customer SET owner = %s WHERE id = %s",
                               (team.user("amy"), cid)).rowcount == 1
    report = ben.sync()
    assert report.dropped >= 3  # the customer, its contact, its first stage
    assert set(ben.rows("customer")) == {kept.hex}
    assert {row[4] for row in ben.rows("contact").values()} != {"李小姐"}
    laptop.sync()
    assert cid.hex in laptop.rows("customer")
    assert "李小姐" in {row[5] for row in laptop.rows("contact").values()}
    # Amy works on it from here; Ben's devices never see it again.
    laptop.edit(cid, notes="Amy's now")
    laptop.sync()
    ben.sync()
    assert set(ben.rows("customer")) == {kept.hex}


def test_a_customer_handed_away_and_back_stays(devices: dict[str, Device], team: Team) -> None:
    """Found by the stateful test: the handover log said "gone" while the customer was
    Amy's again, and her laptop dropped a customer the server still showed her."""
    laptop = devices["laptop"]
    cid = laptop.add("Back Again Co")
    laptop.sync()
    with team.connect("max") as manager:
        for rep in ("ben", "amy"):
            assert manager.execute("UPDATE customer SET owner = %s WHERE id = %s",
                                   (team.user(rep), cid)).rowcount == 1
    laptop.sync()
    assert cid.hex in laptop.rows("customer") and len(laptop.rows("contact")) == 1


def test_a_record_added_offline_to_a_handed_over_customer_is_refused(
    devices: dict[str, Device], team: Team,
) -> None:
    """Found by the stateful test: a plan Amy's laptop made offline for a customer the
    manager had handed to Ben landed on the server as Amy's row under Ben's customer, and
    her laptop's sync then failed for ever on a foreign key when it dropped the customer."""
    from salesdev_tui.domain.validation import ContactPlanInput
    from tests.conftest import FIXED_NOW

    laptop, ben = devices["laptop"], devices["ben"]
    cid = laptop.add("Moved Ltd")
    laptop.sync()
    with team.connect("max") as manager:
        manager.execute("UPDATE customer SET owner = %s WHERE id = %s", (team.user("ben"), cid))
    plan = laptop.store.plans.plan_contact(cid, ContactPlanInput.model_validate(
        {"method": "phone", "scheduled_at": FIXED_NOW}))
    report = laptop.sync()
    assert plan.id.hex in report.refused
    assert laptop.rows("customer") == {} and laptop.rows("contact_plan") == {}
    assert laptop.outbox() == 0
    # And the server's policy refuses it to raw SQL too.
    with team.connect("amy") as amy, pytest.raises(psycopg.errors.InsufficientPrivilege,
                                                   match="row-level security"):
        amy.execute("INSERT INTO contact_plan (id, created_at, updated_at, customer_id,"
                    " method, scheduled_at, status) VALUES (%s, %s, %s, %s, 'phone', %s,"
                    " 'planned')", (uuid.uuid4(), "2026-12-07T01:00:00.000000",
                                    "2026-12-07T01:00:00.000000", cid,
                                    "2026-12-07T01:00:00.000000"))
    ben.sync()
    assert plan.id.hex not in ben.rows("contact_plan")
    assert cid.hex in ben.rows("customer")


def test_legal_verdict_and_a_concurrent_local_verdict_keep_a_conflict(
    devices: dict[str, Device], team: Team,
) -> None:
    """Legal writes on the server without the sync's field clocks (it may not touch them):
    the server stamps the fields it changed, so a laptop that changed the same field
    offline meanwhile (the rep sent the contract again: back to pending, the one change of
    the review a rep may make on a team, migration v0004) does not silently erase legal's:
    the later change wins and the other is kept as a conflict."""
    from salesdev_tui.domain.validation import ContractInput

    laptop, desktop = devices["laptop"], devices["desktop"]
    cid = laptop.add("Reviewed Co")
    contract = laptop.store.contracts.create_contract(
        cid, validate(ContractInput, {"value": "1000"}))
    laptop.store.contracts.send_to_legal(contract.id)
    laptop.sync()
    with team.connect("lee") as legal:
        assert legal.execute("UPDATE contract SET legal_review = 'approved',"
                             " legal_reviewer = 'lee' WHERE id = %s",
                             (contract.id,)).rowcount == 1
    laptop.sync()  # the approval arrives
    with team.connect("lee") as legal:  # legal changes its mind while the laptop is offline
        assert legal.execute("UPDATE contract SET legal_review = 'rejected',"
                             " legal_comments = 'price clause' WHERE id = %s",
                             (contract.id,)).rowcount == 1
    laptop.store.contracts.send_to_legal(contract.id)  # offline, after legal's
    laptop.sync()
    desktop.sync()
    for device in (laptop, desktop):
        assert ("legal_review", "pending", "rejected") in device.conflicts()
        assert device.rows("contract")[contract.id.hex] == laptop.rows("contract")[
            contract.id.hex]


def test_a_long_transaction_elsewhere_does_not_stall_the_pull(
    devices: dict[str, Device],
) -> None:
    """The cursor stays below any transaction still running (anywhere in the cluster:
    transaction ids are cluster-wide), but rows already committed are pulled now rather
    than when that transaction ends (found by the stateful test on this shared server)."""
    from tests.server.conftest import ADMIN

    laptop, desktop = devices["laptop"], devices["desktop"]
    with psycopg.connect(ADMIN) as other:  # another database's long transaction
        other.execute("SELECT pg_current_xact_id()")
        cid = laptop.add("Not Stalled Co")
        laptop.sync()
        desktop.sync()
        assert cid.hex in desktop.rows("customer")
        other.rollback()
    desktop.sync()
    same_data(laptop, desktop)
