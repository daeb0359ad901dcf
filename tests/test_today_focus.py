"""Pilot: Today starts with the cursor on the first thing to do, and enter opens it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from salesdev_tui.screens.customer_page import CustomerPageScreen
from salesdev_tui.screens.today import AgendaTable
from salesdev_tui.widgets.key_footer import KeyFooter
from tests.conftest import wait_ready
from tests.test_today_and_page import add_customer, plan

MakeApp = Callable[..., Any]


async def test_enter_at_start_opens_the_first_overdue_customer(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        later = add_customer(app.store, "Later Ltd")
        first = add_customer(app.store, "First Overdue Co")
        plan(app.store, later, 3, "Call later today")
        plan(app.store, first, -20, "Overdue follow-up")
        app.changed()
        await wait_ready(pilot)
        assert isinstance(app.focused, AgendaTable) and app.focused.id == "overdue"
        footer = app.screen.query_one(KeyFooter)
        assert "enter" in [key.key for key in footer.children]  # "Open customer" is shown
        await pilot.press("enter")
        await wait_ready(pilot)
        page = app.screen
        assert isinstance(page, CustomerPageScreen) and page.customer_id == first


async def test_the_cursor_is_not_taken_back_on_reload(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        acme = add_customer(app.store, "Acme")
        plan(app.store, acme, -20, "Overdue")
        plan(app.store, acme, 3, "Today")
        app.changed()
        await wait_ready(pilot)
        app.screen.query_one("#today", AgendaTable).focus()
        app.changed()  # a save elsewhere reloads Today
        await wait_ready(pilot)
        assert app.focused is not None and app.focused.id == "today"
