"""Data in and out, the one path `salesdev import/export` and the TUI's screens share.

Spreadsheet imports (read, map, check, match and write, the reject file), exports to CSV,
vCard and JSON (files 0600). No textual here; the store is handed in.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from salesdev_tui.i18n import _
from salesdev_tui.services.csv_columns import auto_map
from salesdev_tui.services.csv_import import (
    ImportResult,
    OnMatch,
    PartCounts,
    Progress,
    RowProblem,
    mapping_problems,
)
from salesdev_tui.services.csv_sniff import CsvTable, read_table
from salesdev_tui.services.csv_values import guard_formula, unguard_formula
from salesdev_tui.usecases.csv_check_pool import check_rows
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
    "outcome_lines",
    "preview_csv",
    "write_export",
]

#: Files read as spreadsheets by their name; anything else by its content.
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
        super().__init__("; ".join(problems))
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


def preview_csv(data: bytes, options: CsvOptions) -> tuple[CsvTable, list[str | None]]:
    """The file read as a table, and the field each column would fill (raises ReadProblem)."""
    table = read_table(data, encoding=options.encoding, delimiter=options.delimiter)
    return table, auto_map(table.headers, options.overrides)


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
    table, fields = preview_csv(data, options)
    refused = mapping_problems(fields)
    if refused:
        raise MappingRefused(refused)
    good, bad = check_rows(table.headers, fields, table.rows, region=region, zone=zone,
                           progress=progress)
    hold = bool(bad) and not options.skip_bad_rows
    result = store.csv_import.import_csv_rows(
        good, on_match=options.on_match, dry_run=options.dry_run or hold,
        skip_bad_rows=options.skip_bad_rows, source=path.name, progress=progress,
    )
    problems = sorted(bad + result.problems, key=lambda p: p.line)
    result.rows.failed += len({problem.line for problem in bad})
    outcome = CsvImportOutcome(table, fields, result, problems)
    if problems and options.skip_bad_rows and not options.dry_run:
        target = options.rejects or _rejects_path(path)
        try:
            write_rejects(target, table, problems)
            outcome.rejects_path = target
        except OSError as exc:
            outcome.rejects_error = _("Cannot write {path}: {why}").format(
                path=target, why=exc.strerror or exc)
    return outcome


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
                   "earlier row, {updated} updated, {unchanged} unchanged, {skipped} skipped, "
                   "{failed} failed").format(
        total=rows.total, new=rows.new, merged=rows.merged, updated=rows.updated,
        unchanged=rows.unchanged, skipped=rows.skipped, failed=rows.failed))
    notes = result.stage_notes
    if notes:
        lines.append(_("  stages lowered to what the file can prove: {n}").format(n=len(notes)))
        lines.extend("  " + str(note) for note in (notes if limit is None else notes[:limit]))
    shown = outcome.problems if limit is None else outcome.problems[:limit]
    lines.extend(str(problem) for problem in shown)
    if len(shown) < len(outcome.problems):
        lines.append(_("… and {n} more problems.").format(n=len(outcome.problems) - len(shown)))
    return lines


def _rejects_path(source: Path) -> Path:
    source = source.expanduser()
    for n in range(1, 1000):
        name = f"{source.stem}.rejects{'' if n == 1 else f'-{n}'}{source.suffix or '.csv'}"
        candidate = source.with_name(name)
        if not candidate.exists():
            return candidate
    return source.with_name(f"{source.stem}.rejects{source.suffix or '.csv'}")


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
                now: datetime) -> tuple[str, int]:
    """The export's text and how many records it holds."""
    from salesdev_tui.services.csv_export import to_csv

    if fmt == "json":
        from salesdev_tui.services.exchange import dump_document

        records = store.exchange.export_records()
        return dump_document(records, exported_at=now), sum(len(v) for v in records.values())
    reads = {"customers": store.csv_export.customers_for_export,
             "contacts": store.csv_export.contacts_for_export,
             "plans": store.csv_export.plans_for_export}
    rows = reads[what]()
    if fmt == "vcard":
        from salesdev_tui.services.vcard import to_vcards

        return to_vcards(rows), len(rows)
    return to_csv(what, rows, zone=zone), len(rows)


def write_export(store: Store, fmt: str, what: str, path: Path, *, zone: ZoneInfo,
                 now: datetime) -> tuple[Path, int]:
    """Write an export to `path` (0600, whole or not at all); CSV with a BOM for Excel."""
    text, count = export_text(store, fmt, what, zone=zone, now=now)
    if fmt == "csv":
        text = "\ufeff" + text  # Excel reads UTF-8 only with a BOM
    return write_private(path, text.encode("utf-8")), count
