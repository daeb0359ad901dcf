"""A team member's connection: never a superuser, never the tables' owner.

Row-level security is only a guard when the connection is subject to it: a superuser, the
owner role or a role with BYPASSRLS would see every rep's rows. `team_connect` checks that
before anything is read or written, and refuses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from salesdev_tui.server.admin import ServerError, admin_connect
from salesdev_tui.server.roles import GROUPS, OWNER, SCHEMA, TeamRole

if TYPE_CHECKING:
    import psycopg


def team_connect(url: str) -> tuple[psycopg.Connection[tuple[object, ...]], TeamRole]:
    """Connect as the person in `url`; return the connection and their team role."""
    from salesdev_tui.i18n import _

    conn = admin_connect(url)
    try:
        row = conn.execute(
            "SELECT r.rolsuper, r.rolbypassrls, pg_has_role(current_user, %s, 'MEMBER')"
            " FROM pg_roles r WHERE r.rolname = current_user", (OWNER,)).fetchone()
        if row is None or row[0] or row[1] or row[2]:
            raise ServerError(_("salesdev does not sync as a superuser or as the tables'"
                                " owner: row-level security would not guard the data."
                                " Use a team member's user (salesdev server add-user)."))
        groups = [group for (group,) in conn.execute(
            "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
            " JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = current_user"
            " AND g.rolname = ANY(%s)", (list(GROUPS),))]
        if len(groups) != 1:
            raise ServerError(_("This user is not a member of the team (no salesdev role):"
                                " ask the administrator to run `salesdev server add-user`."))
        conn.execute(f"SET search_path = {SCHEMA}")
        _check_version(conn)
        conn.commit()
        return conn, TeamRole(str(groups[0]).removeprefix("salesdev_"))
    except BaseException:
        conn.close()
        raise


def _check_version(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    """Refuse a server schema older than this salesdev writes (version 1 did not let
    members read it: a member who cannot is on version 1)."""
    from salesdev_tui.i18n import _
    from salesdev_tui.server.admin import LATEST

    readable = conn.execute(
        "SELECT has_table_privilege(%s, 'SELECT')", (f"{SCHEMA}.server_schema",)).fetchone()
    found = 1
    if readable and readable[0]:
        row = conn.execute("SELECT max(version) FROM server_schema").fetchone()
        found = int(str(row[0])) if row and row[0] is not None else 1
    if found < LATEST:
        raise ServerError(_("The team server's schema is version {found}; this salesdev needs"
                            " version {needed}: ask the administrator to run `salesdev server"
                            " migrate`.").format(found=found, needed=LATEST))
