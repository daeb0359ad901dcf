"""Launch the TUI: the only CLI module that imports Textual, and only when it runs."""

from __future__ import annotations

import gc
import sys


def _on_terminal() -> bool:
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # closed or missing (a daemon's stdio)
        return False


def launch_direct(db: str | None, config: str | None) -> int:
    """Start the TUI; returns the exit code. Used with and without typer.

    Python's cyclic collections wait until the app has settled: the start-up allocates some
    160,000 objects that live as long as the app (modules, Textual's and salesdev's classes,
    the stylesheet), and the collections that scanned them, a full one among them, cost
    30-60 ms before the first frame (bench/startup.py). The app resumes them once the store
    is open and Today shown, with those objects frozen out of later scans
    (`app_storage.Storage.resume_collections`).
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _launch(db, config)
    finally:
        if collecting:
            gc.enable()


def _launch(db: str | None, config: str | None) -> int:
    from salesdev_tui.config import ConfigError, load_settings
    from salesdev_tui.i18n import _
    from salesdev_tui.paths import PathProblem, config_path, default_db_path, usable_file

    def error(message: str) -> None:
        print(_("error: {message}").format(message=message), file=sys.stderr)

    try:
        settings_path = usable_file(config, config_path)
    except PathProblem as exc:
        error(_("Settings file {problem}").format(problem=exc))
        return 6
    try:
        settings = load_settings(settings_path)
    except ConfigError as exc:
        error(str(exc))
        return 6
    from salesdev_tui.i18n import choose_language, set_language

    set_language(choose_language(settings.language))
    try:
        db_path = usable_file(db, default_db_path)
    except PathProblem as exc:
        error(_("Cannot use the database {problem}.").format(problem=exc))
        return 5
    if not _on_terminal():
        # The app draws on a terminal and reads keys from it: into a file or a pipe it
        # would write escape codes and wait for keys that never come.
        error(_("the app needs a terminal (stdin and stdout); give a command for scripts "
                "and pipes (salesdev --help lists them)."))
        return 2
    from salesdev_tui.app import create_app

    app = create_app(settings, db_path, config_path=settings_path)
    app.run()
    return 0
