"""`salesdev plans`: the upcoming planned contacts, listed or written as an .ics calendar;
`salesdev plans add`: one contact planned for several customers at once (issue 21.1, the
rules in `services.bulk_actions`, as the TUI's marked rows)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from salesdev_tui.cli.app import Exit, cli, fail, guard_storage, resolve, state
from salesdev_tui.domain.visible import json_visible, visible
from salesdev_tui.i18n import N_, _
from salesdev_tui.paths import expand
from salesdev_tui.usecases.calendar_export import DEFAULT_DAYS

if TYPE_CHECKING:
    from collections.abc import Sequence
    from zoneinfo import ZoneInfo

    from salesdev_tui.store.agenda import AgendaItem
    from salesdev_tui.store.combined import Store


plans_cli = typer.Typer(
    name="plans",
    invoke_without_command=True,
    add_completion=False,
    rich_markup_mode=None,
    help=N_("List the planned contacts from today on; or write them to a calendar file."),
)
cli.add_typer(plans_cli)


@plans_cli.callback()
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

    if ctx.invoked_subcommand is not None:
        return  # `plans add`: the listing's options are not its own

    from salesdev_tui.cli.output import is_dash, refuse_existing
    from salesdev_tui.usecases.calendar_export import (
        calendar_bytes,
        calendar_plans,
        upcoming_plans,
        write_calendar,
    )

    st = state(ctx)
    zone = st.settings().zone
    now = datetime.now(UTC)
    if ics is not None and not is_dash(ics):
        refuse_existing(expand(ics), replace)
    store = st.open_store()
    try:
        items = guard_storage(lambda: upcoming_plans(store, zone=zone, now=now, days=days))
        # The calendar also carries the cancelled plans, as cancelled events.
        events = (guard_storage(lambda: calendar_plans(store, zone=zone, now=now, days=days))
                  if ics else [])
    finally:
        store.db.close()
    if is_dash(ics):
        typer.echo(calendar_bytes(events, zone=zone, now=now), nl=False)
        return
    if ics is not None:
        target = expand(ics)
        try:
            write_calendar(target, events, zone=zone, now=now)
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


def _resolve_customer(store: Store, key: str) -> uuid.UUID:
    from salesdev_tui.models.tables import Customer

    return resolve(lambda: store.resolve_id(Customer, key))


def _as_json(items: Sequence[AgendaItem]) -> list[dict[str, object]]:
    """docs/json/plans.schema.json: the keys `review --format json` uses for a plan."""
    from salesdev_tui.domain.json_values import utc_z

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
    from salesdev_tui.domain.locale_format import format_day_and_time

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


@plans_cli.command("add")
def add(
    ctx: typer.Context,
    customers: Annotated[
        str | None,
        typer.Option("--customers", metavar="ID,ID…",
                     help=_("Customer ids (or unique id prefixes), separated by commas.")),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option("--search", metavar="TEXT",
                     help=_("Every customer this search finds (as `salesdev list --search`).")),
    ] = None,
    at: Annotated[
        str,
        typer.Option("--at", metavar="WHEN",
                     help=_("The first contact's time: tomorrow 9, mon 14:00, 2026-12-01 10:00.")),
    ] = "tomorrow 9",
    gap: Annotated[
        str,
        typer.Option("--gap", metavar="MINUTES",
                     help=_("Minutes between two contacts (30, 1h; 0: all at that time).")),
    ] = "30",
    method: Annotated[
        str,
        typer.Option("--method", help=_("How: phone, visit, email, meeting or other.")),
    ] = "phone",
    agenda: Annotated[
        str | None, typer.Option("--agenda", help=_("The agenda, the same for all."))
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
) -> None:
    """Plan one contact with each of several customers, the times spread by a gap."""
    from salesdev_tui.cli.customer_search import search_rows
    from salesdev_tui.domain.json_values import utc_z
    from salesdev_tui.domain.when import parse_when
    from salesdev_tui.models.enums import ContactMethod
    from salesdev_tui.usecases import bulk_actions

    if (customers is None) == (search is None):
        fail(_("Give either --customers ID,ID… or --search TEXT."), Exit.USAGE)
    try:
        how = ContactMethod(method.strip().lower())
    except ValueError:
        fail(_("--method: {value} is not one of {choices}.").format(
            value=method, choices=", ".join(m.value for m in ContactMethod)), Exit.INVALID)
    try:
        minutes = bulk_actions.parse_gap(gap)
    except ValueError as exc:
        fail(str(exc), Exit.INVALID)
    st = state(ctx)
    zone = st.settings().zone
    if search is not None:
        found, _total = search_rows(ctx, search, None, bulk_actions.MAX_CUSTOMERS + 1)
        ids = [row.id for row in found]
        if not ids:
            fail(_("No customer matches the search."), Exit.NOT_FOUND)
    store = st.open_store()
    try:
        try:
            start = parse_when(at, store.now(), zone)
        except ValueError as exc:
            fail(_("--at: {problem}").format(problem=exc), Exit.INVALID)
        if customers is not None:
            parts = [p.strip() for p in customers.split(",") if p.strip()]
            if not parts:
                fail(_("--customers: no id given."), Exit.INVALID)
            ids = [_resolve_customer(store, part) for part in parts]
        try:
            result = guard_storage(lambda: bulk_actions.plan_contacts(
                store, ids, method=how, start=start, gap_minutes=minutes, agenda=agenda))
        except ValueError as exc:
            fail(str(exc), Exit.INVALID)
        planned = {p.id: p for cid in result.done for p in store.plans.plans_of(cid)
                   if p.id in result.plan_ids}
    finally:
        store.db.close()
    if as_json:
        payload = {
            "planned": [
                {"plan_id": str(pid), "customer_id": str(planned[pid].customer_id),
                 "scheduled_at": utc_z(planned[pid].scheduled_at)}
                for pid in result.plan_ids
            ],
            "refused": [{"customer_id": str(r.customer_id), "customer": r.name, "why": r.why}
                        for r in result.refused],
        }
        typer.echo(json_visible(json.dumps(payload, ensure_ascii=False, indent=2)))
    else:
        typer.echo(visible(result.summary(_("Planned {n} contacts."))))
    if result.refused and not result.done:
        raise typer.Exit(int(Exit.INVALID))  # nothing planned: the refusals are the answer
