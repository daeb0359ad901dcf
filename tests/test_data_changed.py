"""app.changed(): screens learn of a save after the frame that shows it, and exactly once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import wait_ready

MakeApp = Callable[..., Any]


async def test_change_is_told_after_the_frame_and_once(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        before = app.data_version
        app.changed()
        assert app.data_version == before  # not before the saving screen has painted
        await pilot.pause()
        assert app.data_version == before + 1
        await asyncio.sleep(0.6)  # the fallback timer finds nothing left to tell
        await pilot.pause()
        assert app.data_version == before + 1


async def test_change_is_told_even_when_the_frame_callback_is_lost(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        before = app.data_version
        # As when the screen it was queued on closes before its next refresh.
        monkeypatch.setattr(app, "call_after_refresh", lambda *_args, **_kw: True)
        app.changed()
        await pilot.pause()
        assert app.data_version == before
        await asyncio.sleep(0.6)
        await pilot.pause()
        assert app.data_version == before + 1
