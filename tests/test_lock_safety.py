"""Another process closing the database must never delete the -wal this process writes to.

Regression: the daily backup read the database header with a plain open()/close() while the
app had the database open. Closing any descriptor of a file drops every POSIX lock the
process holds on it, so a second process (a `salesdev list` in another terminal) believed it
was the last user, checkpointed and deleted the -wal and -shm, and the app's next saves went
into a deleted file: lost.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from salesdev_tui.db import open_database
from salesdev_tui.db.autobackup import daily_backup
from salesdev_tui.db.guard import FileKind, inspect_file

OTHER_PROCESS = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("SELECT count(*) FROM customer").fetchone()
conn.close()
"""


def _insert(db: object, title: str) -> None:
    with db.write() as session:  # type: ignore[attr-defined]
        session.connection().exec_driver_sql(
            "INSERT INTO research_note (id, created_at, updated_at, title, noted_on) "
            "VALUES (lower(hex(randomblob(16))), '2026-01-01 00:00:00.000000', "
            f"'2026-01-01 00:00:00.000000', '{title}', '2026-01-01')"
        )


def test_open_database_is_not_read_behind_sqlites_back(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        _insert(db, "before")
        daily_backup(db_path, now=datetime.now(UTC), zone=ZoneInfo("Asia/Taipei"), keep=3)
        assert inspect_file(db_path).kind is FileKind.SALESDEV
        # Another process opens and closes the database: it must see it is not alone.
        subprocess.run([sys.executable, "-c", OTHER_PROCESS, str(db_path)], check=True)
        assert Path(f"{db_path}-wal").exists()
        _insert(db, "after")
    finally:
        db.close()
    # Everything this process saved is in the file, seen by a fresh connection.
    import sqlite3

    conn = sqlite3.connect(db_path)
    try:
        titles = sorted(r[0] for r in conn.execute("SELECT title FROM research_note"))
    finally:
        conn.close()
    assert titles == ["after", "before"]
