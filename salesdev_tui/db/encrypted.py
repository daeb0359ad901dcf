"""Telling an SQLCipher-encrypted salesdev database from a plain one, and the key to open it.

Opening one is `database.open_encrypted` (beside `open_database`, which builds the
`Database` it returns): this module stays below it, so db/ has no import cycle.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from salesdev_tui.db.errors import Problem, StorageError, storage_error
from salesdev_tui.db.guard import OPEN_HERE, FileKind, inspect_file

if TYPE_CHECKING:
    from salesdev_tui.db.cipher import Secret


def is_encrypted(path: Path) -> bool:
    """True when `path` is (or may be) an SQLCipher database: no plain header, whole pages."""
    if path.expanduser().resolve() in OPEN_HERE:
        cipher = sys.modules.get("salesdev_tui.db.cipher")
        return cipher is not None and cipher.key_for(path) is not None
    try:
        kind = inspect_file(path).kind
    except StorageError:
        return False  # open_database reports it
    if kind is not FileKind.NOT_SQLITE:
        return False
    from salesdev_tui.db.cipher import may_be_encrypted

    return may_be_encrypted(path)


def secret_for(path: Path, passphrase: str | Secret | None) -> Secret:
    from salesdev_tui.db.cipher import as_secret, key_for

    if passphrase is None or passphrase == "":
        known = key_for(path)
        if known is None:
            raise storage_error(Problem.PASSPHRASE_NEEDED, path)
        return known
    try:
        return as_secret(passphrase)
    except ValueError:
        raise storage_error(Problem.WRONG_PASSPHRASE, path) from None
