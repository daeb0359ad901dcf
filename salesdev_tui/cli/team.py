"""The rep's side of the team server: `salesdev team join|status|conflicts` and
`salesdev sync` (the administrator's commands are `salesdev server …`)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from salesdev_tui.cli.app import CliState, Exit, cli, fail
from salesdev_tui.i18n import N_, _

team = typer.Typer(help=N_("Join the department's team server and see the sync's state."),
                   no_args_is_help=True)
cli.add_typer(team, name="team")


def _state(ctx: typer.Context) -> CliState:
    state: CliState = ctx.find_root().obj
    return state


def _connect_or_ask(url: str, user: str, sslmode: str) -> Any:
    """Connect as `user`; when the server wants a password, ask once (hidden) and keep it
    in salesdev's 0600 password file, never in the config or the environment."""
    from salesdev_tui.server.admin import ServerError
    from salesdev_tui.server.connect import team_connect
    from salesdev_tui.server.credentials import conninfo, needs_password, save_password

    try:
        return team_connect(conninfo(url, user, sslmode))
    except ServerError as exc:
        if not needs_password(exc):
            fail(str(exc), Exit.STORAGE)
    password = typer.prompt(_("Password for {user}").format(user=user), hide_input=True)
    save_password(url, user, password)
    try:
        return team_connect(conninfo(url, user, sslmode))
    except ServerError as exc:
        fail(str(exc), Exit.STORAGE)


@team.command("join")
def join_command(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help=_("postgresql://HOST:PORT/DATABASE"))],
    user: Annotated[str, typer.Argument(help=_("Your login name on the team server."))],
    sslmode: Annotated[str, typer.Option("--sslmode", help=_("libpq's sslmode."))] = "prefer",
) -> None:
    """Join the team: this laptop's records are sent by the next `salesdev sync`."""
    from dataclasses import replace

    from salesdev_tui.config import ConfigError, Team, save_team, team_problem
    from salesdev_tui.server.roles import login_name_problem
    from salesdev_tui.usecases.sync import join

    state = _state(ctx)
    settings_path = state.resolved_config_path()
    candidate = Team(url=url, user=user, sslmode=sslmode)
    problem = team_problem(candidate) or login_name_problem(user)
    if problem:
        fail(problem, Exit.USAGE)
    connection, role = _connect_or_ask(url, user, sslmode)
    connection.close()
    try:
        save_team(settings_path, replace(candidate, role=role.value))
    except ConfigError as exc:
        fail(str(exc), Exit.CONFIG)
    store = state.open_store()
    join(store.db)
    typer.echo(_("Joined the team server as {user} ({role}). Run `salesdev sync` to send this"
                 " laptop's records; everything keeps working offline.").format(
                     user=user, role=role.label))


def _configured(state: CliState) -> Any:
    team_settings = state.settings().team
    if not team_settings.configured:
        fail(_("No team server is configured: run `salesdev team join URL USER` first."),
             Exit.CONFIG)
    return team_settings


@team.command("status")
def status_command(ctx: typer.Context) -> None:
    """The team server, the last sync, changes waiting and conflicts to look at."""
    from salesdev_tui.usecases.sync import status

    state = _state(ctx)
    team_settings = _configured(state)
    found = status(state.open_store().db)
    typer.echo(_("Team server: {url} as {user}").format(url=team_settings.url,
                                                        user=team_settings.user))
    when = _("never")
    if found.last_sync:
        from datetime import datetime

        moment = datetime.fromisoformat(found.last_sync).astimezone(state.settings().zone)
        when = moment.strftime("%Y-%m-%d %H:%M")
    typer.echo(_("Last sync: {when}").format(when=when))
    typer.echo(_("Changes waiting to be sent: {count}").format(count=found.pending))
    typer.echo(_("Conflicts to look at: {count}").format(count=found.conflicts))
    _say_review_refusals(found.review_refused)


def _say_review_refusals(refused: list[Any]) -> None:
    """What the server did not take of this laptop's contracts (only legal reviews)."""
    from salesdev_tui.domain.legal_approval import team_review_refusal
    from salesdev_tui.domain.visible import visible

    for item in refused:
        typer.echo(visible(team_review_refusal(item.what, item.number, item.verdict)))


@team.command("conflicts")
def conflicts_command(
    ctx: typer.Context,
    accept: Annotated[str | None, typer.Option("--accept", help=_(
        "Keep the value the sync kept (conflict id or prefix)."))] = None,
    restore: Annotated[str | None, typer.Option("--restore", help=_(
        "Put the lost value back (conflict id or prefix).")),] = None,
) -> None:
    """Fields two devices changed at once: the value kept and the one that lost."""
    from salesdev_tui.domain.visible import visible
    from salesdev_tui.store.sync_local import open_conflicts
    from salesdev_tui.usecases.sync import resolve

    state = _state(ctx)
    _configured(state)
    db = state.open_store().db
    if accept or restore:
        key = accept or restore or ""
        if not resolve(db, key, restore=bool(restore)):
            fail(_("No open conflict matches '{key}'.").format(key=key), Exit.NOT_FOUND)
        typer.echo(_("Done; the next sync tells your other devices."))
        return
    with db.read() as session:
        found = open_conflicts(session.connection())
    if not found:
        typer.echo(_("No conflicts."))
    for item in found:
        typer.echo(visible(_("{id}  {table}.{field}: kept {kept!r}, lost {lost!r}").format(
            id=item["id"][:8], table=item["table_name"], field=item["field"],
            kept=item["kept_value"], lost=item["lost_value"])))


@cli.command("sync")
def sync_command(ctx: typer.Context) -> None:
    """Send this laptop's changes to the team server and bring back what changed there."""
    from salesdev_tui.server.admin import ServerError
    from salesdev_tui.server.credentials import conninfo
    from salesdev_tui.usecases.sync import sync

    state = _state(ctx)
    team_settings = _configured(state)
    store = state.open_store()
    try:
        report = sync(store.db, conninfo(team_settings.url, team_settings.user,
                                         team_settings.sslmode))
    except ServerError as exc:
        fail(_("{problem} Nothing is lost: your changes wait here for the next sync.").format(
            problem=exc), Exit.STORAGE)
    typer.echo(_("Sent {pushed} records, received {pulled}; {conflicts} conflicts.").format(
        pushed=report.pushed, pulled=report.pulled, conflicts=report.conflicts))
    _say_review_refusals(report.review_refused)
    if report.dropped:  # issue 19.4: customers the manager handed to another rep
        typer.echo(_("Removed {count} records of customers handed to another rep.").format(
            count=report.dropped))
    if report.left_for_manager:
        typer.echo(_("{count} changes to customers handed to another rep could not be sent;"
                     " they were left on the team server for your manager.").format(
                         count=report.left_for_manager))
