"""The department administrator's commands: create, migrate, add people.

Run with an administrator's connection (a superuser or a role with CREATEROLE that may
SET ROLE salesdev_owner). Each step is one transaction: a failed init or migration leaves
the database as it was.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

from salesdev_tui.server.roles import OWNER, SCHEMA, TeamRole, login_name_problem
from salesdev_tui.server.schema_sql import schema_preamble

if TYPE_CHECKING:
    import psycopg

#: Server schema versions, each a frozen SQL file run as the owner inside the schema.
VERSIONS = (1, 2, 3, 4, 5)
LATEST = VERSIONS[-1]


class ServerError(Exception):
    """A team-server step that cannot go on; the message says why and what to do."""


def _sql(version: int) -> str:
    return resources.files("salesdev_tui.server.migrations").joinpath(
        f"v{version:04d}.sql").read_text(encoding="utf-8")


def admin_connect(url: str) -> psycopg.Connection[tuple[object, ...]]:
    import psycopg

    try:
        return psycopg.connect(url, autocommit=False, connect_timeout=10)
    except psycopg.OperationalError as exc:
        raise ServerError(_connect_problem(url, exc)) from None


def _connect_problem(url: str, exc: Exception) -> str:
    from salesdev_tui.i18n import _

    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return _("Cannot reach the team server: {problem}").format(problem=first)


def schema_version(conn: psycopg.Connection[tuple[object, ...]]) -> int:
    """The server schema version, 0 when the database has no salesdev schema yet."""
    found = conn.execute("SELECT to_regclass(%s)", (f"{SCHEMA}.server_schema",)).fetchone()
    if found is None or found[0] is None:
        return 0
    row = conn.execute(f"SELECT max(version) FROM {SCHEMA}.server_schema").fetchone()
    return int(str(row[0])) if row and row[0] is not None else 0


def _run_version(conn: psycopg.Connection[tuple[object, ...]], version: int) -> None:
    conn.execute(f"SET LOCAL ROLE {OWNER}")
    conn.execute(f"SET LOCAL search_path = {SCHEMA}")
    conn.execute(_sql(version))  # several statements: simple protocol, no parameters
    if version > 1:
        conn.execute("INSERT INTO server_schema VALUES (%s)", (version,))
    conn.execute("RESET ROLE")


def migrate(url: str) -> tuple[int, int]:
    """Bring the server schema to the latest version: (version before, version after)."""
    from salesdev_tui.i18n import _

    with admin_connect(url) as conn:
        before = schema_version(conn)
        if before > LATEST:
            raise ServerError(_("The team server's schema is version {found}; this salesdev"
                                " knows up to {known}. Update salesdev.").format(
                                    found=before, known=LATEST))
        for statement in schema_preamble():
            conn.execute(statement)
        for version in VERSIONS:
            if version > before:
                _run_version(conn, version)
        conn.commit()
    return before, LATEST


def add_user(url: str, name: str, role: TeamRole, password: str | None = None) -> None:
    """Create `name` as a login role in `role`'s group (or move an existing one there)."""
    import psycopg
    from psycopg import sql

    from salesdev_tui.i18n import _

    problem = login_name_problem(name)
    if problem:
        raise ServerError(problem)
    with admin_connect(url) as conn:
        if schema_version(conn) == 0:
            raise ServerError(_("The team server has no salesdev schema yet: run"
                                " `salesdev server init` first."))
        ident = sql.Identifier(name)
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
        if not exists:
            # Never more than a person needs: no superuser, no role or database making,
            # no RLS bypass (the defaults, stated so a reader need not know them).
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE"
                                 " NOBYPASSRLS INHERIT").format(ident))
        for other in TeamRole:  # exactly one group: a rep promoted to manager is no rep
            if other is not role:
                conn.execute(sql.SQL("REVOKE {} FROM {}").format(
                    sql.Identifier(other.group), ident))
        conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(role.group), ident))
        if password is not None:
            conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                ident, sql.Literal(password)))
        conn.execute(f"INSERT INTO {SCHEMA}.member (name, role) VALUES (%s, %s)"
                     " ON CONFLICT (name) DO UPDATE SET role = excluded.role",
                     (name, role.value))
        try:
            conn.commit()
        except psycopg.Error as exc:  # pragma: no cover - the server's own refusal
            raise ServerError(str(exc)) from None
