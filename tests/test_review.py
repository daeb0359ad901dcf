"""The end-of-day review on a hand-built day: the facts, how they are sorted, the text,
Markdown and JSON reports, and `salesdev review`."""

from __future__ import annotations

import json
import stat
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.config import Settings, Targets
from salesdev_tui.domain.review import review_json
from salesdev_tui.domain.review_render import md_escape, render_markdown, render_text
from salesdev_tui.domain.validation import (
    ContactPlanInput,
    CustomerInput,
    NegotiationInput,
    PlanOutcomeInput,
    ProposalInput,
    ProposalLineInput,
    SurveyInput,
    validate,
)
from salesdev_tui.models.enums import ContactMethod, LegalReview, PlanStatus, ProposalStatus, Stage
from salesdev_tui.models.tables import Contract, Survey
from salesdev_tui.store.combined import Store
from salesdev_tui.store.reports import day_review
from tests.conftest import Clock
from tests.test_kpis import CLAUSES, TAIPEI

DAY = date(2026, 11, 16)  # a Monday; the fixed clock is 14:30 in Taipei
SETTINGS = Settings(timezone="Asia/Taipei", currency="TWD", rep_name="Test Rep",
                    targets=Targets(new_customers=4, revenue=Decimal("100000")))


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=TAIPEI).astimezone(UTC)


