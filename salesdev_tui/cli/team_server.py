"""`salesdev server init|migrate|add-user`: the department administrator's commands for the
team server (PostgreSQL). The rep's side (`team join`, `sync`) is separate."""

from __future__ import annotations

from typing import Annotated

import typer

from salesdev_tui.cli.app import Exit, cli, fail
from salesdev_tui.i18n import N_, _

server = typer.Typer(
    help=N_("Set up the department's team server (PostgreSQL; run by its administrator)."),
    no_args_is_help=True,
)
cli.add_typer(server, name="server")

UrlOption = Annotated[
    str,
    typer.Option(
        "--url", envvar="SALESDEV_SERVER_URL",
        help=N_("The server as postgresql://ADMIN@HOST:PORT/DATABASE. Keep the password out"
               " of it: libpq reads it from ~/.pgpass (mode 0600) or asks."),
    ),
]


def _checked_url(url: str) -> str:
    """Refuse a URL that carries a password: it would sit in the shell's history and in
    every process listing (issue 18.5)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        fail(_("--url is not a URL: {url}").format(url=url), Exit.USAGE)
    if parts.scheme not in ("postgresql", "postgres"):
        fail(_("--url must start with postgresql:// (got {url}).").format(url=url), Exit.USAGE)
    if parts.password:
        fail(_("--url must not carry a password; put it in ~/.pgpass (mode 0600) instead."),
             Exit.USAGE)
    return url


def _migrate(url: str) -> None:
    from salesdev_tui.server.admin import ServerError, migrate

    try:
        before, after = migrate(_checked_url(url))
    except ServerError as exc:
        fail(str(exc), Exit.STORAGE)
    if before == after:
        typer.echo(_("The team server's schema is up to date (version {version}).").format(
            version=after))
    elif before == 0:
        typer.echo(_("Created the team server's schema (version {version}).").format(
            version=after))
    else:
        typer.echo(_("Migrated the team server's schema from version {before} to"
                     " {after}.").format(before=before, after=after))


@server.command("init")
def init(url: UrlOption) -> None:
    """Create the roles and the schema on an empty database (safe to run again)."""
    _migrate(url)


@server.command("migrate")
def migrate_command(url: UrlOption) -> None:
    """Bring the server's schema to this salesdev's version."""
    _migrate(url)


@server.command("add-user")
def add_user(
    name: Annotated[str, typer.Argument(help=_("The person's login name (lower case)."))],
    role: Annotated[
        str, typer.Option("--role", help=_("rep, manager or legal."), case_sensitive=False)
    ],
    url: UrlOption,
    ask_password: Annotated[
        bool,
        typer.Option("--password", help=_("Ask for the person's password (never typed on"
                                          " the command line).")),
    ] = False,
) -> None:
    """Add a person to the team, or change their role."""
    from salesdev_tui.server.admin import ServerError
    from salesdev_tui.server.admin import add_user as add
    from salesdev_tui.server.roles import TeamRole

    try:
        team_role = TeamRole(role.lower())
    except ValueError:
        fail(_("--role must be rep, manager or legal (got {role}).").format(role=role),
             Exit.USAGE)
    password = None
    if ask_password:
        password = typer.prompt(_("Password for {name}").format(name=name), hide_input=True,
                                confirmation_prompt=True)
    try:
        add(_checked_url(url), name, team_role, password)
    except ServerError as exc:
        fail(str(exc), Exit.INVALID)
    typer.echo(_("{name} is on the team as {role}.").format(name=name, role=team_role.label))
