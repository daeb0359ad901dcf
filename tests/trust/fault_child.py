"""The child process of the fault tests: runs salesdev and stops at an awkward moment.

`python tests/trust/fault_child.py MODE ARGS...`, with MODE:

- `backup`: runs the command line `salesdev ARGS`, whose first database backup stops after
  its first page (the copy half-written, its journal beside it);
- `decrypt`: runs `salesdev ARGS` (a decrypt), stopping once the new plaintext file is
  complete but before it is checked and renamed;
- `purge DB CUSTOMER_ID`: purges the customer through the Store, stopping after the purge
  committed and before the file is scrubbed.

At the moment it stops it writes "ready" to fd 1 and sleeps, so the test can kill it there
(kill -9, SIGTERM, SIGHUP). The hooks wrap the real code; nothing else is changed.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time
import uuid
from pathlib import Path
from typing import Any


def _stop_here() -> None:
    os.write(1, b"ready\n")
    time.sleep(120)


class _SlowBackup(sqlite3.Connection):
    """A source connection whose backup copies one page, then stops."""

    def backup(self, target: Any, **kwargs: Any) -> None:  # type: ignore[override]
        def progress(_status: int, _remaining: int, _total: int) -> None:
            _stop_here()

        super().backup(target, pages=1, progress=progress)


def _hook_backup() -> None:
    real_connect = sqlite3.connect

    def connect(database: Any, *args: Any, **kwargs: Any) -> Any:
        if str(database).startswith("file:") and "mode=ro" in str(database):
            kwargs["factory"] = _SlowBackup
        return real_connect(database, *args, **kwargs)

    sqlite3.connect = connect  # type: ignore[assignment]


def _hook_decrypt() -> None:
    from salesdev_tui.db import cipher_convert

    real_verify = cipher_convert._verify

    def verify(*args: Any, **kwargs: Any) -> None:
        _stop_here()
        real_verify(*args, **kwargs)

    cipher_convert._verify = verify  # type: ignore[assignment]


def _purge(db_path: str, customer_id: str) -> None:
    from salesdev_tui.db import open_database
    from salesdev_tui.store import deletion
    from salesdev_tui.store.combined import Store

    real_scrub = deletion.scrub

    def scrub(*args: Any, **kwargs: Any) -> bool:
        _stop_here()
        return real_scrub(*args, **kwargs)

    deletion.scrub = scrub  # type: ignore[attr-defined]
    db = open_database(Path(db_path))
    Store(db).deletion.purge_customer(uuid.UUID(customer_id))
    db.close()


def main() -> None:
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "purge":
        _purge(*args)
        return
    {"backup": _hook_backup, "decrypt": _hook_decrypt}[mode]()
    from salesdev_tui.cli import main as salesdev

    sys.argv = ["salesdev", *args]
    salesdev()


if __name__ == "__main__":
    main()
