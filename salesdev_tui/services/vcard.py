"""Contacts as vCard 3.0 (RFC 2426), the version Outlook, Google and Apple all import.

Pure: contact rows in (from `store.csv_export.contacts_for_export`), UTF-8 text out (and
`parse_vcards`, the same rules undone, for `.vcf` imports). Values
are escaped (backslash, comma, semicolon, line breaks), lines end in CRLF and are folded at
75 octets without splitting a UTF-8 character.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

__all__ = ["escape", "fold", "parse_vcards", "split_escaped", "to_vcards", "unescape", "unfold"]

_MAX_OCTETS = 75


def escape(value: str) -> str:
    """A text value escaped for a vCard property."""
    text = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    for brk in ("\r\n", "\r", "\n", "\u2028", "\u2029"):
        text = text.replace(brk, "\\n")
    return text


def fold(line: str) -> str:
    """A content line folded at 75 octets (continuations start with one space)."""
    pieces: list[str] = []
    current, size, limit = "", 0, _MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, _MAX_OCTETS - 1  # the leading space counts
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _card(row: Mapping[str, Any]) -> list[str]:
    name = str(row["contact"])
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"UID:urn:uuid:{row['contact_id']}",
        f"FN:{escape(name)}",
        # The name is kept as typed (one field); N must still have its five parts.
        f"N:{escape(name)};;;;",
        f"ORG:{escape(str(row['company']))}",
    ]
    if row.get("role"):
        lines.append(f"TITLE:{escape(str(row['role']))}")
    if row.get("phone"):
        lines.append(f"TEL;TYPE=WORK,VOICE:{escape(str(row['phone']))}")
    if row.get("email"):
        lines.append(f"EMAIL;TYPE=INTERNET,WORK:{escape(str(row['email']))}")
    if row.get("address"):
        # The address is free text: the street part of ADR and the printable LABEL.
        lines.append(f"ADR;TYPE=WORK:;;{escape(str(row['address']))};;;;")
    if row.get("website"):
        lines.append(f"URL:{escape(str(row['website']))}")
    if row.get("contact_notes"):
        lines.append(f"NOTE:{escape(str(row['contact_notes']))}")
    updated = row.get("updated_at")
    if isinstance(updated, datetime):
        lines.append(f"REV:{updated.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}")
    lines.append("END:VCARD")
    return lines


def to_vcards(rows: Iterable[Mapping[str, Any]]) -> str:
    """Every contact as one vCard, one after the other (a .vcf file)."""
    return "".join(fold(line) + "\r\n" for row in rows for line in _card(row))


# -- reading: the inverse of `fold` and `escape`, for `.vcf` imports ------------------------------


def unfold(text: str) -> list[str]:
    """The content lines of a vCard text: folded lines joined (a continuation starts with a
    space or a tab), line ends of any kind, blank lines dropped."""
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] += raw[1:]
        elif raw.strip():
            lines.append(raw)
    return lines


def split_escaped(value: str, separator: str) -> list[str]:
    """A structured value's parts (ADR, N, ORG: ';'), or a list's (',') split where the
    separator is not escaped, each part unescaped."""
    parts: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(value):
        char = value[index]
        if char == "\\" and index + 1 < len(value):
            current.append(value[index:index + 2])
            index += 2
            continue
        if char == separator:
            parts.append(unescape("".join(current)))
            current = []
        else:
            current.append(char)
        index += 1
    parts.append(unescape("".join(current)))
    return parts


def unescape(value: str) -> str:
    """A property value as typed: `escape` undone ("\\n" a line break, "\\," a comma)."""
    out: list[str] = []
    index = 0
    while index < len(value):
        char = value[index]
        if char == "\\" and index + 1 < len(value):
            following = value[index + 1]
            out.append("\n" if following in "nN" else following)
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


def parse_vcards(text: str) -> list[list[tuple[str, dict[str, list[str]], str]]]:
    """Each card of a .vcf text as its properties: (NAME, {PARAM: values}, raw value).

    Names and parameter names in upper case; a group prefix ("item1.TEL") dropped; a bare
    parameter ("TEL;CELL:", vCard 2.1) is a TYPE. Lines outside BEGIN/END are ignored.
    """
    cards: list[list[tuple[str, dict[str, list[str]], str]]] = []
    current: list[tuple[str, dict[str, list[str]], str]] | None = None
    for line in unfold(text):
        head, colon, value = line.partition(":")
        if not colon:
            continue
        name, *params = head.split(";")
        name = name.rsplit(".", 1)[-1].strip().upper()
        if name == "BEGIN" and value.strip().upper() == "VCARD":
            current = []
            continue
        if name == "END" and value.strip().upper() == "VCARD":
            if current is not None:
                cards.append(current)
            current = None
            continue
        if current is None:
            continue
        found: dict[str, list[str]] = {}
        for param in params:
            key, eq, values = param.partition("=")
            if not eq:
                key, values = "TYPE", key
            found.setdefault(key.strip().upper(), []).extend(
                v.strip().strip('"').upper() for v in values.split(","))
        current.append((name, found, value))
    return cards
