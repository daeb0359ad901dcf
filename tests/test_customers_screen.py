"""Pilot: the customer list. Search as you type, filters by key, paging, literal text."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Input, Label

from salesdev_tui.db import open_database
from salesdev_tui.db.search_index import create_search_index, has_search_index
from salesdev_tui.domain.validation import ContactInput, CustomerInput, validate
from salesdev_tui.screens.customers import CustomersScreen
from salesdev_tui.widgets import CustomerTable
from tests.conftest import wait_ready

MakeApp = Callable[..., Any]


@pytest.fixture(autouse=True)
def _search_index(db_path: Path) -> None:
    """The database with its search index (until create_schema creates it)."""
    db = open_database(db_path)
    with db.engine.begin() as conn:
        if not has_search_index(conn):
            create_search_index(conn)
    db.close()


def add(store: Any, name: str, phone: str | None = None, **fields: object) -> uuid.UUID:
    contact = validate(ContactInput, {"name": "Contact", "phone": phone}) if phone else None
    customer_id: uuid.UUID = store.customers.add_lead(
        validate(CustomerInput, {"name": name, **fields}), contact
    ).id
    return customer_id


def names(table: CustomerTable) -> list[str]:
    return [table.get_row_at(i)[0].plain for i in range(table.row_count)]


def screen_lines(table: CustomerTable) -> list[str]:
    """What the table draws, line by line (header first)."""
    return [table.render_line(y).text for y in range(table.size.height)]


async def open_list(pilot: Any) -> tuple[CustomersScreen, CustomerTable]:
    await pilot.press("c")
    await wait_ready(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CustomersScreen)
    return screen, screen.query_one(CustomerTable)


async def type_search(pilot: Any, text: str) -> None:
    await pilot.press(*text)
    await wait_ready(pilot)


def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages of 10, a window of 3 pages, the next page asked 3 rows from the edge."""
    import salesdev_tui.screens.customers as customers_module
    import salesdev_tui.widgets.customer_table as table_module

    monkeypatch.setattr(customers_module, "PAGE_SIZE", 10)
    monkeypatch.setattr(customers_module, "WINDOW_PAGES", 3)
    monkeypatch.setattr(table_module, "NEAR_EDGE", 3)


async def forty_five_by_name(pilot: Any) -> tuple[CustomersScreen, CustomerTable]:
    """Customer 00 … Customer 44, the list open and sorted by name."""
    await wait_ready(pilot)
    for i in range(45):
        add(pilot.app.store, f"Customer {i:02d}")
    pilot.app.changed()
    screen, table = await open_list(pilot)
    await type_search(pilot, "sort:name")
    return screen, table


