"""Data in and out, the one path `salesdev import/export` and the TUI's screens share.

Spreadsheet imports (read, map, check, match and write, the reject file), exports to CSV,
vCard and JSON (files 0600). No textual here; the store is handed in.
"""
# Over 400 lines on purpose: import and export of JSON and CSV with one summary and one notes
# file: the two halves of a round trip read best side by side.

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from salesdev_tui.atomic_file import write_atomic_parts
from salesdev_tui.domain.csv_columns import auto_map
from salesdev_tui.domain.csv_import import (
    ImportResult,
    ImportRow,
    OnMatch,
    PartCounts,
    Progress,
    RowNote,
    RowProblem,
    mapping_problems,
    outcome_text,
)
from salesdev_tui.domain.csv_sniff import CsvTable, read_table
from salesdev_tui.domain.csv_values import guard_formula, unguard_formula
from salesdev_tui.i18n import _, joined
from salesdev_tui.usecases.csv_check_pool import check_chunks
from salesdev_tui.usecases.private_files import write_private

if TYPE_CHECKING:
    from salesdev_tui.store.combined import Store

__all__ = [
    "CSV_SUFFIXES",
    "CsvImportOutcome",
    "CsvOptions",
    "MappingRefused",
    "export_text",
    "import_csv_file",
    "is_csv_file",
    "account_for_bad_rows",
    "encoding_text",
    "outcome_lines",
    "preview_lines",
    "preview_csv",
    "read_any_table",
    "write_export",
]

#: Files read as spreadsheets by their name; anything else by its content (an Excel
#: workbook and a vCard file are told by their suffix or their first bytes).
CSV_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})

#: What `export_text` writes: format -> the kinds it can hold.
EXPORT_FORMATS: dict[str, tuple[str, ...]] = {
    "csv": ("customers", "contacts", "plans"),
    "vcard": ("contacts",),
    "json": ("all",),
}


