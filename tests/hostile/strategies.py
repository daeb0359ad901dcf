"""Hostile text for every input, and the documented normalisation as an independent oracle.

The strategies are those of RELIABILITY-NOTES 5a, widened: CJK, emoji with ZWJ joiners and
skin tones, right-to-left text with bidi controls (RLO U+202E), markup-like text that Rich or
Textual would interpret, control and format characters, 5,000-character strings and blanks.

`expected_text` restates the rules of `services.text_rules.clean_text` from its docstring
(not by calling it), so a test that compares the database with it checks the code against
the documentation.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

from hypothesis import Phase
from hypothesis import strategies as st

cjk = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1,
              max_size=40)
emoji = st.lists(
    st.sampled_from(["👍", "👨‍👩‍👧", "🇩🇪", "❤️", "🧑🏽‍💻", "e\u0301", "\u200d", "\ufe0f"]),
    min_size=1, max_size=12,
).map("".join)
rtl = st.lists(
    st.sampled_from(["שלום", "مرحبا", "\u202e", "\u202c", "\u200f", "\u200e", "\u2067",
                     "\u2069", "abc", " ", "١٢٣"]),
    min_size=1, max_size=10,
).map("".join)
controls = st.text(alphabet=st.characters(categories=["Cc", "Cf"]), min_size=1, max_size=10)
markup = st.lists(
    st.sampled_from(["[/]", "[b]", "[@click=app.quit]x[/]", "[link=x]", "[/link]", "\\[", "]",
                     "[red on blue]", "$accent", "[", "Müller & Co [GmbH]", "[$x]", "%s", "{}"]),
    min_size=1, max_size=8,
).map("".join)
long_text = st.integers(198, 5000).map(lambda n: "Ä" * n)
# Line breaks of every kind, tabs and the characters TextArea turns into line breaks.
breaks = st.lists(
    st.sampled_from(["a", " ", "\n", "\r\n", "\r", "\t", "\u2028", "\u2029", "\x0b", "\x0c",
                     "\x85", "x"]),
    min_size=1, max_size=10,
).map("".join)
blanks = st.sampled_from(["", " ", "   ", "\u3000", "\t", " \u3000 "])
specials = st.sampled_from(["\x00", "\x1b[2J", "\x7f", "\u200b", "\ufeff", "\ud800x",
                            "a\x00b", "=cmd|' /C calc'!A0", "+SUM(1)", "@x", "-1", "Ａ"])


def _mix(parts: list[str]) -> str:
    return "".join(parts)


hostile_text = st.one_of(
    cjk, emoji, rtl, controls, markup, long_text, breaks, blanks, specials,
    st.text(max_size=300),
    st.lists(st.one_of(cjk, emoji, rtl, markup, specials, st.text(max_size=20)),
             min_size=2, max_size=5).map(_mix),
)
"""Any one kind of hostile text, or a mix of several."""


@dataclass(frozen=True)
class Expected:
    """What the documented rules make of a typed value: stored text, or why it is refused."""

    value: str | None
    refused: bool = False


def expected_text(raw: str, *, max_len: int, multiline: bool) -> Expected:
    """The documented normalisation (text_rules' docstring), written out again."""
    if any(0xD800 <= ord(c) <= 0xDFFF for c in raw):
        return Expected(None, refused=True)
    text = raw
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    else:
        if any(c in text for c in "\n\r\u2028\u2029"):
            return Expected(None, refused=True)
        text = text.replace("\t", " ")
    allowed = "\n\t" if multiline else ""
    if any(unicodedata.category(c) == "Cc" and c not in allowed for c in text):
        return Expected(None, refused=True)
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        return Expected(None)
    if len(text) > max_len:
        return Expected(None, refused=True)
    return Expected(text)


#: Examples run per form or importer, printed at the end of the session (tests/hostile/conftest).
EXAMPLES: Counter[str] = Counter()
#: How those examples ended: "<name>: saved" / "<name>: refused".
OUTCOMES: Counter[str] = Counter()

#: Pilot examples take about a second each: shrinking a failure would take many minutes, so
#: those tests only generate (the failing example is printed as drawn).
PILOT_PHASES = (Phase.explicit, Phase.generate)
