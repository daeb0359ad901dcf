"""The real app on an encrypted database: unlock at start, Today fills, the idle lock."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from salesdev_tui.dialogs.unlock import UnlockScreen
from salesdev_tui.screens.today import TodayScreen
from tests.conftest import wait_ready
from tests.test_encryption import PASS, encrypted_db  # noqa: F401 - the fixture


async def _until(pilot: Any, condition: Any) -> None:
    for _ in range(200):
        await pilot.pause(0.02)
        if condition():
            return
    raise AssertionError("condition never became true")


async def test_the_app_asks_for_the_passphrase_then_fills_today(
    encrypted_db: Any, make_app: Any  # noqa: F811
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        assert app.store is None and app.store_error is None
        await pilot.press(*"not it", "enter")
        await _until(pilot, lambda: "wrong" in str(app.screen.query_one("#unlock-message")
                                                   .render()))
        app.screen.query_one("#unlock-passphrase", Input).value = PASS
        await pilot.press("enter")
        await wait_ready(pilot)
        assert app.store is not None and app.store.db.encrypted
        assert isinstance(app.screen, TodayScreen) and app.screen.data is not None


async def test_idle_minutes_lock_the_app_and_block_its_keys(
    encrypted_db: Any, make_app: Any  # noqa: F811
) -> None:
    app = make_app(idle_lock_minutes=5)
    async with app.run_test(size=(120, 40)) as pilot:
        await _until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        app.screen.query_one("#unlock-passphrase", Input).value = PASS
        await pilot.press("enter")
        await wait_ready(pilot)
        lock = app.storage.idle_lock
        assert lock is not None and not lock.locked
        lock.last_activity -= 6 * 60  # six quiet minutes
        lock.tick()
        await _until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        assert lock.locked
        await pilot.press("c")  # an app key does nothing while locked: it types
        assert isinstance(app.screen, UnlockScreen)
        app.screen.query_one("#unlock-passphrase", Input).value = PASS
        await pilot.press("enter")
        await _until(pilot, lambda: not isinstance(app.screen, UnlockScreen))
        assert not lock.locked


def test_cli_backup_check_and_restore_of_an_encrypted_database(
    encrypted_db: Any, tmp_path: Any, monkeypatch: Any  # noqa: F811
) -> None:
    from tests.test_encryption import PLAIN_MAGIC, _cli, _fd_with

    db_path, _before = encrypted_db

    def run(*args: str) -> Any:
        monkeypatch.setenv("SALESDEV_PASSPHRASE_FD", str(_fd_with(PASS)))
        return _cli(db_path, *args)

    copy = tmp_path / "copy.db"
    made = run("backup", "--to", str(copy))
    assert made.exit_code == 0, made.output
    assert copy.exists() and not copy.read_bytes().startswith(PLAIN_MAGIC)
    checked = run("check")
    assert checked.exit_code == 0 and "ok" in checked.output, checked.output
    restored = run("restore", str(copy), "--yes")
    assert restored.exit_code == 0, restored.output
    assert not db_path.read_bytes().startswith(PLAIN_MAGIC)
