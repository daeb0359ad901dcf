"""The TUI's side of the team sync against the real PostgreSQL (issue 18.3, 18.4): the
background sync, the footer's state, offline, and the conflicts screen."""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from salesdev_tui import app_sync
from salesdev_tui.app import create_app
from salesdev_tui.config import Team as TeamSettings
from salesdev_tui.db import open_database
from salesdev_tui.domain.sync_state import SyncPhase
from salesdev_tui.screens.conflicts import ConflictsScreen, ConflictTable
from salesdev_tui.store.combined import Store
from salesdev_tui.usecases.sync import join
from salesdev_tui.widgets.sync_badge import SyncBadge
from tests.conftest import Clock, make_settings, wait_ready
from tests.server.conftest import Team
from tests.server.test_sync import Device


@pytest.fixture(autouse=True)
def quick_timers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The first sync and the one after a save come at once (the app waits seconds)."""
    monkeypatch.setattr(app_sync, "START_DELAY", 0.05)
    monkeypatch.setattr(app_sync, "CHANGE_DELAY", 0.1)
    monkeypatch.setenv("SALESDEV_PGPASS", str(tmp_path / "secret" / "pgpass"))


def team_settings(team: Team, name: str, *, port: int | None = None) -> TeamSettings:
    url = team.url(name).replace(team.user(name) + "@", "")
    if port is not None:
        url = url.replace(":5432/", f":{port}/")
    return TeamSettings(url=url, user=team.user(name))


def laptop(path: Path, *names: str) -> list[uuid.UUID]:
    """A laptop database joined to the team, with a lead per name (not yet sent)."""
    db = open_database(path)
    try:
        store = Store(db, clock=Clock())
        from salesdev_tui.domain.validation import ContactInput, CustomerInput, validate

        ids = [store.customers.add_lead(validate(CustomerInput, {"name": name}),
                                        validate(ContactInput, {"name": "王大明"})).id
               for name in names]
        join(db)
        return ids
    finally:
        db.close()


async def until(pilot: Pilot[Any], check: Callable[[], bool], seconds: float = 20) -> None:
    end = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < end, "timed out"
        await pilot.pause(0.05)
    await wait_ready(pilot)


def synced(app: Any) -> Callable[[], bool]:
    return lambda: app.team_sync.view.phase is SyncPhase.SYNCED and not app.team_sync._running


def badge_text(app: Any) -> str:
    return str(app.screen.query_one(SyncBadge).render())


def server_names(team: Team, name: str) -> set[str]:
    with team.connect(name) as conn:
        return {str(row[0]) for row in conn.execute("SELECT name FROM customer")}


def errors_shown(app: Any) -> list[str]:
    return [str(n.message) for n in app._notifications if n.severity == "error"]


async def test_a_team_laptop_syncs_in_the_background(team: Team, tmp_path: Path) -> None:
    path = tmp_path / "laptop.db"
    laptop(path, "台灣精密機械股份有限公司")
    app = create_app(make_settings(team=team_settings(team, "amy")), path,  # type: ignore[arg-type]
                     clock=Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await until(pilot, synced(app))  # at start, with no key pressed
        assert server_names(team, "amy") == {"台灣精密機械股份有限公司"}
        assert "synced just now" in badge_text(app) and "to send" not in badge_text(app)
        from salesdev_tui.dialogs.help import keys_of

        shown = {key: what for key, what, _where in keys_of(app.screen)}
        assert shown["S"].startswith("Send your changes") and shown["C"].startswith("Fields")

        # A save (what every form does: the store, then app.changed) goes a moment later.
        from salesdev_tui.domain.validation import ContactInput, CustomerInput, validate

        assert app.store is not None
        app.store.customers.add_lead(validate(CustomerInput, {"name": "Acme Trading"}),
                                     validate(ContactInput, {"name": "Jane"}))
        app.changed()
        await until(pilot, lambda: "Acme Trading" in server_names(team, "amy"))
        await until(pilot, synced(app))
        assert app.team_sync.view.pending == 0

        # The rep's desktop adds a customer; S brings it here and the list shows it.
        desktop = Device(tmp_path / "desktop.db", team, "amy")
        desktop.sync()
        desktop.add("Beacon Foods")
        desktop.sync()
        desktop.db.close()
        await pilot.press("c")
        await wait_ready(pilot)
        app.screen.set_focus(None)  # the search box has it: S would be typed there
        before = app.data_version
        await pilot.press("S")
        await until(pilot, lambda: app.data_version > before and synced(app)())
        from salesdev_tui.widgets import CustomerTable

        table = app.screen.query_one(CustomerTable)
        shown = {str(table.get_row_at(i)[0]) for i in range(table.row_count)}
        assert "Beacon Foods" in shown
        assert errors_shown(app) == []


async def test_the_server_down_is_offline_in_the_footer_not_an_error(
    team: Team, tmp_path: Path
) -> None:
    path = tmp_path / "laptop.db"
    laptop(path, "Acme Trading", "Beacon Foods")
    app = create_app(make_settings(team=team_settings(team, "amy", port=1)), path,  # type: ignore[arg-type]
                     clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await until(pilot, lambda: app.team_sync.view.phase is SyncPhase.OFFLINE)
        text = badge_text(app)
        # Two customers, two contacts, their first stages: six records wait; at 80 columns
        # said in short, the whole sentence in the tooltip.
        assert text == "⇅ offline ↑6", text
        badge = app.screen.query_one(SyncBadge)
        assert str(badge.tooltip).startswith("offline · to send 6\nCannot reach the team")
        assert "Cannot reach the team server" in app.team_sync.view.problem
        assert errors_shown(app) == []
        # Still offline on demand, and said once (a toast, not an error); the app works.
        await pilot.press("S")
        await until(pilot, lambda: app.team_sync.view.phase is SyncPhase.OFFLINE
                    and not app.team_sync._running)
        told = [str(n.message) for n in app._notifications]
        assert told == ["The team server cannot be reached; your changes wait here for"
                        " the next sync."]
        await pilot.press("c")
        await wait_ready(pilot)
        assert type(app.screen).__name__ == "CustomersScreen"
        assert errors_shown(app) == []


async def test_a_solo_rep_sees_nothing_of_the_sync(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        assert not app.screen.query(SyncBadge)
        await pilot.press("C")
        await wait_ready(pilot)
        assert not isinstance(app.screen, ConflictsScreen)
        assert "sync_now" not in {b.binding.action for b in app.screen.active_bindings.values()}


@pytest.fixture
def conflicted(team: Team, tmp_path: Path) -> Iterator[tuple[Path, uuid.UUID, Device]]:
    """A laptop and a desktop of amy's that changed the same two fields of one customer
    offline; the desktop's changes are later, so they are kept everywhere."""
    path = tmp_path / "laptop.db"
    laptop_device = Device(path, team, "amy")
    desktop = Device(tmp_path / "desktop.db", team, "amy")
    cid = laptop_device.add("Acme Trading")
    laptop_device.sync()
    desktop.sync()
    laptop_device.edit(cid, notes="laptop's note", website="laptop.example")
    desktop.edit(cid, notes="desktop's note", website="desktop.example")
    laptop_device.sync()
    desktop.sync()
    laptop_device.sync()
    laptop_device.db.close()
    yield path, cid, desktop
    desktop.db.close()


