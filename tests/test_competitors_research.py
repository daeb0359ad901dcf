"""Pilot: the competitor view and the market research screen, driven by keys."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from sqlmodel import select
from textual.widgets import DataTable, Static

from salesdev_tui.db import open_database
from salesdev_tui.db.search_index import create_search_index, has_search_index
from salesdev_tui.dialogs.customer_pick import CustomerPickScreen
from salesdev_tui.domain.validation import CompetitorNoteInput, CustomerInput, validate
from salesdev_tui.forms.research_form import ResearchNoteFormScreen
from salesdev_tui.models.enums import Source, Stage
from salesdev_tui.models.tables import CompetitorNote, FieldEdit, ResearchNote
from salesdev_tui.screens.competitors import CompetitorsScreen
from salesdev_tui.screens.customer_page import CustomerPageScreen
from salesdev_tui.screens.research import ResearchScreen
from tests.conftest import wait_ready

MakeApp = Callable[..., Any]


@pytest.fixture(autouse=True)
def _search_index(db_path: Path) -> None:
    """The database with its search index, which the customer picker's quick_find reads
    (created here until create_schema creates it, as in test_customers_screen.py)."""
    db = open_database(db_path)
    with db.engine.begin() as conn:
        if not has_search_index(conn):
            create_search_index(conn)
    db.close()


def add_customer(store: Any, name: str) -> uuid.UUID:
    return store.customers.add_lead(validate(CustomerInput, {"name": name})).id


def cells(table: DataTable[Any]) -> list[list[str]]:
    return [[c.plain if isinstance(c, Text) else str(c) for c in table.get_row_at(i)]
            for i in range(table.row_count)]


async def press(pilot: Any, *keys: str) -> None:
    await pilot.press(*keys)
    await wait_ready(pilot)


async def test_palette_offers_both_screens(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Competitors" in titles and "Market research" in titles


async def test_competitor_view_opens_a_customer(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        store = app.store
        lost = add_customer(store, "Lost Co")
        other = add_customer(store, "Open Co")
        store.customers.change_stage(lost, Stage.LOST, reason="chose a competitor")
        for customer_id, name in ((lost, "[b]Acme[/]"), (other, "[B]ACME[/]"),
                                  (other, "Beta")):
            store.records.add_record(CompetitorNote, customer_id,
                             validate(CompetitorNoteInput, {"competitor": name}))
        app.action_competitors()
        await wait_ready(pilot)
        screen = app.screen
        assert isinstance(screen, CompetitorsScreen)
        competitors = screen.query_one("#competitor-table", DataTable)
        # Markup in a name is shown literally; the two spellings are one competitor.
        assert cells(competitors) == [["[b]Acme[/]", "2", "1", "0", "1"],
                                      ["Beta", "1", "0", "0", "1"]]
        customers = screen.query_one("#competitor-customers", DataTable)
        assert cells(customers) == [["Lost Co", "lost", "lost"], ["Open Co", "prospect", "open"]]

        competitors.focus()
        await press(pilot, "down")
        assert cells(customers) == [["Open Co", "prospect", "open"]]
        await press(pilot, "enter")
        assert customers.has_focus
        await press(pilot, "enter")
        page = app.screen
        assert isinstance(page, CustomerPageScreen) and page.customer_id == other
        await press(pilot, "escape")
        assert app.screen is screen


async def test_research_add_edit_and_link_by_keys(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        customer_id = add_customer(app.store, "Acme Trading")
        add_customer(app.store, "Beta Foods")
        app.action_research()
        await wait_ready(pilot)
        screen = app.screen
        assert isinstance(screen, ResearchScreen)

        await press(pilot, "a")
        assert isinstance(app.screen, ResearchNoteFormScreen)
        await pilot.press(*"Machine tools", "tab", "tab", *"machinery", "tab", *"Taichung")
        await pilot.press("tab", *"Automation demand up")
        await press(pilot, "ctrl+s")
        assert app.screen is screen
        with app.store.db.read() as session:
            [note] = session.exec(select(ResearchNote)).all()
        assert (note.title, note.industry, note.region, note.trends) == (
            "Machine tools", "machinery", "Taichung", "Automation demand up")
        assert note.noted_on.isoformat() == "2026-11-16"
        table = screen.query_one("#research-table", DataTable)
        assert cells(table) == [["2026-11-16", "Machine tools", "machinery", "Taichung", "0"]]

        await press(pilot, "enter")
        assert isinstance(app.screen, ResearchNoteFormScreen)
        await press(pilot, "end", *" 2026", "ctrl+s")
        assert app.store.records.get_record(ResearchNote, note.id).title == "Machine tools 2026"

        await press(pilot, "l")
        assert isinstance(app.screen, CustomerPickScreen)
        await press(pilot, *"acme")
        await press(pilot, "enter")
        assert app.screen is screen
        customer = app.store.customers.get_customer(customer_id)
        assert customer.research_note_id == note.id and customer.source == Source.RESEARCH
        with app.store.db.read() as session:
            fields = {e.field for e in session.exec(
                select(FieldEdit).where(FieldEdit.entity_id == customer_id)).all()}
        assert fields == {"research_note_id", "source"}
        assert cells(table)[0][-1] == "1"
        detail = str(screen.query_one("#research-detail", Static).render())
        assert "Acme Trading" in detail and "Automation demand up" in detail
