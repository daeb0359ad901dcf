"""Launch the TUI: the only CLI module that imports Textual, and only when it runs."""

from __future__ import annotations

from salesdev_tui.cli.app import CliState


def launch(state: CliState) -> None:
    from salesdev_tui.app import create_app
    from salesdev_tui.paths import config_path

    settings = state.settings()
    app = create_app(
        settings,
        state.resolved_db_path(),
        config_path=(state.config_path or config_path()).expanduser(),
    )
    app.run()
