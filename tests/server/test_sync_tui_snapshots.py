"""The footer's sync state and the conflicts screen as the rep sees them, at 80×24 and
120×40, in English and Traditional Chinese, on demo data at a fixed date (the conventions
of tests/test_snapshots*.py). The sync state is written into the laptop's database as a
sync leaves it; no sync runs (or, for "offline", none can reach its server)."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from salesdev_tui import app_sync
from salesdev_tui.app import create_app
from salesdev_tui.config import Team as TeamSettings
from salesdev_tui.db import open_database
from salesdev_tui.usecases.sync import join
from tests.conftest import FIXED_NOW, Clock, make_settings
from tests.test_snapshots import demo_db, keys_then_settle

__all__ = ["demo_db"]

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = [pytest.param("en", id="en"), pytest.param("zh_TW", id="zh")]
#: A port nothing listens on: the "server down" of the offline picture.
NOBODY = "postgresql://127.0.0.1:1/salesdev"


def _fixed(iso: timedelta) -> str:
    return (FIXED_NOW - iso).isoformat(timespec="seconds")


@pytest.fixture
def team_db(demo_db: Path) -> Path:
    """The demo book, joined, last synced 3 minutes before FIXED_NOW, two changes waiting
    and two open conflicts."""
    db = open_database(demo_db)
    try:
        join(db)
    finally:
        db.close()
    with sqlite3.connect(demo_db) as conn:
        customers = conn.execute("SELECT id, name FROM customer ORDER BY name LIMIT 2").fetchall()
        contact = conn.execute("SELECT id FROM contact WHERE customer_id = ? ORDER BY name"
                               " LIMIT 1", (customers[1][0],)).fetchone()[0]
        conn.execute("DELETE FROM sync_outbox")
        conn.executemany("INSERT INTO sync_outbox VALUES ('customer', ?, 'notes', 1)",
                         [(customers[0][0],), (customers[1][0],)])
        conn.execute("INSERT INTO sync_state VALUES ('last_sync', ?) ON CONFLICT (key)"
                     " DO UPDATE SET value = excluded.value", (_fixed(timedelta(minutes=3)),))
        conflicts = [
            ("c1" * 16, "customer", customers[0][0], "notes", "Meet the plant manager first",
             "Call before 10:00", _fixed(timedelta(hours=2))),
            ("c2" * 16, "contact", contact, "phone", "02 2345 6789", "0912 345 678",
             _fixed(timedelta(minutes=40))),
        ]
        conn.executemany(
            "INSERT INTO sync_conflict (id, table_name, row_id, field, kept_value, lost_value,"
            " kept_hlc, lost_hlc, noted_at) VALUES (?, ?, ?, ?, ?, ?, 2, 1, ?)", conflicts)
    return demo_db


def team_app(path: Path, language: str, url: str = "postgresql://127.0.0.1:5432/team") -> Any:
    team = TeamSettings(url=url, user="amy")
    return create_app(make_settings(language=language, team=team), path,  # type: ignore[arg-type]
                      clock=Clock())


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
class TestSyncState:
    def test_footer(self, snap_compare: Any, team_db: Path, size: tuple[int, int],
                    language: str, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(app_sync, "START_DELAY", 3600.0)  # no sync: the state as kept
        assert snap_compare(team_app(team_db, language), terminal_size=size,
                            run_before=keys_then_settle())

    def test_conflicts(self, snap_compare: Any, team_db: Path, size: tuple[int, int],
                       language: str, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(app_sync, "START_DELAY", 3600.0)
        assert snap_compare(team_app(team_db, language), terminal_size=size,
                            run_before=keys_then_settle("C"))


def test_footer_offline(snap_compare: Any, team_db: Path,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_sync, "START_DELAY", 0.01)

    async def run_before(pilot: Any) -> None:
        from tests.server.test_sync_tui import until

        await until(pilot, lambda: pilot.app.team_sync.view.phase.value == "offline")
        await keys_then_settle()(pilot)

    assert snap_compare(team_app(team_db, "en", NOBODY), terminal_size=(80, 24),
                        run_before=run_before)
