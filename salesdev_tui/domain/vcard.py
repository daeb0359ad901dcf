"""Contacts as vCard 3.0 (RFC 2426), the version Outlook, Google and Apple all import.

Pure: contact rows in (from `store.csv_export.contacts_for_export`), UTF-8 text out (and
`parse_vcards`, the same rules undone, for `.vcf` imports). Values
are escaped (backslash, comma, semicolon, line breaks), lines end in CRLF and are folded at
75 octets without splitting a UTF-8 character.

What an address book needs to file and dial the card (issue 16.8):

- `N` split into family and given names (`split_name`): a Chinese, Japanese or Korean name
  written without spaces is family name first (王大明 -> `N:王;大明;;;`, 歐陽娜娜 ->
  `N:歐陽;娜娜;;;` for the compound surnames), a Western one given name first
  ("Jane Mary Wu" -> `N:Wu;Jane;Mary;;`, "Wu, Jane" -> `N:Wu;Jane;;;`);
- numbers in E.164 (the stored normalised form, else read with the phone region), the
  extension after a pause (",12", which phones dial after connecting);
- `TEL;TYPE=CELL` for the contact's mobile field and for a phone `phonenumbers` says is a
  mobile number; `TYPE=WORK,VOICE` otherwise;
- `ORG` (the company) and `TITLE` (the contact's role).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import phonenumbers

__all__ = ["dial_number", "escape", "fold", "parse_vcards", "split_escaped", "split_name",
           "to_vcards", "unescape", "unfold"]

#: Two-character surnames (複姓), Traditional and Simplified, including Taiwan's
#: double-barrelled family names (張簡, 范姜): the rest of the name is the given name.
_COMPOUND_SURNAMES = frozenset({
    "歐陽", "欧阳", "司馬", "司马", "上官", "諸葛", "诸葛", "東方", "东方", "皇甫", "尉遲",
    "尉迟", "公孫", "公孙", "慕容", "長孫", "长孙", "宇文", "司徒", "夏侯", "軒轅", "轩辕",
    "令狐", "鍾離", "钟离", "端木", "澹臺", "澹台", "西門", "西门", "南宮", "南宫", "申屠",
    "太史", "張簡", "范姜", "張廖", "簡張", "周黃", "江謝",
})

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


def _family_first(char: str) -> bool:
    """A character of a script whose names are written family name first, without spaces."""
    name = unicodedata.name(char, "")
    return name.startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH",
                            "HANGUL SYLLABLE", "HIRAGANA", "KATAKANA"))


def split_name(name: str) -> tuple[str, str, str]:
    """(family, given, additional) names of a contact as typed (see the module docstring).

    A name salesdev cannot split (one Western word, a company's main line named after its
    e-mail) is all family name, which is where address books file a single word.
    """
    text = " ".join(unicodedata.normalize("NFC", name).split())
    if "," in text:
        family, _comma, given = text.partition(",")
        words = given.split()
        return family.strip(), words[0] if words else "", " ".join(words[1:])
    if text and " " not in text and _family_first(text[0]):
        # 王大明; 歐陽娜娜; 김민준. A one- or two-character name is surname + one character.
        cut = 2 if text[:2] in _COMPOUND_SURNAMES and len(text) > 2 else 1
        return text[:cut], text[cut:], ""
    words = text.split(" ")
    if len(words) == 1:
        return text, "", ""
    if all(_family_first(c) for c in "".join(words[:1])) and len(words) == 2:
        return words[0], words[1], ""  # "王 大明": typed with a space, still family first
    return words[-1], words[0], " ".join(words[1:-1])


_EXTENSION = re.compile(r"(?:ext\.?|x|#|分機|轉)\s*([0-9０-９]+)\s*$", re.IGNORECASE)


def dial_number(typed: str, normalized: str | None, region: str) -> tuple[str, bool]:
    """(the number in E.164 with any extension after a pause, whether it is a mobile).

    `normalized` is the stored comparable form (E.164 when phonenumbers could read it);
    without one the typed number is read with `region`. A number phonenumbers cannot read
    is given as typed: a card with the rep's text beats a card without the number.
    """
    try:
        number = phonenumbers.parse(normalized if normalized and normalized.startswith("+")
                                    else typed, region or None)
    except phonenumbers.NumberParseException:
        return typed, False
    if not phonenumbers.is_possible_number(number):
        return typed, False
    e164 = str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    extension = _EXTENSION.search(unicodedata.normalize("NFKC", typed))
    if extension:
        e164 += "," + extension[1]
    mobile = phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
    return e164, mobile


def _card(row: Mapping[str, Any], region: str) -> list[str]:
    name = str(row["contact"])
    family, given, additional = split_name(name)
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"UID:urn:uuid:{row['contact_id']}",
        f"FN:{escape(name)}",
        f"N:{escape(family)};{escape(given)};{escape(additional)};;",
        f"ORG:{escape(str(row['company']))}",
    ]
    if row.get("role"):
        lines.append(f"TITLE:{escape(str(row['role']))}")
    if row.get("phone"):
        number, mobile = dial_number(str(row["phone"]), row.get("phone_normalized"), region)
        kind = "CELL" if mobile else "WORK,VOICE"
        lines.append(f"TEL;TYPE={kind}:{escape(number)}")
    if row.get("mobile"):
        number, _mobile = dial_number(str(row["mobile"]), row.get("mobile_normalized"), region)
        lines.append(f"TEL;TYPE=CELL:{escape(number)}")
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


def to_vcards(rows: Iterable[Mapping[str, Any]], region: str = "TW") -> str:
    """Every contact as one vCard, one after the other (a .vcf file); `region` (the
    configured phone region) reads numbers typed without a country code."""
    return "".join(fold(line) + "\r\n" for row in rows for line in _card(row, region))


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
