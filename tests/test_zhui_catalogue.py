"""The zh_TW translations of the UI (locale/zh_TW/parts/zhui.po) are complete and well formed.

Parsed with Babel as gettext reads it: every entry translated and not fuzzy, the same
`{placeholders}` (with their format specs), Rich markup tags and key names in the
translation as in the English, and no English words left in a translation except key
names, file formats, brand names and the words a rep types (query and date syntax).
"""

from __future__ import annotations

import re
import string
import uuid
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parent.parent / "salesdev_tui"
LOCALE = PACKAGE / "locale" / "zh_TW"
PART = LOCALE / "parts" / "zhui.po"

#: The UI modules whose `_("…")` literals this part translates.
UI_FILES = sorted(
    [*(path for folder in ("screens", "dialogs", "forms", "widgets", "textual_patches")
       for path in PACKAGE.joinpath(folder).glob("*.py")),
     *PACKAGE.glob("app*.py"), PACKAGE / "commands.py"]
)

#: English that stays English in Chinese: key names, file formats, brand names, config
#: keys, and the words the rep types because the parsers read them (search filters
#: `stage:prop`, dates `today 10`, `+3d`, filter values such as `won`, `micro`).
ALLOWED_WORDS = frozenset({
    "enter", "esc", "escape", "tab", "space", "shift", "ctrl",
    "CSV", "JSON", "HTML", "Markdown", "PDF", "vCard", "md", "html", "ics",
    "Excel", "CRM", "App", "salesdev", "Computex",
    "commission_rate", "targets", "mapping", "Q",
    "stage", "pot", "sort", "source", "idle", "prop", "AB",
    "today", "tomorrow", "yesterday", "mon",
    "prospect", "won", "lost", "open", "show", "online", "referral", "research", "other",
    "micro", "enterprise",
})

_FORMATTER = string.Formatter()
_MARKUP = re.compile(r"\[/?[a-z@#][^\[\]]*\]")
_KEYS = re.compile(r"\b(?:ctrl\+\w+|shift\+tab|esc|escape|enter)\b")
_NOT_WORDS = re.compile(
    r"\{[^{}]*\}"  # placeholders
    r"|\S+@\S+"  # e-mail addresses in examples
    r"|[\w~/.]*\w\.(?:com|tw|csv|md|html|ics)\b"  # host and file names in examples
    r"|--\w+"  # a CLI option named in a hint
    r"|\b\w+\+\w+\b"  # key combinations
)


def _catalog(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale="zh_TW")


def _messages() -> list[Message]:
    return [m for m in _catalog(PART) if m.id]


def _fields(text: str) -> Counter[tuple[str, str, str]]:
    """`{name:spec!conv}` fields, as str.format sees them."""
    return Counter(
        (name, spec or "", conv or "")
        for _literal, name, spec, conv in _FORMATTER.parse(text)
        if name is not None
    )


def test_header_declares_traditional_chinese_with_one_plural_form() -> None:
    catalog = _catalog(PART)
    assert str(catalog.locale) == "zh_Hant_TW"
    assert catalog.plural_forms == "nplurals=1; plural=0;"
    assert catalog.charset.lower() == "utf-8"


def test_every_entry_is_translated_and_not_fuzzy() -> None:
    messages = _messages()
    assert len(messages) > 800
    assert [m.id for m in messages if not m.string or not str(m.string).strip()] == []
    assert [m.id for m in messages if m.fuzzy] == []


@pytest.mark.parametrize("check", ["placeholders", "markup", "keys"])
def test_translation_keeps_what_the_code_and_the_terminal_read(check: str) -> None:
    wrong = []
    for m in _messages():
        source, target = str(m.id), str(m.string)
        if check == "placeholders":
            same = _fields(source) == _fields(target)
        elif check == "markup":
            same = Counter(_MARKUP.findall(source)) == Counter(_MARKUP.findall(target))
        else:
            same = Counter(_KEYS.findall(source)) == Counter(_KEYS.findall(target))
        if not same:
            wrong.append((source, target))
    assert wrong == []


def test_no_english_left_in_a_translation() -> None:
    left = []
    for m in _messages():
        target = str(m.string)
        if len(m.id) <= 2:  # potential and credit grades A-D stay letters
            continue
        words = re.findall(r"[A-Za-z][A-Za-z_]*", _MARKUP.sub("", _NOT_WORDS.sub("", target)))
        strays = [w for w in words if len(w) > 1 and w not in ALLOWED_WORDS]
        if strays:
            left.append((m.id, target, strays))
    assert left == []


def test_sentences_use_full_width_punctuation() -> None:
    """A Chinese sentence ends in 。, and its commas and colons are full-width."""
    half = re.compile(r"[\u4e00-\u9fff][,:;!?]|[\u4e00-\u9fff]\.(?:\s|$)")
    assert [(m.id, m.string) for m in _messages() if half.search(str(m.string))] == []


def test_every_ui_string_is_in_a_zh_tw_catalogue() -> None:
    """What Babel extracts from the UI files is translated in some part of zh_TW (this
    one or another session's), so a new `_("…")` on a screen cannot ship in English."""
    known: set[str] = set()
    for path in LOCALE.rglob("*.po"):
        known.update(str(m.id) for m in _catalog(path) if m.id and m.string)
    extracted = {
        message
        for path in UI_FILES
        for _line, message, _comments, _context in extract_from_file(
            "python", str(path), keywords={"_": None, "N_": None}
        )
    }
    assert len(extracted) > 800
    assert sorted(extracted - known) == []


def test_history_shows_a_vocabulary_word_as_the_ui_names_it() -> None:
    """An edit of the source reads "online → trade show" (in zh_TW: 網絡平臺 → 行業展會),
    never the stored "trade_show"; free text in other fields is left as typed."""
    from salesdev_tui import i18n
    from salesdev_tui.models.tables import FieldEdit
    from salesdev_tui.widgets.customer_tabs import _history_change

    zone = ZoneInfo("Asia/Taipei")

    def change(field: str, old: str, new: str) -> str:
        return _history_change(
            FieldEdit(customer_id=uuid.uuid4(), entity="customer", entity_id=uuid.uuid4(),
                      field=field, old_value=old, new_value=new), zone)

    assert change("source", "online", "trade_show") == "Source: online → trade show"
    assert change("industry", "trade_show", "other") == "Industry: trade_show → other"
    catalogue = {str(m.id): str(m.string) for m in _messages()}
    catalogue.update({"Source": "渠道", "{field}: {old} → {new}": "{field}：{old} → {new}"})
    i18n.set_catalog(catalogue)
    try:
        assert change("source", "online", "trade_show") == "渠道：網絡平臺 → 行業展會"
        assert change("stage", "needs", "proposal").endswith("：需求分析 → 方案呈現")
    finally:
        i18n.set_catalog({})
