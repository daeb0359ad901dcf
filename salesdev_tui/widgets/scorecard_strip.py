"""One line of the month's indicators against target, fed by a reactive."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from salesdev_tui.i18n import _


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


def _pct(value: Decimal) -> str:
    return f"{value * 100:.0f}%"


def _against(actual: Decimal, target: Decimal | None) -> str:
    if not target:
        return ""
    return " " + _("({pct} of target)").format(pct=_pct(actual / target))


def render_strip(data: StripData) -> Text:
    """The strip as literal text (no markup: nothing here is parsed)."""
    text = Text()
    text.append(_("This month {label}").format(label=data.label), style="bold")
    text.append("   ")
    target = f"/{data.new_customers_target}" if data.new_customers_target is not None else ""
    text.append(_("New customers {n}{target}").format(n=data.new_customers, target=target))
    text.append("   ")
    if data.success_rate is None:
        text.append(_("Success rate — (0 contacted)"))
    else:
        text.append(
            _("Success rate {rate} ({new}/{contacted})").format(
                rate=_pct(data.success_rate), new=data.new_customers,
                contacted=data.prospects_contacted,
            )
        )
    text.append("   ")
    text.append(
        _("Revenue {currency} {amount:,}").format(currency=data.currency, amount=data.revenue)
        + _against(data.revenue, data.revenue_target)
    )
    text.append("   ")
    if data.satisfaction is None:
        text.append(_("Satisfaction — (no surveys)"))
    else:
        text.append(
            _("Satisfaction {score} (n={n})").format(
                score=data.satisfaction, n=data.satisfaction_responses
            )
        )
    return text


class ScorecardStrip(Static):
    """The live scorecard line at the foot of Today."""

    data: reactive[StripData | None] = reactive(None)
    """The figures to show; None while loading."""

    def watch_data(self, data: StripData | None) -> None:
        self.update(render_strip(data) if data else Text(_("Loading the scorecard…")))
