"""The words of the footer's sync state and of a conflict's values (domain/sync_state.py):
pure, no server needed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from salesdev_tui import i18n
from salesdev_tui.config import ConfigError, Team, load_settings, save_team
from salesdev_tui.domain.sync_state import (
    SyncPhase,
    SyncView,
    conflict_time_text,
    conflict_value_text,
    footer_text,
)
from tests.conftest import FIXED_NOW

TAIPEI = ZoneInfo("Asia/Taipei")


@pytest.mark.parametrize(("ago", "said"), [
    (timedelta(seconds=-20), "synced just now"),  # this laptop's clock a little behind
    (timedelta(seconds=59), "synced just now"),
    (timedelta(minutes=3, seconds=30), "synced 3 min ago"),
    (timedelta(minutes=59), "synced 59 min ago"),
    (timedelta(hours=5, minutes=10), "synced 5 h ago"),
    (timedelta(days=3, hours=1), "synced 3 d ago"),
])
def test_the_last_sync_is_said_roughly(ago: timedelta, said: str) -> None:
    view = SyncView(SyncPhase.SYNCED, FIXED_NOW - ago)
    assert footer_text(view, FIXED_NOW) == said


def test_counts_only_when_not_zero_and_short_for_a_narrow_terminal() -> None:
    view = SyncView(SyncPhase.SYNCED, FIXED_NOW - timedelta(minutes=3), pending=2, conflicts=1)
    assert footer_text(view, FIXED_NOW) == "synced 3 min ago · to send 2 · conflicts 1"
    assert footer_text(view, FIXED_NOW, compact=True) == "3 min ago ↑2 ⚠1"
    offline = SyncView(SyncPhase.OFFLINE, None, pending=6)
    assert footer_text(offline, FIXED_NOW) == "offline · to send 6"
    assert footer_text(offline, FIXED_NOW, compact=True) == "offline ↑6"
    assert footer_text(SyncView(SyncPhase.WAITING), FIXED_NOW) == "not synced yet"
    assert footer_text(SyncView(SyncPhase.SIGN_IN), FIXED_NOW) == \
        "sign in: salesdev team join"
    assert footer_text(SyncView(SyncPhase.NOT_JOINED), FIXED_NOW) == \
        "not in the team: salesdev team join"


def test_the_footer_in_chinese() -> None:
    i18n.set_language("zh_TW")
    view = SyncView(SyncPhase.SYNCED, FIXED_NOW - timedelta(minutes=3), pending=2, conflicts=1)
    assert footer_text(view, FIXED_NOW) == "3 分鐘前已同步 · 待送出 2 · 衝突 1"
    assert footer_text(SyncView(SyncPhase.OFFLINE), FIXED_NOW) == "離線"


def test_conflict_values_read_as_the_rep_reads_them() -> None:
    # Times are kept in UTC (with or without an offset): shown in the rep's zone.
    assert conflict_value_text("2026-12-07 11:27:19.185463", TAIPEI) == "2026-12-07 19:27"
    assert conflict_value_text("2026-12-07T11:27:19+00:00", TAIPEI) == "2026-12-07 19:27"
    assert conflict_value_text("True", TAIPEI) == "yes"
    assert conflict_value_text(None, TAIPEI) == "(empty)"
    assert conflict_value_text("1250000.00", TAIPEI) == "1250000.00"
    assert conflict_value_text("2026-12-07", TAIPEI) == "2026-12-07"  # a day stays a day
    assert conflict_value_text("Call before 10:00", TAIPEI) == "Call before 10:00"
    assert conflict_time_text("2026-11-16T04:30:00+00:00", TAIPEI) == "11-16 12:30"


def test_sync_minutes_is_checked_like_the_other_settings(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    team = '[team]\nurl = "postgresql://db.example/sales"\nuser = "amy"\n'
    path.write_text(team, encoding="utf-8")
    assert load_settings(path).team.sync_minutes == 5  # the default
    path.write_text(team + "sync_minutes = 0\n", encoding="utf-8")
    assert load_settings(path).team.sync_minutes == 0  # no timed syncs
    for bad, problem in (("-1", "must be at least 0"), ('"5"', "must be a whole number"),
                         ("2000", "must be at most 1,440")):
        path.write_text(team + f"sync_minutes = {bad}\n", encoding="utf-8")
        with pytest.raises(ConfigError) as caught:
            load_settings(path)
        assert caught.value.key == "team.sync_minutes" and problem in str(caught.value)


def test_a_rejoin_keeps_the_reps_sync_minutes(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[team]\nurl = "postgresql://old/sales"\nuser = "amy"\n'
                    "sync_minutes = 15\n", encoding="utf-8")
    save_team(path, Team(url="postgresql://new/sales", user="amy"))
    team = load_settings(path).team
    assert (team.url, team.sync_minutes) == ("postgresql://new/sales", 15)
