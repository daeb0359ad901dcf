"""The `[keymap]` table of the config rebinds the app's keys by binding id."""

from __future__ import annotations

from typing import Any

from tests.conftest import wait_ready


async def test_a_keymap_override_rebinds_a_global_key(make_app: Any) -> None:
    from salesdev_tui.screens.customers import CustomersScreen

    app = make_app(keymap={"go-customers": "k"})
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("c")  # the default key no longer goes there
        await pilot.pause()
        assert not isinstance(app.screen, CustomersScreen)
        await pilot.press("k")
        await wait_ready(pilot)
        assert isinstance(app.screen, CustomersScreen)
