"""`salesdev encrypt | decrypt | rekey` (the passphrase prompt itself: `cli/passphrase.py`)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from salesdev_tui.cli.app import cli, guard_storage, say_leftovers, state
from salesdev_tui.cli.passphrase import FD_HELP, as_secret, ask, ask_new, checked_new, read_lines
from salesdev_tui.domain.visible import visible
from salesdev_tui.i18n import _

if TYPE_CHECKING:
    pass


def _plain_backups(path: Path) -> int:
    """How many backups of `path` are still plain SQLite files (readable without a key)."""
    from salesdev_tui.db.autobackup import backup_files
    from salesdev_tui.db.cipher import has_plain_header

    return sum(1 for found in backup_files(path) if has_plain_header(found.path))


PassFd = Annotated[int | None, typer.Option("--passphrase-fd", metavar="N", help=FD_HELP,
                                            show_default=False)]


@cli.command()
def encrypt(ctx: typer.Context, passphrase_fd: PassFd = None) -> None:
    """Encrypt the database with a passphrase (SQLCipher 4). Close salesdev first."""
    from salesdev_tui.db.cipher_convert import encrypt as encrypt_file

    path = state(ctx).resolved_db_path()
    if passphrase_fd is not None:
        secret = checked_new(as_secret(read_lines(passphrase_fd, 1)[0]))
    else:
        secret = ask_new()
    done = guard_storage(lambda: encrypt_file(path, secret, now=datetime.now(UTC)))
    say_leftovers()
    typer.echo(visible(_("Encrypted {path}. Without the passphrase nobody can read it, you "
                         "included: keep it safe.").format(path=path)))
    if done.backup is not None:
        typer.echo(visible(_("The database as it was is kept as {backup} (encrypted with the same "
                     "passphrase).").format(backup=done.backup)))
    plain = _plain_backups(path)
    if plain:
        typer.echo(visible(_("warning: {n} older backups in {folder} are not encrypted; "
                             "delete them once you have checked the encrypted database.").format(
                         n=plain, folder=done.backup.parent if done.backup else path.parent)),
                   err=True)


@cli.command()
def decrypt(ctx: typer.Context, passphrase_fd: PassFd = None) -> None:
    """Remove the encryption: the database becomes a plain SQLite file again."""
    from salesdev_tui.db.cipher_convert import decrypt as decrypt_file

    path = state(ctx).resolved_db_path()
    if passphrase_fd is not None:
        secret = as_secret(read_lines(passphrase_fd, 1)[0])
    else:
        secret = ask(_("Passphrase for {path}: ").format(path=path))
    done = guard_storage(lambda: decrypt_file(path, secret, now=datetime.now(UTC)))
    say_leftovers()
    typer.echo(visible(_("Decrypted {path}: it is a plain SQLite file now.").format(path=path)))
    if done.backup is not None:
        typer.echo(visible(_("The encrypted database is kept as {backup}.").format(
            backup=done.backup)))


@cli.command()
def rekey(
    ctx: typer.Context,
    passphrase_fd: Annotated[int | None, typer.Option(
        "--passphrase-fd", metavar="N", show_default=False,
        help=_("Read two lines from this open file descriptor: the current passphrase, then "
               "the new one."))] = None,
) -> None:
    """Change the database's passphrase."""
    from salesdev_tui.db.cipher_convert import rekey as rekey_file

    path = state(ctx).resolved_db_path()
    if passphrase_fd is not None:
        old_text, new_text = read_lines(passphrase_fd, 2)
        old, new = as_secret(old_text), checked_new(as_secret(new_text))
    else:
        old = ask(_("Current passphrase for {path}: ").format(path=path))
        new = ask_new()
    done = guard_storage(lambda: rekey_file(path, old, new, now=datetime.now(UTC)))
    say_leftovers()
    typer.echo(visible(_("The passphrase of {path} is changed.").format(path=path)))
    if done.backup is not None:
        typer.echo(visible(_("The database as it was is kept as {backup} (encrypted with the new "
                     "passphrase).").format(backup=done.backup)))
