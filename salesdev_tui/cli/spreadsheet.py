"""The spreadsheet branch of `salesdev import`: CSV from Excel and other CRMs.

`import_` in cli/data.py dispatches here for a `.csv`/`.tsv`/`.txt` file or CSV content.
Exit codes: 0 imported (or a clean dry run), 3 bad rows / a mapping that cannot work,
5 the database.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from salesdev_tui.cli.app import Exit, fail, guard_storage, state
from salesdev_tui.domain.visible import visible
from salesdev_tui.i18n import _, joined

if TYPE_CHECKING:
    from salesdev_tui.usecases.data_transfer import CsvImportOutcome

_DELIMITER_NAMES = {"comma": ",", "semicolon": ";", "tab": "\t", "\\t": "\t", "bar": "|",
                    "pipe": "|"}


@dataclass(frozen=True)
class SpreadsheetArgs:
    """The import's CSV options as typed."""

    encoding: str | None = None
    delimiter: str | None = None
    maps: tuple[str, ...] = ()
    mapping: str | None = None
    save_mapping: str | None = None
    on_match: str | None = None
    skip_bad_rows: bool = False
    rejects: Path | None = None
    dry_run: bool = False

    def given(self) -> bool:
        """True when any option only a spreadsheet import knows was used."""
        return any((self.encoding, self.delimiter, self.maps, self.mapping, self.save_mapping,
                    self.on_match, self.skip_bad_rows, self.rejects))


def _delimiter(text: str | None) -> str | None:
    if text is None:
        return None
    value = _DELIMITER_NAMES.get(text.lower(), text)
    if len(value) != 1:
        fail(_("--delimiter: one character, or comma, semicolon, tab, bar."), Exit.USAGE)
    return value


def _overrides(maps: tuple[str, ...]) -> dict[str, str | None]:
    from salesdev_tui.domain.csv_columns import BY_KEY

    found: dict[str, str | None] = {}
    for item in maps:
        header, eq, key = item.rpartition("=")
        key = key.strip()
        if not eq or not header.strip():
            fail(_("--map: write HEADER=FIELD, like 'Firma=company', not {item!r}.").format(
                item=item), Exit.USAGE)
        if key and key != "-" and key not in BY_KEY:
            fail(_("--map: {key!r} is not a field; the fields are: {keys}.").format(
                key=key, keys=", ".join(BY_KEY)), Exit.USAGE)
        found[header.strip()] = key if key and key != "-" else None
    return found


@contextmanager
def _progress_bar() -> Iterator[Callable[[str, int, int], None]]:
    """A rich progress bar on a terminal's stderr; nothing when output is captured."""
    if not sys.stderr.isatty():
        yield lambda _step, _done, _total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("", total=None)

        def update(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total)

        yield update


