"""Issue 14.17 at 80x24 with CJK text: the proposal footer keeps its key labels apart, the
contract title is not drawn over by its status, and a toast over a form keeps every wide
character (Textual's compositor split one straddling a widget edge into two spaces:
textual_patches/toast_cells.py). Each has a snapshot and a check that does not depend on pixels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Label, Static
from textual.widgets._footer import FooterKey, FooterLabel

from salesdev_tui.app import create_app
from salesdev_tui.domain.validation import (
    ContractInput,
    CustomerInput,
    LegalReviewInput,
    validate,
)
from salesdev_tui.forms.contract_editor import ContractScreen
from salesdev_tui.models.enums import Stage
from salesdev_tui.widgets.key_footer import KeyFooter
from salesdev_tui.widgets.line_grid import LineGrid
from tests.conftest import Clock, make_settings
from tests.test_contracts import FULL
from tests.test_snapshots import settle
from tests.test_snapshots_proposals import demo_app  # noqa: F401 - fixture

SIZE = (80, 24)
NAME = "火箭軸承🚀有限公司"
LONG_NAME = "台灣精密機械股份有限公司"


def _footer_gaps(pilot: Pilot[Any]) -> list[tuple[str, str]]:
    """Neighbouring footer items drawn with no cell between them."""
    footer = pilot.app.screen.query_one(KeyFooter)
    items = sorted((w for w in footer.query("FooterKey, FooterLabel")
                    if isinstance(w, FooterKey | FooterLabel) and w.region.width
                    and not w.has_class("-command-palette")), key=lambda w: w.region.x)
    return [(str(a.render()), str(b.render())) for a, b in zip(items, items[1:], strict=False)
            if a.region.right >= b.region.x]


async def _open_cjk_proposal(pilot: Pilot[Any]) -> None:
    """The latest proposal of the first customer with a CJK name that has proposals."""
    await settle(pilot)
    app: Any = pilot.app
    rows = sorted((r for r in app.store.customers.list_customers(limit=500)
                   if not r.name.isascii() and r.stage in (Stage.PROPOSAL, Stage.NEGOTIATION)),
                  key=lambda r: r.name)
    app.open_customer(rows[0].id)
    await settle(pilot)
    for key in ("4", "enter"):  # the digit puts the focus in the table (issue 21.5)
        await pilot.press(key)
        await settle(pilot)
    app.screen.query_one(LineGrid).focus()  # where the grouped keys (Move, Status) show
    await settle(pilot)


def test_proposal_footer_keeps_labels_apart(snap_compare: Any, demo_app: Any) -> None:  # noqa: F811
    touching: list[tuple[str, str]] = []

    async def run_before(pilot: Pilot[Any]) -> None:
        await _open_cjk_proposal(pilot)
        touching.extend(_footer_gaps(pilot))

    matched = snap_compare(demo_app, terminal_size=SIZE, run_before=run_before)
    assert touching == []
    assert matched


def _signed_contract_app(db_path: Path) -> Any:
    from salesdev_tui.db import open_database
    from salesdev_tui.store.combined import Store

    db = open_database(db_path)
    try:
        store: Any = Store(db, clock=Clock())
        cid = store.customers.add_lead(validate(CustomerInput, {"name": LONG_NAME})).id
        kid = store.contracts.create_contract(cid, validate(ContractInput, {"value": "1200000",
                                                                            **FULL})).id
        store.contracts.record_legal_review(kid, validate(LegalReviewInput, {
            "legal_review": "approved", "legal_reviewer": "林美玲"}))
        store.contracts.sign(kid)
    finally:
        db.close()
    app: Any = create_app(make_settings(), db_path, clock=Clock())  # type: ignore[arg-type]
    app.contract_ids = (cid, kid)
    return app


def test_contract_title_is_not_overwritten(snap_compare: Any, db_path: Path) -> None:
    app = _signed_contract_app(db_path)
    shown: dict[str, Any] = {}

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.push_screen(ContractScreen(*app.contract_ids))
        await settle(pilot)
        screen = pilot.app.screen
        shown["title"] = screen.query_one("#contract-title", Label)
        shown["status"] = screen.query_one("#contract-status", Static)

    matched = snap_compare(app, terminal_size=SIZE, run_before=run_before)
    title, status = shown["title"], shown["status"]
    assert title.region.right <= status.region.x  # side by side, never on top
    assert LONG_NAME in str(title.render())
    assert "is won" in str(status.render())
    assert matched


def test_toast_over_a_form_keeps_every_wide_character(snap_compare: Any, db_path: Path) -> None:
    app = _signed_contract_app(db_path)
    drawn: list[str] = []

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.push_screen(ContractScreen(*app.contract_ids))
        await settle(pilot)
        # Shifted one cell at a time, one of them puts a wide character across the edge
        # of the side panel (a cut) beneath the toast.
        for shift in range(3):
            pilot.app.notify(" " * shift + f"{NAME} signed.", markup=False, timeout=60)
        await settle(pilot)
        await pilot.pause(0.3)
        strips = pilot.app.screen._compositor.render_strips()
        drawn.extend("".join(segment.text for segment in strip) for strip in strips)

    matched = snap_compare(app, terminal_size=SIZE, run_before=run_before)
    assert sum(NAME in line for line in drawn) == 3, drawn
    assert matched
