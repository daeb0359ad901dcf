"""Legal's screens on the real team server (issue 19.5): the app opened by a legal user
starts on the queue; a contract opens with its six clauses; approve and reject (with the
comment required) write the server; offline is a plain message. Snapshots at a fixed size
and fixed dates, English and Traditional Chinese."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from salesdev_tui.app import create_app
from salesdev_tui.config import Team as TeamSettings
from salesdev_tui.domain.validation import ContractInput, validate
from salesdev_tui.models.tables import CONTRACT_CLAUSES
from salesdev_tui.screens.legal_queue import ContractReviewScreen, LegalQueueScreen
from salesdev_tui.usecases.legal_review import send_for_review
from tests.conftest import Clock, make_settings
from tests.server.conftest import Team
from tests.server.test_sync import Device
from tests.test_snapshots import settle

SIZE = (120, 40)
CLAUSES = {
    "clause_rights_obligations": "甲方付款，乙方交貨並提供保固。",
    "clause_specification": "CNC 五軸加工中心 VMC-850，兩台。",
    "clause_price": "每台 NT$2,400,000，未稅。",
    "clause_delivery_time": "簽約後 60 日內交貨。",
    "clause_quality_standard": "符合 CNS 及出廠檢驗報告。",
    "clause_breach_liability": "逾期交貨每日罰款合約金額千分之一。",
}


@pytest.fixture
def sent(team: Team, tmp_path: Path) -> dict[str, uuid.UUID]:
    """Two contracts amy sent for review at the fixed time, and one draft."""
    amy = Device(tmp_path / "amy.db", team, "amy")
    ids: dict[str, uuid.UUID] = {}
    try:
        for name, number, value, send in (
                ("台灣精密機械股份有限公司", "SD-2026-001", "4800000", True),
                ("Acme Trading", "SD-2026-002", "125000.50", True),
                ("Draft Only Co", "SD-2026-003", "1000", False)):
            cid = amy.add(name)
            kid = amy.store.contracts.create_contract(cid, validate(ContractInput, {
                "number": number, "value": value, "cost": "0",
                **(CLAUSES if number.endswith("1") else
                   {c: "…" for c in CONTRACT_CLAUSES})})).id
            if send:
                send_for_review(amy.store, kid)
            ids[number] = kid
        amy.sync()
    finally:
        amy.db.close()
    return ids


def legal_app(team: Team, tmp_path: Path, *, language: str = "en",
              url: str | None = None) -> Any:
    bare = url or team.url("lee").replace(team.user("lee") + "@", "")
    settings = make_settings(language=language, team=TeamSettings(
        url=bare, user=team.user("lee"), role="legal"))
    return create_app(settings, tmp_path / "lee.db", clock=Clock())  # type: ignore[arg-type]


async def queue_shown(pilot: Pilot[Any]) -> None:
    """Settled, and the table drawn with the rows it got (its column widths follow them:
    a picture taken one frame early shows the headers at their own width)."""
    await settle(pilot)
    for _ in range(3):
        pilot.app.screen.refresh(layout=True)
        await pilot.pause()


def status(app: Any) -> str:
    return str(app.screen.query_one("#legal-status", Static).render())


def review_of(team: Team, kid: uuid.UUID) -> tuple[Any, ...]:
    with psycopg.connect(team.admin_url) as conn:
        row = conn.execute("SELECT legal_review, legal_reviewer, legal_comments FROM"
                           " salesdev.contract WHERE id = %s", (kid,)).fetchone()
    return tuple(row or ())


async def test_a_legal_user_reviews_from_the_queue(
    team: Team, tmp_path: Path, sent: dict[str, uuid.UUID],
) -> None:
    app = legal_app(team, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LegalQueueScreen)  # the role's first screen
        table = app.screen.query_one("#legal-queue", DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert [row[:2] for row in rows] == [["台灣精密機械股份有限公司", "SD-2026-001"],
                                             ["Acme Trading", "SD-2026-002"]]  # no draft
        assert rows[0][2] == "TWD 4,800,000" and rows[0][3] == "2026-11-16 14:30"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContractReviewScreen)
        shown = str(app.screen.query_one("#legal-clause_breach_liability", Static).render())
        assert shown == CLAUSES["clause_breach_liability"]
        await pilot.press("f3")  # reject without a comment: refused, said plainly
        await settle(pilot)
        problem = str(app.screen.query_one("#legal-problem", Static).render())
        assert "required to reject" in problem
        assert review_of(team, sent["SD-2026-001"])[0] == "pending"
        app.screen.query_one("#legal-comment", Input).value = "違約責任請寫明上限"
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, LegalQueueScreen)  # back, reloaded
        assert review_of(team, sent["SD-2026-001"]) == ("rejected", team.user("lee"),
                                                        "違約責任請寫明上限")
        table = app.screen.query_one("#legal-queue", DataTable)
        assert table.row_count == 1  # only Acme waits now
        await pilot.press("enter", "f2")
        await settle(pilot)
        assert review_of(team, sent["SD-2026-002"])[:2] == ("approved", team.user("lee"))
        assert "No contract is waiting" in status(app)
        await pilot.press("A")  # the reviewed ones too
        await settle(pilot)
        assert app.screen.query_one("#legal-queue", DataTable).row_count == 2


async def test_offline_is_a_plain_message(team: Team, tmp_path: Path) -> None:
    app = legal_app(team, tmp_path, url="postgresql://127.0.0.1:1/nowhere")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LegalQueueScreen)
        message = status(app)
        assert "The team server cannot be reached" in message and "F5" in message
        assert "Traceback" not in message


async def test_a_rep_opens_on_today(team: Team, tmp_path: Path) -> None:
    settings = make_settings(team=TeamSettings(url="postgresql://127.0.0.1:1/x",
                                               user=team.user("amy"), role="rep"))
    app = create_app(settings, tmp_path / "amy.db", clock=Clock())  # type: ignore[arg-type]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not isinstance(app.screen, LegalQueueScreen)


@pytest.mark.parametrize("language", ["en", "zh_TW"])
def test_snapshot_legal_queue(snap_compare: Any, team: Team, tmp_path: Path,
                              sent: dict[str, uuid.UUID], language: str) -> None:
    assert snap_compare(legal_app(team, tmp_path, language=language), terminal_size=SIZE,
                        run_before=queue_shown)


@pytest.mark.parametrize("language", ["en", "zh_TW"])
def test_snapshot_contract_review(snap_compare: Any, team: Team, tmp_path: Path,
                                  sent: dict[str, uuid.UUID], language: str) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await queue_shown(pilot)

    assert snap_compare(legal_app(team, tmp_path, language=language), terminal_size=SIZE,
                        run_before=run_before)


async def test_the_reps_contract_form_on_a_team(team: Team, tmp_path: Path) -> None:
    """The rep sends from the form (ctrl+l, the use case); the review is read-only; legal's
    approval synced back lets ctrl+g sign and the customer is won."""
    from salesdev_tui.forms.contract_editor import ContractScreen
    from salesdev_tui.models.enums import LegalReview, Stage
    from salesdev_tui.usecases.legal_review import give_verdict
    from tests.server.test_legal_review import settings_for

    amy = Device(tmp_path / "amy.db", team, "amy")
    cid = amy.add("台灣精密機械股份有限公司")
    kid = amy.store.contracts.create_contract(cid, validate(ContractInput, {
        "number": "SD-2026-001", "value": "4800000", "cost": "0", **CLAUSES})).id
    amy.db.close()
    bare = team.url("amy").replace(team.user("amy") + "@", "")
    settings = make_settings(team=TeamSettings(url=bare, user=team.user("amy"), role="rep"))

    async def on_contract(pilot: Pilot[Any], app: Any) -> ContractScreen:
        await settle(pilot)
        app.open_customer(cid)
        await settle(pilot)
        await pilot.press("6")  # the contracts tab
        await settle(pilot)
        app.screen.query_one("#table-contract").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContractScreen)
        return app.screen

    app = create_app(settings, tmp_path / "amy.db", clock=Clock())  # type: ignore[arg-type]
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_contract(pilot, app)
        for name in ("#legal_review", "#legal_reviewer", "#legal_reviewed_at"):
            assert screen.query_one(name).disabled, name
        assert screen.query_one("#legal_comments").read_only
        await pilot.press("ctrl+l")
        await settle(pilot)
        [row] = app.store.contracts.contracts_of(cid)
        assert row.id == kid and row.legal_sent_at is not None
    amy = Device(tmp_path / "amy.db", team, "amy")
    amy.sync()
    give_verdict(settings_for(team, "lee"), kid.hex, LegalReview.APPROVED, None)
    amy.sync()
    amy.db.close()
    app = create_app(settings, tmp_path / "amy.db", clock=Clock())  # type: ignore[arg-type]
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_contract(pilot, app)
        assert screen.query_one("#legal_reviewer", Input).value == team.user("lee")
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert app.store.customers.get_customer(cid).stage == Stage.WON
