"""Exit codes and the one way a command fails: a plain line on stderr, never a traceback.

The leaf of cli/: the typer app (`cli/app.py`) and the passphrase prompt both use it.
"""

from __future__ import annotations

from enum import IntEnum
from typing import NoReturn

import typer

from salesdev_tui.i18n import _


class Exit(IntEnum):
    """Exit codes scripts can test (also listed in the README)."""

    OK = 0
    USAGE = 2  # typer's own code for bad options
    INVALID = 3  # bad input, or a stage change the gates refuse
    NOT_FOUND = 4  # no such id, or an ambiguous id prefix
    STORAGE = 5  # the database file cannot be opened or written
    CONFIG = 6  # the config file is broken


def fail(message: str, code: Exit) -> NoReturn:
    """Print one plain line to stderr and exit with `code`; never a traceback.

    Messages quote outside input (argv, file contents, config keys): control characters in
    them are shown as escapes, never sent to the terminal (`services.visible`).
    """
    from salesdev_tui.domain.visible import visible

    typer.echo(visible(_("error: {message}").format(message=message)), err=True)
    raise typer.Exit(int(code))
