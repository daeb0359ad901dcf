"""The scorecard as JSON (`salesdev scorecard --json`, docs/json/scorecard.schema.json), and
the indicator object `salesdev review --format json` shares with it: everything the table
shows (each figure against its target with pace, the source breakdown, the open pipeline),
written by the conventions of docs/json/README.md (`services.json_values`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from salesdev_tui.domain.json_values import decimal_text
from salesdev_tui.domain.scorecard_view import Figure, Indicator, ScorecardView

#: The figures that count people: written as JSON numbers; every other figure is a decimal
#: (money, a rate, a score) written as a string.
COUNT_FIGURES = frozenset({Figure.NEW_CUSTOMERS, Figure.PROSPECTS_CONTACTED})


def figure_json(figure: Figure, value: Decimal | int | None) -> int | str | None:
    """A figure's value (or target) in JSON: a count as a number, anything else a string."""
    if value is None:
        return None
    if figure in COUNT_FIGURES and Decimal(value) == Decimal(value).to_integral_value():
        return int(value)
    return str(value)


def indicator_json(indicator: Indicator) -> dict[str, Any]:
    """One figure against its target with pace."""
    figure = indicator.figure
    pace = indicator.pace
    found = {
        "figure": figure.value,
        "value": figure_json(figure, indicator.value),
        "target": figure_json(figure, indicator.target.value) if indicator.target else None,
        "attainment": decimal_text(indicator.attainment),
        "projected": decimal_text(pace.projected) if pace else None,
        "needed_per_day": decimal_text(pace.needed_per_day) if pace else None,
        "working_days_left": pace.days_left if pace else None,
        "working_days_total": pace.days_total if pace else None,
    }
    if indicator.target is not None and indicator.target.source == "manager":
        found["target_set_by"] = "manager"  # issue 19.3; absent for the rep's own
    return found


def scorecard_json(view: ScorecardView, currency: str) -> dict[str, Any]:
    """The whole scorecard of a period."""
    return {
        **view.card.to_json(),  # the period and its figures
        "today": view.today.isoformat(),
        "currency": currency,
        "indicators": [indicator_json(i) for i in view.indicators],
        "by_source": [
            {
                "source": line.key,
                "prospects_contacted": line.prospects_contacted,
                "new_customers": line.new_customers,
                "success_rate": decimal_text(line.success_rate),
                "revenue": decimal_text(line.revenue),
                "profit": decimal_text(line.profit),
            }
            for line in view.by_source
        ],
        "pipeline": {
            "stages": [
                {
                    "stage": stage.stage.value,
                    "proposals": stage.proposals,
                    "value": decimal_text(stage.value),
                    "probability": decimal_text(stage.probability),
                    "weighted": decimal_text(stage.weighted),
                }
                for stage in view.pipeline.stages
            ],
            "proposals": view.pipeline.proposals,
            "value": decimal_text(view.pipeline.value),
            "weighted": decimal_text(view.pipeline.weighted),
        },
    }
