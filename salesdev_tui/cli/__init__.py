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
    options = _tui_options(sys.argv[1:])
    if options is not None:
        from salesdev_tui.cli.tui import launch_direct

        sys.exit(launch_direct(options.get("db"), options.get("config")))
    _typer_main()


def _typer_main() -> None:
    """The typer face: every command but the bare TUI."""
    from salesdev_tui.cli.checked_output import checked_stdout

    typer_app = _with_commands()
    try:
        with checked_stdout():  # a failed write to stdout is exit 5, never a silent 0
            typer_app()
    except KeyboardInterrupt:
        sys.exit(130)


def _with_commands() -> Any:
    """The typer app with every command registered (importing a command module registers
    its commands on it: `cli/app.py` itself imports none of them, so there is no cycle)."""
    import salesdev_tui.cli.encryption  # noqa: F401
    import salesdev_tui.cli.merge  # noqa: F401
    from salesdev_tui.cli import customers, data, plans, proposals, reports, transfer  # noqa: F401
    from salesdev_tui.cli.app import cli

    return cli


def __getattr__(name: str) -> Any:
    if name == "cli":
        return _with_commands()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
