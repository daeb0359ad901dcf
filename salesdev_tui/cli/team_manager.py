"""The manager's commands on the team server: `salesdev team hand-over`, `team leftovers`
and `team target` (issue 19.3, 19.4). They connect with the stored credentials as
`team join` saved them, and the server's roles decide: a rep is refused plainly."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from salesdev_tui.cli.app import Exit, fail
from salesdev_tui.cli.team import _configured, _connect_or_ask, _state, team
from salesdev_tui.i18n import _
from salesdev_tui.models.enums import Kpi


def _connect(ctx: typer.Context) -> tuple[Any, Any, str]:
    """(connection, team role, user) from the configured team server."""
    settings = _configured(_state(ctx))
    connection, role = _connect_or_ask(settings.url, settings.user, settings.sslmode)
    return connection, role, settings.user


def _failed(exc: Exception) -> None:
    from salesdev_tui.server.handover import Refused

    fail(str(exc), Exit.INVALID if isinstance(exc, Refused) else Exit.STORAGE)


@team.command("hand-over")
def hand_over_command(
    ctx: typer.Context,
    customers: Annotated[list[str] | None, typer.Argument(
        help=_("Customers to hand over: an id (8+ hex digits) or the exact name."))] = None,
    to_rep: Annotated[str, typer.Option("--to", help=_("The rep who takes them over."))] = "",
    from_rep: Annotated[str | None, typer.Option("--from", help=_(
        "Only customers of this rep (with --all: every one of them)."))] = None,
    every: Annotated[bool, typer.Option("--all", help=_(
        "Every customer of the --from rep (a rep who leaves)."))] = False,
) -> None:
    """Give customers, with their whole history, to another rep (managers only)."""
    from salesdev_tui.server.admin import ServerError
    from salesdev_tui.usecases.handover import hand_over_customers

    if not to_rep:
        fail(_("--to: name the rep who takes the customers over."), Exit.USAGE)
    if every and (customers or from_rep is None):
        fail(_("--all hands over every customer of the --from rep: give --from and no"
               " customer names."), Exit.USAGE)
    if not every and not customers:
        fail(_("Name the customers to hand over, or --from REP --all."), Exit.USAGE)
    connection, role, user = _connect(ctx)
    with connection:
        try:
            result = hand_over_customers(connection, role, user, to_rep=to_rep,
                                         customers=customers or None, from_rep=from_rep)
        except ServerError as exc:
            _failed(exc)
    if not result.customers:
        typer.echo(_("Nothing to hand over: those customers are {rep}'s already.").format(
            rep=to_rep))
        return
    typer.echo(_("Handed {count} customers with {records} records to {rep}; their laptops"
                 " move them at the next sync.").format(
                     count=len(result.customers), records=result.records, rep=to_rep))
    for customer in result.customers:
        typer.echo(f"  {customer.id.hex[:8]}  {customer.name}  ({customer.owner} → {to_rep})")


@team.command("leftovers")
def leftovers_command(ctx: typer.Context) -> None:
    """Changes reps made offline to customers handed away before they synced (managers)."""
    from salesdev_tui.domain.visible import visible
    from salesdev_tui.server.admin import ServerError
    from salesdev_tui.usecases.handover import team_leftovers

    connection, role, user = _connect(ctx)
    with connection:
        try:
            found = team_leftovers(connection, role, user)
        except ServerError as exc:
            _failed(exc)
    if not found:
        typer.echo(_("No changes were left by a hand-over."))
    for item in found:
        fields = ", ".join(f"{name}={value!r}" for name, value in sorted(item.fields.items()))
        typer.echo(visible(_("{at}  {rep}  {customer}  {table} {row}: {fields}").format(
            at=item.noted_at, rep=item.rep, customer=item.customer, table=item.table,
            row=item.row_id[:8], fields=fields)))


_KPI_OPTIONS = {
    Kpi.NEW_CUSTOMERS: "new_customers", Kpi.SUCCESS_RATE: "success_rate",
    Kpi.REVENUE: "revenue", Kpi.PROFIT: "profit", Kpi.SATISFACTION: "satisfaction",
}


@team.command("target")
def target_command(
    ctx: typer.Context,
    rep: Annotated[str, typer.Argument(help=_("The rep's login name."))],
    period: Annotated[str, typer.Option("--period", help=_(
        "A month (2026-11), a quarter (2026-Q4) or a year (2026)."))],
    new_customers: Annotated[str | None, typer.Option("--new-customers", help=_(
        "New customers (a whole number)."))] = None,
    success_rate: Annotated[str | None, typer.Option("--success-rate", help=_(
        "Success rate, in % (25% or 25)."))] = None,
    revenue: Annotated[str | None, typer.Option("--revenue", help=_("Revenue."))] = None,
    profit: Annotated[str | None, typer.Option("--profit", help=_("Profit."))] = None,
    satisfaction: Annotated[str | None, typer.Option("--satisfaction", help=_(
        "Satisfaction, a score from 1 to 5."))] = None,
    clear: Annotated[bool, typer.Option("--clear", help=_(
        "Remove the manager's targets of the period: the rep's own count again."))] = False,
) -> None:
    """Set a rep's targets for a period (managers): they replace the rep's own for it."""
    from salesdev_tui.server.admin import ServerError
    from salesdev_tui.usecases.team_targets import set_team_targets

    given = {"new_customers": new_customers, "success_rate": success_rate,
             "revenue": revenue, "profit": profit, "satisfaction": satisfaction}
    texts = {kpi: str(given[name]) for kpi, name in _KPI_OPTIONS.items()
             if given[name] is not None}
    if clear and texts:
        fail(_("--clear removes the period's targets: give no values with it."), Exit.USAGE)
    settings = _state(ctx).settings()
    connection, role, user = _connect(ctx)
    with connection:
        try:
            result = set_team_targets(connection, role, user, rep=rep, period=period,
                                      zone=settings.zone, currency=settings.currency,
                                      texts=texts, clear=clear)
        except ServerError as exc:
            _failed(exc)
    _print_targets(result, settings.currency, clear)


def _print_targets(result: Any, currency: str, cleared: bool) -> None:
    from salesdev_tui.domain.figure_format import format_figure
    from salesdev_tui.domain.scorecard_view import FIGURE_KPI

    figures = {kpi: figure for figure, kpi in FIGURE_KPI.items()}
    if cleared:
        typer.echo(_("Removed {count} targets the manager set for {rep} in {label}.").format(
            count=result.written, rep=result.rep, label=result.period.label))
    elif result.written:
        typer.echo(_("Set {count} targets for {rep} in {label}; they replace the rep's own"
                     " for that period from the rep's next sync.").format(
                         count=result.written, rep=result.rep, label=result.period.label))
    if not result.targets:
        typer.echo(_("{rep} has no targets for {label}.").format(
            rep=result.rep, label=result.period.label))
    for target in result.targets:
        who = (_("set by {manager}").format(manager=target.set_by) if target.set_by
               else _("the rep's own"))
        typer.echo(f"  {target.kpi.value:<14} "
                   f"{format_figure(figures[target.kpi], target.value, currency):>16}  {who}")
