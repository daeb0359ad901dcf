"""The one translation function every user-facing string goes through.

English is the source language. A Traditional Chinese catalogue will plug in here
(gettext-style, keyed by the English text) without touching the call sites.
"""

from __future__ import annotations

from enum import StrEnum

_catalog: dict[str, str] = {}
_language = "en"


def _(message: str) -> str:
    """Return `message` translated into the active language."""
    return _catalog.get(message, message)


def set_catalog(catalog: dict[str, str], language: str = "en") -> None:
    """Switch the active language to `catalog` (English text -> translation), whose
    language tag ("en", "zh_TW") `current_language` reports."""
    global _language
    _catalog.clear()
    _catalog.update(catalog)
    _language = language


def current_language() -> str:
    """The active language ("en" or "zh_TW"): documents name it (`<html lang>`)."""
    return _language


def enum_label(member: StrEnum) -> str:
    """How a vocabulary value reads in the UI ("trade_show" -> "trade show"), translated."""
    return _(member.value.replace("_", " "))
