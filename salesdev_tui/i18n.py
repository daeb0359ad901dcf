"""The one translation function every user-facing string goes through.

English is the source language and the catalogue's key (gettext msgids). The Traditional
Chinese catalogue is `locale/zh_TW/LC_MESSAGES/salesdev.mo`, compiled from the `.po` beside
it and shipped in the package (tools/i18n.py keeps them in step; a test checks it). Reading
it needs only the standard library's `gettext`: nothing is compiled at run time.

Strings evaluated when a module is imported (BINDINGS descriptions, module constants) are
marked with `N_()`, which only marks them for extraction; whoever shows them calls `_()` at
that moment, so they follow a language switch made after the import.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from pathlib import Path

#: The languages salesdev speaks: English (the source) and Traditional Chinese (Taiwan).
LANGUAGES: tuple[str, ...] = ("en", "zh_TW")

#: Each language by its own name, as the palette offers it (never translated).
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "zh_TW": "繁體中文"}

DOMAIN = "salesdev"
LOCALE_DIR = Path(__file__).with_name("locale")

# The environment variables gettext reads, in its order of precedence.
_ENV_KEYS = ("LC_ALL", "LC_MESSAGES", "LANG")

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"
_catalog: dict[str, str] | None = None  # set_catalog's override, for tests


def _(message: str) -> str:
    """Return `message` translated into the active language."""
    if _catalog is not None:
        return _catalog.get(message, message)
    return _translations.gettext(message)


def joined(items: Iterable[str]) -> str:
    """Items of one message joined as the language joins them ("a; b" or "a；b")."""
    return _("; ").join(items)


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name for the marker
    """Mark `message` for extraction without translating it (it is translated when shown)."""
    return message


def language() -> str:
    """The active language code ("en" or "zh_TW")."""
    return _language


def current_language() -> str:
    """The active language ("en" or "zh_TW"): documents name it (`<html lang>`)."""
    return _language


def _load(code: str) -> gettext.NullTranslations:
    if code == "en":
        return gettext.NullTranslations()
    # fallback: a missing .mo (a broken install) shows English rather than failing.
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[code], fallback=True)


def set_language(code: str) -> None:
    """Switch the active language; `code` is one of LANGUAGES (anything else is English)."""
    global _translations, _language, _catalog
    code = code if code in LANGUAGES else "en"
    _translations = _load(code)
    _language = code
    _catalog = None


def set_catalog(catalog: Mapping[str, str], language: str | None = None) -> None:
    """Use `catalog` (English text -> translation) instead of a language's catalogue,
    reported as `language` when given ("zh_TW": documents name it in `<html lang>`).

    For tests that need a known translation; an empty mapping means English.
    """
    global _catalog, _language
    _catalog = dict(catalog)
    if language is not None:
        _language = language
    elif not catalog:  # back to English
        _language = "en"


def language_from_env(environ: Mapping[str, str] | None = None) -> str | None:
    """The language the environment asks for (LC_ALL, LC_MESSAGES, LANG), if we speak it.

    The first variable that is set decides, as in gettext: `LANG=zh_TW.UTF-8` gives
    "zh_TW", `LC_ALL=C` gives English even when LANG says Chinese.
    """
    env = os.environ if environ is None else environ
    for key in _ENV_KEYS:
        value = env.get(key, "")
        if not value:
            continue
        name = value.split(".", 1)[0].split("@", 1)[0].replace("-", "_")
        parts = name.split("_")
        if parts[0].lower() == "zh":
            # Traditional script: Taiwan, Hong Kong, Macau, or zh_Hant. Simplified Chinese
            # has no catalogue here, and Traditional would be the wrong script for it.
            rest = {part.upper() for part in parts[1:]}
            return "zh_TW" if rest & {"TW", "HK", "MO", "HANT"} else "en"
        return "en"
    return None


def choose_language(configured: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The config's `language` if set, else the environment's, else English."""
    if configured:
        return configured if configured in LANGUAGES else "en"
    return language_from_env(environ) or "en"


def babel_locale() -> str:
    """The active language as Babel names its locale data ("en_US", "zh_Hant_TW")."""
    return "zh_Hant_TW" if _language == "zh_TW" else "en_US"


def enum_label(member: StrEnum) -> str:
    """How a vocabulary value reads in the UI ("trade_show" -> "trade show"), translated.

    The msgids are built here at run time, so `models.enums.VOCABULARY_LABELS` lists each of
    them with `N_()` for extraction (a test checks every member is listed).
    """
    return _(member.value.replace("_", " "))


def current_state() -> tuple[str, dict[str, str] | None]:
    """The active language and any test catalogue, to hand to a worker process."""
    return _language, None if _catalog is None else dict(_catalog)


def restore_state(state: tuple[str, dict[str, str] | None]) -> None:
    """Take over `current_state()` from another process."""
    code, catalog = state
    set_language(code)
    if catalog is not None:
        set_catalog(catalog)


def _messages(code: str) -> dict[str, str]:
    """msgid -> msgstr of `code`'s catalogue (empty for English)."""
    catalog = getattr(_load(code), "_catalog", None)  # GNUTranslations keeps it there
    return {k: v for k, v in (catalog or {}).items() if isinstance(k, str) and k}


def converter(old: str, new: str) -> Callable[[str, str | None], tuple[str, str] | None]:
    """A function that turns text shown in language `old` into language `new`.

    For a language switch without a restart: `convert(text, msgid)` gives (msgid, text in
    `new`) when `text` is a whole catalogue message in `old`, else None (data, composed
    text: left as it is; views that format text reload and format it again). `msgid`, the
    English the caller remembers for that place, decides when several English messages
    share one translation ("Stage" and "stage" are both 階段).
    """
    before = _load(old)
    reverse = None if old == "en" else {v: k for k, v in _messages(old).items()}
    target = _load(new)

    def convert(text: str, msgid: str | None = None) -> tuple[str, str] | None:
        if msgid is None or before.gettext(msgid) != text:
            msgid = text if reverse is None else reverse.get(text)
        if msgid is None:
            return None
        return msgid, target.gettext(msgid)

    return convert
