"""The `salesdev` command. Imports stay inside commands so `--help` starts fast."""

from __future__ import annotations

from salesdev_tui.cli import customers, data, reports  # noqa: F401 - registers the commands
from salesdev_tui.cli.app import cli, main

__all__ = ["cli", "main"]
