"""The theme's colours for text built in Python (Rich `Text` in tables and panels).

The stylesheet says `$error`, `$success`, `$warning`, `$accent`, `$primary`; text styled in
code takes the same colours from the app's theme (`App.theme_variables`), so every theme works and a
red never clashes with one. Pure renderers take a `Colours` and default to `PLAIN` (no
colour: bold and dim only), so they stay testable without an app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.app import App


@dataclass(frozen=True)
class Colours:
    """Rich colour names (hex) of the theme's semantic colours; "" for none."""

    error: str = ""
    success: str = ""
    warning: str = ""
    accent: str = ""
    primary: str = ""

    @classmethod
    def of(cls, app: App[Any]) -> Colours:
        """The colours of the app's current theme."""
        variables = app.theme_variables or app.get_css_variables()
        return cls(error=variables.get("error", ""), success=variables.get("success", ""),
                   warning=variables.get("warning", ""), accent=variables.get("accent", ""),
                   primary=variables.get("primary", ""))


PLAIN = Colours()
