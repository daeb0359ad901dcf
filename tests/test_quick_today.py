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


def test_the_plain_scorecard_equals_the_stores(store: Any, demo_db: Path) -> None:
    """`salesdev scorecard` reads on a plain connection (issue 15.8): the same view, to the
    cent, as through the store, for the demo's months and a year."""
    from salesdev_tui.config import Settings
    from salesdev_tui.domain.periods import local_date, period_containing
    from salesdev_tui.models.enums import PeriodKind
    from salesdev_tui.store.quick_today import read_scorecard_view
    from salesdev_tui.store.reports import scorecard_view

    settings = make_settings()
    assert isinstance(settings, Settings)
    today = local_date(FIXED_NOW, settings.zone)
    for kind in (PeriodKind.MONTH, PeriodKind.YEAR):
        period = period_containing(FIXED_NOW, kind, settings.zone)
        plain = read_scorecard_view(demo_db, period, settings, today)
        assert plain is not None
        assert plain.pipeline.proposals and any(m.revenue for m in plain.months)  # non-trivial
        assert plain == scorecard_view(store, period, settings, today)


def test_the_scorecard_command_loads_neither_sqlalchemy_nor_sqlmodel(demo_db: Path,
                                                                     tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from salesdev_tui.cli import main\n"
        "sys.argv = ['salesdev', '--db', sys.argv[1], '--config', sys.argv[2], 'scorecard',"
        " '--json']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('sqlalchemy', 'sqlmodel')), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(demo_db),
                             str(tmp_path / "config.toml")],
                            capture_output=True, text=True, check=True)
    assert '"new_customers"' in result.stdout
    assert result.stderr.strip().splitlines()[-1] == "[]"


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
