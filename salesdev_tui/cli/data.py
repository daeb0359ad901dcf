"""`salesdev paths | export | import | demo`: where data lives, and data in and out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from salesdev_tui.cli.app import Exit, cli, fail, guard_storage, state
from salesdev_tui.i18n import _


@cli.command()
def paths(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
) -> None:
    """Show where the database, config and backups live."""
    from salesdev_tui.paths import backup_dir, config_path

    st = state(ctx)
    db = st.resolved_db_path()
    info = {
        "database": str(db),
        "config": str((st.config_path or config_path()).expanduser()),
        "backups": str(backup_dir(db)),
    }
    if as_json:
        typer.echo(json.dumps(info, indent=2))
        return
    for key, value in info.items():
        typer.echo(f"{key:9} {value}")


@cli.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help=_("Only json for now."))] = "json",
    out: Annotated[
        Path | None, typer.Option(help=_("Write to this file (0600) instead of stdout."))
    ] = None,
) -> None:
    """Export every record in the salesdev exchange format (docs/EXCHANGE.md)."""
    from datetime import UTC, datetime

    from salesdev_tui.services.exchange import dump_document

    if fmt.lower() != "json":
        fail(_("--format: only 'json' is supported."), Exit.INVALID)
    store = state(ctx).open_store()
    try:
        records = guard_storage(store.export_records)
    finally:
        store.db.close()
    text = dump_document(records, exported_at=datetime.now(UTC))
    if out is None:
        typer.echo(text)
        return
    from salesdev_tui.db.backup import create_private_file

    out = out.expanduser()
    try:
        if not out.exists():
            create_private_file(out)
        out.write_text(text, encoding="utf-8")
        out.chmod(0o600)
    except OSError as exc:
        fail(_("Cannot write {path}: {why}").format(path=out, why=exc.strerror), Exit.STORAGE)
    typer.echo(_("Exported to {path}.").format(path=out), err=True)


@cli.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help=_("A salesdev JSON export."))],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=_("Check and count, write nothing."))
    ] = False,
) -> None:
    """Import a salesdev JSON export: all or nothing, records upserted by id."""
    from salesdev_tui.services.exchange import ExchangeError, parse_document

    try:
        text = file.expanduser().read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        fail(_("Cannot read {path}: {why}").format(path=file, why=exc), Exit.INVALID)
    try:
        records = parse_document(text)
    except ExchangeError as exc:
        for problem in exc.problems[:50]:
            typer.echo(str(problem), err=True)
        if len(exc.problems) > 50:
            typer.echo(
                _("… and {n} more problems.").format(n=len(exc.problems) - 50), err=True
            )
        fail(
            _("{n} problems; nothing was imported.").format(n=len(exc.problems)),
            Exit.INVALID,
        )
    store = state(ctx).open_store()
    try:
        try:
            summary = guard_storage(lambda: store.import_records(records, dry_run=dry_run))
        except ExchangeError as exc:
            for problem in exc.problems[:50]:
                typer.echo(str(problem), err=True)
            fail(
                _("{n} problems; nothing was imported.").format(n=len(exc.problems)),
                Exit.INVALID,
            )
    finally:
        store.db.close()
    verb = _("Would import") if dry_run else _("Imported")
    typer.echo(
        _("{verb}: {created} new, {updated} updated, {unchanged} unchanged.").format(
            verb=verb,
            created=summary.created,
            updated=summary.updated,
            unchanged=summary.unchanged,
        )
    )


@cli.command()
def demo(
    ctx: typer.Context,
    customers: Annotated[int, typer.Option(min=1, help=_("How many customers."))] = 120,
    seed: Annotated[int, typer.Option(help=_("Random seed (same seed, same data)."))] = 7,
) -> None:
    """Fill an EMPTY database with a realistic year of activity (refuses a non-empty one)."""
    from datetime import UTC, datetime

    from salesdev_tui.services.demo import generate_demo

    st = state(ctx)
    store = st.open_store()
    try:
        if not guard_storage(store.is_empty):
            fail(
                _("{path} already holds customers; demo data goes into an empty database "
                  "only. Use --db NEW_FILE.").format(path=store.db.path),
                Exit.INVALID,
            )
        settings = st.settings()
        records = generate_demo(
            customers=customers, seed=seed, now=datetime.now(UTC), zone=settings.zone
        )
        counts = guard_storage(lambda: store.bulk_insert(records))
    finally:
        store.db.close()
    typer.echo(
        _("Demo data written to {path}: {summary}.").format(
            path=store.db.path, summary=", ".join(f"{n} {k}" for k, n in counts.items() if n)
        )
    )