class MappingRefused(ValueError):
    """The columns cannot be imported as mapped; `problems` says why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(joined(problems))
        self.problems = problems


@dataclass(frozen=True)
class CsvOptions:
    """How to read and import a spreadsheet (None: detect)."""

    encoding: str | None = None
    delimiter: str | None = None
    #: Header -> field key, or None to leave a column out (the rep's changes to the guess).
    overrides: Mapping[str, str | None] = field(default_factory=dict)
    on_match: OnMatch = OnMatch.SKIP
    dry_run: bool = False
    skip_bad_rows: bool = False
    #: Where rejected rows go (with --skip-bad-rows); None: beside the file.
    rejects: Path | None = None
    #: A row sharing a phone or e-mail with a company of another name joins it (the rep said
    #: so in the wizard); by default it stays a customer of its own and is reported.
    merge_shared: bool = False
    #: Where the row-by-row notes go (every real import writes them); None: beside the file.
    notes: Path | None = None


@dataclass
class CsvImportOutcome:
    """What an import read, did (or would do), and refused."""

    table: CsvTable
    fields: list[str | None]
    result: ImportResult
    #: Every bad row's problems, by line: the checks' and the database's.
    problems: list[RowProblem]
    rejects_path: Path | None = None
    #: Why the reject file could not be written (the import itself was), or None.
    rejects_error: str | None = None
    #: The file saying what became of every row (a real import), or why it was not written.
    notes_path: Path | None = None
    notes_error: str | None = None

    @property
    def bad_lines(self) -> list[int]:
        return sorted({problem.line for problem in self.problems})


def is_csv_file(path: Path, data: bytes) -> bool:
    """True for a spreadsheet: by its suffix, else unless its content is a JSON object."""
    if path.suffix.lower() in CSV_SUFFIXES:
        return True
    if path.suffix.lower() == ".json":
        return False
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return not head.startswith(b"{")


def read_any_table(data: bytes, options: CsvOptions, name: str = "") -> CsvTable:
    """A CSV file, an Excel workbook or a vCard file read as a table (raises ReadProblem)."""
    from salesdev_tui.domain.csv_formats import is_vcard, is_xlsx, read_vcf, read_xlsx

    if is_xlsx(name, data):
        return read_xlsx(data)
    if is_vcard(name, data):
        return read_vcf(data, options.encoding)
    return read_table(data, encoding=options.encoding, delimiter=options.delimiter)


def preview_csv(data: bytes, options: CsvOptions,
                name: str = "") -> tuple[CsvTable, list[str | None]]:
    """The file read as a table, and the field each column would fill (raises ReadProblem).

    `name` (the file's) tells a workbook or a vCard file by its suffix."""
    table = read_any_table(data, options, name)
    return table, auto_map(table.headers, options.overrides,
                           sample=[cells for _line, cells in table.rows[:_SAMPLE_ROWS]])


#: Rows looked at to tell another CRM's ids from salesdev's.
_SAMPLE_ROWS = 50


def import_csv_file(
    store: Store,
    path: Path,
    options: CsvOptions,
    *,
    region: str,
    zone: ZoneInfo,
    progress: Progress | None = None,
) -> CsvImportOutcome:
    """Read, check, match and (unless a dry run or refused) write a spreadsheet.

    All or nothing unless `options.skip_bad_rows`: then the good rows are written and the bad
    ones go to a reject file (the same format, plus a reason column; 0600). Raises OSError
    (the file), ReadProblem (encoding, quotes), MappingRefused, StorageError.
    """
    from salesdev_tui.usecases.import_file import read_import_file

    data = read_import_file(path)  # OSError, InputTooLarge
    table, fields = preview_csv(data, options, path.name)
    del data  # the table holds it (a CSV file), or what was read from it (a workbook)
    refused = mapping_problems(fields)
    if refused:
        raise MappingRefused(refused)
    # Streamed (issue 17.6): the rows are read from the file's bytes, checked (on other
    # cores for a large file) and matched and written chunk after chunk, in one transaction.
    bad: list[RowProblem] = []

    def checked_chunks() -> Iterator[list[ImportRow]]:
        for good, chunk_bad in check_chunks(table.headers, fields, table.rows, len(table.rows),
                                            region=region, zone=zone):
            bad.extend(chunk_bad)
            yield good

    result = store.csv_import.import_csv_chunks(
        checked_chunks(), total=len(table.rows), on_match=options.on_match,
        dry_run=options.dry_run, skip_bad_rows=options.skip_bad_rows, source=path.name,
        progress=progress, merge_shared=options.merge_shared,
        # All or nothing: a bad row in the file holds the import, as a dry run.
        refused=lambda: bool(bad) and not options.skip_bad_rows,
    )
    problems = sorted(bad + result.problems, key=lambda p: p.line)
    account_for_bad_rows(result, bad)
    outcome = CsvImportOutcome(table, fields, result, problems)
    if not result.rolled_back:
        target = options.notes or _beside(path, "import-notes")
        try:
            write_notes(target, table, result)
            outcome.notes_path = target
        except OSError as exc:
            outcome.notes_error = _("Cannot write {path}: {why}").format(
                path=target, why=exc.strerror or exc)
    if problems and options.skip_bad_rows and not options.dry_run:
        target = options.rejects or _rejects_path(path)
        try:
            write_rejects(target, table, problems)
            outcome.rejects_path = target
        except OSError as exc:
            outcome.rejects_error = _("Cannot write {path}: {why}").format(
                path=target, why=exc.strerror or exc)
    return outcome


def encoding_text(table: CsvTable) -> str:
    """How the file was read, with how sure the encoding is ("a guess: check the preview")."""
    from salesdev_tui.domain.csv_sniff import CERTAIN, ENCODINGS

    name = ENCODINGS.get(table.encoding, table.encoding)
    if table.kind == "xlsx":
        return _("an Excel workbook (its first sheet)")
    if table.kind == "vcf":
        name = _("vCards in {encoding}").format(encoding=name)
    if table.encoding_given:
        return _("{encoding} (as given)").format(encoding=name)
    if table.confidence >= CERTAIN:
        return _("{encoding} (confidence {percent}%)").format(
            encoding=name, percent=round(table.confidence * 100))
    return _("{encoding} (a guess, confidence {percent}%: check the rows below, and give "
             "another with --encoding if they look wrong)").format(
        encoding=name, percent=round(table.confidence * 100))


#: Rows the preview shows as they will be stored.
PREVIEW_ROWS = 3


def preview_lines(table: CsvTable, fields: list[str | None], *, region: str, zone: ZoneInfo,
                  rows: int = PREVIEW_ROWS) -> list[str]:
    """The first rows as they will be stored (company, contact: every field the row gives),
    or why a row cannot be."""
    from salesdev_tui.domain.csv_rows import parse_rows

    good, bad = parse_rows(table.headers, fields, table.rows[:rows], region=region, zone=zone)
    by_line: dict[int, str] = {}
    for row in good:
        parts = [f"{key}={value}" for key, value in row.customer.items() if key != "name_key"]
        if "name" in row.customer:
            parts[0] = _("company {name}").format(name=row.customer["name"])
        if row.contact:
            parts.append(_("contact {name}").format(name=row.contact["name"]) + "".join(
                f", {key}={value}" for key, value in row.contact.items()
                if key not in ("name", "phone_normalized", "mobile_normalized")))
        by_line[row.line] = joined(str(part) for part in parts)
    for problem in bad:
        by_line.setdefault(problem.line, _("rejected: {why}").format(why=problem))
    return [_("  line {line}: {row}").format(line=line, row=text)
            for line, text in sorted(by_line.items())]


def outcome_lines(outcome: CsvImportOutcome, *, limit: int | None = None) -> list[str]:
    """What an import did (or would do), then its bad rows (at most `limit`), in words."""
    result = outcome.result
    lines = [_("Imported:") if not result.rolled_back else _("Would import:")]
    for part, counts in result.parts().items():
        if part == "plans" and counts == PartCounts():
            continue
        lines.append(_("  {part}: {created} new, {updated} updated, {unchanged} unchanged, "
                       "{skipped} skipped").format(part=_(part), created=counts.created,
                                                   updated=counts.updated,
                                                   unchanged=counts.unchanged,
                                                   skipped=counts.skipped))
    rows = result.rows
    lines.append(_("  rows: {total} read: {new} new, {merged} merged into a customer of an "
                   "earlier row, {attached} attached to a stored customer, {updated} updated, "
                   "{unchanged} unchanged, {skipped} skipped, {failed} failed").format(
        total=rows.total, new=rows.new, merged=rows.merged, attached=rows.attached,
        updated=rows.updated, unchanged=rows.unchanged, skipped=rows.skipped,
        failed=rows.failed))
    shared = result.shared
    if shared:
        lines.append(_("  kept apart although they share a phone or e-mail with another "
                       "company: {n}").format(n=len(shared)))
        lines.extend("  " + str(note) for note in (shared if limit is None else shared[:limit]))
    if outcome.notes_path is not None:
        lines.append(_("  what became of each row: {path}").format(path=outcome.notes_path))
    elif outcome.notes_error is not None:
        lines.append("  " + outcome.notes_error)
    notes = result.stage_notes
    if notes:
        lines.append(_("  stages lowered to what the file can prove: {n}").format(n=len(notes)))
        lines.extend("  " + str(note) for note in (notes if limit is None else notes[:limit]))
    shown = outcome.problems if limit is None else outcome.problems[:limit]
    lines.extend(str(problem) for problem in shown)
    if len(shown) < len(outcome.problems):
        lines.append(_("… and {n} more problems.").format(n=len(outcome.problems) - len(shown)))
    return lines


def account_for_bad_rows(result: ImportResult, bad: list[RowProblem]) -> None:
    """Add the rows the checks refused to the result's counts and notes (in line order)."""
    reasons: dict[int, list[str]] = {}
    for problem in bad:
        reasons.setdefault(problem.line, []).append(
            problem.message if problem.column is None
            else f'"{problem.column}": {problem.message}')
    result.rows.failed += len(reasons)
    result.notes.extend(RowNote(line, "failed", _("rejected because {problem}").format(
        problem=joined(texts))) for line, texts in reasons.items())
    result.notes.sort(key=lambda note: note.line)


def _beside(source: Path, kind: str) -> Path:
    """A new file beside `source`: leads.rejects.csv, leads.rejects-2.csv, …"""
    source = source.expanduser()
    suffix = ".csv" if source.suffix.lower() not in CSV_SUFFIXES else source.suffix
    for n in range(1, 1000):
        name = f"{source.stem}.{kind}{'' if n == 1 else f'-{n}'}{suffix}"
        candidate = source.with_name(name)
        if not candidate.exists():
            return candidate
    return source.with_name(f"{source.stem}.{kind}{suffix}")


def _rejects_path(source: Path) -> Path:
    return _beside(source, "rejects")


def write_notes(target: Path, table: CsvTable, result: ImportResult) -> None:
    """What became of every row: line, outcome, why, then the row as it was (0600, UTF-8
    with a BOM so that Excel reads it)."""
    write_atomic_parts(target, _notes_parts(table, result))


def _notes_parts(table: CsvTable, result: ImportResult) -> Iterator[bytes]:
    """The notes file, a few thousand rows at a time: 100,000 rows' notes are 30 MB of
    text. The rows are walked beside the notes (both in the file's order), read again from
    the file's bytes (issue 17.6)."""
    rows = iter(table.rows)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow([_("line"), _("result"), _("what happened"), *table.headers])
    row: tuple[int, list[str]] | None = next(rows, None)
    for count, note in enumerate(result.notes, start=1):
        while row is not None and row[0] < note.line:
            row = next(rows, None)
        found = row[1] if row is not None and row[0] == note.line else []
        cells = [guard_formula(unguard_formula(cell)) for cell in found]
        writer.writerow([note.line, outcome_text(note.outcome), note.detail, *cells])
        if count % _NOTES_BATCH == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


#: Notes rows encoded and written at a time.
_NOTES_BATCH = 5_000


def write_rejects(target: Path, table: CsvTable, problems: list[RowProblem]) -> None:
    """The bad rows as they were, plus why (same encoding and delimiter), mode 0600."""
    reasons: dict[int, list[str]] = {}
    for problem in problems:
        text = problem.message if problem.column is None else f"{problem.column}: {problem.message}"
        reasons.setdefault(problem.line, []).append(text)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=table.delimiter, lineterminator="\r\n")
    writer.writerow([*table.headers, _("reason")])
    width = len(table.headers)
    for line, cells in table.rows:
        if line in reasons:
            # Opened in a spreadsheet like an export: a formula in a bad row stays text (the
            # import reads the guarded cell back as it read the original one).
            padded = [guard_formula(unguard_formula(cell)) for cell in cells]
            padded += [""] * (width - len(cells))
            writer.writerow([*padded, "; ".join(reasons[line])])
    write_private(target, out.getvalue().encode(table.encoding, errors="replace"))


