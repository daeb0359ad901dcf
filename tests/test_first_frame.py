"""What the TUI's first frame costs (issue 22): it imports only what it shows, and Python's
cyclic collections wait until the app has settled. Speed itself is measured in
bench/startup.py; these tests guard the choices that keep it, which could regress silently.
"""

from __future__ import annotations

import asyncio
import gc
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import wait_ready

#: Not imported before the first frame: the store's stack (SQLAlchemy, SQLModel, the
#: tables), Babel (CLDR: Today's times and money, imported by the store's worker), the
#: screens, dialogs and forms not shown first.
LATER = ("sqlalchemy", "sqlmodel", "babel", "salesdev_tui.store.combined",
         "salesdev_tui.models.tables", "salesdev_tui.domain.locale_format",
         "salesdev_tui.screens.customers", "salesdev_tui.screens.scorecard",
         "salesdev_tui.screens.customer_page", "salesdev_tui.dialogs.help",
         "salesdev_tui.forms.plan_form", "salesdev_tui.forms.lead_form")

PROBE = """
import json, sys
from salesdev_tui.app_storage import Storage

LOADED = []

def first_frame_painted(self, job, group):
    # Called after the first frame: the worker would now open the database (it does not:
    # the probe stops here).
    LOADED.append(sorted(sys.modules))

Storage._start_worker = first_frame_painted

import asyncio
from pathlib import Path
from salesdev_tui.app import create_app
from salesdev_tui.config import Settings

async def main():
    app = create_app(Settings(language=sys.argv[2]), Path(sys.argv[1]))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.query_one("#title-overdue").region.height, "Today not on screen"

asyncio.run(main())
print(json.dumps(LOADED[0]), file=sys.stderr)
"""


@pytest.mark.parametrize("language", ["en", "zh_TW"])
def test_the_first_frame_imports_only_what_it_shows(tmp_path: Path, language: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "s.db"), language],
        capture_output=True, text=True, check=True, timeout=120,
    )
    loaded = set(json.loads(result.stderr.strip().splitlines()[-1]))
    assert "salesdev_tui.screens.today" in loaded  # the probe ran where it should
    for module in LATER:
        assert module not in loaded, module
        assert not any(name.startswith(module + ".") for name in loaded), module


def test_the_cli_pauses_collections_while_the_app_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import salesdev_tui.app
    from salesdev_tui.cli import tui

    seen: list[bool] = []

    class App:
        def run(self) -> None:
            seen.append(gc.isenabled())

    monkeypatch.setattr(salesdev_tui.app, "create_app", lambda *_a, **_k: App())
    monkeypatch.setattr(tui, "_on_terminal", lambda: True)
    assert gc.isenabled()
    assert tui.launch_direct(str(tmp_path / "s.db"), None) == 0
    assert seen == [False]
    assert gc.isenabled()  # back as it was once the app has ended
    gc.disable()
    try:
        assert tui.launch_direct(str(tmp_path / "s.db"), None) == 0
        assert not gc.isenabled()  # nor switched on if it was off
    finally:
        gc.enable()


async def test_collections_resume_once_the_store_is_open(
    make_app: Callable[..., Any],
) -> None:
    gc.disable()  # as the CLI leaves it
    try:
        app = make_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_ready(pilot)
            assert app.store is not None
            assert not gc.isenabled()  # not at once: Today is still loading
            await asyncio.sleep(1.3)
            await pilot.pause()
            assert gc.isenabled()
            assert gc.get_freeze_count() > 10_000
    finally:
        gc.enable()


async def test_collections_resume_when_the_store_cannot_open(
    make_app: Callable[..., Any], db_path: Path
) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"not a database, not an encrypted one either" * 100)
    gc.disable()
    try:
        app = make_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_ready(pilot)
            assert app.store is None and app.store_error
            assert gc.isenabled()
    finally:
        gc.enable()
