"""The unlock screen as the rep sees it, covering the app (idle lock) on demo data.

Update the baselines only after looking at the report: `pytest tests/test_snapshots_encryption.py
--snapshot-update`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from salesdev_tui.app import create_app
from salesdev_tui.db.cipher import Secret
from salesdev_tui.dialogs.unlock import UnlockScreen, wrong_passphrase
from tests.conftest import Clock, make_settings
from tests.test_snapshots import SIZE, demo_db, settle

__all__ = ["demo_db"]  # a fixture shared with tests/test_snapshots.py


def _refuse_all(path: Path) -> Any:
    def check(_secret: Secret) -> bool:
        raise wrong_passphrase(path)

    return check


def _locked(*keys: str) -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        app: Any = pilot.app
        shown = Path("/home/rep/.local/share/salesdev/salesdev.db")  # not the tmp path
        app.push_screen(UnlockScreen(shown, _refuse_all(shown), locked=True))
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
        await settle(pilot)

    return run_before


class TestUnlock:
    def test_locked(self, snap_compare: Any, demo_db: Path) -> None:
        app = create_app(make_settings(), demo_db, clock=Clock())  # type: ignore[arg-type]
        assert snap_compare(app, terminal_size=SIZE, run_before=_locked())

    def test_wrong_passphrase(self, snap_compare: Any, demo_db: Path) -> None:
        app = create_app(make_settings(), demo_db, clock=Clock())  # type: ignore[arg-type]
        assert snap_compare(app, terminal_size=SIZE,
                            run_before=_locked(*"not it", "enter"))