def export_text(store: Store, fmt: str, what: str, *, zone: ZoneInfo,
                now: datetime, region: str = "TW") -> tuple[str, int]:
    """The export's text and how many records it holds; `region` (the configured phone
    region) reads a vCard's numbers typed without a country code."""
    from salesdev_tui.domain.csv_export import to_csv

    if fmt == "json":
        from salesdev_tui.domain.exchange import dump_document

        records = store.exchange.export_records()
        return dump_document(records, exported_at=now), sum(len(v) for v in records.values())
    reads = {"customers": store.csv_export.customers_for_export,
             "contacts": store.csv_export.contacts_for_export,
             "plans": store.csv_export.plans_for_export}
    rows = reads[what]()
    if fmt == "vcard":
        from salesdev_tui.domain.vcard import to_vcards

        return to_vcards(rows, region), len(rows)
    return to_csv(what, rows, zone=zone), len(rows)


def write_export(store: Store, fmt: str, what: str, path: Path, *, zone: ZoneInfo,
                 now: datetime, region: str = "TW") -> tuple[Path, int]:
    """Write an export to `path` (0600, whole or not at all); CSV with a BOM for Excel."""
    text, count = export_text(store, fmt, what, zone=zone, now=now, region=region)
    if fmt == "csv":
        text = "\ufeff" + text  # Excel reads UTF-8 only with a BOM
    return write_private(path, text.encode("utf-8")), count
