"""Today read at start-up on a plain connection, before the store (and SQLModel) loads."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import FIXED_NOW, make_settings, wait_ready


@pytest.fixture
def demo_db(store: Any, db_path: Path) -> Path:
    from salesdev_tui.domain.demo import generate_demo

    store.exchange.bulk_insert(generate_demo(customers=60, seed=5, now=FIXED_NOW,
                                    zone=ZoneInfo("Asia/Taipei")))
    return db_path


def test_the_early_read_equals_the_stores_report(store: Any, demo_db: Path) -> None:
    from salesdev_tui.store.quick_today import read_today
    from salesdev_tui.store.reports import today_view

    settings = make_settings()
    early = read_today(demo_db, settings, FIXED_NOW)  # type: ignore[arg-type]
    assert early is not None
    # Something in every section, so the comparison means something.
    assert early.agenda.overdue and early.agenda.upcoming and early.agenda.idle
    assert early.strip.prospects_contacted > 0
    assert early == today_view(store, settings, FIXED_NOW)  # type: ignore[arg-type]


def test_the_early_read_imports_neither_sqlalchemy_nor_sqlmodel(demo_db: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from datetime import datetime, UTC\n"
        "from salesdev_tui.config import Settings\n"
        "from salesdev_tui.store.quick_today import read_today\n"
        f"data = read_today(Path({str(demo_db)!r}), Settings(timezone='Asia/Taipei'),"
        " datetime(2026, 11, 16, 6, 30, tzinfo=UTC))\n"
        "assert data is not None\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('sqlalchemy', 'sqlmodel', 'pydantic', 'textual')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_files_that_need_the_full_open_are_left_to_it(tmp_path: Path, demo_db: Path) -> None:
    from salesdev_tui.store.quick_today import read_today

    settings = make_settings()
    assert read_today(tmp_path / "missing.db", settings, FIXED_NOW) is None  # type: ignore[arg-type]
    assert not (tmp_path / "missing.db").exists()
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n" * 20)
    assert read_today(text, settings, FIXED_NOW) is None  # type: ignore[arg-type]
    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE t (x)")
    before = _sha(foreign)
    assert read_today(foreign, settings, FIXED_NOW) is None  # type: ignore[arg-type]
    assert _sha(foreign) == before
    # An older schema is migrated by the full open, never read here.
    with sqlite3.connect(demo_db) as conn:
        conn.execute("PRAGMA user_version=0")
    assert read_today(demo_db, settings, FIXED_NOW) is None  # type: ignore[arg-type]


def test_the_early_read_cannot_write(demo_db: Path) -> None:
    from salesdev_tui.db.raw import open_for_reading

    conn = open_for_reading(demo_db)
    assert conn is not None
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("DELETE FROM customer")
    conn.close()


async def test_today_fills_before_the_store_opens(
    demo_db: Path, make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the store held back, Today already shows the agenda from the early read."""
    import salesdev_tui.db.database as database
    from salesdev_tui.screens.today import TodayScreen

    release = threading.Event()
    real_open = database.open_database

    def slow_open(*args: Any, **kwargs: Any) -> Any:
        release.wait(timeout=10)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(database, "open_database", slow_open)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(200):
            await pilot.pause(0.02)
            screen = app.screen
            if isinstance(screen, TodayScreen) and screen.data is not None:
                break
        assert app.store is None  # still opening
        screen = app.screen
        assert isinstance(screen, TodayScreen) and screen.data is not None
        early = screen.data
        assert screen.query_one("#overdue").row_count == len(early.agenda.overdue) > 0
        release.set()
        await wait_ready(pilot)
        assert app.store is not None
        assert screen.data == early  # the store's first load had nothing new to show
