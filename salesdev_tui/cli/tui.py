"""Launch the TUI: the only CLI module that imports Textual, and only when it runs."""

from __future__ import annotations

import sys
from pathlib import Path


def launch_direct(db: str | None, config: str | None) -> int:
    """Start the TUI; returns the exit code. Used with and without typer."""
    from salesdev_tui.config import ConfigError, load_settings
    from salesdev_tui.i18n import _
    from salesdev_tui.paths import config_path, default_db_path

    settings_path = Path(config).expanduser() if config else config_path()
    try:
        settings = load_settings(settings_path)
    except ConfigError as exc:
        print(_("error: {message}").format(message=exc), file=sys.stderr)
        return 6
    from salesdev_tui.app import create_app

    db_path = Path(db).expanduser() if db else default_db_path()
    app = create_app(settings, db_path, config_path=settings_path)
    app.run()
    return 0
