"""The `salesdev` command.

`main` starts the TUI without importing typer when no command is given (the common case,
and the one whose start-up time the rep feels); anything else goes through the typer app.
"""

from __future__ import annotations

import sys
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
    from salesdev_tui.cli.app import main as typer_main

    typer_main()


def __getattr__(name: str) -> Any:
    if name == "cli":
        # Importing the command modules registers their commands on the typer app.
        import salesdev_tui.cli.encryption  # noqa: F401
        import salesdev_tui.cli.merge  # noqa: F401
        import salesdev_tui.cli.team  # noqa: F401
        import salesdev_tui.cli.team_server  # noqa: F401
        from salesdev_tui.cli import customers, data, plans, proposals, reports, transfer  # noqa: F401
        from salesdev_tui.cli.app import cli

        return cli
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
