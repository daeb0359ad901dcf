"""Pilot: write a proposal from the customer's page by keys alone, present it, revise it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlmodel import col, select
from textual import events
from textual.widgets import Input, Static

from salesdev_tui.dialogs.confirm import ConfirmScreen
from salesdev_tui.domain.proposals import proposal_total
from salesdev_tui.domain.validation import CustomerInput, validate
from salesdev_tui.forms.proposal_editor import CellInput, ProposalScreen
from salesdev_tui.models.enums import ProposalStatus
from salesdev_tui.models.tables import Proposal, ProposalLine
from salesdev_tui.screens.customer_page import CustomerPageScreen
from salesdev_tui.widgets.line_grid import LineGrid
from tests.conftest import wait_ready

MakeApp = Callable[..., Any]


def add_customer(store: Any, name: str) -> uuid.UUID:
    return store.customers.add_lead(validate(CustomerInput, {"name": name})).id  # type: ignore[no-any-return]


def proposals(app: Any, customer_id: uuid.UUID) -> list[tuple[Proposal, list[ProposalLine]]]:
    with app.store.db.read() as session:
        rows = session.exec(
            select(Proposal).where(Proposal.customer_id == customer_id)
            .order_by(col(Proposal.version))
        ).all()
        out = []
        for row in rows:
            lines = session.exec(
                select(ProposalLine)
                .where(ProposalLine.proposal_id == row.id, col(ProposalLine.deleted_at).is_(None))
                .order_by(col(ProposalLine.position))
            ).all()
            out.append((row, list(lines)))
        return out


async def type_line(pilot: Any, *cells: str) -> None:
    """ctrl+n, then each cell typed and tab to the next; enter keeps the last one."""
    await pilot.press("ctrl+n")
    for index, text in enumerate(cells):
        await pilot.press(*text)
        await pilot.press("tab" if index < len(cells) - 1 else "enter")


async def open_new_proposal(pilot: Any, app: Any, customer_id: uuid.UUID) -> ProposalScreen:
    app.open_customer(customer_id)
    await wait_ready(pilot)
    assert isinstance(app.screen, CustomerPageScreen)
    await pilot.press("4", "a")
    await wait_ready(pilot)
    screen = app.screen
    assert isinstance(screen, ProposalScreen)
    return screen


async def test_write_present_and_revise_by_keys(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        customer_id = add_customer(app.store, "台灣精密工業股份有限公司")
        screen = await open_new_proposal(pilot, app, customer_id)
        assert isinstance(app.focused, Input) and app.focused.id == "f-title"
        await pilot.press(*"Line automation")
        await type_line(pilot, "Bearing", "High speed", "3", "1,234.50", "12.5")
        await type_line(pilot, "Oil", "", "2.5", "99.99")
        await type_line(pilot, "Setup")
        # The third line is moved to the top and back down again, all by keys.
        await pilot.press("alt+up", "ctrl+down")
        assert screen.query_one(LineGrid).row_count == 3
        total_text = str(screen.query_one("#proposal-total", Static).render())
        assert "3,490.54" in total_text
        await pilot.press("ctrl+s")
        await wait_ready(pilot)

        [(proposal, lines)] = proposals(app, customer_id)
        assert (proposal.title, proposal.version, proposal.status) == (
            "Line automation", 1, ProposalStatus.DRAFT)
        assert [(x.position, x.product, x.description, x.quantity, x.unit_price,
                 x.discount_pct) for x in lines] == [
            (0, "Bearing", "High speed", Decimal("3.000"), Decimal("1234.50"), Decimal("12.50")),
            (1, "Oil", None, Decimal("2.500"), Decimal("99.99"), Decimal("0.00")),
            (2, "Setup", None, Decimal("1.000"), Decimal("0.00"), Decimal("0.00")),
        ]
        assert proposal_total(lines) == Decimal("3490.54")

        # Presented, after a confirmation; then it is frozen.
        screen.query_one(LineGrid).focus()
        await pilot.press("p")
        await wait_ready(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await wait_ready(pilot)
        [(proposal, _lines)] = proposals(app, customer_id)
        assert proposal.status == ProposalStatus.PRESENTED and proposal.presented_at is not None
        assert screen.query_one("#f-title", Input).disabled
        await pilot.press("ctrl+n")
        await wait_ready(pilot)
        assert screen.query_one(LineGrid).row_count == 3

        # A new version copies everything into a draft that can change.
        await pilot.press("v")
        await wait_ready(pilot)
        (old, old_lines), (new, new_lines) = proposals(app, customer_id)
        assert (old.status, new.status, new.version, new.previous_id) == (
            ProposalStatus.PRESENTED, ProposalStatus.DRAFT, 2, old.id)
        assert [x.product for x in new_lines] == [x.product for x in old_lines]
        assert screen.record_id == new.id and not screen.query_one("#f-title", Input).disabled

        # Delete the last line (asked first), save: only version 2 changes.
        screen.query_one(LineGrid).focus()
        await pilot.press("end", "ctrl+end", "ctrl+d")
        await wait_ready(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y", "ctrl+s")
        await wait_ready(pilot)
        (_old, old_lines), (_new, new_lines) = proposals(app, customer_id)
        assert len(old_lines) == 3 and [x.product for x in new_lines] == ["Bearing", "Oil"]


async def test_bad_cells_are_refused_at_the_cell_and_nothing_typed_is_lost(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        customer_id = add_customer(app.store, "Acme Trading")
        screen = await open_new_proposal(pilot, app, customer_id)
        await pilot.press("ctrl+n", *"Widget", "tab", "tab", *"zero", "tab")
        editor = screen.query_one(CellInput)
        # The quantity "zero" is refused where it was typed, and kept there.
        assert app.focused is editor and editor.value == "zero"
        assert "Quantity" in str(screen.query_one("#cell-error").render())
        await pilot.press("escape")  # the cell stays as it was (blank: quantity 1)
        await pilot.press("ctrl+s")  # no title
        await wait_ready(pilot)
        assert proposals(app, customer_id) == []
        assert "Title" in str(screen.query_one("#e-title").render())
        assert app.focused is screen.query_one("#f-title")
        # Escape with unsaved typing asks first; "n" keeps editing.
        await pilot.press("escape")
        await wait_ready(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await wait_ready(pilot)
        assert app.screen is screen and screen.lines[0].texts["product"] == "Widget"
        await pilot.press(*"Gears", "ctrl+s")
        await wait_ready(pilot)
        [(proposal, lines)] = proposals(app, customer_id)
        assert proposal.title == "Gears" and [x.product for x in lines] == ["Widget"]
        proposal_line_id = lines[0].id  # edited in place below, not replaced

        # In the grid, F2 and enter edit the cell under the cursor; tab moves between cells.
        screen.query_one(LineGrid).focus()
        await pilot.press("home", "f2", "ctrl+u", *"Sprocket", "enter")
        await pilot.press("tab", "enter", *"Teeth: 40", "enter", "ctrl+s")
        await wait_ready(pilot)
        [(_proposal, lines)] = proposals(app, customer_id)
        assert [(x.product, x.description) for x in lines] == [("Sprocket", "Teeth: 40")]
        assert lines[0].id == proposal_line_id


async def test_cells_typed_ahead_land_in_their_own_cells(make_app: MakeApp) -> None:
    """Keys arriving in one burst (a fast typist, tmux, a paste): each tab moves on before
    the next character is inserted, so nothing typed lands in the cell before."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        cid = app.store.customers.add_lead(validate(CustomerInput, {"name": "Acme Trading"})).id
        screen = await open_new_proposal(pilot, app, cid)
        await pilot.press("ctrl+n")
        await wait_ready(pilot)
        keys = [*"Widget", "tab", "tab", "2", "tab", *"300", "tab"]
        for key in keys:  # posted at once, not awaited one by one as pilot.press does
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause(0.3)
        await wait_ready(pilot)
        texts = screen.lines[0].texts
        assert (texts["product"], texts["quantity"], texts["unit_price"]) == (
            "Widget", "2", "300")
