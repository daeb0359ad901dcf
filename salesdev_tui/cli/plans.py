"""`salesdev plans`: the upcoming planned contacts, listed or written as an .ics calendar."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from salesdev_tui.cli.app import Exit, cli, fail, guard_storage, state
from salesdev_tui.i18n import _
from salesdev_tui.paths import expand
from salesdev_tui.services.visible import json_visible, visible
from salesdev_tui.usecases.calendar_export import DEFAULT_DAYS

if TYPE_CHECKING:
    from collections.abc import Sequence
    from zoneinfo import ZoneInfo

    from salesdev_tui.store.agenda import AgendaItem


@cli.command()
def plans(
    ctx: typer.Context,
    ics: Annotated[
        Path | None,
        typer.Option(
            "--ics",
            metavar="FILE",
            help=_("Write the plans to this calendar file (.ics, mode 0600); - for stdout."),
        ),
    ] = None,
    days: Annotated[
        int,
        typer.Option(min=1, max=3650, help=_("How many days ahead, counting from today.")),
    ] = DEFAULT_DAYS,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
) -> None:
    """List the planned contacts from today on; or write them to a calendar file."""
    from datetime import UTC, datetime

    from salesdev_tui.usecases.calendar_export import (
        calendar_bytes,
        upcoming_plans,
        write_calendar,
    )

    st = state(ctx)
    zone = st.settings().zone
    now = datetime.now(UTC)
    store = st.open_store()
    try:
        items = guard_storage(lambda: upcoming_plans(store, zone=zone, now=now, days=days))
    finally:
        store.db.close()
    if ics is not None and str(ics) == "-":
        typer.echo(calendar_bytes(items, zone=zone, now=now), nl=False)
        return
    if ics is not None:
        target = expand(ics)
        try:
            write_calendar(target, items, zone=zone, now=now)
        except OSError as exc:
            fail(
                _("Cannot write {path}: {why}").format(path=target, why=exc.strerror or exc),
                Exit.STORAGE,
            )
        typer.echo(
            visible(_("Wrote {n} planned contacts to {path}.").format(n=len(items), path=target)),
            err=True,
        )
        if not as_json:
            return
    if as_json:
        typer.echo(json_visible(json.dumps(_as_json(items, zone), ensure_ascii=False, indent=2)))
        return
    _print_table(items, zone, days)


def _as_json(items: Sequence[AgendaItem], zone: ZoneInfo) -> list[dict[str, object]]:
    return [
        {
            "id": str(item.plan_id),
            "customer_id": str(item.customer_id),
            "customer": item.customer_name,
            "stage": item.stage.value,
            "method": item.method.value,
            "scheduled_at": item.scheduled_at.astimezone(zone).isoformat(),
            "contact": item.contact_name,
            "agenda": item.agenda,
        }
        for item in items
    ]


def _print_table(items: Sequence[AgendaItem], zone: ZoneInfo, days: int) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=_("Planned contacts, today and the next {days} days ({n})").format(
            days=days, n=len(items)
        )
    )
    for header in (_("id"), _("when"), _("how"), _("customer"), _("with"), _("agenda")):
        table.add_column(header)
    for item in items:
        table.add_row(
            item.plan_id.hex[:8],
            item.scheduled_at.astimezone(zone).strftime("%a %Y-%m-%d %H:%M"),
            _(item.method.value),
            # The rep's text is never read as markup.
            Text(visible(item.customer_name)),
            Text(visible(item.contact_name or "")),
            Text(visible((item.agenda or "").replace("\n", " "))),
        )
    Console(highlight=False).print(table)
