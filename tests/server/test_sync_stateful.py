"""The team sync under random offline work, syncs and kills (issue 18, "Done when").

Three reps (Amy with a laptop and a desktop, Ben, Cal), a manager who hands customers over
and a legal user who approves contracts sent for review. Hypothesis picks the steps: add a
customer, a plan, a contract; edit a customer's fields, a plan's time, a contract's value;
send a contract to legal; soft-delete a customer; sync a device, or sync it and stop as if
killed right after the server committed a push or after one pulled page.

What each step wrote is read back from the device's own change log (the outbox rows it
added or moved), so the model needs no copy of the store's rules: a write is (table, row,
field, value), with what its writer could have known then (the writes on the server at its
last complete pull; after a killed pull only "perhaps"). At the end every device syncs
twice and the teardown checks:

* every device of a rep holds exactly the rows the server shows that rep (so no rep holds
  another rep's rows), and two devices of one rep hold the same data, column for column;
* every write is on the server, unless a write made after it (by a writer that saw it, or
  perhaps saw it) replaced it, or it lost to a concurrent one and a conflict record keeps
  its value; a write the server refused is one to a customer handed to another rep.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule, run_state_machine_as_test

from salesdev_tui.db import open_database
from salesdev_tui.domain.validation import (
    ContactInput,
    ContactPlanInput,
    ContractInput,
    CustomerInput,
    validate,
)
from salesdev_tui.server.admin import add_user
from salesdev_tui.server.exchange import as_text, shape, table_shapes, to_local, to_server
from salesdev_tui.server.roles import TeamRole
from salesdev_tui.store.combined import Store
from salesdev_tui.usecases.sync import join, sync
from tests.conftest import Clock
from tests.server.conftest import Team

REPS = ("amy", "ben", "cal")
DEVICES = (("amy_laptop", "amy"), ("amy_desktop", "amy"), ("ben", "ben"), ("cal", "cal"))
CUSTOMER_FIELDS = ("notes", "address", "website", "industry")
#: Few values, so that two devices often write the same field (and sometimes the same value).
TEXTS = ("台北市信義路五段7號", "acme.example", "機械", "a note", "another note", "")
TIMES = tuple(datetime(2026, 12, 8, 9, 0, tzinfo=UTC) + timedelta(hours=h, microseconds=u)
              for h, u in ((0, 0), (5, 1), (26, 999_999)))
VALUES = (Decimal("1000000.00"), Decimal("0.01"), Decimal("123456789.99"))
KILLS = ("push-server", "pull-page")
pick = st.integers(min_value=0, max_value=10_000)


@dataclass
class Write:
    """One field written by a device (or legal on the server)."""

    number: int
    writer: str
    key: tuple[str, str, str]  # table, row id (hex), field
    value: Any  # the laptop's storage form
    knew: frozenset[int]  # writes the writer had certainly seen
    perhaps: frozenset[int]  # ... or may have seen (a pull killed half way)
    customer: str | None = None  # the customer the row belongs to (itself for a customer)
    on_server: bool = False
    refused: bool = False


@dataclass
class Laptop:
    name: str
    rep: str
    path: Path
    url: str
    db: Any
    store: Store
    knew: set[int] = field(default_factory=set)
    perhaps: set[int] = field(default_factory=set)

    def sql(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.path) as conn:
            return conn.execute(query, params).fetchall()

    def outbox(self) -> dict[tuple[str, str, str], int]:
        return {(t, r, f): h for t, r, f, h in
                self.sql("SELECT table_name, row_id, field, hlc FROM sync_outbox")}

    def live(self, table: str, where: str = "") -> list[str]:
        return [row[0] for row in self.sql(
            f"SELECT id FROM {table} WHERE deleted_at IS NULL {where} ORDER BY id")]


def _wipe(admin_url: str) -> None:
    """Empty the server's data between examples (a fresh database each time is slow)."""
    names = [t.name for t in table_shapes()] + ["sync_conflict", "sync_gone"]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"TRUNCATE {', '.join('salesdev.' + n for n in names)}")


