"""The head of a customer's page: name, stage path, and the figures a rep looks at first."""

from __future__ import annotations

from rich.text import Text

from salesdev_tui.domain.locale_format import format_money
from salesdev_tui.domain.proposals import open_proposal, proposal_total
from salesdev_tui.domain.visible import visible
from salesdev_tui.i18n import _, enum_label
from salesdev_tui.models.enums import STAGE_ORDER, Stage
from salesdev_tui.store.customer_file import CustomerFile
from salesdev_tui.widgets.theme_colours import PLAIN, Colours


def render_header(file: CustomerFile, currency: str, colours: Colours = PLAIN) -> Text:
    """Name, stage path, potential, latest credit rating, open proposal value (literal text)."""
    c = file.customer
    text = Text()
    # Stored text is shown with its control characters visible, never sent to the terminal.
    text.append(visible(c.name), style="bold")
    text.append("   ")
    for stage in STAGE_ORDER:
        style = "bold reverse" if stage == c.stage else "dim"
        text.append(f" {_(stage.value)} ", style=style)
    if c.stage == Stage.LOST:
        lost = _("lost")  # not inside the f-string: Babel does not read there
        text.append(f" {lost} ", style=f"bold reverse {colours.error}")
        if c.lost_reason:
            text.append(f" ({visible(c.lost_reason)})", style=colours.error)
    text.append("\n")
    rating = file.credit_checks[0].rating.value if file.credit_checks else "—"
    # Only the current version is ever open (services.proposals), as in the pipeline.
    current = open_proposal(file.proposals, c.stage)
    open_value = proposal_total(file.proposal_lines.get(current.id, []) if current else [])
    details = [
        _("potential {p}").format(p=c.potential.value if c.potential else "—"),
        _("credit {r}").format(r=rating),
        _("satisfaction {s}").format(s=f"{file.surveys[0].score}/5" if file.surveys else "—"),
        _("open proposals {amount}").format(amount=format_money(open_value, currency)),
        _("industry {i}").format(i=c.industry or "—"),
        # Only when known: most prospects have none until a document needs it.
        *([_("tax ID {t}").format(t=c.tax_id)] if c.tax_id else []),
        _("source {s}").format(
            s=(enum_label(c.source) if c.source else "—")
            + (f" ({c.source_detail})" if c.source_detail else "")
        ),
    ]
    text.append(visible("   ·   ".join(details)), style="dim")
    return text
