"""Make outside text safe to write to a terminal: control characters become visible escapes.

Anything that did not come from our own code (argv, file headers and names, config keys,
stored customer text) may carry escape sequences: an OSC 8 link, an OSC 52 clipboard write,
a screen clear, a C1 CSI (U+009B) or a right-to-left override that reorders the line. A
terminal obeys them when they are written raw. `visible` turns each such character into the
backslash escape Python would show for it (ESC -> `\\x1b`, U+202E -> `\\u202e`), so the reader
sees what the input held and the terminal executes nothing.

Neutralised: C0 controls (U+0000-U+001F, except `\\n` and `\\t` in multi-line text), DEL,
C1 controls (U+0080-U+009F), bidi embeddings, overrides, isolates and marks, and lone
surrogates (what Python makes of invalid UTF-8 in argv and file names: shown as the byte,
`\\xff`, instead of failing with UnicodeEncodeError when written).

Pure: used by the CLI's messages and output (`cli.app.fail`, `cli.render`) and by the TUI's
text of stored values.
"""

from __future__ import annotations

import re

__all__ = ["DANGEROUS", "json_visible", "visible"]

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
#: Every character `visible` escapes (for tests and checks of output).
DANGEROUS = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]")
_ONE_LINE = DANGEROUS
_MULTI_LINE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the undecodable byte itself
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def visible(value: object, *, multiline: bool = False) -> str:
    """`value` as text with every control character shown as an escape (see the module).

    One-line text (messages) escapes line breaks and tabs too; `multiline` keeps them.
    """
    text = value if isinstance(value, str) else str(value)
    return (_MULTI_LINE if multiline else _ONE_LINE).sub(_escape, text)


# JSON's own layout (indent) uses line breaks; json.dumps escapes every C0 inside strings.
_JSON_RAW = re.compile(f"[\x7f-\x9f{_BIDI}\ud800-\udfff]")


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_visible(dumped: str) -> str:
    """JSON text (from `json.dumps(..., ensure_ascii=False)`) with the dangerous characters
    that JSON leaves raw (DEL, C1, bidi controls) written as `\\uXXXX` escapes: the same data
    for a JSON reader, nothing a terminal obeys. They only ever occur inside strings."""
    return _JSON_RAW.sub(_json_escape, dumped)
