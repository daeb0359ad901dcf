"""The database file: engine and pragmas, file guard, migrations, backups, error mapping."""

from salesdev_tui.db.database import Database, open_database
from salesdev_tui.db.errors import Problem, StorageError

__all__ = ["Database", "Problem", "StorageError", "open_database"]
