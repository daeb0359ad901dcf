"""Contacts as vCard 3.0 (RFC 2426), the version Outlook, Google and Apple all import.

Pure: contact rows in (from `store.csv_export.contacts_for_export`), UTF-8 text out. Values
are escaped (backslash, comma, semicolon, line breaks), lines end in CRLF and are folded at
75 octets without splitting a UTF-8 character.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

__all__ = ["escape", "fold", "to_vcards"]

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
