"""The team scorecard as text: the rows of the CLI's table and the screen's, and the JSON,
Markdown and CSV forms of `salesdev team scorecard`. Pure."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from salesdev_tui.domain.figure_format import figure_label, format_figure, format_pct
from salesdev_tui.domain.periods import Period, parse_period, period_containing
from salesdev_tui.domain.scorecard_view import PERIOD_FIGURES, Figure
from salesdev_tui.domain.team_scorecard import RepCard, TeamScorecard
from salesdev_tui.i18n import _
from salesdev_tui.models.enums import PeriodKind

__all__ = ["choose_period", "headers", "row_cells", "team_csv", "team_json", "team_markdown"]


def choose_period(at: str | None, kind: str | None, now: datetime, zone: ZoneInfo) -> Period:
    """The period of `--at` (2026-11, 2026-Q4, 2026; default: the current month) and
    `--period` (month, quarter, year; default: what `--at` names): `--at 2026-11 --period
    quarter` is 2026-Q4. Raises ValueError naming the option."""
    try:
        chosen = parse_period(at, zone) if at else period_containing(now, PeriodKind.MONTH, zone)
    except ValueError as exc:
        raise ValueError(_("--at: {problem}").format(problem=exc)) from None
    if kind is None:
        return chosen
    try:
        wanted = PeriodKind(kind.strip().lower())
    except ValueError:
        raise ValueError(_("--period: '{value}' is not month, quarter or year.").format(
            value=kind)) from None
    return period_containing(chosen.start, wanted, zone)


def headers() -> list[str]:
    return [_("Rep"), *(figure_label(figure) for figure in PERIOD_FIGURES), _("Pace")]


def _pace_text(row: RepCard, currency: str) -> str:
    """The revenue projected at the period's end (`domain.pace`): as a share of its target
    when it has one, else as an amount; '—' once the period is over or before it began."""
    indicator = row.indicator(Figure.REVENUE)
    pace = indicator.pace
    if pace is None or pace.projected is None or pace.days_left == 0:
        return "—"
    if indicator.target is not None and indicator.target.value:
        return "→ " + format_pct(pace.projected / indicator.target.value)
    return "→ " + format_figure(Figure.REVENUE, pace.projected, currency, with_currency=False)


def row_cells(row: RepCard, currency: str, *, team: bool = False) -> list[str]:
    """A row's cells, in the order of `headers()`: each figure, '/ target' when it has one."""
    cells = [_("Team") if team else row.rep]
    for figure in PERIOD_FIGURES:
        indicator = row.indicator(figure)
        text = format_figure(figure, indicator.value, currency, with_currency=False)
        if indicator.attainment is not None:
            text += " " + format_pct(indicator.attainment)
        cells.append(text)
    return [*cells, _pace_text(row, currency)]


def _row_json(row: RepCard) -> dict[str, Any]:
    found = row.card.to_json()
    found.pop("period")
    found["targets"] = {kpi.value: str(target.value) for kpi, target in row.targets.items()}
    found["attainment"] = {i.figure.value: str(i.attainment) for i in row.indicators
                           if i.attainment is not None}
    revenue = row.indicator(Figure.REVENUE).pace
    found["revenue_projected"] = (None if revenue is None or revenue.projected is None
                                  else str(revenue.projected))
    return found


def team_json(card: TeamScorecard, rows: list[RepCard]) -> dict[str, Any]:
    period = card.team.card.to_json()["period"]
    return {"period": period, "today": card.today.isoformat(),
            "reps": [{"rep": row.rep, **_row_json(row)} for row in rows],
            "team": _row_json(card.team)}


def team_csv(card: TeamScorecard, rows: list[RepCard]) -> str:
    """Plain decimals, one rep a row and the team last (rep empty)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["period", "rep", *(f.value for f in PERIOD_FIGURES),
                     "prospects_contacted_total", "satisfaction_responses"])
    for row in [*rows, card.team]:
        values = [row.indicator(f).value for f in PERIOD_FIGURES]
        writer.writerow([card.period.label, row.rep,
                         *("" if value is None else str(value) for value in values),
                         row.card.prospects_contacted, row.card.satisfaction_responses])
    return out.getvalue()


def team_markdown(card: TeamScorecard, rows: list[RepCard], currency: str) -> str:
    from salesdev_tui.domain.locale_format import format_period

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    head = headers()
    out = [_("# Team scorecard {period}").format(period=format_period(card.period)), "",
           _("Amounts in {currency}; a percentage is the share of the target reached.")
           .format(currency=currency), "", line(head), "|" + "---|" * len(head)]
    out += [line(row_cells(row, currency)) for row in rows]
    out.append(line(row_cells(card.team, currency, team=True)))
    return "\n".join(out) + "\n"
