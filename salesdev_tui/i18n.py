"""The one translation function every user-facing string goes through.

English is the source language. A Traditional Chinese catalogue will plug in here
(gettext-style, keyed by the English text) without touching the call sites.
"""

from __future__ import annotations

from enum import StrEnum

_catalog: dict[str, str] = {}


def _(message: str) -> str:
    """Return `message` translated into the active language."""
    return _catalog.get(message, message)


def set_catalog(catalog: dict[str, str]) -> None:
    """Switch the active language to `catalog` (English text -> translation)."""
    _catalog.clear()
    _catalog.update(catalog)


def enum_label(member: StrEnum) -> str:
    """How a vocabulary value reads in the UI ("trade_show" -> "trade show"), translated."""
    return _(member.value.replace("_", " "))
