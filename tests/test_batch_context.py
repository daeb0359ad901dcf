"""The batch's context (issue 21.4): source, detail, industry and potential carry over
from one card to the next until changed, on the quick line as a dim prefix."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import Static

from salesdev_tui.domain.batch_context import BatchContext, context_of, with_context
from salesdev_tui.domain.quickadd import parse_quick_line
from salesdev_tui.forms.lead_quick import QuickLeadScreen
from salesdev_tui.models.enums import Potential, Source
from tests.conftest import wait_ready

MakeApp = Callable[..., Any]

SHOW = BatchContext(Source.TRADE_SHOW, "台北 機械展", "精密 機械", Potential.A)


def test_context_fills_only_what_the_line_leaves_out() -> None:
    line = with_context("新竹電子; 李大華 // 攤位 #3", SHOW)
    lead = parse_quick_line(line)
    assert (lead.company, lead.contact_name, lead.notes) == ("新竹電子", "李大華", "攤位 #3")
    assert (lead.source, lead.source_detail, lead.industry, lead.potential) == (
        Source.TRADE_SHOW, "台北 機械展", "精密 機械", Potential.A)
    changed = parse_quick_line(with_context("台中機械 #online !B", SHOW))
    assert (changed.source, changed.source_detail, changed.industry, changed.potential) == (
        Source.ONLINE, None, "精密 機械", Potential.B)
    assert context_of(changed) == BatchContext(Source.ONLINE, None, "精密 機械", Potential.B)
    assert with_context("", SHOW) == ""  # nothing typed: nothing to save
    assert with_context("Acme", BatchContext()) == "Acme"


async def test_quick_line_carries_the_show_to_the_next_card(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("n")
        await wait_ready(pilot)
        screen = app.screen
        assert isinstance(screen, QuickLeadScreen)
        await pilot.press(*'台北精機; 王小明 #show:"台北 機械展" #機械 !A', "enter")
        await wait_ready(pilot)
        prefix = screen.query_one("#quick-context", Static)
        assert prefix.display and "台北 機械展" in str(prefix.render())
        await pilot.press(*"新竹電子; 李大華", "enter")
        await wait_ready(pilot)
        await pilot.press("backspace")  # at the start of the empty line: the prefix goes
        assert not prefix.display
        await pilot.press(*"高雄五金", "enter")
        await wait_ready(pilot)
        rows = {c.name: app.store.customers.get_customer(c.id)
                for c in app.store.customers.list_customers()}
        assert (rows["新竹電子"].source, rows["新竹電子"].source_detail,
                rows["新竹電子"].industry, rows["新竹電子"].potential) == (
            Source.TRADE_SHOW, "台北 機械展", "機械", Potential.A)
        assert (rows["高雄五金"].source, rows["高雄五金"].industry) == (None, None)
