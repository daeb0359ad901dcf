"""Pilot: the scorecard and the review are live, periods and targets are set by keys, and
every figure leads to its customers."""

from __future__ import annotations

import stat
import uuid
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlmodel import select
from textual.widgets import DataTable, Input

from salesdev_tui.dialogs.figure_customers import FigureCustomersScreen
from salesdev_tui.dialogs.review_export import ReviewExportScreen
from salesdev_tui.domain.scorecard_view import Figure
from salesdev_tui.forms.target_form import TargetFormScreen
from salesdev_tui.models.enums import (
    ContactMethod,
    Kpi,
    LegalReview,
    PeriodKind,
    PlanStatus,
    Source,
)
from salesdev_tui.models.tables import ContactPlan, Contract, Customer
from salesdev_tui.screens.customer_page import CustomerPageScreen
from salesdev_tui.screens.review import ReviewScreen
from salesdev_tui.screens.scorecard import ScorecardScreen
from salesdev_tui.screens.today import TodayScreen
from salesdev_tui.widgets.scorecard_strip import ScorecardStrip
from salesdev_tui.widgets.scorecard_tables import BreakdownTable, KpiTable
from tests.conftest import FIXED_NOW, wait_ready
from tests.test_kpis import CLAUSES

MakeApp = Callable[..., Any]


def customer(store: Any, name: str) -> uuid.UUID:
    row = Customer(name=name, name_key=name.lower(), created_at=FIXED_NOW - timedelta(days=40),
                   updated_at=FIXED_NOW - timedelta(days=40))
    with store.db.write() as session:
        session.add(row)
    return row.id


def contacted(store: Any, customer_id: uuid.UUID, days_ago: float) -> None:
    moment = FIXED_NOW - timedelta(days=days_ago)
    with store.db.write() as session:
        session.add(ContactPlan(customer_id=customer_id, method=ContactMethod.PHONE,
                                scheduled_at=moment, status=PlanStatus.DONE, done_at=moment))
        session.flush()
        store.customers.refresh_customer_facts(session, {customer_id})


def sign(store: Any, customer_id: uuid.UUID, value: str) -> None:
    """A signed contract, written the way the contract screens save one."""
    with store.db.write() as session:
        session.add(Contract(customer_id=customer_id, value=Decimal(value), cost=Decimal(0),
                             legal_review=LegalReview.APPROVED,
                             signed_at=FIXED_NOW - timedelta(hours=1), **CLAUSES))
        session.flush()
        store.customers.refresh_customer_facts(session, {customer_id})


def kpi_cells(screen: ScorecardScreen, figure: Figure) -> list[str]:
    table = screen.query_one(KpiTable)
    return [cell.plain.strip() for cell in table.get_row(figure.value)]


