"""One line of the month's indicators against target, fed by a reactive."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from salesdev_tui.i18n import _

if TYPE_CHECKING:
    from salesdev_tui.models.views import StripData

__all__ = ["ScorecardStrip", "render_strip"]


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
    # The amount as the language writes money (TWD 0 in English, NT$0 in Chinese).
    # Babel (CLDR): imported when the figures come, not for the first frame.
    from salesdev_tui.domain.locale_format import format_money

    revenue = _("Revenue {amount}").format(amount=format_money(data.revenue, data.currency))
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

    def unavailable(self) -> None:
        """The database could not be opened: say so rather than "loading" for ever (the
        toast says why, and goes)."""
        if self.data is None:
            self.update(Text(_("No scorecard: the database could not be opened.")))