def customer_row(path: Path, cid: uuid.UUID) -> tuple[str, str]:
    with sqlite3.connect(path) as conn:
        row = conn.execute("SELECT notes, website FROM customer WHERE id = ?",
                           (cid.hex,)).fetchone()
    return str(row[0]), str(row[1])


def open_rows(path: Path) -> list[tuple[str, str | None]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT field, resolution FROM sync_conflict"
                            " ORDER BY field").fetchall()


async def test_conflicts_are_shown_and_accepted_or_restored(
    team: Team, conflicted: tuple[Path, uuid.UUID, Device]
) -> None:
    path, cid, desktop = conflicted
    assert customer_row(path, cid) == ("desktop's note", "desktop.example")
    app = create_app(make_settings(team=team_settings(team, "amy")), path,  # type: ignore[arg-type]
                     clock=Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await until(pilot, synced(app))
        assert "conflicts 2" in badge_text(app)
        await pilot.click("#sync-badge")  # the footer's count opens them (so does C)
        await wait_ready(pilot)
        screen = app.screen
        assert isinstance(screen, ConflictsScreen)
        table = screen.query_one(ConflictTable)
        cells = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        by_field = {row[2].split(": ")[1]: row for row in cells}
        assert set(by_field) == {"Notes", "Website"}
        assert by_field["Notes"][1:] == ["Acme Trading", "customer: Notes",
                                         "desktop's note", "laptop's note"]

        # Accept the notes (the desktop's stays), restore the website (the laptop's).
        for field, key in (("Notes", "a"), ("Website", "u")):
            index = [row[2] for row in cells].index(f"customer: {field}")
            table.move_cursor(row=index)
            await pilot.press(key)
            await wait_ready(pilot)
            cells = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert table.row_count == 0
        assert customer_row(path, cid) == ("desktop's note", "laptop.example")
        assert open_rows(path) == [("notes", "accepted"), ("website", "restored")]
        # The next sync (a moment after, by itself) sends both to the other devices.
        await until(pilot, lambda: app.team_sync.view.pending == 0 and synced(app)()
                    and "conflicts" not in badge_text(app))
        assert errors_shown(app) == []
    desktop.sync()
    assert desktop.store.customers.get_customer(cid).website == "laptop.example"
    with sqlite3.connect(desktop.path) as conn:
        assert conn.execute("SELECT count(*) FROM sync_conflict WHERE resolved_at IS NULL"
                            ).fetchone()[0] == 0


async def test_a_database_busy_past_the_timeout_is_a_wait_not_an_error(
    team: Team, tmp_path: Path
) -> None:
    """Another writer (a long import in a terminal) holds SQLite's write lock longer than
    busy_timeout: the sync gives up quietly ("sync waits"), the UI keeps working, and the
    next sync sends everything."""
    path = tmp_path / "laptop.db"
    laptop(path, "Acme Trading")
    app = create_app(make_settings(team=team_settings(team, "amy")), path,  # type: ignore[arg-type]
                     clock=Clock())
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await until(pilot, synced(app))
        app.store.customers.update_customer(  # type: ignore[union-attr]
            laptop_ids(path)[0], _customer_input("Acme Trading", website="acme.example"))
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("S")
            await pilot.press("c")  # the UI answers while the sync waits for the lock
            await pilot.pause(0.3)
            assert type(app.screen).__name__ == "CustomersScreen"
            assert app.team_sync._running
            await until(pilot, lambda: app.team_sync.view.phase is SyncPhase.BUSY)
            assert badge_text(app).startswith("⇅ sync waits · to send"), badge_text(app)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        app.screen.set_focus(None)
        await pilot.press("S")
        await until(pilot, lambda: synced(app)() and app.team_sync.view.pending == 0)
        with team.connect("amy") as conn:
            row = conn.execute("SELECT website FROM customer").fetchone()
        assert row is not None and row[0] == "acme.example"
        assert errors_shown(app) == []


def laptop_ids(path: Path) -> list[uuid.UUID]:
    with sqlite3.connect(path) as conn:
        return [uuid.UUID(hex=r[0]) for r in conn.execute("SELECT id FROM customer")]


def _customer_input(name: str, **fields: str) -> Any:
    from salesdev_tui.domain.validation import CustomerInput, validate

    return validate(CustomerInput, {"name": name, **fields})


def test_a_stopped_sync_is_finished_by_the_next(team: Team, tmp_path: Path) -> None:
    """Quitting the TUI stops a sync at its next step (`stop`): nothing lost or doubled."""
    from salesdev_tui.usecases.sync import PUSH_BATCH

    device = Device(tmp_path / "laptop.db", team, "amy")
    try:
        for n in range(PUSH_BATCH // 3 + 1):  # a customer, a contact, a stage: 2 batches
            device.add(f"Customer {n:03d}")
        first = device.sync(stop=lambda: True)
        assert first.pushed == PUSH_BATCH and device.outbox() > 0
        second = device.sync()
        assert device.outbox() == 0 and first.pushed + second.pushed == 3 * (PUSH_BATCH // 3 + 1)
        with team.connect("amy") as conn:
            assert conn.execute("SELECT count(*) FROM customer").fetchone()[0] == \
                PUSH_BATCH // 3 + 1
    finally:
        device.db.close()


def test_a_server_wanting_a_password_is_sign_in_not_a_prompt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No password kept here: the footer says how to sign in; nothing asks in the TUI."""
    from salesdev_tui.server.admin import ServerError
    from salesdev_tui.usecases import sync as sync_module
    from salesdev_tui.usecases.sync_attempt import attempt

    path = tmp_path / "laptop.db"
    laptop(path, "Acme Trading")

    def refused(*_args: Any, **_kwargs: Any) -> Any:
        raise ServerError("Cannot reach the team server: connection failed: fe_sendauth:"
                          " no password supplied")

    monkeypatch.setattr(sync_module, "sync", refused)
    db = open_database(path)
    try:
        result = attempt(db, TeamSettings(url="postgresql://db.example/sales", user="amy"),
                         clock=Clock())
    finally:
        db.close()
    assert result.view.phase is SyncPhase.SIGN_IN and result.view.pending == 3
    assert result.report is None and not result.brought_changes


async def test_quitting_while_the_server_is_silent_does_not_hang(
    team: Team, tmp_path: Path
) -> None:
    """A server that takes the connection and never answers (a captive portal, a dead
    VPN): the sync waits on it in a daemon thread; quitting waits at most CLOSE_WAIT."""
    import socket
    import threading

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # the kernel completes the handshake; nobody ever answers
    port = silent.getsockname()[1]
    path = tmp_path / "laptop.db"
    laptop(path, "Acme Trading")
    app = create_app(make_settings(team=team_settings(team, "amy", port=port)), path,  # type: ignore[arg-type]
                     clock=Clock())
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(100):  # not `until`: it waits for every worker, this one too
                if app.team_sync._running:
                    break
                await pilot.pause(0.05)
            await pilot.pause(0.3)
            assert app.team_sync._running and badge_text(app) == "⇅ syncing… ↑3"
            threads = [t for t in threading.enumerate() if t.name == "salesdev-team-sync"]
            assert threads and all(t.daemon for t in threads)
            started = time.monotonic()
        assert time.monotonic() - started < app_sync.CLOSE_WAIT + 2
    finally:
        silent.close()


def test_the_apps_own_stamps_are_accepted_on_arrival(team: Team, tmp_path: Path) -> None:
    """Two devices with their own clocks edit one customer: every such edit also stamps
    updated_at and last_activity_at, which always disagree. Those conflicts are kept but
    accepted (STAMP_FIELDS): only the rep's own field waits for the rep."""
    from datetime import timedelta

    from tests.conftest import FIXED_NOW

    laptop_device = Device(tmp_path / "laptop.db", team, "amy")
    desktop = Device(tmp_path / "desktop.db", team, "amy")
    try:
        cid = laptop_device.add("Acme Trading")
        laptop_device.sync()
        desktop.sync()
        # Edited later than it was added, by its own clock (a fixed clock stamps no change).
        laptop_device.store = Store(laptop_device.db, clock=Clock(FIXED_NOW + timedelta(minutes=2)))
        laptop_device.edit(cid, website="laptop.example")
        desktop.store = Store(desktop.db, clock=Clock(FIXED_NOW + timedelta(minutes=5)))
        desktop.edit(cid, website="desktop.example")
        desktop.sync()
        laptop_device.sync()
        desktop.sync()
        for device in (laptop_device, desktop):
            with sqlite3.connect(device.path) as conn:
                rows = dict(conn.execute("SELECT field, coalesce(resolution, 'open')"
                                         " FROM sync_conflict").fetchall())
            assert rows == {"website": "open", "updated_at": "accepted",
                            "last_activity_at": "accepted"}, device.path.name
        with team.connect("amy") as conn:
            assert dict(conn.execute("SELECT field, coalesce(resolution, 'open')"
                                     " FROM sync_conflict").fetchall())["updated_at"] == \
                "accepted"
    finally:
        laptop_device.db.close()
        desktop.db.close()
