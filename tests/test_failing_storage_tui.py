"""Failing storage in the app: a plain message with the path and the next step, no traceback,
everything typed kept, files that fail to open left byte-for-byte unchanged, and once the
problem is gone the same save works, once.

How each failure is made here (tests run as root on the build machines, where chmod does not
stop writes):
- locked: a second connection holds BEGIN EXCLUSIVE; the app's busy timeout (5 s) is cut
  to 0.2 s with a connect listener on the store's engine (pooled connections re-opened);
- read-only file or folder: `chattr +i` as root (immutable: even root cannot write), else
  chmod 0400 / 0500;
- disk full: a 4 MiB tmpfs mounted as root and filled to the last byte (skipped when
  mounting is not allowed);
- damaged pages, and a file from a newer salesdev (user_version 999).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func
from sqlmodel import select
from textual.widgets import Input, Static, TextArea
from textual.widgets._footer import FooterKey

from salesdev_tui.forms.competitor_form import CompetitorNoteFormScreen
from salesdev_tui.forms.lead_form import LeadFormScreen
from salesdev_tui.models.tables import CompetitorNote, Customer
from salesdev_tui.screens.customer_page import CustomerPageScreen
from salesdev_tui.widgets.scorecard_strip import ScorecardStrip
from tests.conftest import make_settings, wait_ready

LEAD = {"company": "Delta Foods", "contact_name": "Amy Chen", "phone": "02 2345 6789"}


# -- making storage fail ----------------------------------------------------------------------


def seed(path: Path) -> uuid.UUID:
    """A closed database at `path` holding one customer."""
    from salesdev_tui.db import open_database
    from salesdev_tui.domain.validation import CustomerInput, validate
    from salesdev_tui.store.combined import Store

    db = open_database(path)
    try:
        return Store(db).customers.add_lead(validate(CustomerInput, {"name": "Gamma Steel"})).id
    finally:
        db.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _chattr_works(probe: Path) -> bool:
    if os.geteuid() != 0:
        return False
    done = subprocess.run(["chattr", "+i", str(probe)], capture_output=True, check=False)
    subprocess.run(["chattr", "-i", str(probe)], capture_output=True, check=False)
    return done.returncode == 0


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make a file or folder unwritable, even for root; restored on exit."""
    if _chattr_works(path):
        subprocess.run(["chattr", "+i", str(path)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        return
    mode = path.stat().st_mode
    path.chmod(0o500 if path.is_dir() else 0o400)
    try:
        yield
    finally:
        path.chmod(mode)


def short_busy_timeout(store: Any, ms: int = 200) -> None:
    """The test seam for the lock wait: every new connection of the store waits `ms`."""

    @event.listens_for(store.db.engine, "connect")
    def _short(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.execute(f"PRAGMA busy_timeout={ms}")

    store.db.engine.dispose()


@contextlib.contextmanager
def lock_held(path: Path) -> Iterator[None]:
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def count(store: Any, model: Any) -> int:
    with store.db.read() as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def messages(app: Any) -> list[str]:
    return [str(n.message) for n in app._notifications]


def assert_plain(app: Any) -> None:
    assert not any("Traceback" in m or "Error(" in m for m in messages(app))


# -- the two forms ----------------------------------------------------------------------------


async def type_lead(pilot: Any) -> LeadFormScreen:
    await pilot.press("N")
    await wait_ready(pilot)
    form = pilot.app.screen
    assert isinstance(form, LeadFormScreen)
    await pilot.press(*LEAD["company"], "tab", *LEAD["contact_name"], "tab", *LEAD["phone"])
    return form


def lead_values(form: LeadFormScreen) -> dict[str, str]:
    return {field: form.query_one(f"#{field}", Input).value for field in LEAD}


def lead_status(form: LeadFormScreen) -> str:
    return str(form.query_one("#lead-status", Static).render())


async def save(pilot: Any) -> None:
    await pilot.press("ctrl+s")
    await wait_ready(pilot)


async def type_competitor(pilot: Any, customer_id: uuid.UUID) -> CompetitorNoteFormScreen:
    app = pilot.app
    app.open_customer(customer_id)
    await wait_ready(pilot)
    assert isinstance(app.screen, CustomerPageScreen)
    await pilot.press("0", "a")
    await wait_ready(pilot)
    form = app.screen
    assert isinstance(form, CompetitorNoteFormScreen)
    await pilot.press(*"Acme", "tab", *"10% cheaper")
    return form


def competitor_values(form: CompetitorNoteFormScreen) -> tuple[str, str]:
    return (form.query_one("#f-competitor", Input).value,
            form.query_one("#f-offer", TextArea).text)


# -- locked -----------------------------------------------------------------------------------


async def test_locked_database_lead_form_keeps_input_and_saves_once(
    make_app: Any, db_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        short_busy_timeout(app.store)
        form = await type_lead(pilot)
        with lock_held(db_path):
            await save(pilot)
            assert app.screen is form
            assert "busy" in lead_status(form) and str(db_path) in lead_status(form)
            assert "input is kept" in lead_status(form)
            assert lead_values(form) == LEAD
            assert count(app.store, Customer) == 0
        await save(pilot)
        assert app.screen is not form
        assert count(app.store, Customer) == 1
        assert_plain(app)


async def test_locked_database_record_form_keeps_input_and_saves_once(
    make_app: Any, db_path: Path
) -> None:
    customer_id = seed(db_path)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        short_busy_timeout(app.store)
        form = await type_competitor(pilot, customer_id)
        with lock_held(db_path):
            await save(pilot)
            assert app.screen is form
            assert competitor_values(form) == ("Acme", "10% cheaper")
            assert any("busy" in m and str(db_path) in m for m in messages(app))
        await save(pilot)
        assert isinstance(app.screen, CustomerPageScreen)
        assert count(app.store, CompetitorNote) == 1
        assert_plain(app)


# -- read-only file ---------------------------------------------------------------------------


async def test_read_only_file_keeps_input_then_saves_once_when_writable(
    make_app: Any, db_path: Path
) -> None:
    customer_id = seed(db_path)
    app = make_app()
    with read_only(db_path):
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_ready(pilot)
            assert app.store is not None  # opens (to read), but cannot save
            form = await type_competitor(pilot, customer_id)
            await save(pilot)
            assert app.screen is form
            assert competitor_values(form) == ("Acme", "10% cheaper")
            assert any("read-only" in m and str(db_path) in m and "permissions" in m
                       for m in messages(app))
            await pilot.press("escape", "y")  # discard: the lead form is tried next
            await wait_ready(pilot)
            await pilot.press("escape")
            await wait_ready(pilot)
            lead = await type_lead(pilot)
            await save(pilot)
            assert "read-only" in lead_status(lead) and lead_values(lead) == LEAD
            # The rep fixes the permissions, then saves again.
            await _make_writable_and_save(pilot, db_path, lead)
            assert count(app.store, Customer) == 2  # Gamma Steel + Delta Foods, once
            assert_plain(app)


async def _make_writable_and_save(pilot: Any, db_path: Path, form: LeadFormScreen) -> None:
    if _chattr_works_on(db_path):
        subprocess.run(["chattr", "-i", str(db_path)], check=True)
    else:
        db_path.chmod(0o600)
    await save(pilot)
    assert pilot.app.screen is not form


def _chattr_works_on(path: Path) -> bool:
    done = subprocess.run(["lsattr", "-d", str(path)], capture_output=True, text=True,
                          check=False)
    return done.returncode == 0 and "i" in done.stdout.split()[0]


# -- disk full --------------------------------------------------------------------------------


@contextlib.contextmanager
def tiny_disk(folder: Path) -> Iterator[Path]:
    folder.mkdir(parents=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs",
                           str(folder)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path) -> Path:
    """Fill the disk holding `folder` to the last byte; returns the filler file."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_CREAT | os.O_WRONLY, 0o600)
    try:
        for size in (1 << 16, 1 << 12, 1 << 8, 1):
            with contextlib.suppress(OSError):
                while os.write(fd, b"\0" * size):
                    pass
    finally:
        os.close(fd)
    return filler


async def test_disk_full_keeps_input_then_saves_once(tmp_path: Path, clock: Any) -> None:
    from salesdev_tui.app import create_app

    with tiny_disk(tmp_path / "disk") as disk:
        path = disk / "salesdev.db"
        customer_id = seed(path)
        app = create_app(make_settings(), path, clock=clock)  # type: ignore[arg-type]
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_ready(pilot)
            form = await type_competitor(pilot, customer_id)
            filler = fill(disk)
            await save(pilot)
            assert app.screen is form
            assert competitor_values(form) == ("Acme", "10% cheaper")
            assert any("full" in m and str(path) in m and "Free some space" in m
                       for m in messages(app))
            filler.unlink()
            await save(pilot)
            assert isinstance(app.screen, CustomerPageScreen)
            assert count(app.store, CompetitorNote) == 1
            with app.store.db.read() as session:
                assert session.connection().exec_driver_sql(
                    "PRAGMA integrity_check").all() == [("ok",)]
            assert_plain(app)


# -- files that fail to open ------------------------------------------------------------------


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 2, len(data), 4096):
        data[offset:offset + 100] = b"\xff" * 100
    path.write_bytes(bytes(data))


def _newer(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version=999")
    conn.commit()
    conn.close()


OPEN_FAILURES = {
    "damaged pages": (_damage, ("damaged", "salesdev restore")),
    "newer version": (_newer, ("newer salesdev", "left unchanged", "Update salesdev")),
}


@pytest.mark.parametrize("case", list(OPEN_FAILURES))
async def test_file_that_fails_to_open(make_app: Any, db_path: Path, case: str) -> None:
    spoil, words = OPEN_FAILURES[case]
    seed(db_path)
    spoil(db_path)
    before = sha256(db_path)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert app.store is None and app.store_error is not None
        strip = app.screen.query_one(ScorecardStrip)  # not "loading" for ever under the toast
        assert str(strip.content) == "No scorecard: the database could not be opened."
        keys = {key.key for key in app.screen.query(FooterKey)}
        assert "l" not in keys and "n" in keys  # no row keys: no rows will come
        shown = messages(app)
        assert any(str(db_path) in m and all(w in m for w in words) for m in shown), shown
        form = await type_lead(pilot)
        await save(pilot)
        assert app.screen is form and lead_values(form) == LEAD
        assert all(w in lead_status(form) for w in words)
        assert_plain(app)
    assert sha256(db_path) == before
    # The schema check's read-only connection leaves an empty -wal and its -shm index
    # behind (db/guard.py; see the report); nothing else may appear, nothing may hold data.
    extra = {p.name: p.stat().st_size for p in db_path.parent.iterdir() if p != db_path}
    assert set(extra) <= {f"{db_path.name}-wal", f"{db_path.name}-shm"}
    assert extra.get(f"{db_path.name}-wal", 0) == 0


async def test_read_only_folder_says_so(make_app: Any, db_path: Path) -> None:
    seed(db_path)
    before = sha256(db_path)
    app = make_app()
    with read_only(db_path.parent):
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_ready(pilot)
            assert app.store is None
            assert any(str(db_path) in m and "not a salesdev database" not in m
                       and ("folder" in m or "read-only" in m) for m in messages(app))
    assert sha256(db_path) == before