async def test_search_as_you_type(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        add(app.store, "Acme Trading", phone="0912 345 678")
        add(app.store, "Globex")
        add(app.store, "東京精密株式会社")
        app.changed()
        screen, table = await open_list(pilot)
        assert sorted(names(table)) == ["Acme Trading", "Globex", "東京精密株式会社"]
        assert screen.query_one(Input).has_focus

        await type_search(pilot, "cme")
        assert names(table) == ["Acme Trading"]
        assert "1 customer" in str(screen.query_one("#customer-status", Label).render())

        await pilot.press("backspace", "backspace", "backspace")
        await type_search(pilot, "京精密")
        assert names(table) == ["東京精密株式会社"]

        await pilot.press("escape")  # clears the box
        await wait_ready(pilot)
        assert screen.query_one(Input).value == ""
        assert len(names(table)) == 3
        await type_search(pilot, "345678")
        assert names(table) == ["Acme Trading"]


async def test_slash_opens_the_list_with_the_cursor_in_the_box(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("slash")  # from Today: the list is not built yet
        await wait_ready(pilot)
        screen = app.screen
        assert isinstance(screen, CustomersScreen)
        assert screen.query_one(Input).has_focus
        screen.query_one(CustomerTable).focus()
        await pilot.press("slash")
        assert screen.query_one(Input).has_focus


async def test_problems_show_under_the_box_as_text(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        screen, _table = await open_list(pilot)
        problems = screen.query_one("#customer-problems", Label)
        assert problems.has_class("-hidden")
        search = screen.query_one(Input)
        await type_search(pilot, "acme/")  # "/" is text in the box, not "focus search"
        assert search.value == "acme/"
        search.value = "stage:[/]"  # (not every character can be typed as a key)
        await wait_ready(pilot)
        assert not problems.has_class("-hidden")
        assert "stage:[/]" in str(problems.render())
        assert app.is_running
        search.value = ""
        await type_search(pilot, "stage:xy")
        assert "stage:xy" in str(problems.render())
        await type_search(pilot, "z")  # the message follows the typing
        assert "stage:xyz" in str(problems.render())
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace")
        await type_search(pilot, "prop")
        assert problems.has_class("-hidden")


async def test_markup_in_names_is_shown_literally(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        add(app.store, "[@click=app.quit]x[/]")
        add(app.store, "[/]")
        add(app.store, "[b]bold[/b] & Co [GmbH]")
        app.changed()
        _screen, table = await open_list(pilot)
        assert sorted(names(table)) == sorted(
            ["[@click=app.quit]x[/]", "[/]", "[b]bold[/b] & Co [GmbH]"]
        )
        drawn = "\n".join(screen_lines(table))
        assert "[@click=app.quit]x[/]" in drawn
        assert "[b]bold[/b] & Co [GmbH]" in drawn
        for row in range(table.row_count):
            assert all(isinstance(cell, Text) for cell in table.get_row_at(row))
        table.focus()
        # Click each row's name (row 0 is under the cursor: a click there would open it).
        await pilot.click(CustomerTable, offset=(3, 2))
        await pilot.click(CustomerTable, offset=(3, 3))
        await wait_ready(pilot)
        assert app.is_running and app.return_value is None


async def test_cjk_names_line_up(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_ready(pilot)
        for name in ("Acme", "東京精密株式会社", "삼성전자", "ﾄﾖﾀ half-width", "東京" * 30,
                     "e\u0301 combining", "👨‍👩‍👧 family"):
            add(app.store, name, industry="機械")
        app.changed()
        _screen, table = await open_list(pilot)
        rows = [line for line in screen_lines(table)[1:] if "prospect" in line]
        assert len(rows) == 7
        # The stage column starts in the same terminal cell on every row.
        starts = {cell_len(line[: line.index("prospect")]) for line in rows}
        assert len(starts) == 1
        assert {cell_len(line) for line in rows} == {table.size.width}


async def test_enter_opens_the_highlighted_customer(make_app: MakeApp) -> None:
    from salesdev_tui.screens.customer_page import CustomerPageScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        ids = {"Acme": add(app.store, "Acme")}
        app.changed()
        _screen, _table = await open_list(pilot)
        ids["Acme Two"] = add(app.store, "Acme Two")
        app.changed()
        await type_search(pilot, "acme")
        await pilot.press("enter")  # two matches: from the box into the list
        # The reload after "Acme Two" was added keeps the cursor on the customer it was on
        # (Acme); let it land before moving, or the keys race it.
        await wait_ready(pilot)
        await pilot.press("down", "up")
        await wait_ready(pilot)
        # Both were changed at the same (fixed) moment: their order is the tie-break's.
        shown = names(_table)
        assert sorted(shown) == ["Acme", "Acme Two"] and _table.cursor_row == 0
        await pilot.press("down", "enter")  # open the second row
        await wait_ready(pilot)
        assert isinstance(app.screen, CustomerPageScreen)
        assert app.screen.customer_id == ids[shown[1]]


async def test_sort_and_filter_keys_write_into_the_box(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        for name in ("beta", "Alpha", "gamma"):
            add(app.store, name, potential="A" if name == "beta" else "B")
        app.changed()
        screen, table = await open_list(pilot)
        search = screen.query_one(Input)
        table.focus()
        await pilot.press("o")
        await wait_ready(pilot)
        assert search.value == "sort:name"
        assert names(table) == ["Alpha", "beta", "gamma"]
        await pilot.press("o", "o", "o")  # next, idle, back to updated
        assert search.value == ""
        await pilot.press("f", "3")  # the filters: 3 is potential
        await wait_ready(pilot)
        assert search.has_focus
        assert search.value == "pot:"
        await type_search(pilot, "A")
        assert names(table) == ["beta"]
        await pilot.press("escape")
        await wait_ready(pilot)
        assert search.value == "" and len(names(table)) == 3
        await pilot.press("escape")  # an empty box: back to the list
        assert table.has_focus


async def test_rows_are_windowed_and_paged(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_pages(monkeypatch)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen, table = await forty_five_by_name(pilot)
        assert names(table) == [f"Customer {i:02d}" for i in range(10)]
        table.focus()
        seen: list[str] = []
        for _ in range(46):
            await pilot.press("down")
            await wait_ready(pilot)
            assert table.row_count <= 30  # never more than the window
            seen.append(names(table)[table.cursor_row])
        assert seen[-1] == "Customer 44"
        assert sorted(set(seen)) == [f"Customer {i:02d}" for i in range(1, 45)]
        # And back up: the pages before the window load again.
        for _ in range(46):
            await pilot.press("up")
            await wait_ready(pilot)
        assert names(table)[table.cursor_row] == "Customer 00"
        assert table.row_count <= 30


async def test_a_search_with_the_same_rows_still_starts_a_new_list(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by CI under load: a search whose first page equalled the last search's reached
    the table as no change at all, so the table kept the old search's mark and took the next
    page for the start of a new search: the cursor jumped to the top while paging down."""
    small_pages(monkeypatch)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen, table = await forty_five_by_name(pilot)
        await type_search(pilot, " ")  # the same search again: the same first page
        assert names(table) == [f"Customer {i:02d}" for i in range(10)]
        table.focus()
        for _ in range(15):
            await pilot.press("down")
            await wait_ready(pilot)
        assert names(table)[table.cursor_row] == "Customer 15"


async def test_reloads_when_data_changes(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        add(app.store, "Acme One")
        app.changed()
        _screen, table = await open_list(pilot)
        await type_search(pilot, "acme")
        assert names(table) == ["Acme One"]
        add(app.store, "Acme Two")
        app.changed()
        await wait_ready(pilot)
        assert sorted(names(table)) == ["Acme One", "Acme Two"]


async def test_the_list_never_stalls_at_the_window_edge_while_a_page_loads(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14.3: the cursor reached the window's last row while a load was under way (here
    a reload after a save); the near-end asks were dropped, and at the last row a key moves
    nothing, so nothing asked again. Each page that arrives checks the edge again."""
    import threading

    small_pages(monkeypatch)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen, table = await forty_five_by_name(pilot)
        table.focus()
        gate = threading.Event()
        real = app.store.search.search_customers

        def held(*args: Any, **kwargs: Any) -> Any:
            gate.wait(5)  # the reload is slow: the keys below all arrive while it runs
            return real(*args, **kwargs)

        monkeypatch.setattr(app.store.search, "search_customers", held)
        app.changed()  # a save elsewhere: the window reloads
        await pilot.pause()
        await pilot.press(*["down"] * 12)  # held down to the last row and beyond
        assert table.cursor_row == 9
        gate.set()
        await wait_ready(pilot)
        await pilot.press("down")
        await wait_ready(pilot)
        assert names(table)[table.cursor_row] == "Customer 10"
        for _ in range(40):
            await pilot.press("down")
            await wait_ready(pilot)
        assert names(table)[table.cursor_row] == "Customer 44"


async def test_a_very_long_search_is_capped_with_a_message(make_app: MakeApp) -> None:
    """Issue 20.11: 10,000 characters took 15 s to settle; the core reads 200 and says so."""
    import time

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        add(app.store, "Acme Trading")
        app.changed()
        screen, table = await open_list(pilot)
        started = time.perf_counter()
        screen.query_one(Input).value = "acme " + "漢" * 10_000
        await wait_ready(pilot)
        assert time.perf_counter() - started < 5
        problems = screen.query_one("#customer-problems", Label)
        assert not problems.has_class("-hidden")
        assert "200 characters" in str(problems.render())
        assert names(table) == []
