"""`salesdev encrypt | decrypt | rekey`, and the passphrase prompt of every command.

A passphrase is never taken from the command line (argv is visible to every user of the
machine) nor from an environment variable holding it. It is asked with getpass, or read
from an open file descriptor (`--passphrase-fd N`, as gpg does) so scripts and tests can
pipe it. For the commands that only open the database, `SALESDEV_PASSPHRASE_FD` names such a
descriptor (the number, never the passphrase).
"""

from __future__ import annotations

import getpass
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from salesdev_tui.cli.app import Exit, cli, fail, guard_storage, say_leftovers, state
from salesdev_tui.i18n import N_, _
from salesdev_tui.services.visible import visible

if TYPE_CHECKING:
    from salesdev_tui.db.cipher import Secret

#: Names a file descriptor to read the passphrase from (for scripts); never the passphrase.
FD_ENV = "SALESDEV_PASSPHRASE_FD"

#: Shorter passphrases are refused when one is chosen (encrypt, rekey).
MIN_LENGTH = 8
#: The longest passphrase line read from a descriptor (characters).
_LINE_LIMIT = 4096
#: The largest file descriptor number there can be (a C int).
_FD_MAX = 2**31 - 1

_FD_HELP = N_("Read the passphrase from this open file descriptor (one line) instead of "
             "asking.")


def _read_lines(fd: int, count: int) -> list[str]:
    """`count` lines from the descriptor `fd` (closed afterwards).

    A line is read up to `_LINE_LIMIT` characters: a descriptor on /dev/zero or an endless
    pipe never makes it read without end. A number no descriptor can have (negative, or past
    the C int: `os.fdopen` raises TypeError or OverflowError for those) is said as such.
    """
    if not 0 <= fd <= _FD_MAX:
        fail(_("{fd} is not a file descriptor number.").format(fd=fd), Exit.USAGE)
    try:
        with os.fdopen(fd, "r", encoding="utf-8", closefd=True) as stream:
            lines = [stream.readline(_LINE_LIMIT + 1).rstrip("\r\n") for _ in range(count)]
    except (OSError, ValueError, UnicodeDecodeError, OverflowError, TypeError):
        fail(_("Cannot read the passphrase from file descriptor {fd}.").format(fd=fd),
             Exit.USAGE)
    if any(len(line) > _LINE_LIMIT for line in lines):
        fail(_("File descriptor {fd} gave a line longer than {n} characters: not a "
               "passphrase.").format(fd=fd, n=_LINE_LIMIT), Exit.INVALID)
    if any(not line for line in lines):
        fail(_("File descriptor {fd} gave no passphrase.").format(fd=fd), Exit.USAGE)
    return lines


def _secret(text: str) -> Secret:
    from salesdev_tui.db.cipher import Secret

    if "\x00" in text:  # SQLCipher's key is a C string: it would end at the NUL
        fail(_("The passphrase contains a NUL character; choose one without it."),
             Exit.INVALID)
    try:
        return Secret(text)
    except ValueError:
        fail(_("The passphrase is empty."), Exit.INVALID)


def ask(prompt: str) -> Secret:
    """One passphrase, asked on the terminal without echo."""
    try:
        return _secret(getpass.getpass(prompt))
    except EOFError:
        fail(_("No passphrase given."), Exit.USAGE)


def ask_new() -> Secret:
    """A new passphrase, asked twice; refused when too short or when the two differ."""
    first = ask(_("New passphrase: "))
    if len(first.reveal()) < MIN_LENGTH:
        fail(_("The passphrase is too short: use at least {n} characters.").format(
            n=MIN_LENGTH), Exit.INVALID)
    if ask(_("The same passphrase again: ")) != first:
        fail(_("The two passphrases differ. Nothing was changed."), Exit.INVALID)
    return first


def _checked_new(secret: Secret) -> Secret:
    if len(secret.reveal()) < MIN_LENGTH:
        fail(_("The passphrase is too short: use at least {n} characters.").format(
            n=MIN_LENGTH), Exit.INVALID)
    return secret


def passphrase_if_needed(path: Path) -> Secret | None:
    """The passphrase of `path` when it is encrypted (asked, or read from $SALESDEV_PASSPHRASE_FD).

    None for a plain file. The one place the CLI opens the database (`CliState.open_store`)
    calls it.
    """
    from salesdev_tui.db.encrypted import is_encrypted

    if not is_encrypted(path):
        return None
    fd_text = os.environ.get(FD_ENV, "").strip()
    if fd_text:
        if not (fd_text.isascii() and fd_text.isdigit()):
            fail(_("{name} must be a file descriptor number.").format(name=FD_ENV), Exit.USAGE)
        return _secret(_read_lines(int(fd_text), 1)[0])
    return ask(_("Passphrase for {path}: ").format(path=path))


def _plain_backups(path: Path) -> int:
    """How many backups of `path` are still plain SQLite files (readable without a key)."""
    from salesdev_tui.db.autobackup import backup_files
    from salesdev_tui.db.cipher import has_plain_header

    return sum(1 for found in backup_files(path) if has_plain_header(found.path))


PassFd = Annotated[int | None, typer.Option("--passphrase-fd", metavar="N", help=_FD_HELP,
                                            show_default=False)]


@cli.command()
def encrypt(ctx: typer.Context, passphrase_fd: PassFd = None) -> None:
    """Encrypt the database with a passphrase (SQLCipher 4). Close salesdev first."""
    from salesdev_tui.db.cipher_convert import encrypt as encrypt_file

    path = state(ctx).resolved_db_path()
    if passphrase_fd is not None:
        secret = _checked_new(_secret(_read_lines(passphrase_fd, 1)[0]))
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
        secret = _secret(_read_lines(passphrase_fd, 1)[0])
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
        old_text, new_text = _read_lines(passphrase_fd, 2)
        old, new = _secret(old_text), _checked_new(_secret(new_text))
    else:
        old = ask(_("Current passphrase for {path}: ").format(path=path))
        new = ask_new()
    done = guard_storage(lambda: rekey_file(path, old, new, now=datetime.now(UTC)))
    say_leftovers()
    typer.echo(visible(_("The passphrase of {path} is changed.").format(path=path)))
    if done.backup is not None:
        typer.echo(visible(_("The database as it was is kept as {backup} (encrypted with the new "
                     "passphrase).").format(backup=done.backup)))
