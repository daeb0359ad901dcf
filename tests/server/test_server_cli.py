"""The administrator's commands through the real CLI against the real server."""

from __future__ import annotations

import psycopg
from typer.testing import CliRunner

from salesdev_tui.cli import cli
from salesdev_tui.server.admin import LATEST


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_init_add_user_and_migrate(server_db: tuple[str, str]) -> None:
    _name, url = server_db
    code, out = run("server", "init", "--url", url)
    assert (code, out.strip()) == (0, f"Created the team server's schema (version {LATEST}).")
    name = "cli_" + _name[-8:]
    try:
        code, out = run("server", "add-user", name, "--role", "Manager", "--url", url)
        assert (code, out.strip()) == (0, f"{name} is on the team as manager.")
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT role FROM salesdev.member").fetchall() == [("manager",)]
        code, out = run("server", "migrate", "--url", url)
        assert (code, out.strip()) == (
            0, f"The team server's schema is up to date (version {LATEST}).")
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("REVOKE salesdev_manager FROM " + name)
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {_name} WITH (FORCE)")
            conn.execute("DROP ROLE IF EXISTS " + name)


def test_bad_input_is_one_line_naming_the_option(server_db: tuple[str, str]) -> None:
    _name, url = server_db
    code, out = run("server", "init", "--url", url.replace("postgres@", "postgres:s3cret@"))
    assert code == 2 and "must not carry a password" in out and "s3cret" not in out
    code, out = run("server", "init", "--url", "mysql://x/y")
    assert code == 2 and "postgresql://" in out
    code, out = run("server", "add-user", "amy", "--role", "boss", "--url", url)
    assert code == 2 and "--role must be rep, manager or legal" in out
    code, out = run("server", "add-user", "amy", "--role", "rep", "--url", url)
    assert code == 3 and "no salesdev schema" in out
    code, out = run("server", "add-user", "Amy", "--role", "rep", "--url", url)
    assert code == 3 and "lower-case letters" in out
    code, out = run("server", "init", "--url", url.replace("5432", "1"))
    assert code == 5 and "Cannot reach the team server" in out and "Traceback" not in out