def import_spreadsheet(ctx: typer.Context, path: Path, args: SpreadsheetArgs) -> None:
    """Read, check, match and import a CSV file; print what was (or would be) done."""
    from salesdev_tui.domain.csv_import import CsvImportRefused, OnMatch
    from salesdev_tui.domain.csv_sniff import CERTAIN, EncodingProblem, ReadProblem
    from salesdev_tui.usecases.csv_mappings import (
        MappingError,
        SavedMapping,
        load_mapping,
        mappings_dir,
        save_mapping,
    )
    from salesdev_tui.usecases.data_transfer import (
        CsvOptions,
        MappingRefused,
        encoding_text,
        import_csv_file,
        preview_lines,
    )
    from salesdev_tui.usecases.import_file import InputTooLarge

    st = state(ctx)
    settings = st.settings()
    folder = mappings_dir(st.config_path)
    saved = SavedMapping()
    if args.mapping:
        try:
            saved = load_mapping(folder, args.mapping)
        except MappingError as exc:
            fail(str(exc), Exit.INVALID)
    options = CsvOptions(
        encoding=args.encoding or saved.encoding,
        delimiter=_delimiter(args.delimiter) or saved.delimiter,
        overrides={**saved.columns, **_overrides(args.maps)},
        on_match=OnMatch(args.on_match or OnMatch.SKIP),
        dry_run=args.dry_run,
        skip_bad_rows=args.skip_bad_rows,
        rejects=args.rejects,
    )
    store = st.open_store()
    try:
        with _progress_bar() as progress:
            outcome = guard_storage(lambda: import_csv_file(
                store, path, options, region=settings.phone_region, zone=settings.zone,
                progress=progress))
    except OSError as exc:
        fail(_("Cannot read {path}: {why}").format(path=path, why=exc.strerror or exc),
             Exit.INVALID)
    except InputTooLarge as exc:
        fail(_("Cannot read {why}").format(why=exc), Exit.INVALID)
    except EncodingProblem as exc:
        fail(_("Cannot read {path}: {why}; give its encoding with --encoding (utf-8, cp950 "
               "for Big5, gb18030, cp1252, latin-1, utf-16).").format(path=path, why=exc),
             Exit.INVALID)
    except ReadProblem as exc:
        fail(_("Cannot read {path}: {why}").format(path=path, why=exc), Exit.INVALID)
    except MappingRefused as exc:
        fail(joined(exc.problems), Exit.INVALID)
    except CsvImportRefused as exc:  # the database refused rows the checks let through
        fail(str(exc), Exit.INVALID)
    finally:
        store.db.close()
    table = outcome.table
    typer.echo(visible(_("Read {file}: {encoding}, {delimiter}, {rows} rows.").format(
        file=path.name, encoding=encoding_text(table),
        delimiter=_("delimiter {d!r}").format(d=table.delimiter), rows=len(table.rows))))
    columns = [f"{header} -> {key or '-'}" for header, key in zip(table.headers, outcome.fields,
                                                                    strict=False)]
    # Headers come from the file: shown with their control characters made visible.
    typer.echo(visible(_("Columns: {columns}").format(columns=", ".join(columns))))
    if args.dry_run or table.confidence < CERTAIN:
        # See before you write: the first rows as they will be stored.
        typer.echo(visible(_("The first rows as they will be stored:")))
        for line in preview_lines(table, outcome.fields, region=settings.phone_region,
                                  zone=settings.zone):
            typer.echo(visible(line))
    if args.save_mapping and args.dry_run:  # a dry run writes nothing, a mapping included
        typer.echo(visible(_("The mapping would be saved as {name!r} (not in a dry run).").format(
            name=args.save_mapping)))
    elif args.save_mapping:
        try:
            saved_to = save_mapping(folder, args.save_mapping, SavedMapping(
                dict(zip(table.headers, outcome.fields, strict=False)),
                args.encoding, _delimiter(args.delimiter)))
        except MappingError as exc:
            fail(str(exc), Exit.INVALID)
        typer.echo(visible(_("Mapping saved as {name!r} ({path}).").format(
            name=args.save_mapping, path=saved_to)))
    _report(outcome, args)


def _report(outcome: CsvImportOutcome, args: SpreadsheetArgs) -> None:
    from salesdev_tui.usecases.data_transfer import outcome_lines

    lines = outcome_lines(outcome)
    counted = len(lines) - len(outcome.problems)
    for index, line in enumerate(lines):
        # The counts on stdout; the bad rows on stderr, except in a dry run (its report).
        typer.echo(visible(line), err=index >= counted and not args.dry_run)
    bad = outcome.bad_lines
    if not bad:
        return
    if outcome.rejects_path is not None:
        typer.echo(visible(_("{n} bad rows were left out and written to {path}.").format(
            n=len(bad), path=outcome.rejects_path)))
        return
    if outcome.rejects_error is not None:
        typer.echo(visible(_("{n} bad rows were left out (listed above); the reject file was not "
                     "written: {why}").format(n=len(bad), why=outcome.rejects_error)), err=True)
        return
    if args.dry_run and args.skip_bad_rows:
        typer.echo(visible(_("{n} bad rows would be left out.").format(n=len(bad))))
        return
    if args.dry_run:
        fail(_("{n} bad rows: the import would write nothing (fix them, or use "
               "--skip-bad-rows).").format(n=len(bad)), Exit.INVALID)
    fail(_("{n} bad rows; nothing was imported (fix them, or use --skip-bad-rows).").format(
        n=len(bad)), Exit.INVALID)
