"""`salesdev server init|migrate`: the schema from the models, versioned, repeatable."""

from __future__ import annotations

import psycopg
import pytest

from salesdev_tui.models.tables import ALL_TABLES
from salesdev_tui.server.admin import LATEST, ServerError, add_user, migrate
from salesdev_tui.server.roles import TeamRole
from salesdev_tui.server.schema_sql import render_schema_v1
from tests.server.conftest import Team, url_for


def test_init_makes_the_latest_schema_and_a_second_run_changes_nothing(
    server_db: tuple[str, str],
) -> None:
    _name, url = server_db
    assert migrate(url) == (0, LATEST)
    assert migrate(url) == (LATEST, LATEST)
    with psycopg.connect(url) as conn:
        owners = {owner for (owner,) in conn.execute(
            "SELECT tableowner FROM pg_tables WHERE schemaname = 'salesdev'")}
        assert owners == {"salesdev_owner"}  # never the administrator who ran it
        forced = conn.execute(
            "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'salesdev' AND c.relkind = 'r'"
            " AND NOT (c.relrowsecurity AND c.relforcerowsecurity) ORDER BY 1").fetchall()
        assert forced == [("member",), ("server_schema",)]  # no customer data in these


def test_every_model_column_is_on_the_server(team: Team) -> None:
    """A model that gains a column needs a server migration: this fails until it has one."""
    with psycopg.connect(team.admin_url) as conn:
        for model in ALL_TABLES:
            table = model.__table__.name  # type: ignore[attr-defined]
            found = {name for (name,) in conn.execute(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = 'salesdev' AND table_name = %s", (table,))}
            expected = set(model.model_fields) | {"owner", "server_txid", "field_hlc"}
            assert found == expected, table


def test_version_1_is_frozen() -> None:
    """The migration runs the frozen file, which never changes once deployed. Today's
    models no longer print it (version 2 added `target.set_by`): the digest holds it."""
    import hashlib
    from importlib import resources

    frozen = resources.files("salesdev_tui.server.migrations").joinpath(
        "v0001.sql").read_bytes()
    assert hashlib.sha256(frozen).hexdigest() == (
        "3a6849707bed1e2ee7236f566729eb8fcf3b6c60cd8aab80c126df6dcc4c63de")
    assert render_schema_v1().encode() != frozen  # the models moved on: write a migration


def test_a_newer_server_schema_is_refused(server_db: tuple[str, str]) -> None:
    _name, url = server_db
    migrate(url)
    with psycopg.connect(url) as conn:
        conn.execute("INSERT INTO salesdev.server_schema VALUES (99)")
    with pytest.raises(ServerError, match="version 99"):
        migrate(url)


def test_add_user_refuses_bad_names_and_a_missing_schema(server_db: tuple[str, str]) -> None:
    _name, url = server_db
    with pytest.raises(ServerError, match="no salesdev schema"):
        add_user(url, "amy_chen", TeamRole.REP)
    migrate(url)
    for bad in ("Amy", "1amy", "a-b", "postgres", "salesdev_owner", "pg_x", "a; drop"):
        with pytest.raises(ServerError, match="user name|reserved"):
            add_user(url, bad, TeamRole.REP)


def test_a_role_change_leaves_one_group(team: Team) -> None:
    add_user(team.admin_url, team.user("amy"), TeamRole.MANAGER)
    with psycopg.connect(team.admin_url) as conn:
        groups = {group for (group,) in conn.execute(
            "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
            " JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = %s",
            (team.user("amy"),))}
        assert groups == {"salesdev_manager"}
        role = conn.execute("SELECT role FROM salesdev.member WHERE name = %s",
                            (team.user("amy"),)).fetchone()
        assert role == ("manager",)


def test_an_unreachable_server_is_a_message_not_a_traceback() -> None:
    with pytest.raises(ServerError, match="Cannot reach the team server"):
        migrate(url_for("nope").replace("5432", "1"))
