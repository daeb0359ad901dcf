"""Issue 14.2 and 14.13: the global keys go where they say from every screen, mean one
thing everywhere, and a key typed into a text box never reaches a binding."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input

import salesdev_tui.dialogs as dialogs_package
import salesdev_tui.forms as forms_package
import salesdev_tui.screens as screens_package
import salesdev_tui.widgets as widgets_package
from salesdev_tui.dialogs.help import keys_of
from salesdev_tui.screens.customer_page import CustomerPageScreen
from salesdev_tui.screens.customers import CustomersScreen
from salesdev_tui.screens.today import TodayScreen
from salesdev_tui.widgets import CustomerTable
from tests.conftest import wait_ready
from tests.test_customers_screen import add, names

GLOBAL_KEYS = ("t", "c", "s", "r", "n", "N", "slash", "question_mark")


async def test_slash_from_a_customer_page_lands_in_the_box_with_the_last_search_selected(
    make_app: Any,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        won = add(app.store, "Wonder Works")
        acme = add(app.store, "Acme Trading")
        app.changed()
        await pilot.press("slash", *"wonder", "enter")  # one match: enter opens it
        await wait_ready(pilot)
        page = app.screen
        assert isinstance(page, CustomerPageScreen) and page.customer_id == won
        contracts_before = len(app.store.contracts.contracts_of(won)) if hasattr(
            app.store, "contracts_of") else None

        # Back to the list's box; typing replaces the last search, no page key fires.
        await pilot.press("slash", *"acme tra")
        await wait_ready(pilot)
        screen = app.screen
        assert isinstance(screen, CustomersScreen)
        box = screen.query_one("#customer-search", Input)
        assert box.has_focus and box.value == "acme tra"
        assert names(screen.query_one(CustomerTable)) == ["Acme Trading"]
        assert len(app.screen_stack) == 1  # the page was closed, nothing pushed
        if contracts_before is not None:
            assert len(app.store.contracts.contracts_of(won)) == contracts_before
        await pilot.press("enter")
        await wait_ready(pilot)
        assert isinstance(app.screen, CustomerPageScreen) and app.screen.customer_id == acme

        await pilot.press("slash")
        await wait_ready(pilot)
        box = app.screen.query_one("#customer-search", Input)
        assert box.selected_text == "acme tra"  # selected: the next key replaces it


async def test_enter_with_several_matches_goes_into_the_list(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        add(app.store, "Acme One")
        add(app.store, "Acme Two")
        app.changed()
        await pilot.press("slash", *"acme", "enter")
        await wait_ready(pilot)
        screen = app.screen
        assert isinstance(screen, CustomersScreen)
        assert screen.query_one(CustomerTable).has_focus


async def test_c_and_t_always_show_the_list_and_today(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        acme = add(app.store, "Acme Trading")
        app.changed()
        await wait_ready(pilot)
        app.open_customer(acme)  # a page on Today's stack
        await wait_ready(pilot)
        assert isinstance(app.screen, CustomerPageScreen)
        await pilot.press("c")
        await wait_ready(pilot)
        assert isinstance(app.screen, CustomersScreen)
        app.open_customer(acme)  # and one on the list's stack
        await wait_ready(pilot)
        await pilot.press("t")
        await wait_ready(pilot)
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("c")
        await wait_ready(pilot)
        assert isinstance(app.screen, CustomersScreen)
        assert len(app.screen_stack) == 1


async def test_global_keys_mean_the_same_on_every_screen(make_app: Any) -> None:
    """t c s r n N / ? are the app's on Today, the list (box or table), Scorecard, a
    customer's page, the review, competitors and research; `?` lists each key once."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        acme = add(app.store, "Acme Trading")
        app.changed()
        await wait_ready(pilot)

        def check(where: str) -> None:
            screen = app.screen
            table = screen.query(CustomerTable)
            for focus in [None, *table]:  # the list: from the table too
                if focus is not None:
                    focus.focus()
                bindings = screen.active_bindings
                for key in GLOBAL_KEYS:
                    if screen.focused is not None and isinstance(screen.focused, Input):
                        continue  # typed into the box (the next test)
                    assert key in bindings and bindings[key].node is app, (where, key)
            shown = [key for key, _what, _where in keys_of(screen)]
            assert len(shown) == len(set(shown)), (where, shown)

        check("today")
        for key, kind in (("c", "CustomersScreen"), ("s", "ScorecardScreen")):
            await pilot.press(key)
            await wait_ready(pilot)
            assert type(app.screen).__name__ == kind
            app.screen.set_focus(None)
            check(kind)
        app.open_customer(acme)
        await wait_ready(pilot)
        check("page")
        for action in ("review", "competitors", "research"):
            await app.run_action(action)
            await wait_ready(pilot)
            check(action)


async def test_letters_typed_into_the_search_box_stay_there(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("slash")
        await wait_ready(pilot)
        typed = "tcsrnNfo?/ePL[]a"
        await pilot.press(*typed)
        await wait_ready(pilot)
        assert isinstance(app.screen, CustomersScreen) and len(app.screen_stack) == 1
        assert app.screen.query_one("#customer-search", Input).value == typed


def test_no_printable_key_is_a_priority_binding_anywhere() -> None:
    """A priority binding runs before the focused text box sees the key: only control keys
    (ctrl+…, tab, function keys) may be priority, on every screen and the app."""
    from salesdev_tui.app import SalesdevApp

    classes: list[type[Any]] = [SalesdevApp]
    for package in (screens_package, dialogs_package, forms_package, widgets_package):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            classes += [c for _n, c in inspect.getmembers(module, inspect.isclass)
                        if issubclass(c, Screen | Widget) and c.__module__ == module.__name__]
    assert len(classes) > 50  # every screen, dialog, form and widget class was found
    for cls in classes:
        for binding in getattr(cls, "BINDINGS", []):
            if isinstance(binding, Binding) and binding.priority:
                for key in binding.key.split(","):
                    assert len(key) > 1 and key not in ("slash", "question_mark", "space"), (
                        cls.__name__, key)


async def test_the_palette_jumps_to_a_customer_by_two_characters(make_app: Any) -> None:
    """Issue 14.1 in the palette: 大明 (the end of a contact's name) finds the customer."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        wang = add(app.store, "王氏貿易")
        from salesdev_tui.domain.validation import ContactInput, validate

        app.store.contacts.add_contact(wang, validate(ContactInput, {"name": "王大明"}))
        add(app.store, "台灣精密機械股份有限公司")
        app.changed()
        await wait_ready(pilot)
        await pilot.press("ctrl+p", *"大明")
        await wait_ready(pilot)
        await pilot.pause(0.3)
        await wait_ready(pilot)
        await pilot.press("enter")
        await wait_ready(pilot)
        assert isinstance(app.screen, CustomerPageScreen) and app.screen.customer_id == wang
