"""`salesdev plans`: the upcoming planned contacts, listed or written as an .ics calendar."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from salesdev_tui.calendar_export import DEFAULT_DAYS
from salesdev_tui.cli.app import Exit, cli, fail, guard_storage, state
from salesdev_tui.i18n import _
from salesdev_tui.paths import expand
from salesdev_tui.services.visible import json_visible, visible

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
    replace: Annotated[
        bool, typer.Option("--replace", help=_("Overwrite the --ics file if it exists."))
    ] = False,
) -> None:
    """List the planned contacts from today on; or write them to a calendar file."""
    from datetime import UTC, datetime

    from salesdev_tui.calendar_export import write_private
    from salesdev_tui.cli.output import is_dash, refuse_existing
    from salesdev_tui.services.ics import plans_to_ics, upcoming_window

    st = state(ctx)
    zone = st.settings().zone
    now = datetime.now(UTC)
    if ics is not None and not is_dash(ics):
        refuse_existing(expand(ics), replace)
    start, end = upcoming_window(now, zone, days)
    store = st.open_store()
    try:
        items = guard_storage(lambda: store.upcoming_plans(start, end))
        # The calendar also carries the cancelled plans, as cancelled events.
        events = guard_storage(lambda: store.calendar_plans(start, end)) if ics else []
    finally:
        store.db.close()
    if is_dash(ics):
        typer.echo(plans_to_ics(events, zone, now), nl=False)
        return
    if ics is not None:
        target = expand(ics)
        try:
            write_private(target, plans_to_ics(events, zone, now))
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
        typer.echo(json_visible(json.dumps(_as_json(items), ensure_ascii=False, indent=2)))
        return
    _print_table(items, zone, days)


def _as_json(items: Sequence[AgendaItem]) -> list[dict[str, object]]:
    """docs/json/plans.schema.json: the keys `review --format json` uses for a plan."""
    from salesdev_tui.services.json_values import utc_z

    return [
        {
            "plan_id": str(item.plan_id),
            "customer_id": str(item.customer_id),
            "customer": item.customer_name,
            "stage": item.stage.value,
            "method": item.method.value,
            "scheduled_at": utc_z(item.scheduled_at),
            "contact": item.contact_name,
            "agenda": item.agenda,
        }
        for item in items
    ]


def _print_table(items: Sequence[AgendaItem], zone: ZoneInfo, days: int) -> None:
    from rich.table import Table
    from rich.text import Text

    from salesdev_tui.cli.output import console as wide_console
    from salesdev_tui.services.locale_format import format_day_and_time

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
            format_day_and_time(item.scheduled_at.astimezone(zone)),
            _(item.method.value),
            # The rep's text is never read as markup.
            Text(visible(item.customer_name)),
            Text(visible(item.contact_name or "")),
            Text(visible((item.agenda or "").replace("\n", " "))),
        )
    wide_console().print(table)
