"""One line of the month's indicators against target, fed by a reactive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from salesdev_tui.i18n import _

if TYPE_CHECKING:
    from salesdev_tui.config import Settings
    from salesdev_tui.store import Store


@dataclass(frozen=True)
class StripData:
    """What the strip shows: the month's figures and the targets (None: no target set)."""

    label: str
    currency: str
    new_customers: int
    new_customers_target: int | None
    prospects_contacted: int
    success_rate: Decimal | None
    success_rate_target: Decimal | None
    revenue: Decimal
    revenue_target: Decimal | None
    profit: Decimal
    satisfaction: Decimal | None
    satisfaction_responses: int


def load_strip(store: Store, settings: Settings, now: datetime) -> StripData:
    """This month's figures against this month's targets (runs in a worker).

    The targets are the scorecard's: the month's own Target rows, else the config's monthly
    defaults (`services.targets`), so the strip and the scorecard never disagree.
    """
    from salesdev_tui.models.enums import Kpi
    from salesdev_tui.store.reports import month_card

    card, targets = month_card(store, settings, now)

    def target(kpi: Kpi) -> Decimal | None:
        found = targets.get(kpi)
        return found.value if found is not None else None

    new_target = target(Kpi.NEW_CUSTOMERS)
    return StripData(
        label=card.period.label,
        currency=settings.currency,
        new_customers=card.new_customers,
        new_customers_target=int(new_target) if new_target is not None else None,
        prospects_contacted=card.prospects_contacted,
        success_rate=card.success_rate,
        success_rate_target=target(Kpi.SUCCESS_RATE),
        revenue=card.revenue,
        revenue_target=target(Kpi.REVENUE),
        profit=card.profit,
        satisfaction=card.satisfaction,
        satisfaction_responses=card.satisfaction_responses,
    )


def _pct(value: Decimal) -> str:
    return f"{value * 100:.0f}%"


def _money(amount: Decimal) -> str:
    return f"{amount:,.0f}"


def render_strip(data: StripData) -> Text:
    """The strip as literal text (no markup: nothing here is parsed), one line at 120 cells.

    Each figure shows its target when one is set (the month's own, else the config's).
    """
    parts: list[str] = []
    target = f"/{data.new_customers_target}" if data.new_customers_target is not None else ""
    parts.append(_("New customers {n}{target}").format(n=data.new_customers, target=target))
    if data.success_rate is None:
        parts.append(_("Success — (0/0)"))
    else:
        rate = _("Success {rate} ({new}/{contacted})").format(
            rate=_pct(data.success_rate), new=data.new_customers,
            contacted=data.prospects_contacted)
        if data.success_rate_target is not None:
            rate += " " + _("of {target}").format(target=_pct(data.success_rate_target))
        parts.append(rate)
    revenue = _("Revenue {currency} {amount}").format(currency=data.currency,
                                                     amount=_money(data.revenue))
    if data.revenue_target:
        revenue += "/" + _("{target} ({pct})").format(
            target=_money(data.revenue_target), pct=_pct(data.revenue / data.revenue_target))
    parts.append(revenue)
    if data.satisfaction is None:
        parts.append(_("Satisfaction — (n=0)"))
    else:
        parts.append(_("Satisfaction {score} (n={n})").format(
            score=data.satisfaction, n=data.satisfaction_responses))
    text = Text()
    text.append(_("This month {label}").format(label=data.label), style="bold")
    # Two spaces between figures: the line fits 120 cells with every target shown.
    for part in parts:
        text.append("  ")
        text.append(part)
    return text


class ScorecardStrip(Static):
    """The live scorecard line at the foot of Today."""

    data: reactive[StripData | None] = reactive(None)
    """The figures to show; None while loading."""

    def watch_data(self, data: StripData | None) -> None:
        self.update(render_strip(data) if data else Text(_("Loading the scorecard…")))
