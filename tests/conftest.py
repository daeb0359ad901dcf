"""Shared fixtures. Autouse: no test ever sees the real data or config dirs."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

#: The fixed "now" of every test that uses the store's clock: a Monday afternoon in Taipei.
FIXED_NOW = datetime(2026, 11, 16, 6, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("SALESDEV_DB", str(tmp_path / "data" / "salesdev.db"))
    # The language follows LC_ALL / LC_MESSAGES / LANG when the config has none: the
    # suite's runs in English whatever the locale of whoever runs it.
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("SALESDEV_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.setenv("TZ", "Asia/Taipei")


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    """The language is process-wide: a test that switches to Chinese leaves English behind,
    and the environment's LANG of whoever runs the suite never decides."""
    from salesdev_tui import i18n

    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture(autouse=True)
def _unfrozen_after() -> Iterator[None]:
    """An app test that runs a second past opening its store freezes what is alive then
    (app_storage: gc.freeze); unfrozen afterwards, that app can be collected."""
    yield
    gc.unfreeze()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "salesdev.db"


class Clock:
    """A settable clock for the store: tests move time explicitly."""

    def __init__(self, now: datetime = FIXED_NOW) -> None:
        self.current = now

    def __call__(self) -> datetime:
        return self.current


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(db_path: Path, clock: Clock) -> Iterator[object]:
    from salesdev_tui.db import open_database
    from salesdev_tui.store.combined import Store

    db = open_database(db_path)
    try:
        yield Store(db, clock=clock)
    finally:
        db.close()


# English unless a test asks for Chinese: the rep's LANG must not change what tests see.
TAIPEI_SETTINGS = {"timezone": "Asia/Taipei", "rep_name": "Test Rep", "currency": "TWD",
                   "language": "en"}


def make_settings(**overrides: object) -> object:
    from salesdev_tui.config import Settings

    return Settings(**{**TAIPEI_SETTINGS, **overrides})


def _pending_messages(app: Any) -> int:
    """Messages still queued anywhere on the screens: a handler may post a message that
    starts a worker, and Pilot's own wait only covers what was queued when it began."""
    nodes = [app]
    for screen in app.screen_stack:
        nodes.extend(screen.walk_children(with_self=True))
    return sum(node.message_queue_size for node in nodes)


async def wait_ready(pilot: object) -> None:
    """Wait until the store is open, every worker has finished and no message is queued,
    then let the UI settle.

    Pilot's pause alone is not enough under load: it judges idleness by CPU time, and a
    process waiting for a busy CPU looks idle, so a message posted by a handler (the list's
    next-page request, an input's debounced search) could still be queued when the next key
    went in (CI failed on exactly that).
    """
    app = pilot.app  # type: ignore[attr-defined]

    def quiet() -> bool:
        return not _pending_messages(app) and all(w.is_finished for w in app.workers)

    for _ in range(300):
        await app.workers.wait_for_complete()
        await pilot.pause()  # type: ignore[attr-defined]
        # The store first: a worker just started is PENDING until its task first runs, and a
        # wait that missed it let the next keys race its result (flaky in CI), so every
        # worker counts, not only the running ones.
        if (app.store is not None or app.store_error is not None) and quiet():
            await pilot.pause()  # type: ignore[attr-defined]
            if quiet():  # the settling pause may itself have started something
                return
    raise AssertionError("the app never became idle")


@pytest.fixture
def make_app(db_path: Path, clock: Clock) -> object:
    """Build the app the way the CLI does, on the test database and the fixed clock."""
    from salesdev_tui.app import create_app

    def factory(**settings: object) -> object:
        return create_app(make_settings(**settings), db_path, clock=clock)  # type: ignore[arg-type]

    return factory