class Day:
    """Builds a day through the store's own write paths, moving the clock as it goes."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store, self.clock = store, clock

    def when(self, moment: datetime) -> None:
        self.clock.current = moment

    def lead(self, name: str, created: datetime) -> uuid.UUID:
        self.when(created)
        return self.store.customers.add_lead(validate(CustomerInput, {"name": name})).id

    def plan(self, customer_id: uuid.UUID, scheduled: datetime, agenda: str) -> uuid.UUID:
        data = {"method": "phone", "scheduled_at": scheduled, "agenda": agenda}
        return self.store.plans.plan_contact(customer_id, validate(ContactPlanInput, data)).id

    def outcome(self, plan_id: uuid.UUID, status: PlanStatus, logged: datetime) -> None:
        self.when(logged)
        self.store.plans.log_outcome(plan_id, validate(PlanOutcomeInput, {"status": status,
                                                                    "outcome": "said so"}))


@pytest.fixture
def day(store: Any, clock: Clock) -> Day:
    return Day(store, clock)


def build_day(store: Store, d: Day) -> dict[str, uuid.UUID]:
    yesterday, tomorrow = DAY - timedelta(days=1), DAY + timedelta(days=1)
    old = d.lead("Old Friend *Ltd* [x](y)", at(DAY - timedelta(days=30), 10))
    new = d.lead("Fresh Lead", at(DAY, 9))
    d.when(at(DAY - timedelta(days=20), 10))
    ids = {
        "done": d.plan(old, at(DAY, 10), "Call about samples"),
        "missed": d.plan(old, at(DAY, 11), "Send the catalogue"),
        "cancelled": d.plan(old, at(DAY, 12), "Lunch"),
        "early_done": d.plan(old, at(yesterday, 15), "Yesterday's call"),
        "overdue": d.plan(old, at(DAY - timedelta(days=2), 9), "Overdue visit"),
    }
    d.when(at(DAY, 9, 5))  # the new lead's plans are made once it exists
    ids |= {
        "late": d.plan(new, at(DAY, 13), "First call"),
        "later": d.plan(new, at(DAY, 16), "Second call"),
        "tomorrow": d.plan(new, at(tomorrow, 10), "Tomorrow's call"),
        "next_week": d.plan(new, at(DAY + timedelta(days=7), 10), "Later"),
    }
    d.outcome(ids["early_done"], PlanStatus.DONE, at(DAY, 9, 30))
    d.outcome(ids["done"], PlanStatus.DONE, at(DAY, 10, 30))
    d.outcome(ids["missed"], PlanStatus.MISSED, at(DAY, 11, 30))
    d.outcome(ids["cancelled"], PlanStatus.CANCELLED, at(DAY, 11, 40))
    d.when(at(DAY, 11, 45))
    store.customers.change_stage(old, Stage.CONTACTED)
    d.when(at(yesterday, 16))
    line = validate(ProposalLineInput, {"product": "Scanner", "unit_price": "100"})
    stale = store.proposals.create_proposal(old, validate(ProposalInput,
                                                          {"title": "Yesterday's offer"}),
                                  [line])
    store.proposals.set_proposal_status(stale.id, ProposalStatus.PRESENTED)
    d.when(at(DAY, 12))
    offer = store.proposals.create_proposal(old, validate(ProposalInput, {"title": "Offer"}),
                                            [line])
    store.proposals.set_proposal_status(offer.id, ProposalStatus.PRESENTED)
    d.when(at(DAY, 12, 30))
    store.negotiations.save_minutes(old, validate(NegotiationInput, {"held_at": at(DAY, 11)}), [])
    d.when(at(DAY, 13))
    store.records.add_record(Survey, old, validate(SurveyInput, {"score": 4, "taken_at": at(DAY,
                                                                                            13)}))
    with store.db.write() as session:
        session.add(Contract(customer_id=old, number="C-1", value=Decimal("50000"),
                             cost=Decimal("20000"), legal_review=LegalReview.APPROVED,
                             signed_at=at(DAY, 13, 30), **CLAUSES))
        session.flush()
        store.customers.refresh_customer_facts(session, {old})
    d.when(at(DAY, 14, 30))
    return {**ids, "old": old, "new": new}


def test_the_days_facts_are_sorted_into_the_review(store: Store, day: Day) -> None:
    ids = build_day(store, day)
    review = day_review(store, DAY, SETTINGS, at(DAY, 14, 30))

    def plans(items: list[Any]) -> set[uuid.UUID]:
        return {p.plan_id for p in items}

    assert plans(review.planned) == {ids["done"], ids["missed"], ids["late"], ids["later"]}
    assert review.planned_done == 1
    assert plans(review.done) == {ids["done"], ids["early_done"]}
    assert plans(review.missed) == {ids["missed"], ids["late"]}
    assert plans(review.to_come) == {ids["later"]}
    assert plans(review.cancelled) == {ids["cancelled"]}
    assert plans(review.overdue) == {ids["overdue"]} and review.overdue_count == 1
    assert plans(review.tomorrow) == {ids["tomorrow"]}
    assert [c.name for c in review.new_leads] == ["Fresh Lead"]
    assert [(m.from_stage, m.to_stage) for m in review.stage_moves] == [
        (Stage.PROSPECT, Stage.CONTACTED)]
    assert [r.title for r in review.proposals_sent] == ["Offer (v2)"]
    assert [r.at for r in review.minutes] == [at(DAY, 11)]
    assert [(r.title, r.value) for r in review.contracts] == [("C-1", Decimal("50000.00"))]
    assert review.contracts_value == Decimal("50000.00")
    assert (review.survey_mean, len(review.surveys)) == (Decimal("4.00"), 1)
    month = {i.figure.value: i for i in review.month_indicators}
    assert month["new_customers"].value == 1 and month["prospects_contacted"].value == 1
    revenue = month["revenue"]
    assert revenue.attainment == Decimal("0.5")
    # At 14:30 the day still lasts (the scorecard's pace at this moment): 11 working days
    # are left in November counting Monday the 16th.
    assert revenue.pace is not None and revenue.pace.days_left == 11
    assert revenue.pace.needed_per_day == Decimal("4545.45")
    # Reviewed the next morning, the day is over: 10 are left after it.
    next_morning = day_review(store, DAY, SETTINGS, at(DAY + timedelta(days=1), 9))
    late = {i.figure.value: i for i in next_morning.month_indicators}["revenue"].pace
    assert late is not None and (late.days_left, late.needed_per_day) == (10,
                                                                           Decimal("5000.00"))


def test_later_in_the_evening_the_open_plan_is_missed_too(store: Store, day: Day) -> None:
    ids = build_day(store, day)
    review = day_review(store, DAY, SETTINGS, at(DAY, 18))
    assert {p.plan_id for p in review.missed} == {ids["missed"], ids["late"], ids["later"]}
    assert review.to_come == []
    # The next day, nothing of it remains except what is still open from before.
    # The next day: its one plan, and the three still open from before are overdue.
    calm = day_review(store, DAY + timedelta(days=1), SETTINGS, at(DAY, 18))
    assert {p.plan_id for p in calm.planned} == {ids["tomorrow"]}
    assert calm.overdue_count == 3
    assert {p.plan_id for p in calm.overdue} == {ids["overdue"], ids["late"], ids["later"]}


def test_reports_say_the_same_in_text_markdown_and_json(store: Store, day: Day) -> None:
    build_day(store, day)
    review = day_review(store, DAY, SETTINGS, at(DAY, 14, 30))
    text = render_text(review, TAIPEI, "TWD", "Test Rep")
    assert text.startswith("Daily report Mon 2026-11-16 — Test Rep")
    assert "Contacts: 1 of 4 planned done; 2 done in all" in text
    assert "Old Friend *Ltd* [x](y)" in text  # plain text keeps the name as typed
    assert "Contracts signed (1, TWD 50,000)" in text  # TWD is written without cents
    assert "Revenue TWD 50,000 of TWD 100,000 (50%)" in text
    markdown = render_markdown(review, TAIPEI, "TWD", "Test Rep")
    assert "Old Friend \\*Ltd\\* \\[x\\](y)" in markdown
    assert "*Ltd*" not in markdown
    assert markdown.splitlines()[0] == "# Daily report Mon 2026-11-16 — Test Rep"
    assert "## Missed (2)" in markdown
    data = review_json(review)
    json.dumps(data)  # JSON-ready
    assert data["day"] == "2026-11-16"
    assert (data["contacts"]["planned"], data["contacts"]["planned_done"]) == (4, 1)
    assert len(data["contacts"]["missed"]) == 2
    assert data["contracts_value"] == "50000.00"
    assert [i["figure"] for i in data["month"]["indicators"]][:3] == [
        "new_customers", "prospects_contacted", "success_rate"]


def test_a_quiet_day(store: Store) -> None:
    review = day_review(store, DAY, SETTINGS, at(DAY, 18))
    assert review.is_quiet and review.overdue_count == 0
    assert "Contacts: 0 of 0 planned done; 0 done in all" in render_text(review, TAIPEI, "TWD")


def test_markdown_escape() -> None:
    assert md_escape("a_b *c* `d` <e> |f| #g ~h~ [i]") == (
        "a\\_b \\*c\\* \\`d\\` \\<e\\> \\|f\\| \\#g \\~h\\~ \\[i\\]")
    assert md_escape("two\nlines") == "two lines"


def test_salesdev_review_command(store: Store, day: Day, db_path: Path, tmp_path: Path) -> None:
    build_day(store, day)
    store.db.close()
    runner = CliRunner()
    config = tmp_path / "config.toml"
    config.write_text('timezone = "Asia/Taipei"\nrep_name = "Test Rep"\n')
    base = ["--db", str(db_path), "--config", str(config), "review", "--date", "2026-11-16"]
    result = runner.invoke(cli, [*base, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["day"] == "2026-11-16" and data["contacts"]["planned"] == 4
    result = runner.invoke(cli, [*base, "--format", "md"])
    assert result.exit_code == 0 and result.stdout.startswith("# Daily report")
    result = runner.invoke(cli, base)
    assert result.exit_code == 0 and "Proposals sent (1)" in result.stdout
    target = tmp_path / "report.md"
    result = runner.invoke(cli, [*base, "--format", "md", "--output", str(target)])
    assert result.exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8").startswith("# Daily report")
    result = runner.invoke(cli, [*base[:-1], "someday"])
    assert result.exit_code == 3 and "--date" in result.stderr


def test_method_names_are_kept(store: Store, day: Day) -> None:
    ids = build_day(store, day)
    review = day_review(store, DAY, SETTINGS, at(DAY, 14, 30))
    done = next(p for p in review.done if p.plan_id == ids["done"])
    assert (done.method, done.status, done.outcome) == (ContactMethod.PHONE, PlanStatus.DONE,
                                                        "said so")


def test_the_report_in_traditional_chinese(store: Store, day: Day) -> None:
    """The daily report in the rep's language: policy words, Taiwan's date and money forms;
    the JSON stays English (a machine format)."""
    from salesdev_tui import i18n

    build_day(store, day)
    review = day_review(store, DAY, SETTINGS, at(DAY, 14, 30))
    i18n.set_language("zh_TW")
    try:
        text = render_text(review, TAIPEI, "TWD", "Test Rep")
        data = review_json(review)
    finally:
        i18n.set_language("en")
    assert text.startswith("日報 2026年11月16日 (一) — Test Rep")
    assert "已簽訂的合同（1，NT$50,000）" in text
    assert "本月至今 2026年11月" in text
    assert "Contacts:" not in text and "Daily report" not in text
    assert data["day"] == "2026-11-16" and data["contracts_value"] == "50000.00"
