"""Opening an SQLCipher-encrypted salesdev database (`open_database` comes here for one).

The order matters. The key is tried on a connection that writes nothing; only then are
the application_id and the schema version read (both are inside the encrypted pages), so a
wrong passphrase, another program's file and a newer schema all leave the file unchanged.
That first connection becomes the engine's first pooled one: each key derivation costs
100-180 ms, and opening should pay it once.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from salesdev_tui.db.engine import make_engine
from salesdev_tui.db.errors import Problem, StorageError, storage_error
from salesdev_tui.db.guard import OPEN_HERE, FileKind, inspect_file
from salesdev_tui.db.identity import APPLICATION_ID

if TYPE_CHECKING:
    from salesdev_tui.db.cipher import Secret
    from salesdev_tui.db.database import Database


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


def _secret(path: Path, passphrase: str | Secret | None) -> Secret:
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


def open_encrypted(
    path: Path, passphrase: str | Secret | None, *, now: datetime | None = None
) -> Database:
    """Open the encrypted salesdev database at `path` (see the module docstring)."""
    from salesdev_tui.db import cipher
    from salesdev_tui.db.backup import backup_database, timestamped_name
    from salesdev_tui.db.database import Database
    from salesdev_tui.db.guard import schema_problem
    from salesdev_tui.db.migrations import SCHEMA_VERSION, migrate
    from salesdev_tui.paths import backup_dir

    secret = _secret(path, passphrase)
    first = cipher.connect(path, secret)  # WRONG_PASSPHRASE here, nothing written
    try:
        app_id = int(first.execute("PRAGMA application_id").fetchone()[0])
        version = int(first.execute("PRAGMA user_version").fetchone()[0])
    except Exception as exc:
        first.close()
        raise cipher.classify_any(exc, path) or storage_error(Problem.CORRUPT, path) from None
    refused = (storage_error(Problem.FOREIGN, path) if app_id != APPLICATION_ID
               else schema_problem(path, version))
    if refused is not None:
        first.close()
        raise refused
    # Backups and migrations of this file find the key by its path from here on.
    cipher.remember_key(path, secret)
    try:
        if version < SCHEMA_VERSION:
            first.close()
            first = None
            moment = now or datetime.now(UTC)
            name = timestamped_name(path.stem, moment, f"pre-migration-v{version}")
            backup_database(path, backup_dir(path) / name)
            migrate(path, version)
        engine = make_engine(path, passphrase=secret, first_connection=first)
        first = None  # the pool owns it now
        with engine.connect() as conn:  # as for a plain file: fail here, not mid-save
            conn.exec_driver_sql("SELECT count(*) FROM customer").fetchone()
    except BaseException as exc:
        cipher.forget_key(path)
        if first is not None:
            first.close()
        if isinstance(exc, StorageError) or not isinstance(exc, Exception):
            raise
        raise cipher.classify_any(exc, path) or storage_error(Problem.OTHER, path) from exc
    return Database(path, engine, encrypted=True)


def encrypt_new(path: Path, passphrase: str | Secret, *, now: datetime | None = None) -> Database:
    """Encrypt the new, empty database at `path` and open it (no backup: it holds nothing)."""
    from salesdev_tui.db.cipher_convert import encrypt

    secret = _secret(path, passphrase)
    encrypt(path, secret, now=now or datetime.now(UTC), keep_backup=False)
    return open_encrypted(path, secret, now=now)
