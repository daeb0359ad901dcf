"""The objects alive once the store is open are frozen out of Python's full collections."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from typing import Any

from tests.conftest import wait_ready


async def test_long_lived_objects_are_frozen_after_the_store_opens(
    make_app: Callable[..., Any],
) -> None:
    gc.unfreeze()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert app.store is not None
        assert gc.get_freeze_count() == 0  # not at once: Today is still loading
        await asyncio.sleep(1.3)
        await pilot.pause()
        assert gc.get_freeze_count() > 10_000
    # conftest's _unfrozen_after unfreezes: the other tests start as they would have.
