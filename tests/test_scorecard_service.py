"""The scorecard's figures on hand-built data: the 12-month series, period cards built from
it, breakdowns, the weighted pipeline, the customers behind a figure; month, quarter and
year edges cut in a non-UTC zone."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from salesdev_tui.config import Settings, Targets
from salesdev_tui.domain.periods import last_n_months, parse_period
from salesdev_tui.domain.pipeline import weighted_pipeline
from salesdev_tui.domain.proposals import proposal_total
from salesdev_tui.domain.scorecard import add_figures, build_scorecard
from salesdev_tui.domain.scorecard_view import Figure
from salesdev_tui.models.enums import PeriodKind, ProposalStatus, Source, Stage
from salesdev_tui.models.tables import Customer, Proposal, ProposalLine
from salesdev_tui.store.combined import Store
from salesdev_tui.store.kpi_details import PipelineRow
from salesdev_tui.store.reports import scorecard_view
from tests.test_kpis import TAIPEI, Book, local

NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def book(store: Any) -> Book:
    return Book(store)


def customer(store: Store, name: str, **fields: Any) -> uuid.UUID:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    row = Customer(name=name, name_key=name.lower(), created_at=now, updated_at=now, **fields)
    with store.db.write() as session:
        session.add(row)
    return row.id


def series(store: Store, label: str, zone: ZoneInfo = TAIPEI) -> list[Any]:
    months = last_n_months(parse_period(label, zone), 12)
    bounds = [m.utc_bounds()[0] for m in months] + [months[-1].utc_bounds()[1]]
    return store.kpis.kpi_series(bounds)


def test_series_matches_month_by_month_figures_at_the_year_edge(store: Store, book: Book) -> None:
    # 23:30 on 31 December in Taipei is 15:30 UTC the same day; 00:30 on 1 January is
    # 16:30 UTC on 31 December: it belongs to January locally.
    late, early = book.customer("Late"), book.customer("Early")
    book.contact_done(late, local(2025, 12, 31, 23, 30))
    book.signed(late, local(2025, 12, 31, 23, 45), "100.00", "40.00")
    book.contact_done(early, local(2026, 1, 1, 0, 30))
    book.signed(early, local(2026, 1, 1, 0, 45), "300.00", "100.00")
    book.survey(early, local(2026, 1, 31, 23, 59), 5)
    book.survey(late, local(2026, 2, 1, 0, 1), 3)
    months = last_n_months(parse_period("2026-03", TAIPEI), 12)
    got = series(store, "2026-03")
    assert len(got) == 12
    for month, figures in zip(months, got, strict=True):
        assert figures == store.kpis.kpi_figures(*month.utc_bounds()), month.label
    december, january, february = got[8], got[9], got[10]
    assert (december.new_customers, december.revenue, december.profit) == (
        1, Decimal("100.00"), Decimal("60.00"))
    assert (january.new_customers, january.prospects_contacted, january.revenue) == (
        1, 1, Decimal("300.00"))
    assert (january.satisfaction_responses, february.satisfaction_sum) == (1, 3)


def test_series_in_a_zone_with_daylight_saving(store: Store, book: Book) -> None:
    who = book.customer("Spring")
    # 23:30 on 31 March in New York (EDT, UTC-4) is 03:30 UTC on 1 April: still March.
    book.signed(who, datetime(2026, 3, 31, 23, 30, tzinfo=NEW_YORK), "10.00", "0.00")
    got = series(store, "2026-04", NEW_YORK)
    assert [f.new_customers for f in got[-2:]] == [1, 0]


def test_period_cards_are_sums_of_their_months(store: Store, book: Book) -> None:
    for month, value in ((10, "100.00"), (11, "200.00"), (12, "300.00")):
        who = book.customer(f"Q4 {month}")
        book.contact_done(who, local(2026, month, 2))
        book.signed(who, local(2026, month, 3), value, "0.00")
    book.contact_done(book.customer("Only contacted"), local(2026, 11, 9))
    settings = Settings(timezone="Asia/Taipei", commission_rate=Decimal("0.05"))
    for label in ("2026-11", "2026-Q4", "2026"):
        period = parse_period(label, TAIPEI)
        view = scorecard_view(store, period, settings, date(2026, 11, 16))
        direct = build_scorecard(period, store.kpis.kpi_figures(*period.utc_bounds()),
                                 Decimal("0.05"))
        assert view.card == direct, label
        assert view.card.to_json() == direct.to_json()
        assert [m.period.label for m in view.months][-1] == period.months()[-1].label
    quarter = scorecard_view(store, parse_period("2026-Q4", TAIPEI), settings, date(2026, 11, 16))
    assert (quarter.card.new_customers, quarter.card.prospects_contacted) == (3, 4)
    assert quarter.card.success_rate == Decimal("0.75")
    assert quarter.card.commission == Decimal("30.00")
    trend = quarter.indicator(Figure.REVENUE).trend
    assert trend[-3:] == (Decimal("100.00"), Decimal("200.00"), Decimal("300.00"))
    assert quarter.indicator(Figure.SATISFACTION).trend[-1] is None


def test_add_figures_and_to_json_shape() -> None:
    assert add_figures([]).revenue == Decimal("0.00")
    period = parse_period("2026-11", TAIPEI)
    card = build_scorecard(period, add_figures([]), Decimal("0.03"))
    assert set(card.to_json()) == {
        "period", "new_customers", "prospects_contacted", "success_rate", "revenue", "profit",
        "commission", "satisfaction", "satisfaction_responses",
    }


def test_indicators_against_targets_with_pace(store: Store, book: Book) -> None:
    who = book.customer("Signer")
    book.contact_done(who, local(2026, 11, 2))
    book.signed(who, local(2026, 11, 3), "1000.00", "400.00")
    settings = Settings(timezone="Asia/Taipei",
                        targets=Targets(new_customers=2, revenue=Decimal("4000"),
                                        success_rate=Decimal("0.5")))
    view = scorecard_view(store, parse_period("2026-11", TAIPEI), settings, date(2026, 11, 16))
    revenue = view.indicator(Figure.REVENUE)
    assert revenue.target is not None and revenue.target.value == Decimal("4000")
    assert revenue.attainment == Decimal("0.25")
    # 21 working days in November 2026; on Monday the 16th, 10 are gone and 11 are left.
    assert revenue.pace is not None
    assert (revenue.pace.days_total, revenue.pace.days_left) == (21, 11)
    assert revenue.pace.projected == Decimal("2100.00")
    assert revenue.pace.needed_per_day == Decimal("272.73")
    assert view.indicator(Figure.SUCCESS_RATE).attainment == Decimal("2")
    assert view.indicator(Figure.SUCCESS_RATE).pace is None
    assert view.indicator(Figure.PROFIT).target is None
    assert view.indicator(Figure.COMMISSION).pace is not None


def test_breakdowns_by_source_and_industry(store: Store, book: Book) -> None:
    fair = [customer(store, f"Fair {n}", source=Source.TRADE_SHOW, industry="retail")
            for n in range(3)]
    web = customer(store, "Web", source=Source.ONLINE, industry="food")
    unknown = customer(store, "Unknown")
    for who in (*fair, web, unknown):
        book.contact_done(who, local(2026, 11, 4))
    book.signed(fair[0], local(2026, 11, 20), "500.00", "100.00")
    book.signed(web, local(2026, 11, 21), "200.00", "50.00")
    book.signed(web, local(2026, 10, 21), "999.00", "0.00")  # October: not November's
    settings = Settings(timezone="Asia/Taipei")
    view = scorecard_view(store, parse_period("2026-11", TAIPEI), settings, date(2026, 11, 16))
    by_source = {line.key: line for line in view.by_source}
    assert set(by_source) == {"trade_show", "online", None}
    # Web was first signed in October: not a new customer in November, but its revenue is.
    assert (by_source["online"].new_customers, by_source["online"].revenue) == (
        0, Decimal("200.00"))
    fair_line = by_source["trade_show"]
    assert (fair_line.prospects_contacted, fair_line.new_customers) == (3, 1)
    assert fair_line.success_rate == Decimal("0.3333")
    assert fair_line.profit == Decimal("400.00")
    assert by_source[None].prospects_contacted == 1
    assert view.by_source[0].key == "trade_show"  # most new customers first
    by_industry = {line.key: line for line in view.by_industry}
    assert set(by_industry) == {"retail", "food", None}
    assert sum(line.prospects_contacted for line in view.by_industry) == (
        view.card.prospects_contacted)
    start, end = parse_period("2026-11", TAIPEI).utc_bounds()
    behind = store.kpis.customers_behind(Figure.SUCCESS_RATE, start, end, by="source",
                                    key="trade_show")
    assert sorted(c.name for c in behind) == ["Fair 0", "Fair 1", "Fair 2"]
    assert [c.name for c in behind if c.signed] == ["Fair 0"]
    none = store.kpis.customers_behind(Figure.SUCCESS_RATE, start, end, by="industry", key=None)
    assert [c.name for c in none] == ["Unknown"]


def test_customers_behind_each_figure(store: Store, book: Book) -> None:
    a, b = book.customer("Alpha"), book.customer("Beta")
    book.contact_done(a, local(2026, 11, 2))
    book.contact_done(b, local(2026, 10, 2))
    book.signed(b, local(2026, 11, 5), "700.00", "200.00")
    book.survey(a, local(2026, 11, 6), 4)
    start, end = parse_period("2026-11", TAIPEI).utc_bounds()

    def names(figure: Figure) -> list[str]:
        return [c.name for c in store.kpis.customers_behind(figure, start, end)]

    assert names(Figure.NEW_CUSTOMERS) == ["Beta"]
    assert names(Figure.PROSPECTS_CONTACTED) == ["Alpha"]
    assert sorted(names(Figure.SUCCESS_RATE)) == ["Alpha", "Beta"]
    revenue = store.kpis.customers_behind(Figure.REVENUE, start, end)
    profit = store.kpis.customers_behind(Figure.PROFIT, start, end)
    assert [(c.name, c.amount) for c in revenue] == [("Beta", Decimal("700.00"))]
    assert [c.amount for c in profit] == [Decimal("500.00")]
    surveys = store.kpis.customers_behind(Figure.SATISFACTION, start, end)
    assert [(c.name, c.score) for c in surveys] == [("Alpha", 4)]


def _proposal(store: Store, customer_id: uuid.UUID, version: int, status: ProposalStatus,
              lines: list[tuple[str, str, str]], *, deleted_line: bool = False) -> uuid.UUID:
    now = datetime(2026, 11, 1, tzinfo=UTC)
    row = Proposal(customer_id=customer_id, version=version, title=f"Offer v{version}",
                   status=status, created_at=now, updated_at=now)
    with store.db.write() as session:
        session.add(row)
        session.flush()
        for position, (quantity, price, discount) in enumerate(lines):
            session.add(ProposalLine(proposal_id=row.id, position=position, product="Item",
                                     quantity=Decimal(quantity), unit_price=Decimal(price),
                                     discount_pct=Decimal(discount), created_at=now,
                                     updated_at=now))
        if deleted_line:
            session.add(ProposalLine(proposal_id=row.id, position=99, product="Gone",
                                     quantity=Decimal(1), unit_price=Decimal("1000000"),
                                     created_at=now, updated_at=now, deleted_at=now))
        # Written behind the store's back: keep its maintained column as the store would.
        store.customers.refresh_pipeline(session, {customer_id})
    return row.id


def _stage(store: Store, customer_id: uuid.UUID, stage: Stage) -> None:
    with store.db.write() as session:
        row = session.get(Customer, customer_id)
        assert row is not None
        row.stage = stage
        session.add(row)


def test_open_pipeline_is_exact_and_weighted(store: Store) -> None:
    # A tie at half a cent rounds to even (0.125 -> 0.12), as the proposal total does.
    lines = [("1.000", "0.25", "50.00"), ("3.000", "19.99", "12.50"), ("2.500", "100.00", "0")]
    open_one = customer(store, "In negotiation")
    _stage(store, open_one, Stage.NEGOTIATION)
    _proposal(store, open_one, 1, ProposalStatus.REJECTED, [("1", "999.00", "0")])
    _proposal(store, open_one, 2, ProposalStatus.PRESENTED, lines, deleted_line=True)
    drafting = customer(store, "Drafting")
    _stage(store, drafting, Stage.PROPOSAL)
    _proposal(store, drafting, 1, ProposalStatus.DRAFT, [("999999999.000", "9999999.99", "0")])
    won = customer(store, "Won already")
    _stage(store, won, Stage.WON)
    _proposal(store, won, 1, ProposalStatus.ACCEPTED, [("1", "500.00", "0")])
    refused = customer(store, "Refused")
    _stage(store, refused, Stage.NEGOTIATION)
    _proposal(store, refused, 1, ProposalStatus.REJECTED, [("1", "500.00", "0")])

    class Line:
        def __init__(self, q: str, p: str, d: str) -> None:
            self.quantity, self.unit_price, self.discount_pct = Decimal(q), Decimal(p), Decimal(d)

    expected = proposal_total([Line(*line) for line in lines])
    huge = proposal_total([Line("999999999.000", "9999999.99", "0")])
    rows = {row.stage: row for row in store.kpis.pipeline_by_stage()}
    assert rows[Stage.NEGOTIATION] == PipelineRow(Stage.NEGOTIATION, 1, expected)
    assert rows[Stage.PROPOSAL] == PipelineRow(Stage.PROPOSAL, 1, huge)  # computed in Python
    assert set(rows) == {Stage.NEGOTIATION, Stage.PROPOSAL}
    pipeline = weighted_pipeline(rows.values(), {"negotiation": Decimal("0.6"),
                                                 "proposal": Decimal("0.4")})
    assert pipeline.value == expected + huge
    assert pipeline.weighted == (expected * Decimal("0.6")).quantize(Decimal("0.01")) + (
        huge * Decimal("0.4")).quantize(Decimal("0.01"))
    assert [s.stage for s in pipeline.stages] == [Stage.PROPOSAL, Stage.NEGOTIATION]
    start, end = parse_period("2026-11", TAIPEI).utc_bounds()
    behind = store.kpis.customers_behind(Figure.PIPELINE, start, end, stage=Stage.NEGOTIATION)
    assert [(c.name, c.amount, c.title) for c in behind] == [
        ("In negotiation", expected, "Offer v2")]
    everyone = store.kpis.customers_behind(Figure.PIPELINE_WEIGHTED, start, end)
    assert [c.name for c in everyone] == ["Drafting", "In negotiation"]


def test_weighted_pipeline_uses_configured_probabilities() -> None:
    rows = [PipelineRow(Stage.CONTRACT, 2, Decimal("1000.00")),
            PipelineRow(Stage.PROSPECT, 1, Decimal("0.05"))]
    pipeline = weighted_pipeline(rows, {"contract": Decimal("0.8"), "prospect": Decimal("0.1")})
    assert [(s.stage, s.weighted) for s in pipeline.stages] == [
        (Stage.PROSPECT, Decimal("0.00")),  # 0.005 rounds half-even to 0.00
        (Stage.CONTRACT, Decimal("800.00")),
    ]
    assert (pipeline.proposals, pipeline.value, pipeline.weighted) == (
        3, Decimal("1000.05"), Decimal("800.00"))
    assert weighted_pipeline([], {}).stages == ()


def test_year_view_and_period_kinds(store: Store, book: Book) -> None:
    who = book.customer("New Year")
    book.signed(who, local(2027, 1, 1, 0, 10), "50.00", "0.00")
    settings = Settings(timezone="Asia/Taipei")
    year_2026 = scorecard_view(store, parse_period("2026", TAIPEI), settings, date(2026, 11, 16))
    year_2027 = scorecard_view(store, parse_period("2027", TAIPEI), settings, date(2026, 11, 16))
    assert year_2026.period.kind is PeriodKind.YEAR
    assert (year_2026.card.new_customers, year_2027.card.new_customers) == (0, 1)
    assert year_2027.indicator(Figure.NEW_CUSTOMERS).trend[0] == Decimal(1)
