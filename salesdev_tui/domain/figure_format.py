"""How the scorecard's figures read: one wording for the screen, the CLI and the reports."""

from __future__ import annotations

from decimal import Decimal

from salesdev_tui.domain.locale_format import format_amount, format_money, format_number
from salesdev_tui.domain.scorecard_view import Figure
from salesdev_tui.i18n import N_, _

__all__ = ["MONEY_FIGURES", "figure_label", "format_figure", "format_pct"]

#: Figures that are amounts of money.
MONEY_FIGURES = frozenset({
    Figure.REVENUE, Figure.PROFIT, Figure.COMMISSION, Figure.PIPELINE, Figure.PIPELINE_WEIGHTED,
})

_LABELS = {
    Figure.NEW_CUSTOMERS: N_("New customers"),
    Figure.PROSPECTS_CONTACTED: N_("Prospects contacted"),
    Figure.SUCCESS_RATE: N_("Success rate"),
    Figure.REVENUE: N_("Revenue"),
    Figure.PROFIT: N_("Profit"),
    Figure.SATISFACTION: N_("Satisfaction"),
    Figure.COMMISSION: N_("Commission"),
    Figure.PIPELINE: N_("Open pipeline"),
    Figure.PIPELINE_WEIGHTED: N_("Weighted pipeline"),
}


def figure_label(figure: Figure) -> str:
    return _(_LABELS[figure])


def format_pct(fraction: Decimal | None, places: int = 0) -> str:
    """0.254 -> ``25%`` (``—`` for None)."""
    if fraction is None:
        return "—"
    return f"{fraction * 100:.{places}f}%"


def format_figure(
    figure: Figure, value: Decimal | None, currency: str = "", *, with_currency: bool = True
) -> str:
    """A figure as it reads: a count, a percentage, a score or an amount (``—`` for None).

    An amount shows `currency` unless `with_currency` is false (a table that names the
    currency in its title); either way it has the currency's own minor units.
    """
    if value is None:
        return "—"
    if figure is Figure.SUCCESS_RATE:
        return format_pct(value, 1)
    if figure is Figure.SATISFACTION:
        return f"{value:.2f}"
    if figure in MONEY_FIGURES:
        # The currency's own minor units (no ".00" on TWD), in the language's form.
        if currency and with_currency:
            return format_money(value, currency)
        return format_amount(value, currency or "XXX")  # XXX: CLDR's default, 2 places
    if value == value.to_integral_value():
        return format_number(value)
    return format_number(value, 2)
