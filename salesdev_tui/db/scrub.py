"""Making deleted text unreadable in the file: the last step of a purge, retried until it holds.

Deleted rows stay readable in two places until SQLite rewrites them: freed pages (VACUUM
rewrites every page; `secure_delete=ON` zeroes what it frees) and the write-ahead log, whose
old frames are copied into the file and cut off only by a checkpoint that completes
(`wal_checkpoint(TRUNCATE)` returning busy=0). A reader in another process that holds an
old snapshot stops that checkpoint for as long as it reads: measured, a purge then waited
101 s and still left the customer's name and e-mail in the file.

So the purge transaction also writes a mark (the table `salesdev_purge_pending`, created on
demand, so no schema version changes), and the scrub waits a few seconds at most. Only a
complete checkpoint clears the mark; until then the purge is *pending* and the scrub is
tried again when the database is next opened or closed (`finish_pending`). A kill between
the purge and its scrub leaves the mark too, so the next start finishes the job.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import Connection

__all__ = ["PENDING_TABLE", "WAIT_SECONDS", "finish_pending", "mark_pending", "scrub"]

PENDING_TABLE = "salesdev_purge_pending"

#: How long a scrub waits for other connections (writers, readers of an old snapshot).
WAIT_SECONDS = 3.0

#: Each try's own wait (busy_timeout), so the whole scrub stays within WAIT_SECONDS.
_TRY_MS = 250


def mark_pending(conn: Connection, requested_at: str) -> None:
    """Inside the purge's transaction: the file owes a scrub (committed with the delete)."""
    conn.exec_driver_sql(
        f"CREATE TABLE IF NOT EXISTS {PENDING_TABLE} (requested_at TEXT NOT NULL)")
    conn.exec_driver_sql(f"INSERT INTO {PENDING_TABLE} (requested_at) VALUES (?)",
                         (requested_at,))


def _busy(exc: BaseException) -> bool:
    name = str(getattr(exc, "sqlite_errorname", ""))
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in str(exc)


def _has_mark(driver: Any) -> bool:
    return driver.execute(
        "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", (PENDING_TABLE,)
    ).fetchone() is not None


def scrub(engine: Engine, path: Path, *, wait: float = WAIT_SECONDS) -> bool:
    """VACUUM and a complete TRUNCATE checkpoint, then clear the mark; True when done.

    False when other connections kept it from completing within `wait` seconds (the mark
    stays: the purge is pending). Raises StorageError for anything but a busy database.
    """
    from salesdev_tui.db.engine import BUSY_TIMEOUT_MS
    from salesdev_tui.db.errors import classify

    deadline = time.monotonic() + wait
    try:
        raw = engine.raw_connection()
        try:
            driver = raw.driver_connection
            assert driver is not None
            driver.execute(f"PRAGMA busy_timeout={_TRY_MS}")
            try:
                vacuumed = False
                while True:
                    try:
                        if not vacuumed:
                            driver.execute("VACUUM")
                            vacuumed = True
                        busy = driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                        if not busy:
                            break
                    except Exception as exc:
                        if not _busy(exc):
                            raise
                    if time.monotonic() >= deadline:
                        return False
                    time.sleep(0.05)
                if _has_mark(driver):
                    driver.execute("BEGIN IMMEDIATE")
                    driver.execute(f"DROP TABLE IF EXISTS {PENDING_TABLE}")
                    driver.execute("COMMIT")
                    # The drop wrote a few pages with no customer text: a best-effort cut.
                    driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                return True
            finally:
                if driver.in_transaction:
                    driver.execute("ROLLBACK")
                driver.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        finally:
            raw.close()
    except Exception as exc:
        if _busy(exc):
            return False
        raise classify(exc, path) or exc from exc


def finish_pending(engine: Engine, path: Path, *, wait: float = WAIT_SECONDS) -> bool | None:
    """Finish a pending purge: None when none is pending, else whether it is done now.

    Never raises: it runs while opening or closing the database, which it must not fail.
    """
    try:
        raw = engine.raw_connection()
        try:
            driver = raw.driver_connection
            assert driver is not None
            pending = _has_mark(driver)
        finally:
            raw.close()
        if not pending:
            return None
        return scrub(engine, path, wait=wait)
    except Exception:  # noqa: BLE001 - the next open tries again
        return False
