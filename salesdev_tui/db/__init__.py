"""The database file: engine and pragmas, file guard, migrations, backups, error mapping.

The package imports nothing heavy itself (names load on first use): `db.raw` and
`db.identity` serve the start-up read before SQLAlchemy is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from salesdev_tui.db.database import Database, open_database
    from salesdev_tui.db.errors import Problem, StorageError

__all__ = ["Database", "Problem", "StorageError", "open_database"]


def __getattr__(name: str) -> Any:
    if name in ("Database", "open_database"):
        from salesdev_tui.db import database

        return getattr(database, name)
    if name in ("Problem", "StorageError"):
        from salesdev_tui.db import errors

        return getattr(errors, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
