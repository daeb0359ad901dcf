"""The manager's team scorecard (issue 19.1): each rep's card and the team's, composed from
the raw figures the server reads per rep (`server.team_figures`). Pure.

One implementation with the rep's own scorecard: the period and its UTC bounds come from
`domain.periods`, each card from `scorecard.build_scorecard`, the targets from
`targets.resolve_targets` and each figure against its target with its pace from
`scorecard_view.indicators_of`, exactly as `store.reports.period_figures` builds the rep's.

The team's row: every raw figure is the sum of the reps' (a customer is one rep's), so the
success rate and satisfaction are computed from the sums, never averaged; the commission is
the sum of the reps' commissions (each rep is paid on their own revenue, rounded to the
cent as their own card rounds it); a summed indicator's target is the sum of the reps'
targets when every rep has one.

A customer handed over mid-period counts wholly for the rep who holds it when the card is
read: the hand-over moves its whole history (contracts, contact plans, surveys), the old
rep's laptop drops it, so both the new rep's own scorecard and this one count it there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from salesdev_tui.domain.periods import Period
from salesdev_tui.domain.scorecard import Figures, Scorecard, add_figures, build_scorecard
from salesdev_tui.domain.scorecard_view import (
    PERIOD_FIGURES,
    Figure,
    Indicator,
    figure_value,
    indicators_of,
)
from salesdev_tui.domain.targets import (
    SUMMED_KPIS,
    TargetRow,
    TargetSource,
    TargetValue,
    resolve_targets,
)

if TYPE_CHECKING:
    from salesdev_tui.config import Targets
    from salesdev_tui.models.enums import Kpi

__all__ = ["SORTABLE", "RepCard", "TeamScorecard", "build_team_scorecard", "sorted_rows"]

#: What the rows can be sorted by: the rep's name or any period figure.
SORTABLE: tuple[str, ...] = ("rep", *(figure.value for figure in PERIOD_FIGURES))


@dataclass(frozen=True)
class RepCard:
    """One row of the team scorecard."""

    rep: str
    """The rep's login name ('' for the team's row)."""
    card: Scorecard
    indicators: tuple[Indicator, ...]
    targets: Mapping[Kpi, TargetValue]

    def indicator(self, figure: Figure) -> Indicator:
        return next(i for i in self.indicators if i.figure is figure)


@dataclass(frozen=True)
class TeamScorecard:
    period: Period
    today: date
    reps: tuple[RepCard, ...]
    team: RepCard


def rep_card(rep: str, period: Period, figures: Figures, targets: Mapping[Kpi, TargetValue],
             commission_rate: Decimal, today: date) -> RepCard:
    """A rep's row: the rep's own scorecard's card and indicators (`period_figures`)."""
    card = build_scorecard(period, figures, commission_rate)
    return RepCard(rep, card, indicators_of(card, targets, today=today), dict(targets))


def _team_targets(rows: Sequence[RepCard]) -> dict[Kpi, TargetValue]:
    """A summed indicator's team target: the reps' targets added, when every rep has one."""
    found: dict[Kpi, TargetValue] = {}
    for kpi in SUMMED_KPIS:
        values = [row.targets[kpi].value for row in rows if kpi in row.targets]
        if rows and len(values) == len(rows):
            found[kpi] = TargetValue(kpi, sum(values, Decimal(0)), TargetSource.PERIOD)
    return found


def build_team_scorecard(
    period: Period,
    figures_by_rep: Mapping[str, Figures],
    target_rows_by_rep: Mapping[str, Iterable[TargetRow]],
    *,
    defaults: Targets,
    commission_rate: Decimal,
    today: date,
) -> TeamScorecard:
    """Every rep's card (in the order given) and the team's card of `period`."""
    reps = tuple(
        rep_card(rep, period, figures,
                 resolve_targets(period, defaults, target_rows_by_rep.get(rep, ())),
                 commission_rate, today)
        for rep, figures in figures_by_rep.items())
    total = build_scorecard(period, add_figures(figures_by_rep.values()), commission_rate)
    total = replace(total, commission=sum((row.card.commission for row in reps),
                                          Decimal("0.00")))
    targets = _team_targets(reps)
    team = RepCard("", total, indicators_of(total, targets, today=today), targets)
    return TeamScorecard(period, today, reps, team)


def sorted_rows(rows: Iterable[RepCard], field: str, *, descending: bool = True) -> list[RepCard]:
    """The rows by `field` (`SORTABLE`): by name A-Z, or a figure largest first unless
    `descending` is False; a row without the figure (no one contacted, no survey) goes last
    either way; ties by name."""
    listed = sorted(rows, key=lambda row: row.rep)
    if field == "rep":
        return listed
    figure = Figure(field)
    present = [row for row in listed if figure_value(row.card, figure) is not None]
    missing = [row for row in listed if figure_value(row.card, figure) is None]
    present.sort(key=lambda row: figure_value(row.card, figure) or Decimal(0),
                 reverse=descending)
    return present + missing
