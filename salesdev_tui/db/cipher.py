"""Encryption at rest with SQLCipher 4: keys, keyed connections, telling encrypted files apart.

What worked with `sqlcipher3` 0.6.4 is in RELIABILITY-NOTES 2a. In short: a passphrase key
(`PRAGMA key`, PBKDF2-SHA512, 256 000 iterations: 100-180 ms per connection), SQLCipher 4
defaults, and a wrong key fails exactly like a non-database file (SQLITE_NOTADB). That is why
the plain SQLite header is read first: a file *with* it is never a question of passphrases.

The passphrase travels as a `Secret`, whose repr never shows it (Textual prints locals in
its crash report), and never goes into a URL, an exception text, argv or the environment.
Converting a file (encrypt, decrypt, rekey) is in `db/cipher_convert.py`.
"""

from __future__ import annotations

import hmac
import sqlite3
import threading
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher  # type: ignore[import-untyped]

from salesdev_tui.db.errors import Problem, StorageError, classify, storage_error
from salesdev_tui.db.guard import OPEN_HERE

__all__ = [
    "Secret",
    "as_secret",
    "classify_any",
    "connect",
    "forget_key",
    "key_for",
    "may_be_encrypted",
    "remember_key",
]

PLAIN_MAGIC = b"SQLite format 3\x00"

#: Every SQLite database file is a whole number of pages, and no page is smaller than this.
_MIN_PAGE = 512

#: The DB-API module of encrypted connections (SQLAlchemy's `module=` for the engine).
DBAPI: Any = sqlcipher


class Secret:
    """A passphrase that does not print itself (repr, str, f-strings and tracebacks)."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not value or "\x00" in value:
            raise ValueError("a passphrase must be non-empty text without NUL characters")
        self._value = value

    def reveal(self) -> str:
        """The passphrase itself: pass it to SQLCipher and nowhere else."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> Any:
        raise TypeError("a Secret is never pickled")


def as_secret(value: str | Secret) -> Secret:
    return value if isinstance(value, Secret) else Secret(value)


# -- the keys of the databases this process has open -----------------------------------------
# Backups, migrations and restores of an open encrypted database need its key; they find it
# here instead of every caller threading it through. A key is forgotten when its database
# closes (counted: the same file may be open twice).

_KEYS: dict[Path, tuple[Secret, int]] = {}
_KEYS_LOCK = threading.Lock()


def _resolved(path: Path) -> Path:
    try:
        return path.expanduser().resolve()
    except OSError:
        return path


def remember_key(path: Path, secret: Secret) -> None:
    with _KEYS_LOCK:
        _held, count = _KEYS.get(_resolved(path), (secret, 0))
        _KEYS[_resolved(path)] = (secret, count + 1)


def forget_key(path: Path) -> None:
    with _KEYS_LOCK:
        entry = _KEYS.pop(_resolved(path), None)
        if entry is not None and entry[1] > 1:
            _KEYS[_resolved(path)] = (entry[0], entry[1] - 1)


def key_for(path: Path) -> Secret | None:
    """The key of the encrypted database at `path` if this process has it open, else None."""
    with _KEYS_LOCK:
        entry = _KEYS.get(_resolved(path))
    return entry[0] if entry else None


# -- recognising an encrypted file ----------------------------------------------------------


def has_plain_header(path: Path) -> bool:
    """True when `path` starts with the plain SQLite header (False: missing, empty or not)."""
    if _resolved(path) in OPEN_HERE:
        # Never read an open database with plain file IO (see guard.inspect_file).
        return key_for(path) is None
    try:
        with path.open("rb") as handle:
            return handle.read(len(PLAIN_MAGIC)) == PLAIN_MAGIC
    except OSError:
        return False


def may_be_encrypted(path: Path) -> bool:
    """True when `path` may be an SQLCipher database: whole pages without the plain header.

    SQLCipher files look like random bytes; only the right passphrase tells them apart from
    a damaged file. A text or other file that is not whole pages is plainly not a database.
    """
    if key_for(path) is not None:
        return True
    if _resolved(path) in OPEN_HERE:
        return False
    try:
        size = path.stat().st_size
    except OSError:
        return False
    return size > 0 and size % _MIN_PAGE == 0 and not has_plain_header(path)


# -- keyed connections --------------------------------------------------------------------


def key_statement(secret: Secret) -> str:
    """`PRAGMA key` for `secret` (a PRAGMA takes no bound parameters: quote it as SQL text)."""
    quoted = secret.reveal().replace("'", "''")
    return f"PRAGMA key='{quoted}'"


def silence(conn: Any) -> None:
    """Stop SQLCipher's own log: a wrong key writes "hmac check failed" to stderr (fd 2),
    which garbles a TUI and says nothing the error does not. Set before any key is tried."""
    conn.execute("PRAGMA cipher_log_level=NONE")


def connect(
    path: Path,
    secret: Secret | None,
    *,
    read_only: bool = False,
    timeout: float = 5.0,
    check: bool = True,
) -> Any:
    """An SQLCipher connection on `path` keyed with `secret` (None: a plain file).

    With `check`, the key is tried at once (one read of the schema), so a wrong passphrase
    raises StorageError(WRONG_PASSPHRASE) here and never surfaces mid-save. The connection
    is in autocommit mode (isolation_level None): callers issue their own BEGIN.
    """
    target = f"{_resolved(path).as_uri()}?mode=ro" if read_only else str(path)
    try:
        conn = sqlcipher.connect(target, uri=read_only, timeout=timeout,
                                 check_same_thread=False, isolation_level=None)
    except sqlcipher.Error as exc:
        raise classify_any(exc, path) or storage_error(Problem.CANT_OPEN, path) from None
    try:
        silence(conn)
        if secret is not None:
            conn.execute(key_statement(secret))
        if check:
            conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
    except sqlcipher.Error as exc:
        conn.close()
        name = getattr(exc, "sqlite_errorname", "")
        if name == "SQLITE_NOTADB":
            problem = Problem.WRONG_PASSPHRASE if secret is not None else Problem.NOT_SQLITE
            raise storage_error(problem, path) from None
        raise classify_any(exc, path) or storage_error(Problem.OTHER, path) from None
    return conn


def classify_any(exc: BaseException, path: Path | None) -> StorageError | None:
    """`errors.classify`, for SQLCipher's exceptions too (they are not `sqlite3.Error`s).

    The SQLCipher error is restated as the stdlib class of the same name with the same
    SQLite error name, so one mapping (errors.py) serves both drivers.
    """
    original = getattr(exc, "orig", None) or exc
    if isinstance(original, sqlcipher.Error):
        kind = getattr(sqlite3, type(original).__name__, sqlite3.DatabaseError)
        twin = kind(*original.args)
        twin.sqlite_errorname = getattr(original, "sqlite_errorname", "")
        twin.sqlite_errorcode = getattr(original, "sqlite_errorcode", 0)
        return classify(twin, path)
    return classify(exc, path)
