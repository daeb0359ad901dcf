"""`salesdev paths | export | import | demo`: where data lives, and data in and out."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from salesdev_tui.cli.app import Exit, cli, fail, guard_storage, state
from salesdev_tui.domain.visible import json_visible, visible
from salesdev_tui.i18n import _

if TYPE_CHECKING:
    from salesdev_tui.cli.spreadsheet import SpreadsheetArgs


@cli.command()
def paths(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
) -> None:
    """Show where the database, config and backups live."""
    from salesdev_tui.paths import backup_dir

    st = state(ctx)
    db = st.resolved_db_path()
    info = {
        "database": str(db),
        "config": str(st.resolved_config_path()),
        "backups": str(backup_dir(db)),
    }
    if as_json:
        typer.echo(json_visible(json.dumps(info, indent=2)))
        return
    for key, value in info.items():
        typer.echo(visible(f"{key:9} {value}"))


@cli.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option(
        "--format", help=_("json (every record), csv (for spreadsheets) or vcard (contacts)."))
    ] = "json",
    what: Annotated[str | None, typer.Option(
        "--what", help=_("For csv: customers, contacts or plans."), show_default=False)
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help=_("Write to this file (0600) instead of stdout; - for "
                                         "stdout."))
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help=_("Overwrite the --out file if it exists."))
    ] = False,
) -> None:
    """Export every record (JSON, docs/EXCHANGE.md), or customers, contacts or plans as CSV,
    or contacts as vCard."""
    from datetime import UTC, datetime

    from salesdev_tui.domain.exchange import dump_document

    if fmt.lower() != "json":
        from salesdev_tui.cli.transfer import export_other

        export_other(ctx, fmt.lower(), what, out, replace=replace)
        return
    if what is not None:
        fail(_("--what: the JSON export holds every record; use --format csv for one kind."),
             Exit.INVALID)
    from salesdev_tui.cli.output import busy, is_dash, refuse_existing, write_output
    from salesdev_tui.paths import expand

    if out is not None and not is_dash(out):
        refuse_existing(expand(out), replace)  # before the work, not after it
    store = state(ctx).open_store()
    try:
        with busy(_("Exporting")):
            records = guard_storage(store.exchange.export_records)
            text = dump_document(records, exported_at=datetime.now(UTC))
    finally:
        store.db.close()
    # The same JSON on a terminal, with no control character it would obey.
    written = write_output(out, text + "\n", replace=replace, shown=json_visible)
    if written is not None:
        typer.echo(visible(_("Exported to {path}.").format(path=written)), err=True)


@cli.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(
        metavar="FILE", help=_("A salesdev JSON export, or a CSV file (.csv, .tsv, .txt); - "
                               "reads stdin."))],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=_("Check and count, write nothing."))
    ] = False,
    encoding: Annotated[str | None, typer.Option(
        help=_("CSV: the file's encoding (utf-8, cp950 for Big5, gb18030, …); default: "
               "detected."), show_default=False)] = None,
    delimiter: Annotated[str | None, typer.Option(
        help=_("CSV: comma, semicolon, tab or one character; default: detected."),
        show_default=False)] = None,
    maps: Annotated[list[str] | None, typer.Option(
        "--map", help=_("CSV: read a column as a field, 'Firma=company' ('Notes=-' skips "
                        "it); repeat for more."), show_default=False)] = None,
    mapping: Annotated[str | None, typer.Option(
        help=_("CSV: apply a saved column mapping."), show_default=False)] = None,
    save_mapping: Annotated[str | None, typer.Option(
        help=_("CSV: save this file's column mapping under a name."), show_default=False)
    ] = None,
    on_match: Annotated[str | None, typer.Option(
        help=_("CSV: a row matching a stored customer (same e-mail, phone or name): update, "
               "skip or create (default: skip)."), show_default=False)] = None,
    skip_bad_rows: Annotated[bool, typer.Option(
        "--skip-bad-rows", help=_("CSV: import the good rows; write the bad ones to a "
                                  "reject file."))] = False,
    rejects: Annotated[Path | None, typer.Option(
        help=_("CSV: where --skip-bad-rows writes the bad rows (default: beside FILE)."),
        show_default=False)] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help=_("Overwrite the --rejects file if it exists."))
    ] = False,
) -> None:
    """Import a salesdev JSON export (all or nothing, upserted by id), or a CSV of leads,
    customers, contacts or contact plans (matched to stored customers, see --on-match)."""
    from salesdev_tui.cli.spreadsheet import SpreadsheetArgs

    sheet = SpreadsheetArgs(encoding, delimiter, tuple(maps or ()), mapping, save_mapping,
                            on_match, skip_bad_rows, rejects, dry_run)
    if on_match is not None and on_match not in ("update", "skip", "create"):
        fail(_("--on-match: choose update, skip or create."), Exit.USAGE)
    from salesdev_tui.cli.output import is_dash, refuse_existing, stdin_as_file
    from salesdev_tui.paths import expand

    if rejects is not None:
        refuse_existing(expand(rejects), replace)
    if not is_dash(file):
        _import_file(ctx, expand(file), sheet, dry_run)
        return
    if skip_bad_rows and rejects is None:
        # "Beside FILE" would be a temporary folder, removed when the import ends.
        fail(_("FILE -: give --rejects FILE for the bad rows of stdin."), Exit.USAGE)
    with stdin_as_file() as saved:
        _import_file(ctx, saved, sheet, dry_run)


def _import_file(ctx: typer.Context, file: Path, sheet: SpreadsheetArgs, dry_run: bool) -> None:
    from salesdev_tui.cli.output import busy
    from salesdev_tui.cli.spreadsheet import import_spreadsheet
    from salesdev_tui.domain.exchange import ExchangeError, parse_document
    from salesdev_tui.usecases.data_transfer import is_csv_file
    from salesdev_tui.usecases.import_file import InputTooLarge, read_import_file

    try:
        data = read_import_file(file)
        spreadsheet = is_csv_file(file, data)
        # Decoded as read_text() would (newlines included): the JSON import is unchanged.
        text = "" if spreadsheet else io.TextIOWrapper(io.BytesIO(data), "utf-8-sig").read()
    except InputTooLarge as exc:
        fail(_("Cannot read {why}").format(why=exc), Exit.INVALID)
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        fail(_("Cannot read {path}: {why}").format(path=file, why=why), Exit.INVALID)
    if spreadsheet:
        import_spreadsheet(ctx, file, sheet)
        return
    if sheet.given():
        fail(_("{path} is a JSON export; the CSV options do not apply to it.").format(
            path=file), Exit.USAGE)
    try:
        records = parse_document(text)
    except ExchangeError as exc:
        for problem in exc.problems[:50]:
            typer.echo(visible(problem), err=True)
        if len(exc.problems) > 50:
            typer.echo(
                visible(_("… and {n} more problems.").format(n=len(exc.problems) - 50)), err=True
            )
        fail(
            _("{n} problems; nothing was imported.").format(n=len(exc.problems)),
            Exit.INVALID,
        )
    store = state(ctx).open_store()
    try:
        try:
            with busy(_("Importing")):
                summary = guard_storage(lambda: store.exchange.import_records(records,
                                                                     dry_run=dry_run))
        except ExchangeError as exc:
            for problem in exc.problems[:50]:
                typer.echo(visible(problem), err=True)
            fail(
                _("{n} problems; nothing was imported.").format(n=len(exc.problems)),
                Exit.INVALID,
            )
    finally:
        store.db.close()
    verb = _("Would import") if dry_run else _("Imported")
    typer.echo(
        visible(_("{verb}: {created} new, {updated} updated, {unchanged} unchanged.").format(
            verb=verb,
            created=summary.created,
            updated=summary.updated,
            unchanged=summary.unchanged,
        ))
    )


#: From this many customers the generator runs in a second process while SQLite writes
#: (starting that process costs about a second: not worth it for a small demo).
_BACKGROUND_FROM = 5_000


@cli.command()
def demo(
    ctx: typer.Context,
    customers: Annotated[int, typer.Option(min=1, max=10_000_000,
                                           help=_("How many customers."))] = 120,
    seed: Annotated[int, typer.Option(help=_("Random seed (same seed, same data)."))] = 7,
    years: Annotated[
        int, typer.Option(min=1, max=20, help=_("Years of history the customers spread over."))
    ] = 1,
    pace: Annotated[
        int | None,
        typer.Option(min=1, max=100_000,
                     help=_("About this many open contact plans a day (one rep's pace "
                            "in a big book); default: as the customers' count gives."),
                     show_default=False),
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option("--db", help=_("Database file to fill (default: the global --db)."),
                     show_default=False),
    ] = None,
) -> None:
    """Fill an EMPTY database with realistic activity (refuses a non-empty one).

    Any size: 100,000 customers with a million contact plans take two to three minutes
    on two cores (rows are generated and written in chunks, so memory stays flat).
    """
    from datetime import UTC, datetime

    from salesdev_tui.store.bulk_load import DemoSpec, LoadCounts, bulk_load, demo_chunks

    st = state(ctx)
    if db is not None:
        st.db_path = db
    store = st.open_store()
    try:
        if not guard_storage(store.is_empty):
            fail(
                _("{path} already holds customers; demo data goes into an empty database "
                  "only. Use --db NEW_FILE.").format(path=store.db.path),
                Exit.INVALID,
            )
        spec = DemoSpec(
            customers=customers, seed=seed, now=datetime.now(UTC), zone=st.settings().zone,
            years=years, pace=pace,
        )  # fmt: skip
        chunks = demo_chunks(spec, background=customers >= _BACKGROUND_FROM)
        from salesdev_tui.cli.output import progress

        try:
            with progress() as update:
                update(_("Customers"), 0, customers)

                def step(counts: LoadCounts) -> None:
                    done = counts.rows.get("customers", 0)
                    if done < customers:
                        update(_("Customers"), done, customers)
                    else:  # the rows are in; the indexes and numbers follow, uncounted
                        update(_("Indexes and search index"), done, None)

                loaded = guard_storage(lambda: bulk_load(store.db, chunks, progress=step))
        except RuntimeError as exc:  # the generator's process failed
            fail(_("{problem}\n{path} holds part of a demo now: delete it.").format(
                problem=exc, path=store.db.path), Exit.STORAGE)
    finally:
        store.db.close()
    typer.echo(
        visible(_("Demo data written to {path}: {summary}.").format(
            path=store.db.path,
            summary=", ".join(f"{n} {k}" for k, n in loaded.rows.items() if n),
        ))
    )
    typer.echo(
        visible(_("Seconds: {phases}.").format(
            phases=", ".join(f"{name} {sec:.1f}" for name, sec in loaded.seconds.items())
        ))
    )
