"""Pilot: the customer's page kept between visits shows each customer as a new page would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import DataTable, Static, TabbedContent

from salesdev_tui.screens.customer_page import CustomerPageScreen
from salesdev_tui.textual_patches.mode_stacks import in_a_stack
from tests.conftest import wait_ready
from tests.test_today_and_page import add_customer, cells, plan

MakeApp = Callable[..., Any]


def page_of(app: Any) -> CustomerPageScreen:
    screen = app.screen
    assert isinstance(screen, CustomerPageScreen)
    return screen


async def test_second_customer_gets_the_kept_page_refilled(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        acme = add_customer(app.store, "Acme Trading")
        plan(app.store, acme, 2, "Call Acme about samples")
        jade = add_customer(app.store, "Jade Lantern Foods")
        app.changed()
        await wait_ready(pilot)

        app.open_customer(acme)
        await wait_ready(pilot)
        first = page_of(app)
        await pilot.press("2")  # the Plans tab: its table is mounted now
        await wait_ready(pilot)
        plans = first.query_one("#table-plans", DataTable)
        assert [row[3] for row in cells(plans)] == ["Call Acme about samples"]
        await pilot.press("escape")
        await wait_ready(pilot)

        app.open_customer(jade)
        await wait_ready(pilot)
        second = page_of(app)
        assert second is first  # kept, not composed again
        assert second.customer_id == jade
        header = str(second.query_one("#customer-header", Static).content)
        assert "Jade Lantern Foods" in header and "Acme" not in header
        # As on a new page: the first tab, and nothing of Acme's in the table kept from it.
        tabs = second.query_one(TabbedContent)
        assert tabs.active == f"tab-{second.tabs[0].id}"
        assert cells(plans) == []
        assert plans.has_class("-hidden")


async def test_kept_page_is_not_reloaded_while_not_shown(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        acme = add_customer(app.store, "Acme Trading")
        app.changed()
        await wait_ready(pilot)
        app.open_customer(acme)
        await wait_ready(pilot)
        page = page_of(app)
        await pilot.press("escape")
        await wait_ready(pilot)

        reads: list[object] = []
        original = app.store.files.customer_file

        def counted(customer_id: object) -> object:
            reads.append(customer_id)
            return original(customer_id)

        app.store.files.customer_file = counted
        app.changed()  # a save elsewhere: the hidden page must not read for nothing
        await wait_ready(pilot)
        assert reads == []
        assert not in_a_stack(app, page)


async def test_customer_opened_from_a_page_gets_a_page_of_its_own(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        acme = add_customer(app.store, "Acme Trading")
        jade = add_customer(app.store, "Jade Lantern Foods")
        app.changed()
        await wait_ready(pilot)
        app.open_customer(acme)
        await wait_ready(pilot)
        under = page_of(app)
        app.open_customer(jade)  # as "Restore deleted customer…" does from a page
        await wait_ready(pilot)
        top = page_of(app)
        assert top is not under and top.customer_id == jade
        assert under.customer_id == acme
        await pilot.press("escape")
        await wait_ready(pilot)
        assert page_of(app) is under
        header = str(under.query_one("#customer-header", Static).content)
        assert "Acme Trading" in header


async def test_deleted_state_does_not_carry_to_the_next_customer(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        acme = add_customer(app.store, "Acme Trading")
        jade = add_customer(app.store, "Jade Lantern Foods")
        app.changed()
        await wait_ready(pilot)
        app.open_customer(acme)
        await wait_ready(pilot)
        await pilot.press("ctrl+d")
        await wait_ready(pilot)
        await pilot.press("enter")  # "Delete (can be undone)" is the first choice
        await wait_ready(pilot)
        page = page_of(app)
        assert page.deleted
        await pilot.press("escape")
        await wait_ready(pilot)

        app.open_customer(jade)
        await wait_ready(pilot)
        assert page_of(app) is page
        assert not page.deleted and not page.has_class("-deleted")
        await pilot.press("e")  # editing is allowed again: the customer form opens
        await wait_ready(pilot)
        assert type(app.screen).__name__ == "CustomerFormScreen"
