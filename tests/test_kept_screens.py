"""Pilot: screens shown again are not restyled or held back, unless the theme changed.

What makes switching screens and opening a kept customer page fast (docs/PERFORMANCE.md,
"Frames held back"): `KeptStyles` skips Textual's restyle on resume while the style context
is unchanged, and `FastModeSwitch` drops the 50 ms frame hold for a mode already built.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.app import App
from textual.widgets import Header

from salesdev_tui.screens.customer_page import CustomerPageScreen
from salesdev_tui.screens.customers import CustomersScreen
from tests.conftest import wait_ready
from tests.test_today_and_page import add_customer

MakeApp = Callable[..., Any]


def count_restyles(monkeypatch: pytest.MonkeyPatch, screen: Any) -> list[int]:
    calls: list[int] = []
    restyle = screen.update_node_styles

    def counted(animate: bool = True) -> None:
        calls.append(1)
        restyle(animate=animate)

    monkeypatch.setattr(screen, "update_node_styles", counted)
    return calls


async def open_page(app: Any, pilot: Any, customer_id: Any) -> CustomerPageScreen:
    app.open_customer(customer_id)
    await wait_ready(pilot)
    page = app.screen
    assert isinstance(page, CustomerPageScreen)
    return page


async def test_kept_page_is_not_restyled_when_shown_again(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        acme = add_customer(app.store, "Acme Trading")
        jade = add_customer(app.store, "Jade Lantern Foods")
        page = await open_page(app, pilot, acme)
        await pilot.press("escape")
        await wait_ready(pilot)
        restyles = count_restyles(monkeypatch, page)

        assert await open_page(app, pilot, jade) is page
        assert restyles == []
        assert "Jade Lantern Foods" in str(page.query_one("#customer-header").render())


async def test_kept_page_takes_the_theme_changed_while_it_was_away(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        acme = add_customer(app.store, "Acme Trading")
        await pilot.press("c")
        await wait_ready(pilot)
        page = await open_page(app, pilot, acme)
        before = page.query_one(Header).styles.background
        await pilot.press("escape")
        await wait_ready(pilot)
        restyles = count_restyles(monkeypatch, page)

        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await wait_ready(pilot)
        customers = app.screen
        assert isinstance(customers, CustomersScreen)
        assert await open_page(app, pilot, acme) is page
        assert restyles == [1]
        now = page.query_one(Header).styles.background
        assert now != before
        # As the screen that was shown when the theme changed has it.
        assert now == customers.query_one(Header).styles.background


async def test_switching_to_a_mode_already_built_holds_no_frame(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    held: list[float] = []
    hold = App.delay_update

    def recorded(self: App[Any], delay: float = 0.05) -> None:
        held.append(delay)
        hold(self, delay)

    monkeypatch.setattr(App, "delay_update", recorded)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("c")  # first visit: Customers is composed behind the hold
        await wait_ready(pilot)
        assert held == [0.05]
        await pilot.press("escape", "down", "t")  # out of the search box, back to Today
        await wait_ready(pilot)
        assert app.current_mode == "today"
        await pilot.press("c")
        await wait_ready(pilot)
        assert app.current_mode == "customers"
        assert held == [0.05]  # neither return was held back