async def test_a_signed_contract_shows_on_today_and_the_scorecard_at_once(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        store = app.store
        acme, beta = customer(store, "Acme"), customer(store, "Beta")
        contacted(store, acme, 3)
        contacted(store, beta, 2)
        app.changed()
        await wait_ready(pilot)
        today = app.screen
        assert isinstance(today, TodayScreen)
        strip = today.query_one(ScorecardStrip)
        assert strip.data is not None and strip.data.new_customers == 0

        sign(store, acme, "1200.00")
        app.changed()  # what every save does; no refresh key is pressed
        await wait_ready(pilot)
        assert strip.data is not None
        assert (strip.data.new_customers, strip.data.revenue) == (1, Decimal("1200.00"))

        await pilot.press("s")
        await wait_ready(pilot)
        screen = app.screen
        assert isinstance(screen, ScorecardScreen)
        assert screen.view is not None and screen.view.card.new_customers == 1
        assert kpi_cells(screen, Figure.NEW_CUSTOMERS)[1] == "1"

        sign(store, beta, "800.00")
        app.changed()
        await wait_ready(pilot)
        assert screen.view.card.new_customers == 2
        assert screen.view.card.revenue == Decimal("2000.00")
        assert kpi_cells(screen, Figure.REVENUE)[1] == "2,000"  # TWD: no cents
        assert kpi_cells(screen, Figure.SUCCESS_RATE)[1] == "100.0% 2/2"


async def test_periods_by_keys_targets_and_the_customers_behind(make_app: MakeApp) -> None:
    app = make_app(targets={"revenue": Decimal("1000")})
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        store = app.store
        acme = customer(store, "Acme")
        contacted(store, acme, 3)
        sign(store, acme, "500.00")
        await pilot.press("s")
        await wait_ready(pilot)
        screen = app.screen
        assert isinstance(screen, ScorecardScreen) and screen.view is not None
        assert screen.view.period.label == "2026-11"
        revenue = screen.view.indicator(Figure.REVENUE)
        assert revenue.target is not None and revenue.target.value == Decimal("1000")
        assert revenue.attainment == Decimal("0.5")

        for key, label in (("q", "2026-Q4"), ("y", "2026"), ("left_square_bracket", "2025"),
                           ("0", "2026"), ("m", "2026-11"), ("right_square_bracket", "2026-12")):
            await pilot.press(key)
            await wait_ready(pilot)
            assert screen.view.period.label == label, key
        await pilot.press("left_square_bracket")
        await wait_ready(pilot)

        # T on the revenue row sets November's own revenue target.
        table = screen.query_one(KpiTable)
        table.move_cursor(row=table.get_row_index(Figure.REVENUE.value))
        await pilot.press("T")
        await wait_ready(pilot)
        form = app.screen
        assert isinstance(form, TargetFormScreen)
        form.query_one("#f-value", Input).value = "2,000"
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        assert isinstance(app.screen, ScorecardScreen)
        saved = store.targets.target_of(PeriodKind.MONTH, "2026-11", Kpi.REVENUE)
        assert saved is not None and saved.value == Decimal("2000")
        assert screen.view.indicator(Figure.REVENUE).attainment == Decimal("0.25")

        # A success-rate target typed as a percentage; a bad one names the field.
        table.move_cursor(row=table.get_row_index(Figure.SUCCESS_RATE.value))
        await pilot.press("T")
        await wait_ready(pilot)
        form = app.screen
        assert isinstance(form, TargetFormScreen)
        form.query_one("#f-value", Input).value = "250%"
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        assert isinstance(app.screen, TargetFormScreen)
        assert "100%" in str(form.query_one("#e-value").render())
        form.query_one("#f-value", Input).value = "30%"
        await pilot.press("ctrl+s")
        await wait_ready(pilot)
        rate = store.targets.target_of(PeriodKind.MONTH, "2026-11", Kpi.SUCCESS_RATE)
        assert rate is not None and rate.value == Decimal("0.3")

        # Enter lists the customers behind the revenue; enter there opens the customer.
        table.move_cursor(row=table.get_row_index(Figure.REVENUE.value))
        table.focus()
        await pilot.press("enter")
        await wait_ready(pilot)
        listing = app.screen
        assert isinstance(listing, FigureCustomersScreen)
        rows = listing.query_one(DataTable)
        assert rows.row_count == 1
        assert rows.get_row_at(0)[0].plain == "Acme"
        await pilot.press("enter")
        await wait_ready(pilot)
        page = app.screen
        assert isinstance(page, CustomerPageScreen) and page.customer_id == acme


async def test_review_follow_up_and_export(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        store = app.store
        acme = customer(store, "Acme")
        with store.db.write() as session:
            session.add(ContactPlan(customer_id=acme, method=ContactMethod.VISIT,
                                    scheduled_at=FIXED_NOW - timedelta(hours=2),
                                    agenda="Show the samples"))
        await pilot.press("r")  # the review, from every screen
        await wait_ready(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen) and review.review is not None
        assert [p.customer_name for p in review.review.missed] == ["Acme"]

        review.query_one("#review-missed", DataTable).focus()
        await pilot.press("f")
        await wait_ready(pilot)
        from salesdev_tui.forms.plan_form import PlanFormScreen

        form = app.screen
        assert isinstance(form, PlanFormScreen) and form.customer_id == acme
        assert form.query_one("#f-agenda").text == "Show the samples"  # type: ignore[attr-defined]
        await pilot.press("escape")
        await wait_ready(pilot)
        if not isinstance(app.screen, ReviewScreen):  # the form asks before discarding
            await pilot.press("y")
            await wait_ready(pilot)
        assert isinstance(app.screen, ReviewScreen)

        await pilot.press("e")
        await wait_ready(pilot)
        dialog = app.screen
        assert isinstance(dialog, ReviewExportScreen)
        target = tmp_path / "daily.md"
        dialog.query_one(Input).value = str(target)
        await pilot.press("enter")
        await wait_ready(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        text = target.read_text(encoding="utf-8")
        assert text.startswith("# Daily report Mon 2026-11-16")
        assert "Acme" in text

        # Live: logging the outcome elsewhere moves it from missed to done.
        with store.db.write() as session:
            plan = session.exec(select(ContactPlan)).one()
            plan.status, plan.done_at = PlanStatus.DONE, FIXED_NOW - timedelta(minutes=5)
            session.add(plan)
        app.changed()
        await wait_ready(pilot)
        assert review.review is not None
        assert review.review.missed == [] and len(review.review.done) == 1


async def test_the_customers_behind_a_channel_are_titled_as_the_table_names_it(
    make_app: MakeApp,
) -> None:
    """The by-channel row reads "trade show"; the list behind it says the same, never the
    stored key "trade_show" (which no catalogue translates)."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        store = app.store
        acme = customer(store, "Acme")
        with store.db.write() as session:
            row = session.get(Customer, acme)
            row.source = Source.TRADE_SHOW
        contacted(store, acme, 3)
        await pilot.press("s")
        await wait_ready(pilot)
        table = app.screen.query_one("#by-source", BreakdownTable)
        assert table.get_row("trade_show")[0].plain == "trade show"
        table.move_cursor(row=table.get_row_index("trade_show"))
        table.focus()
        await pilot.press("enter")
        await wait_ready(pilot)
        listing = app.screen
        assert isinstance(listing, FigureCustomersScreen)
        assert listing.query_spec.title == "Contacted or won in 2026-11: trade show"
        assert listing.query_spec.key == "trade_show"  # the query still uses the stored key
        assert listing.query_one(DataTable).get_row_at(0)[0].plain == "Acme"
