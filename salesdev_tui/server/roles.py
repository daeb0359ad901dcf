"""The server's roles: one NOLOGIN owner of every table, three NOLOGIN groups, and one
LOGIN role per person, member of exactly one group."""

from __future__ import annotations

import re
from enum import StrEnum

from salesdev_tui.i18n import N_

#: Owns the schema and every table. Nobody logs in as it; `salesdev server init` creates
#: the tables with SET ROLE, so even a superuser's session leaves them owned by this role.
OWNER = "salesdev_owner"
SCHEMA = "salesdev"


class TeamRole(StrEnum):
    """What a person does on the team server (a group role each login role is in)."""

    REP = "rep"
    MANAGER = "manager"
    LEGAL = "legal"

    @property
    def group(self) -> str:
        return f"salesdev_{self.value}"

    @property
    def label(self) -> str:
        """The role as the user's language names it (業務員, 主管, 法務)."""
        from salesdev_tui.i18n import _

        return _(ROLE_WORDS[self.value])


#: The roles' words, marked for the catalogue (translated when shown: `TeamRole.label`).
ROLE_WORDS = {"rep": N_("rep"), "manager": N_("manager"), "legal": N_("legal")}


GROUPS = tuple(role.group for role in TeamRole)

# A login name is used unquoted in DDL (CREATE ROLE), so it is kept to what PostgreSQL
# accepts as a plain identifier, lower case: no quoting rules to get wrong.
_LOGIN_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_RESERVED = {OWNER, *GROUPS, "postgres", "public"}


def login_name_problem(name: str) -> str | None:
    """Why `name` cannot be a person's login role, or None when it can."""
    from salesdev_tui.i18n import _

    if not _LOGIN_NAME.fullmatch(name):
        return _("A user name is 1-63 lower-case letters, digits or _, not starting with a"
                 " digit (got {name!r}).").format(name=name)
    if name in _RESERVED or name.startswith("pg_"):
        return _("{name!r} is reserved by PostgreSQL or salesdev; choose another user name."
                 ).format(name=name)
    return None
