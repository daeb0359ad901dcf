"""What the contract screen shows beside the form: profit, the signing checklist, status.

Pure rendering into `rich.text.Text` (the rep's text stays literal), so it is easy to test.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from rich.text import Text

from salesdev_tui.domain.contracts import checklist
from salesdev_tui.domain.money import DEFAULT_CURRENCY, parse_amount
from salesdev_tui.i18n import _
from salesdev_tui.models.enums import WORST_CREDIT_RATING, CreditRating, LegalReview
from salesdev_tui.widgets.theme_colours import PLAIN, Colours

if TYPE_CHECKING:
    from salesdev_tui.models.tables import Contract


def amount(text: str, currency: str = DEFAULT_CURRENCY) -> Decimal | None:
    """An amount as typed, or None while it is not one (blank counts as 0)."""
    if not text.strip():
        return Decimal("0.00")
    try:
        return parse_amount(text, currency=currency)
    except ValueError:
        return None


def render_profit(value_text: str, cost_text: str, currency: str,
                  colours: Colours = PLAIN) -> Text:
    value, cost = amount(value_text, currency), amount(cost_text, currency)
    text = Text(_("Profit") + "\n", style="bold")
    if value is None or cost is None:
        text.append(_("— (value or cost is not an amount yet)"), style="dim")
        return text
    profit = value - cost
    colour = colours.error if profit < 0 else colours.success
    text.append(f"{currency} {profit:,}", style=f"bold {colour}")
    if value:
        margin = (profit / value * 100).quantize(Decimal("0.1"))
        text.append("\n" + _("{margin}% of the value").format(margin=margin), style="dim")
    return text


def render_checklist(clauses: Mapping[str, str | None], verdict: LegalReview | str,
                     colours: Colours = PLAIN) -> Text:
    text = Text(_("Before signing") + "\n", style="bold")
    for item in checklist(clauses, verdict):
        text.append("✓ " if item.done else "✗ ",
                    style=colours.success if item.done else f"bold {colours.error}")
        text.append(item.label + "\n", style="" if item.done else "bold")
    return text


def render_credit(rating: CreditRating | None, colours: Colours = PLAIN) -> Text:
    if rating is None:
        return Text(_("Credit: no check recorded"), style="dim")
    if rating == WORST_CREDIT_RATING:
        return Text(
            _("Credit: latest rating {grade}, the worst. Signing asks for an override "
              "reason.").format(grade=rating.value),
            style=f"bold {colours.warning}",
        )
    return Text(_("Credit: latest rating {grade}").format(grade=rating.value))


def render_legal(row: Contract | None, zone: ZoneInfo) -> Text:
    """When the contract went to legal, and the saved verdict: who gave it and when."""
    from salesdev_tui.domain.legal_approval import approved_by

    def day(moment: datetime | None) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else "—"

    text = Text(_("Sent to legal: {sent}").format(sent=day(row.legal_sent_at if row else None)),
                style="dim")
    if row is not None and row.legal_review != LegalReview.PENDING:
        reviewed = day(row.legal_reviewed_at) if row.legal_reviewed_at else None
        text.append("\n")
        # Not dim: who approved is the trace the rep is asked for (issue 14.10).
        verdict = approved_by(row.legal_review, row.legal_reviewer, reviewed)
        text.append(verdict[:1].upper() + verdict[1:], style="bold")
    return text


def render_status(signed_at: datetime | None, name: str, zone: ZoneInfo, won: bool,
                  colours: Colours = PLAIN) -> Text:
    if signed_at is None:
        return Text(_("Draft: not signed"), style="dim")
    text = Text(
        _("Signed {when}").format(when=signed_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")),
        style=f"bold {colours.success}",
    )
    if won:
        # Not the name again: the title beside shows it, and a long name pushed the
        # status over the title at 80 columns.
        text.append(" · ")
        text.append(_("the customer is won"))
    text.append(" · " + _("read-only"), style="dim")
    return text
