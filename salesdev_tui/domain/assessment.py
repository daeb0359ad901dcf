"""The month-end assessment (policy V, issue 19.2): each rep's indicators against target,
which are below, for how many periods in a row, and the talk's notes with the improvement
plan; exported as Markdown or CSV for the department's file. Pure.

"Below target" for a period: at least one indicator that has a target and a figure reached
less than 100% of it. An indicator with no figure (a success rate with nobody contacted,
satisfaction with no survey) is not below: there is nothing to measure. Periods in a row
count back from the assessed one while each was below (the assessed one included: 0 when
it is not below), over the history the caller read (`LOOKBACK`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from salesdev_tui.domain.periods import Period
from salesdev_tui.domain.scorecard_view import PERIOD_FIGURES, Figure
from salesdev_tui.domain.team_scorecard import RepCard, TeamScorecard

__all__ = ["LOOKBACK", "AssessmentLine", "AssessmentNote", "assessment_lines", "below_target",
           "sheet_csv", "sheet_markdown"]

#: Periods read before the assessed one to count the periods in a row below target.
LOOKBACK = 11


@dataclass(frozen=True)
class AssessmentNote:
    """What the manager wrote for a rep and a period."""

    talk_notes: str | None
    improvement_plan: str | None
    assessed_by: str
    assessed_at: datetime


@dataclass(frozen=True)
class AssessmentLine:
    row: RepCard
    below: tuple[Figure, ...]
    """The figures below their target this period."""
    periods_below: int
    """Periods in a row below target, ending with this one."""
    note: AssessmentNote | None


def below_target(row: RepCard) -> tuple[Figure, ...]:
    return tuple(indicator.figure for indicator in row.indicators
                 if indicator.target is not None and indicator.attainment is not None
                 and indicator.attainment < 1)


def assessment_lines(current: TeamScorecard, history: Sequence[TeamScorecard],
                     notes: Mapping[str, AssessmentNote]) -> list[AssessmentLine]:
    """One line per rep of `current`; `history` holds the periods before it, newest first."""
    earlier: list[dict[str, RepCard]] = [{row.rep: row for row in card.reps}
                                         for card in history]
    lines = []
    for row in current.reps:
        streak = 0
        for found in [row, *(period.get(row.rep) for period in earlier)]:
            if found is None or not below_target(found):
                break
            streak += 1
        lines.append(AssessmentLine(row, below_target(row), streak, notes.get(row.rep)))
    return lines


def _plain(value: Decimal | None) -> str:
    return "" if value is None else str(value)


#: The CSV's columns: machine-readable (plain decimals, indicator keys), one rep a row.
def _csv_header() -> list[str]:
    header = ["period", "rep"]
    for figure in PERIOD_FIGURES:
        header += [figure.value, f"{figure.value}_target"]
    return [*header, "below_target", "periods_below", "talk_notes", "improvement_plan",
            "assessed_by", "assessed_at"]


def sheet_csv(period: Period, lines: Iterable[AssessmentLine]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_csv_header())
    for line in lines:
        cells = [period.label, line.row.rep]
        for figure in PERIOD_FIGURES:
            indicator = line.row.indicator(figure)
            cells += [_plain(indicator.value),
                      _plain(indicator.target.value if indicator.target else None)]
        note = line.note
        cells += [" ".join(f.value for f in line.below), str(line.periods_below),
                  note.talk_notes or "" if note else "", note.improvement_plan or "" if note
                  else "", note.assessed_by if note else "",
                  note.assessed_at.isoformat() if note else ""]
        writer.writerow(cells)
    return out.getvalue()


def sheet_markdown(period: Period, lines: Sequence[AssessmentLine], currency: str) -> str:
    """The department's file: a table of the indicators, then each rep's talk and plan."""
    from salesdev_tui.domain.figure_format import figure_label, format_figure, format_pct
    from salesdev_tui.domain.locale_format import format_period
    from salesdev_tui.i18n import _

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    out = [_("# Assessment {period}").format(period=format_period(period)), "",
           _("Amounts in {currency}. A figure below its target is marked ▼.").format(
               currency=currency), ""]
    heads = [_("Rep"), *(figure_label(f) for f in PERIOD_FIGURES), _("Below target"),
             _("Periods in a row")]
    out += ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    for line in lines:
        cells = [cell(line.row.rep)]
        for figure in PERIOD_FIGURES:
            indicator = line.row.indicator(figure)
            text = format_figure(figure, indicator.value, currency, with_currency=False)
            if indicator.target is not None:
                text += " / " + format_figure(figure, indicator.target.value, currency,
                                              with_currency=False)
                text += " (" + format_pct(indicator.attainment) + ")"
            if figure in line.below:
                text = "▼ " + text
            cells.append(cell(text))
        cells += [cell(", ".join(figure_label(f) for f in line.below) or "—"),
                  str(line.periods_below)]
        out.append("| " + " | ".join(cells) + " |")
    for line in lines:
        out += ["", f"## {line.row.rep}", ""]
        note = line.note
        if note is None:
            out.append(_("No talk recorded."))
            continue
        out += [_("Talk notes: {text}").format(text=note.talk_notes or "—"),
                "", _("Improvement plan: {text}").format(text=note.improvement_plan or "—"),
                "", _("Assessed by {name} on {when}").format(
                    name=note.assessed_by,
                    when=note.assessed_at.astimezone(period.zone).strftime("%Y-%m-%d %H:%M"))]
    return "\n".join(out) + "\n"
