"""The `salesdev` command.

`main` starts the TUI without importing typer when no command is given (the common case,
and the one whose start-up time the rep feels); anything else goes through the typer app.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from salesdev_tui.cli.app import cli

__all__ = ["cli", "main"]

#: The variable through which the shell's completion script asks typer for completions.
COMPLETE_VAR = "_SALESDEV_COMPLETE"


def _tui_options(argv: list[str]) -> dict[str, str] | None:
    """`--db`/`--config` values when argv asks for nothing but the TUI, else None."""
    options: dict[str, str] = {}
    index = 0
    while index < len(argv):
        arg = argv[index]
        name, eq, value = arg.partition("=")
        if name not in ("--db", "--config"):
            return None
        if not eq:
            index += 1
            if index >= len(argv):
                return None
            value = argv[index]
        options[name[2:]] = value
        index += 1
    return options


def main() -> None:
    """Console entry point."""
    import os

    # A shell asking for completions runs `salesdev` with no arguments: typer answers it.
    options = None if COMPLETE_VAR in os.environ else _tui_options(sys.argv[1:])
    if options is not None:
        from salesdev_tui.cli.tui import launch_direct

        sys.exit(launch_direct(options.get("db"), options.get("config")))
    _typer_main()


def _typer_main() -> None:
    """The typer face: every command but the bare TUI."""
    from salesdev_tui.cli.app import use_configured_language
    from salesdev_tui.cli.checked_output import checked_stdout

    use_configured_language(sys.argv[1:])
    typer_app = _with_commands(_command_of(sys.argv[1:]))
    try:
        with checked_stdout():  # a failed write to stdout is exit 5, never a silent 0
            typer_app()
    except KeyboardInterrupt:
        sys.exit(130)


def _command_of(argv: list[str]) -> str | None:
    """The command argv names (after the global options), or None (help, a typo, none)."""
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg in ("--db", "--config"):
            index += 2
        elif arg.startswith("-"):
            index += 1
        else:
            return arg
    return None


# Importing a command module registers its commands on the typer app (`cli/app.py` itself
# imports none of them, so there is no cycle). A data command imports only its own module:
# `salesdev scorecard --json` need not import the encryption, import or merge commands and
# what they import (issue 15.8). Plain imports, one function per module.
def _customers() -> None:
    import salesdev_tui.cli.customers  # noqa: F401


def _data() -> None:
    import salesdev_tui.cli.data  # noqa: F401


def _encryption() -> None:
    import salesdev_tui.cli.encryption  # noqa: F401


def _merge() -> None:
    import salesdev_tui.cli.merge  # noqa: F401


def _plans() -> None:
    import salesdev_tui.cli.plans  # noqa: F401


def _proposals() -> None:
    import salesdev_tui.cli.proposals  # noqa: F401


def _reports() -> None:
    import salesdev_tui.cli.reports  # noqa: F401


def _transfer() -> None:
    import salesdev_tui.cli.transfer  # noqa: F401


def _team() -> None:
    import salesdev_tui.cli.team  # noqa: F401
    import salesdev_tui.cli.team_manager  # noqa: F401
    import salesdev_tui.cli.team_scorecard  # noqa: F401


def _legal() -> None:
    import salesdev_tui.cli.legal  # noqa: F401


def _team_server() -> None:
    import salesdev_tui.cli.team_server  # noqa: F401


#: In the order `salesdev --help` lists them (the order they were always registered in).
REGISTER: dict[Callable[[], None], tuple[str, ...]] = {
    _encryption: ("encrypt", "decrypt", "rekey"),
    _merge: ("merge", "unmerge"),
    _customers: ("add", "list", "show", "edit", "stage"),
    _data: ("paths", "export", "import", "demo"),
    _plans: ("plans",),
    _proposals: ("proposal",),
    _reports: ("scorecard", "review"),
    _transfer: ("backup", "restore", "check"),
    _team: ("team", "sync"),
    _team_server: ("server",),
    _legal: ("legal", "contract"),
}


def _with_commands(command: str | None = None) -> Any:
    """The typer app with `command` registered, or every command when None or unknown."""
    from salesdev_tui.cli.app import cli

    wanted = [register for register, names in REGISTER.items() if command in names]
    for register in wanted or list(REGISTER):
        register()
    return cli


def __getattr__(name: str) -> Any:
    if name == "cli":
        return _with_commands()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
