"""Spreadsheet imports from files that are not CSV: Excel workbooks (.xlsx) and vCards (.vcf).

Each is read into the same `CsvTable` a CSV file gives, so the mapping, the checks, the
matching and the row notes are the same. A workbook's first sheet is read row by row with
openpyxl in read-only mode (it streams: 100,000 rows never sit in memory as a workbook); its
line numbers are the sheet's row numbers. A vCard file becomes one row per card, under the
import's own field keys as headers (`services.vcard` parses it, the export's rules undone).
"""

from __future__ import annotations

import io
import quopri
from datetime import date, datetime, time
from typing import Any

from salesdev_tui.domain.csv_sniff import CsvTable, ReadProblem, decode, guess_encoding
from salesdev_tui.domain.vcard import parse_vcards, split_escaped, unescape
from salesdev_tui.i18n import _

__all__ = ["VCARD_HEADERS", "is_vcard", "is_xlsx", "read_vcf", "read_xlsx"]

#: The columns a .vcf file is read into (the import's field keys).
VCARD_HEADERS = ["company", "contact", "role", "phone", "mobile", "email", "address", "city",
                 "state", "postal_code", "country", "website", "contact_notes"]


def is_xlsx(name: str, data: bytes) -> bool:
    """An Excel workbook: by its name, or a ZIP file that holds a workbook part."""
    if name.lower().endswith((".xlsx", ".xlsm")):
        return True
    return data[:4] == b"PK\x03\x04" and b"xl/" in data[:4096]


def is_vcard(name: str, data: bytes) -> bool:
    if name.lower().endswith((".vcf", ".vcard")):
        return True
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:11].upper() == b"BEGIN:VCARD"


def _cell(value: Any) -> str:
    """A workbook cell as the text the CSV import reads (a whole number without ".0")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def read_xlsx(data: bytes) -> CsvTable:
    """The first sheet of a workbook as a table (raises ReadProblem)."""
    try:
        return _read_xlsx(data)
    except ReadProblem:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged workbook fails in many ways inside
        # openpyxl (zip, XML, its own exceptions): each is "cannot be read", never a traceback.
        raise ReadProblem(_("it is not an Excel workbook that can be read ({why})").format(
            why=exc.__class__.__name__)) from None


def _read_xlsx(data: bytes) -> CsvTable:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        if not book.worksheets:
            raise ReadProblem(_("the workbook has no sheet"))
        sheet = book.worksheets[0]
        headers: list[str] | None = None
        rows: list[tuple[int, list[str]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell(value) for value in values]
            if not any(cell.strip() for cell in cells):
                continue
            if headers is None:
                headers = [cell.strip() for cell in cells]
            else:
                rows.append((number, cells))
    finally:
        book.close()
    if headers is None:
        raise ReadProblem(_("the file is empty"))
    while headers and not headers[-1]:
        headers.pop()  # the sheet's used range may run past the last titled column
    return CsvTable(headers=headers, rows=rows, encoding="utf-8-sig", delimiter=",",
                    encoding_given=True, kind="xlsx")


def _text(value: str, params: dict[str, list[str]]) -> str:
    if "QUOTED-PRINTABLE" in params.get("ENCODING", []):
        # vCard 2.1 (old phones): "=E7=8E=8B" in the card's charset.
        charset = (params.get("CHARSET") or ["UTF-8"])[0]
        try:
            return quopri.decodestring(value.encode("ascii", "replace")).decode(charset, "replace")
        except LookupError:
            return value
    return value


def _card_row(card: list[tuple[str, dict[str, list[str]], str]]) -> list[str]:
    row = dict.fromkeys(VCARD_HEADERS, "")
    phones: list[str] = []
    mobiles: list[str] = []
    emails: list[str] = []
    for name, params, raw in card:
        value = _text(raw, params)
        kinds = set(params.get("TYPE", []))
        if name == "FN":
            row["contact"] = unescape(value).strip()
        elif name == "N" and not row["contact"]:
            family, given, *_rest = [*split_escaped(value, ";"), "", ""]
            joined = f"{given} {family}" if (given + family).isascii() else f"{family}{given}"
            row["contact"] = joined.strip()
        elif name == "ORG":
            row["company"] = split_escaped(value, ";")[0].strip()
        elif name == "TITLE":
            row["role"] = unescape(value).strip()
        elif name == "TEL":
            (mobiles if kinds & {"CELL", "MOBILE"} else phones).append(unescape(value).strip())
        elif name == "EMAIL":
            emails.append(unescape(value).strip())
        elif name == "ADR" and not row["address"]:
            parts = [*split_escaped(value, ";"), "", "", "", "", "", "", ""]
            _box, extended, street, city, region, postal, country = parts[:7]
            row["address"] = " ".join(p for p in (street, extended) if p.strip())
            row.update(city=city, state=region, postal_code=postal, country=country)
        elif name == "URL" and not row["website"]:
            row["website"] = unescape(value).strip()
        elif name == "NOTE":
            row["contact_notes"] = unescape(value)
    # Several values: one cell, split again by the import (the first is the one kept).
    row.update(phone=", ".join(p for p in phones if p), mobile=", ".join(m for m in mobiles if m),
               email=", ".join(e for e in emails if e))
    return [row[key] for key in VCARD_HEADERS]


def read_vcf(data: bytes, encoding: str | None = None) -> CsvTable:
    """A .vcf file's cards as rows (raises ReadProblem)."""
    guess = None if encoding else guess_encoding(data)
    text = decode(data, encoding or (guess.encoding if guess else "utf-8"))
    cards = parse_vcards(text)
    if not cards:
        raise ReadProblem(_("the file holds no vCard (BEGIN:VCARD … END:VCARD)"))
    return CsvTable(headers=list(VCARD_HEADERS),
                    rows=[(number, _card_row(card)) for number, card in enumerate(cards, 1)],
                    encoding=encoding or (guess.encoding if guess else "utf-8"), delimiter=",",
                    confidence=guess.confidence if guess else 1.0,
                    encoding_given=encoding is not None, kind="vcf")
