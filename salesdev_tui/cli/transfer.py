"""`salesdev backup | restore | check`, and the CSV and vCard branches of `export`.

The spreadsheet branch of `import` is in `cli/spreadsheet.py`. Exit codes: 0 done, 3 bad
input, 5 a database file that cannot be used (refused, damaged, failing its check).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from salesdev_tui.cli.app import Exit, cli, fail, guard_storage, say_leftovers, state
from salesdev_tui.cli.passphrase import passphrase_if_needed
from salesdev_tui.domain.visible import visible
from salesdev_tui.i18n import _
from salesdev_tui.paths import expand, file_path_problem

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from salesdev_tui.db.cipher import Secret
    from salesdev_tui.db.restore import DatabaseInfo


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    amount, unit = size / 1024, "KB"
    for bigger in ("MB", "GB"):
        if amount < 1024:
            break
        amount, unit = amount / 1024, bigger
    return f"{amount:.1f} {unit}"


def _describe(info: DatabaseInfo, zone: ZoneInfo) -> list[str]:
    newest = (info.newest_change.astimezone(zone).strftime("%Y-%m-%d %H:%M")
              if info.newest_change else _("never"))
    lines = [_("{path}: salesdev database, schema {version}, {size}; newest change {when}.")
             .format(path=info.path, version=info.schema_version, size=_size(info.size),
                     when=newest)]
    for table, (live, deleted) in info.counts.items():
        if live or deleted:
            extra = _(" ({n} deleted)").format(n=deleted) if deleted else ""
            lines.append(f"  {table:18} {live:>8}{extra}")
    if len(lines) == 1:
        lines.append(_("  (no records)"))
    return lines


@cli.command()
def backup(
    ctx: typer.Context,
    to: Annotated[Path | None, typer.Option(
        "--to", help=_("Write the backup to this new file (default: the backups folder); - "
                       "for stdout."),
        show_default=False)] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help=_("Overwrite the --to file if it exists."))
    ] = False,
) -> None:
    """Back the database up now, consistently even while salesdev is writing (0600)."""
    from salesdev_tui.cli.output import busy, is_dash, refuse_existing
    from salesdev_tui.db.autobackup import manual_backup
    from salesdev_tui.db.guard import FileKind, inspect_file
    from salesdev_tui.db.restore import check_database

    path = state(ctx).resolved_db_path()
    if inspect_file(path).kind is FileKind.MISSING:
        fail(_("There is no database at {path} yet.").format(path=path), Exit.STORAGE)
    key = passphrase_if_needed(path)
    guard_storage(lambda: check_database(path, passphrase=key))  # refuses a foreign file
    if is_dash(to):
        _backup_to_stdout(path, key)
        return
    to = expand(to) if to is not None else None
    if to is not None:
        refuse_existing(to, replace)
    # An existing file is replaced only once the new backup is whole: made beside it first.
    staging = to.with_name(f".{to.name}.new") if to is not None and to.exists() else to
    try:
        with busy(_("Backing up")):
            made = guard_storage(lambda: manual_backup(path, datetime.now(UTC), staging,
                                                       passphrase=key))
        if to is not None and made != to:
            made = made.replace(to)
    except OSError as exc:
        fail(_("Cannot write the backup: {why}").format(why=exc), Exit.STORAGE)
    size = _size(made.stat().st_size)
    typer.echo(visible(_("Backed up to {path} ({size}).").format(path=made, size=size)))


def _backup_to_stdout(path: Path, key: Secret | None) -> None:
    """`backup --to -`: the backup's bytes on stdout (for `| ssh …` or `| gpg …`), made in
    a private temporary folder that is removed afterwards; never onto a terminal."""
    import shutil
    import sys
    import tempfile

    from salesdev_tui.cli.output import busy, is_terminal
    from salesdev_tui.db.autobackup import manual_backup

    if is_terminal(sys.stdout):
        fail(_("--to -: the backup is binary; send it to a file or a pipe, not the "
               "terminal."), Exit.USAGE)
    with tempfile.TemporaryDirectory(prefix="salesdev-") as folder:
        staged = Path(folder) / path.name
        try:
            with busy(_("Backing up")):
                guard_storage(lambda: manual_backup(path, datetime.now(UTC), staged,
                                                    passphrase=key))
        except OSError as exc:
            fail(_("Cannot write the backup: {why}").format(why=exc), Exit.STORAGE)
        sys.stdout.flush()
        with staged.open("rb") as source:
            shutil.copyfileobj(source, sys.stdout.buffer)
        sys.stdout.buffer.flush()


@cli.command()
def restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(
        metavar="FILE", help=_("A salesdev backup; - reads it from stdin (with --yes)."))],
    yes: Annotated[bool, typer.Option("--yes", help=_("Do not ask before restoring."))] = False,
) -> None:
    """Replace the database with a backup (checked first; the current one is kept)."""
    from salesdev_tui.cli.output import is_dash, stdin_as_file

    if is_dash(file):
        if not yes:  # stdin carries the backup: it cannot also answer the question
            fail(_("FILE -: the backup comes from stdin, so give --yes."), Exit.USAGE)
        with stdin_as_file("stdin.sqlite") as saved:
            _restore(ctx, saved, yes=True, shown_as=Path(_("stdin")))
        return
    _restore(ctx, file, yes=yes)


def _restore(ctx: typer.Context, file: Path, *, yes: bool, shown_as: Path | None = None) -> None:
    """Restore `file`; `shown_as` names it in the messages (stdin's temporary copy is no
    name the rep knows)."""
    import dataclasses

    from salesdev_tui.cli.output import busy
    from salesdev_tui.db.restore import inspect_backup, restore_database

    st = state(ctx)
    live = st.resolved_db_path()
    file = expand(file)
    problem = file_path_problem(file)
    if problem is not None:
        fail(problem, Exit.STORAGE)
    zone = st.settings().zone
    # The live database's key: an encrypted backup restores into an encrypted database
    # (into a plain one it is refused). With no live database yet, the backup's own key.
    key = (passphrase_if_needed(live) if live.exists()
           else passphrase_if_needed(file))
    info = guard_storage(lambda: inspect_backup(file, passphrase=key))
    shown = shown_as or file
    for line in _describe(dataclasses.replace(info, path=shown), zone):
        typer.echo(visible(line))
    typer.echo(visible(_("It replaces {live}; a backup of the current database is kept first. "
                         "Close salesdev in other windows before you go on.").format(live=live)))
    if not yes and not typer.confirm(_("Restore this backup?"), default=False):
        typer.echo(visible(_("Nothing was restored.")))
        return
    with busy(_("Restoring")):
        outcome = guard_storage(lambda: restore_database(file, live, now=datetime.now(UTC),
                                                         passphrase=key))
    say_leftovers()
    typer.echo(visible(_("Restored {file} into {live}.").format(file=shown, live=live)))
    if outcome.previous is not None:
        typer.echo(visible(_("The database it replaced is kept as {path}.").format(
            path=outcome.previous)))
    if outcome.damaged_copy is not None:
        typer.echo(visible(_("The damaged database it replaced is kept as {path}.").format(
            path=outcome.damaged_copy)))


@cli.command()
def check(ctx: typer.Context) -> None:
    """Check the database file: integrity_check and foreign_key_check (exit 5 on problems)."""
    from salesdev_tui.db.guard import FileKind, inspect_file
    from salesdev_tui.db.restore import check_database

    path = state(ctx).resolved_db_path()
    if inspect_file(path).kind is FileKind.MISSING:
        fail(_("There is no database at {path}.").format(path=path), Exit.STORAGE)
    from salesdev_tui.db.value_check import unreadable_values

    key = passphrase_if_needed(path)
    problems = guard_storage(lambda: check_database(path, passphrase=key))
    if not problems:
        # A sound file may still hold values no read can use (a date outside the app's range).
        problems = guard_storage(lambda: unreadable_values(path, passphrase=key))
        if problems:
            for problem in problems:
                typer.echo(visible(problem))
            fail(_("{n} stored values in {path} cannot be read (the app shows them as empty). "
                   "Correct them in the app, or restore a backup with `salesdev restore FILE`.")
                 .format(n=len(problems), path=path), Exit.STORAGE)
    if not problems:
        typer.echo(visible(_("{path}: ok (integrity check passed, every reference points to a "
                             "record).").format(path=path)))
        return
    for problem in problems:
        typer.echo(visible(problem))
    fail(_("{n} problems in {path}. Restore a backup with `salesdev restore FILE` (see "
           "`salesdev paths` for the backups folder).").format(n=len(problems), path=path),
         Exit.STORAGE)


def export_other(ctx: typer.Context, fmt: str, what: str | None, out: Path | None, *,
                 replace: bool = False) -> None:
    """`salesdev export --format csv|vcard`: one kind of record, for a spreadsheet or contacts."""
    from salesdev_tui.usecases.data_transfer import EXPORT_FORMATS, export_text, write_export

    kinds = EXPORT_FORMATS.get(fmt)
    if kinds is None:
        fail(_("--format: choose json, csv or vcard."), Exit.INVALID)
    what = what or kinds[0]
    if what not in kinds:
        fail(_("--what: {fmt} exports {kinds}.").format(fmt=fmt, kinds=" | ".join(kinds)),
             Exit.INVALID)
    from salesdev_tui.cli.output import busy, is_dash, refuse_existing

    out = expand(out) if out is not None and not is_dash(out) else None
    if out is not None:
        refuse_existing(out, replace)
    st = state(ctx)
    zone, region = st.settings().zone, st.settings().phone_region
    store = st.open_store()
    now = datetime.now(UTC)
    try:
        if out is None:
            with busy(_("Exporting")):
                text, _count = guard_storage(
                    lambda: export_text(store, fmt, what, zone=zone, now=now, region=region))
            typer.echo(text, nl=False)
            return
        try:
            with busy(_("Exporting")):
                target, count = guard_storage(
                    lambda: write_export(store, fmt, what, out, zone=zone, now=now,
                                         region=region))
        except OSError as exc:
            fail(_("Cannot write {path}: {why}").format(path=out, why=exc.strerror or exc),
                 Exit.STORAGE)
    finally:
        store.db.close()
    typer.echo(visible(_("Exported {n} {what} to {path}.").format(n=count, what=what, path=target)),
               err=True)
