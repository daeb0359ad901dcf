"""`salesdev show`: the customer's contracts (number, who approved and when) and the edit
history (the rep by name, local times), as the TUI's contract and history tabs show them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from rich.table import Table
from rich.text import Text

from salesdev_tui.domain.history_view import login_name, shown_actor, shown_time_text
from salesdev_tui.domain.legal_approval import approved_by
from salesdev_tui.domain.text_rules import shorten
from salesdev_tui.domain.validation import field_label
from salesdev_tui.i18n import _
from salesdev_tui.models.tables import Contract, FieldEdit


def _local(moment: Any, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else "—"


def _value(text: str | None, zone: ZoneInfo) -> str:
    if text is None or not text.strip():
        return "—"
    flat = shown_time_text(text, zone).replace("\n", " ")
    return shorten(flat, 40)  # in cells, never half a wide character


def contract_table(contracts: Sequence[Contract], zone: ZoneInfo) -> Table:
    table = Table(title=_("Contracts"))
    for header in (_("number"), _("value"), _("cost"), _("legal review"), _("signed")):
        table.add_column(header)
    for c in contracts:
        reviewed = c.legal_reviewed_at.astimezone(zone).date().isoformat() if (
            c.legal_reviewed_at) else None
        table.add_row(Text(c.number or "—"), f"{c.value:,}", f"{c.cost:,}",
                      Text(approved_by(c.legal_review, c.legal_reviewer, reviewed)),
                      _local(c.signed_at, zone))
    return table


def changes_table(edits: Sequence[FieldEdit], zone: ZoneInfo, rep_name: str) -> Table:
    login = login_name()
    table = Table(title=_("Changes"))
    for header in (_("when"), _("who"), _("what"), _("change")):
        table.add_column(header)
    for e in sorted(edits, key=lambda edit: edit.edited_at):
        change = (_("deleted") if e.new_value else _("restored")) if e.field == "deleted_at" \
            else _("{field}: {old} → {new}").format(field=field_label(e.field),
                                                   old=_value(e.old_value, zone),
                                                   new=_value(e.new_value, zone))
        table.add_row(_local(e.edited_at, zone), Text(shown_actor(e.edited_by, rep_name, login)),
                      _(e.entity.replace("_", " ")), Text(change))
    return table


def print_records(contracts: Sequence[Contract], edits: Sequence[FieldEdit], zone: ZoneInfo,
                  rep_name: str) -> None:
    from salesdev_tui.cli.output import console as wide_console

    console = wide_console()
    if contracts:
        console.print(contract_table(contracts, zone))
    if edits:
        console.print(changes_table(edits, zone, rep_name))
