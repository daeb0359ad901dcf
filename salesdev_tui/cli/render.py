"""Rich output for the CLI. Customer text is always wrapped in `Text`, never parsed as markup."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table
from rich.text import Text

from salesdev_tui.domain.scorecard import Scorecard
from salesdev_tui.domain.visible import visible
from salesdev_tui.i18n import _, enum_label
from salesdev_tui.models.date_range import local_text

if TYPE_CHECKING:  # `salesdev list` prints its table without loading the table classes
    from salesdev_tui.models.tables import Contact, Customer, StageChange
    from salesdev_tui.store.customer_list import CustomerRow


def _console() -> Console:
    from salesdev_tui.cli.output import console

    return console()


def print_table(table: Table) -> None:
    _console().print(table)


def _when(moment: datetime | None, zone: ZoneInfo) -> str:
    return local_text(moment, zone) or "—"


def _t(value: object | None) -> Text:
    # Stored text passed validation when written; an older or hand-edited file may still
    # hold escape sequences, so they are shown, never sent to the terminal.
    return Text("" if value is None else visible(value, multiline=True))


def customer_table(rows: Sequence[CustomerRow], zone: ZoneInfo) -> Table:
    table = Table(title=_("Customers ({count})").format(count=len(rows)))
    for header in (_("id"), _("name"), _("stage"), _("pot."), _("industry"), _("source"),
                   _("next contact"), _("last activity")):
        table.add_column(header)
    for r in rows:
        table.add_row(
            r.id.hex[:8],
            _t(r.name),
            enum_label(r.stage),
            r.potential.value if r.potential else "",
            _t(r.industry),
            enum_label(r.source) if r.source else "",
            _when(r.next_plan_at, zone),
            _when(r.last_activity_at, zone),
        )
    return table


def print_customer(
    customer: Customer,
    contacts: Sequence[Contact],
    history: Sequence[StageChange],
    zone: ZoneInfo,
) -> None:
    console = _console()
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    fields: list[tuple[str, object | None]] = [
        (_("Name"), customer.name),
        (_("Id"), customer.id),
        (_("Stage"), enum_label(customer.stage)),
        (_("Lost reason"), customer.lost_reason),
        (_("Potential"), customer.potential),
        (_("Industry"), customer.industry),
        (_("Size"), customer.size),
        (_("Source"), customer.source),
        (_("Source detail"), customer.source_detail),
        (_("Purchasing power"), customer.purchasing_power),
        (_("Needs and preferences"), customer.needs_preferences),
        (_("Tax ID (統一編號)"), customer.tax_id),
        (_("Address"), customer.address),
        (_("Notes"), customer.notes),
        (_("First contacted"), _when(customer.first_contacted_at, zone)),
        (_("First signed"), _when(customer.first_signed_at, zone)),
    ]
    for label, value in fields:
        if value is not None and value != "—":
            facts.add_row(label, _t(value))
    console.print(facts)
    if contacts:
        table = Table(title=_("Contacts"))
        for header in (_("name"), _("role"), _("phone"), _("mobile"), _("e-mail"),
                       _("primary")):
            table.add_column(header)
        for c in contacts:
            table.add_row(_t(c.name), _t(c.role), _t(c.phone), _t(c.mobile), _t(c.email),
                          "✓" if c.is_primary else "")
        console.print(table)
    if history:
        table = Table(title=_("Stage history"))
        for header in (_("when"), _("from"), _("to"), _("reason")):
            table.add_column(header)
        for h in history:
            table.add_row(
                _when(h.changed_at, zone),
                enum_label(h.from_stage) if h.from_stage else "",
                enum_label(h.to_stage),
                _t(h.reason),
            )
        console.print(table)


def print_scorecard(card: Scorecard, currency: str) -> None:
    table = Table(title=_("Scorecard {label}").format(label=card.period.label))
    table.add_column(_("indicator"))
    table.add_column(_("value"), justify="right")
    rate = (
        _("n/a (nobody contacted)")
        if card.success_rate is None
        else f"{card.success_rate * 100:.1f} %  ({card.new_customers}/{card.prospects_contacted})"
    )
    satisfaction = (
        _("n/a (no surveys)")
        if card.satisfaction is None
        else _("{score} from {n} responses").format(
            score=card.satisfaction, n=card.satisfaction_responses
        )
    )
    table.add_row(_("New customers"), str(card.new_customers))
    table.add_row(_("Prospects contacted"), str(card.prospects_contacted))
    table.add_row(_("Success rate"), rate)
    table.add_row(_("Revenue"), f"{currency} {card.revenue:,}")
    table.add_row(_("Profit"), f"{currency} {card.profit:,}")
    table.add_row(_("Commission"), f"{currency} {card.commission:,}")
    table.add_row(_("Satisfaction"), satisfaction)
    _console().print(table)
