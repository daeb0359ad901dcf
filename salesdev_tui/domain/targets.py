"""The target of each indicator for a period (policy V), and how far the actual figure got.

Where a target comes from, in order:

1. the targets the manager set for that very period on the team server (`Target.set_by`,
   issue 19.3): when the manager set any, they replace the rep's own for that period, and
   the rep cannot change them (`TargetRefused`); the rep's own count in other periods;
2. else a `Target` row saved for that very period (kind and label): the rep set it in the app;
3. else the default derived from the config's ``[targets]``, which are **monthly**: a
   quarter's default is 3x and a year's 12x the monthly one for the indicators that add up
   (new customers, revenue, profit); the success rate and satisfaction are rates and
   averages, so a quarter's or a year's default is the monthly one as it is.

Month rows do not add up into a quarter or a year: a rep who wants a different quarter sets
the quarter's own target. Pure: no clock, no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from salesdev_tui.models.enums import Kpi, PeriodKind

if TYPE_CHECKING:
    from salesdev_tui.config import Targets
    from salesdev_tui.domain.periods import Period

__all__ = [
    "KPI_ORDER",
    "SUMMED_KPIS",
    "TargetRefused",
    "TargetSource",
    "TargetValue",
    "attainment",
    "manager_mark",
    "default_for",
    "monthly_defaults",
    "resolve_targets",
]

#: The indicators in the order the policy lists them.
KPI_ORDER: tuple[Kpi, ...] = (
    Kpi.NEW_CUSTOMERS,
    Kpi.SUCCESS_RATE,
    Kpi.REVENUE,
    Kpi.PROFIT,
    Kpi.SATISFACTION,
)

#: Indicators that add up over time (a quarter's is the sum of its months'): they get a pace.
SUMMED_KPIS: frozenset[Kpi] = frozenset({Kpi.NEW_CUSTOMERS, Kpi.REVENUE, Kpi.PROFIT})

_MONTHS_IN = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}


class TargetSource(StrEnum):
    """Where a target came from."""

    PERIOD = "period"
    """A Target row saved for this period."""
    DEFAULT = "default"
    """Derived from the config's monthly ``[targets]``."""
    MANAGER = "manager"
    """Set by the manager on the team server for this period (replaces the rep's own)."""


class TargetRefused(Exception):
    """The rep tried to change a period's target that the manager set."""

    def __init__(self, label: str) -> None:
        from salesdev_tui.i18n import _

        super().__init__(_("The manager set the targets for {label} on the team server; they"
                           " replace your own for that period and only the manager can change"
                           " them.").format(label=label))


@dataclass(frozen=True)
class TargetValue:
    kpi: Kpi
    value: Decimal
    source: TargetSource


class TargetRow(Protocol):
    """A saved target (the store's `Target` rows)."""

    @property
    def period_kind(self) -> PeriodKind: ...
    @property
    def period_label(self) -> str: ...
    @property
    def kpi(self) -> Kpi: ...
    @property
    def value(self) -> Decimal: ...
    @property
    def set_by(self) -> str | None: ...


def monthly_defaults(targets: Targets) -> dict[Kpi, Decimal]:
    """The config's monthly targets that are set, by indicator."""
    found: dict[Kpi, Decimal] = {}
    for kpi in KPI_ORDER:
        value = getattr(targets, kpi.value, None)
        if value is not None:
            found[kpi] = Decimal(value)
    return found


def default_for(kpi: Kpi, monthly: Decimal, kind: PeriodKind) -> Decimal:
    """A period's default from the monthly one: x3 / x12 for what adds up, else as it is."""
    if kpi in SUMMED_KPIS:
        return monthly * _MONTHS_IN[kind]
    return monthly


def resolve_targets(
    period: Period, defaults: Targets, rows: Iterable[TargetRow]
) -> dict[Kpi, TargetValue]:
    """The target of every indicator that has one for `period` (rows may hold other periods)."""
    resolved = {
        kpi: TargetValue(kpi, default_for(kpi, monthly, period.kind), TargetSource.DEFAULT)
        for kpi, monthly in monthly_defaults(defaults).items()
    }
    own = [row for row in rows
           if row.period_kind == period.kind and row.period_label == period.label]
    managers = [row for row in own if row.set_by]
    if managers:  # the manager's replace the rep's own and the defaults for this period
        return {row.kpi: TargetValue(row.kpi, Decimal(row.value), TargetSource.MANAGER)
                for kpi in KPI_ORDER for row in managers if row.kpi is kpi}
    for row in own:
        resolved[row.kpi] = TargetValue(row.kpi, Decimal(row.value), TargetSource.PERIOD)
    return {kpi: resolved[kpi] for kpi in KPI_ORDER if kpi in resolved}


def manager_mark(target: TargetValue | None, *, short: bool = False) -> str:
    """What follows a target the manager set, wherever a target is shown (the scorecard's
    table in the CLI; `short` in the TUI's narrow column): the rep sees it is not theirs to
    change."""
    from salesdev_tui.i18n import _

    if target is None or target.source is not TargetSource.MANAGER:
        return ""
    # Translators: after a target the manager set, in a 13-character column.
    return " " + (_("mgr") if short else _("(manager)"))


def percent_as_fraction(text: str) -> Decimal | str:
    """A success-rate target as typed: ``"25%"`` / ``"25"`` -> 0.25; ``"0.25"`` stays 0.25;
    what does not parse stays text (the caller then says what is wrong with it)."""
    from salesdev_tui.domain.text_rules import parse_decimal

    try:
        number = parse_decimal(text, places=6, below=Decimal(10**6), percent=True)
    except ValueError:
        return text
    if text.strip().endswith("%") or number > 1:
        number = number / 100
    return number.normalize()


def attainment(actual: Decimal | int | None, target: TargetValue | Decimal | None) -> (
    Decimal | None
):
    """actual / target as a fraction (1 = on target; it may exceed 1).

    None when there is no figure (a rate nobody was contacted for) or no usable target
    (none set, or 0: nothing to measure against).
    """
    if actual is None or target is None:
        return None
    value = target.value if isinstance(target, TargetValue) else target
    if value == 0:
        return None
    return (Decimal(actual) / value).quantize(Decimal("0.0001"))


def targets_by_kpi(targets: Mapping[Kpi, TargetValue]) -> dict[str, Decimal]:
    """``{"revenue": Decimal(...)}``: the JSON-friendly view."""
    return {kpi.value: target.value for kpi, target in targets.items()}


def target_problem(kpi: Kpi, value: Decimal) -> str | None:
    """What is wrong with `value` as a target of `kpi`, in words for the rep; None if fine.

    The same limits as the config's ``[targets]``: a whole number of customers, a success
    rate from 0 to 100%, a satisfaction score from 1 to 5; money must not be negative.
    """
    from salesdev_tui.i18n import _

    if value < 0:
        return _("must not be negative")
    if kpi is Kpi.NEW_CUSTOMERS and value != value.to_integral_value():
        return _("must be a whole number of customers")
    if kpi is Kpi.SUCCESS_RATE and value > 1:
        return _("must be from 0 to 100%")
    if kpi is Kpi.SATISFACTION and not Decimal(1) <= value <= Decimal(5):
        return _("must be a score from 1 to 5")
    return None
