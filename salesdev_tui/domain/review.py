"""The end-of-day review: the day's contacts against the plan, what moved, what is still
open, tomorrow's plan, and the month so far against target with its pace.

Definitions (also in the README):

- **planned**: contact plans scheduled in the day, except those cancelled;
- **done**: contacts done in the day (planned for it or not); the plan count "done" is the
  planned ones that were done;
- **missed**: planned ones marked missed, those still open whose time has passed, and any
  contact logged as missed in the day whatever day it was planned for; ones still open
  and due later today are "still to come";
- **rescheduled**: plans given a new time in the day (a missed call moved to tomorrow);
- **overdue**: plans still open from before the day, and milestones past their due day;
- **month to date**: the month's indicators as the scorecard computes them, against
  their targets, with the scorecard's pace at the same moment (`services.pace`): a reviewed
  day that is over counts as gone.

Pure: the store gathers the facts (`models.views.DayFacts`), `now` is passed in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from salesdev_tui.domain.json_values import utc_z
from salesdev_tui.domain.pace import pace_day
from salesdev_tui.domain.periods import Period
from salesdev_tui.domain.scorecard import Figures, Scorecard, build_scorecard
from salesdev_tui.domain.scorecard_json import indicator_json
from salesdev_tui.domain.scorecard_view import Indicator, indicators_of
from salesdev_tui.domain.targets import TargetValue
from salesdev_tui.models.enums import Kpi, PlanStatus

if TYPE_CHECKING:
    from salesdev_tui.models.views import (
        CustomerFact,
        DayFacts,
        OverdueMilestone,
        PlanFact,
        RecordFact,
        StageMoveFact,
    )

__all__ = ["Review", "build_review"]


@dataclass(frozen=True)
class Review:
    day: date
    now: datetime
    planned: list[PlanFact]
    planned_done: int
    """How many of the planned contacts were done."""
    done: list[PlanFact]
    missed: list[PlanFact]
    rescheduled: list[PlanFact]
    to_come: list[PlanFact]
    cancelled: list[PlanFact]
    new_leads: list[CustomerFact]
    stage_moves: list[StageMoveFact]
    proposals_sent: list[RecordFact]
    minutes: list[RecordFact]
    contracts: list[RecordFact]
    contracts_value: Decimal
    surveys: list[RecordFact]
    survey_mean: Decimal | None
    overdue: list[PlanFact]
    overdue_count: int
    overdue_milestones: list[OverdueMilestone]
    tomorrow: list[PlanFact]
    month: Scorecard
    month_indicators: tuple[Indicator, ...]
    targets: Mapping[Kpi, TargetValue]

    @property
    def is_quiet(self) -> bool:
        """Nothing happened and nothing was planned (the report says so in one line)."""
        return not (self.planned or self.done or self.missed or self.rescheduled
                    or self.new_leads or self.stage_moves
                    or self.proposals_sent or self.minutes or self.contracts or self.surveys)


def build_review(
    day: date,
    now: datetime,
    facts: DayFacts,
    *,
    month: Period,
    month_figures: Figures,
    targets: Mapping[Kpi, TargetValue],
    commission_rate: Decimal,
    overdue_milestones: Sequence[OverdueMilestone] = (),
) -> Review:
    """Sort the day's facts into the review; `month` is the month holding `day`."""
    planned = [p for p in facts.scheduled if p.status is not PlanStatus.CANCELLED]
    cancelled = [p for p in facts.scheduled if p.status is PlanStatus.CANCELLED]
    missed = [
        p for p in planned
        if p.status is PlanStatus.MISSED
        or (p.status is PlanStatus.PLANNED and p.scheduled_at <= now)
    ]
    counted = {p.plan_id for p in missed}
    missed += [p for p in facts.missed_logged if p.plan_id not in counted]
    to_come = [p for p in planned if p.status is PlanStatus.PLANNED and p.scheduled_at > now]
    scores = [s.score for s in facts.surveys if s.score is not None]
    card = build_scorecard(month, month_figures, commission_rate)
    return Review(
        day=day,
        now=now,
        planned=planned,
        planned_done=sum(1 for p in planned if p.status is PlanStatus.DONE),
        done=list(facts.done),
        missed=missed,
        rescheduled=list(facts.rescheduled),
        to_come=to_come,
        cancelled=cancelled,
        new_leads=list(facts.new_leads),
        stage_moves=list(facts.stage_moves),
        proposals_sent=list(facts.proposals_sent),
        minutes=list(facts.minutes),
        contracts=list(facts.contracts),
        contracts_value=sum((c.value or Decimal(0) for c in facts.contracts),
                            Decimal("0.00")),
        surveys=list(facts.surveys),
        survey_mean=(
            (Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.01")) if scores else None
        ),
        overdue=list(facts.overdue),
        overdue_count=facts.overdue_count,
        overdue_milestones=list(overdue_milestones),
        tomorrow=list(facts.tomorrow),
        month=card,
        # The one pace rule (services.pace): the same as the scorecard's at this moment; a
        # reviewed day that is over counts as gone.
        month_indicators=indicators_of(
            card, targets, today=pace_day(day, now, month.start.tzinfo or UTC)
        ),
        targets=dict(targets),
    )


def _when(moment: datetime | None) -> str | None:
    return utc_z(moment)


def _num(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def review_json(review: Review) -> dict[str, Any]:
    """The review as JSON-ready data (`salesdev review --format json`,
    docs/json/review.schema.json); times in UTC with `Z`, amounts as strings."""

    def plan(p: PlanFact) -> dict[str, Any]:
        return {
            "plan_id": str(p.plan_id), "customer_id": str(p.customer_id),
            "customer": p.customer_name, "stage": p.stage.value, "method": p.method.value,
            "scheduled_at": _when(p.scheduled_at), "status": p.status.value,
            "done_at": _when(p.done_at), "agenda": p.agenda, "outcome": p.outcome,
        }

    def record(r: RecordFact) -> dict[str, Any]:
        return {
            "customer_id": str(r.customer_id), "customer": r.name, "at": _when(r.at),
            "title": r.title, "value": _num(r.value), "cost": _num(r.cost), "score": r.score,
        }

    return {
        "day": review.day.isoformat(),
        "contacts": {
            "planned": len(review.planned), "planned_done": review.planned_done,
            "done": [plan(p) for p in review.done],
            "missed": [plan(p) for p in review.missed],
            "rescheduled": [plan(p) for p in review.rescheduled],
            "to_come": [plan(p) for p in review.to_come],
            "cancelled": [plan(p) for p in review.cancelled],
        },
        "new_leads": [
            {"customer_id": str(c.customer_id), "customer": c.name, "at": _when(c.at),
             "source": c.source.value if c.source else None}
            for c in review.new_leads
        ],
        "stage_moves": [
            {"customer_id": str(m.customer_id), "customer": m.name, "at": _when(m.at),
             "from": m.from_stage.value if m.from_stage else None, "to": m.to_stage.value,
             "reason": m.reason}
            for m in review.stage_moves
        ],
        "proposals_sent": [record(r) for r in review.proposals_sent],
        "minutes": [record(r) for r in review.minutes],
        "contracts_signed": [record(r) for r in review.contracts],
        "contracts_value": str(review.contracts_value),
        "surveys": [record(r) for r in review.surveys],
        "survey_mean": _num(review.survey_mean),
        "overdue": {
            "count": review.overdue_count,
            "plans": [plan(p) for p in review.overdue],
            "milestones": [
                {"customer_id": str(m.customer_id), "customer": m.customer_name,
                 "title": m.title, "due_on": m.due_on.isoformat()}
                for m in review.overdue_milestones
            ],
        },
        "tomorrow": [plan(p) for p in review.tomorrow],
        "month": {
            "label": review.month.period.label,
            # The indicator object of `scorecard --json` (counts as numbers).
            "indicators": [indicator_json(i) for i in review.month_indicators],
        },
    }