class TeamSync(RuleBasedStateMachine):
    team: Team  # set by the test before the machine runs

    def __init__(self) -> None:
        super().__init__()
        _wipe(self.team.admin_url)
        self.tmp = Path(tempfile.mkdtemp(prefix="synctest-"))
        self.devices: dict[str, Laptop] = {}
        for name, rep in DEVICES:
            path = self.tmp / f"{name}.db"
            db = open_database(path)
            join(db)
            self.devices[name] = Laptop(name, rep, path, self.team.url(rep), db,
                                        Store(db, clock=Clock()))
        self.writes: list[Write] = []
        self.owner: dict[str, str] = {}  # customer id -> rep, as the manager left it
        self.counter = 0

    # -- recording what a step wrote ------------------------------------------------------

    def _record(self, device: Laptop, before: dict[tuple[str, str, str], int]) -> None:
        for key, hlc in sorted(device.outbox().items()):
            if before.get(key) == hlc:
                continue
            table_name, row_id, name = key
            table = shape(table_name)
            columns = ", ".join(f'"{c}"' for c in table.columns)
            row = device.sql(f'SELECT {columns} FROM "{table_name}" WHERE id = ?', row_id)
            if not row:
                continue
            values = dict(zip(table.columns, row[0], strict=True))
            if table_name == "customer" and row_id not in self.owner:
                self.owner[row_id] = device.rep
            customer = row_id if table_name == "customer" else values.get("customer_id")
            for field_name in (table.fields if name == "*" else (name,)):
                self.writes.append(Write(
                    len(self.writes), device.name, (table_name, row_id, field_name),
                    values[field_name], frozenset(device.knew), frozenset(device.perhaps),
                    customer))
        # A device knows its own writes (the server takes them as sequential: same device).
        mine = {w.number for w in self.writes if w.writer == device.name}
        device.knew |= mine
        device.perhaps |= mine

    def _do(self, device_name: str, action: Any) -> Any:
        device = self.devices[device_name]
        before = device.outbox()
        try:
            return action(device)
        finally:
            self._record(device, before)

    def _customer(self, device: Laptop, n: int) -> str | None:
        found = device.live("customer")
        return found[n % len(found)] if found else None

    # -- offline work on a device ---------------------------------------------------------

    @rule(device=st.sampled_from([d for d, _ in DEVICES]))
    def add_customer(self, device: str) -> None:
        self.counter += 1
        name = f"客戶 {self.counter} {device}"

        def act(d: Laptop) -> None:
            d.store.customers.add_lead(validate(CustomerInput, {"name": name}),
                             validate(ContactInput, {"name": "王大明", "phone": "0912345678"}))
        self._do(device, act)

    @rule(device=st.sampled_from([d for d, _ in DEVICES]), n=pick,
          name=st.sampled_from(CUSTOMER_FIELDS), text=st.sampled_from(TEXTS))
    def edit_customer(self, device: str, n: int, name: str, text: str) -> None:
        def act(d: Laptop) -> None:
            cid = self._customer(d, n)
            if cid is not None:
                d.store.customers.update_customer(uuid.UUID(hex=cid),
                                        validate(CustomerInput, {"name": "x", name: text})
                                        .model_copy(update={"name": self._name(d, cid)}))
        self._do(device, act)

    @staticmethod
    def _name(d: Laptop, cid: str) -> str:
        return str(d.sql("SELECT name FROM customer WHERE id = ?", cid)[0][0])

    @rule(device=st.sampled_from([d for d, _ in DEVICES]), n=pick, when=st.sampled_from(TIMES))
    def plan_contact(self, device: str, n: int, when: datetime) -> None:
        def act(d: Laptop) -> None:
            cid = self._customer(d, n)
            if cid is not None:
                d.store.plans.plan_contact(uuid.UUID(hex=cid), ContactPlanInput.model_validate(
                    {"method": "phone", "scheduled_at": when}))
        self._do(device, act)

    @rule(device=st.sampled_from([d for d, _ in DEVICES]), n=pick, when=st.sampled_from(TIMES))
    def reschedule(self, device: str, n: int, when: datetime) -> None:
        def act(d: Laptop) -> None:
            plans = d.live("contact_plan", "AND customer_id IN (SELECT id FROM customer"
                           " WHERE deleted_at IS NULL)")
            if plans:
                d.store.plans.reschedule(uuid.UUID(hex=plans[n % len(plans)]), when)
        self._do(device, act)

    @rule(device=st.sampled_from([d for d, _ in DEVICES]), n=pick, value=st.sampled_from(VALUES))
    def add_contract(self, device: str, n: int, value: Decimal) -> None:
        def act(d: Laptop) -> None:
            cid = self._customer(d, n)
            if cid is not None:
                d.store.contracts.create_contract(uuid.UUID(hex=cid),
                                        validate(ContractInput, {"value": str(value)}))
        self._do(device, act)

    def _contract(self, d: Laptop, n: int) -> str | None:
        found = d.live("contract", "AND signed_at IS NULL AND customer_id IN (SELECT id FROM"
                       " customer WHERE deleted_at IS NULL)")
        return found[n % len(found)] if found else None

    @rule(device=st.sampled_from([d for d, _ in DEVICES]), n=pick, value=st.sampled_from(VALUES))
    def edit_contract_value(self, device: str, n: int, value: Decimal) -> None:
        def act(d: Laptop) -> None:
            kid = self._contract(d, n)
            if kid is not None:
                number = d.sql("SELECT number FROM contract WHERE id = ?", kid)[0][0]
                d.store.contracts.update_contract(uuid.UUID(hex=kid), validate(
                    ContractInput, {"value": str(value), "number": number}))
        self._do(device, act)

    @rule(device=st.sampled_from([d for d, _ in DEVICES]), n=pick)
    def send_to_legal(self, device: str, n: int) -> None:
        def act(d: Laptop) -> None:
            kid = self._contract(d, n)
            if kid is not None:
                d.store.contracts.send_to_legal(uuid.UUID(hex=kid))
        self._do(device, act)

    @rule(device=st.sampled_from([d for d, _ in DEVICES]), n=pick)
    def delete_customer(self, device: str, n: int) -> None:
        def act(d: Laptop) -> None:
            cid = self._customer(d, n)
            if cid is not None:
                d.store.deletion.delete_customer(uuid.UUID(hex=cid))
        self._do(device, act)

    # -- syncs, whole or killed -----------------------------------------------------------

    def _sync(self, name: str, stop_after: str | None = None) -> None:
        device = self.devices[name]
        pending = [w for w in self.writes if w.writer == name and not w.on_server
                   and not w.refused]

        def act(d: Laptop) -> Any:
            return sync(d.db, d.url, stop_after=stop_after)
        report = self._do(name, act)
        refused = set(report.refused)
        for write in pending:  # every sync pushes everything pending before it pulls
            if write.key[1] in refused:
                # The server refuses only a row that is no longer this rep's.
                assert self.owner.get(write.customer or "", device.rep) != device.rep, write
                write.refused = True
            else:
                write.on_server = True
        on_server = {w.number for w in self.writes if w.on_server}
        device.perhaps |= on_server
        if stop_after != "pull-page" and stop_after != "push-server":
            device.knew |= on_server

    @rule(device=st.sampled_from([d for d, _ in DEVICES]))
    def sync_device(self, device: str) -> None:
        self._sync(device)

    @rule(device=st.sampled_from([d for d, _ in DEVICES]), kill=st.sampled_from(KILLS))
    def sync_killed(self, device: str, kill: str) -> None:
        self._sync(device, stop_after=kill)

    # -- the manager and legal, on the server ---------------------------------------------

    @precondition(lambda self: bool(self.owner))
    @rule(n=pick, to=st.sampled_from(REPS))
    def hand_over(self, n: int, to: str) -> None:
        with self.team.connect("max") as manager:
            ids = sorted(r[0].hex for r in manager.execute("SELECT id FROM customer"))
            if not ids:
                return
            cid = ids[n % len(ids)]
            changed = manager.execute("UPDATE customer SET owner = %s WHERE id = %s",
                                      (self.team.user(to), uuid.UUID(hex=cid))).rowcount
            assert changed == 1
        self.owner[cid] = to

    @rule(n=pick, verdict=st.sampled_from(("approved", "rejected")))
    def legal_reviews(self, n: int, verdict: str) -> None:
        """Legal approves (or not) a contract sent for review, with raw SQL as legal (the
        server stamps the reviewer, the time and updated_at itself: migration v0004)."""
        fields = {"legal_review": verdict, "legal_comments": f"checked {n}"}
        with self.team.connect("lee") as legal:
            ids = sorted(r[0].hex for r in legal.execute(
                "SELECT id FROM contract WHERE signed_at IS NULL"))
            if not ids:
                return
            kid = ids[n % len(ids)]
            sets = ", ".join(f"{name} = %s" for name in fields)
            changed = legal.execute(f"UPDATE contract SET {sets} WHERE id = %s",
                                    (*fields.values(), uuid.UUID(hex=kid))).rowcount
            assert changed == 1  # a contract legal sees unsigned is legal's to review
        seen = frozenset(w.number for w in self.writes if w.on_server)
        for name, value in fields.items():
            self.writes.append(Write(len(self.writes), "legal", ("contract", kid, name), value,
                                     seen, seen, on_server=True))

    # -- the end: everyone syncs twice, then one state ------------------------------------

    def teardown(self) -> None:
        try:
            for _round in range(2):
                for name, _rep in DEVICES:
                    self._sync(name)
            self._check_devices_equal_the_server()
            self._check_every_write_kept_or_recorded()
        finally:
            for device in self.devices.values():
                device.db.close()
            shutil.rmtree(self.tmp, ignore_errors=True)

    def _server_rows(self, conn: Any, table_name: str) -> dict[str, dict[str, Any]]:
        table = shape(table_name)
        columns = ", ".join(f'"{c}"' for c in table.columns)
        return {
            str(values["id"]): values for values in (
                {c: to_local(table, c, v) for c, v in zip(table.columns, row, strict=True)}
                for row in conn.execute(f"SELECT {columns} FROM {table_name}"))}

    def _check_devices_equal_the_server(self) -> None:
        for rep in REPS:
            mine = [d for d in self.devices.values() if d.rep == rep]
            with self.team.connect(rep) as conn:
                for table in table_shapes():
                    server = self._server_rows(conn, table.name)
                    kept = ("id", "created_at", *table.fields)
                    for device in mine:
                        columns = ", ".join(f'"{c}"' for c in table.columns)
                        local = {row[0]: dict(zip(table.columns, row, strict=True)) for row in
                                 device.sql(f'SELECT {columns} FROM "{table.name}"')}
                        assert set(local) == set(server), (device.name, table.name)
                        for row_id, values in local.items():
                            assert {c: values[c] for c in kept} == \
                                {c: server[row_id][c] for c in kept}, (device.name, table.name)
                    if len(mine) == 2:  # the same data on both, derived columns included
                        a, b = (d.sql(f'SELECT * FROM "{table.name}" ORDER BY id') for d in mine)
                        assert a == b, table.name
            for device in mine:
                assert device.outbox() == {}, device.name

    def _check_every_write_kept_or_recorded(self) -> None:
        with psycopg.connect(self.team.admin_url) as conn:
            conn.execute("SET search_path = salesdev")
            final = {t.name: self._server_rows(conn, t.name) for t in table_shapes()}
            conflicts = {(t, r.hex, f, lost) for t, r, f, lost in conn.execute(
                "SELECT table_name, row_id, field, lost_value FROM sync_conflict")}
        by_key: dict[tuple[str, str, str], list[Write]] = {}
        for write in self.writes:
            by_key.setdefault(write.key, []).append(write)
        for write in self.writes:
            if write.refused:
                continue
            assert write.on_server, write
            table_name, row_id, name = write.key
            value = final[table_name][row_id][name]
            if value == write.value:
                continue
            replaced = any(write.number in other.perhaps
                           for other in by_key[write.key]
                           if other is not write and not other.refused)
            if replaced:
                continue
            table = shape(table_name)
            lost = as_text(to_server(table, name, write.value))
            assert (table_name, row_id, name, lost) in conflicts, (
                f"{write} was overwritten by a concurrent write ({value!r}) and no conflict"
                " record keeps it")


def test_random_offline_work_ends_in_one_state(team: Team) -> None:
    add_user(team.admin_url, team.user("cal"), TeamRole.REP)
    TeamSync.team = team
    try:
        run_state_machine_as_test(TeamSync, settings=settings(
            # 20 keeps CI near half a minute; SALESDEV_SYNC_EXAMPLES=200 for a long hunt.
            max_examples=int(os.environ.get("SALESDEV_SYNC_EXAMPLES", "20")),
            stateful_step_count=30, deadline=None,
            suppress_health_check=list(HealthCheck)))
    finally:
        with psycopg.connect(team.admin_url, autocommit=True) as admin:
            admin.execute("DELETE FROM salesdev.member WHERE name = %s", (team.user("cal"),))
            admin.execute(f"DROP ROLE IF EXISTS {team.user('cal')}")
