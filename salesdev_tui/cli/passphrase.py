"""The passphrase of every command: asked with getpass, or read from a file descriptor.

A passphrase is never taken from the command line (argv is visible to every user of the
machine) nor from an environment variable holding it. It is asked with getpass, or read
from an open file descriptor (`--passphrase-fd N`, as gpg does) so scripts and tests can
pipe it. For the commands that only open the database, `SALESDEV_PASSPHRASE_FD` names such a
descriptor (the number, never the passphrase).

Apart from `cli/encryption.py` (the commands): `CliState.open_store` needs it too, and the
command modules import `cli.app`, so it living there made an import cycle.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import TYPE_CHECKING

from salesdev_tui.cli.errors import Exit, fail
from salesdev_tui.i18n import N_, _

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

FD_HELP = N_("Read the passphrase from this open file descriptor (one line) instead of "
             "asking.")


def read_lines(fd: int, count: int) -> list[str]:
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


def as_secret(text: str) -> Secret:
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
        return as_secret(getpass.getpass(prompt))
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


def checked_new(secret: Secret) -> Secret:
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
        return as_secret(read_lines(int(fd_text), 1)[0])
    return ask(_("Passphrase for {path}: ").format(path=path))
