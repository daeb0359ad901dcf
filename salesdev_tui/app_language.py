"""Switching the language while the app runs: every open screen relabelled, the views
reloaded in the new language, the choice saved to the config like the theme."""

from __future__ import annotations

from typing import Any, cast

from textual.app import App

from salesdev_tui.app_protocol import SalesApp
from salesdev_tui.config import ConfigError, save_setting
from salesdev_tui.i18n import _, converter, language, set_language


def switch_language(app: App[Any], code: str) -> None:
    """Speak `code` from now on, on every screen open, and save it like the theme."""
    from salesdev_tui.textual_patches.mode_stacks import every_screen
    from salesdev_tui.widgets.relabel import relabel

    old = language()
    if code == old:
        return
    convert = converter(old, code)
    set_language(code)
    for screen in every_screen(app):
        relabel(screen, convert)
    sales = cast(SalesApp, app)
    sales.data_version += 1  # the views reload and format their text in `code`
    sales.settings = sales.settings.model_copy(update={"language": code})
    if sales.config_path is not None:
        try:
            save_setting(sales.config_path, "language", code)
        except (OSError, ConfigError) as exc:
            app.notify(str(exc), title=_("Language not saved"), severity="warning")
