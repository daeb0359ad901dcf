"""The schema version and the forward-only migration runner (PRAGMA user_version).

A new database gets the current schema in one transaction. An older one gets each step in
turn, after a backup, with foreign keys OFF (set before BEGIN: inside a transaction it is
ignored, and a table rebuild with them on silently deletes child rows), then
`foreign_key_check` before commit. A file from a newer salesdev is refused unchanged.

To change the schema: bump SCHEMA_VERSION (db/identity.py) and add
`MIGRATIONS[new_version] = step`, plus a test that builds the previous version with parent
and child rows and migrates it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from salesdev_tui.db.engine import make_engine, writer
from salesdev_tui.db.errors import Problem, StorageError
from salesdev_tui.db.identity import APPLICATION_ID, SCHEMA_VERSION
from salesdev_tui.db.search_index import create_search_index, drop_search_index
from salesdev_tui.i18n import _

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "initialise", "migrate"]


Step = Callable[[Connection], None]

def _create_missing_indexes(conn: Connection) -> None:
    """Version 2: the indexes of the current models that the file lacks (the partial index
    ix_contact_plan_last_done, and any index a version 1 file made before it was added)."""
    import salesdev_tui.models.tables  # noqa: F401 - registers the tables on SQLModel.metadata

    present = {name for (name,) in conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'index'")}
    for table in SQLModel.metadata.sorted_tables:
        columns = {row[1] for row in conn.exec_driver_sql(f"PRAGMA table_info({table.name})")}
        for index in table.indexes:
            # An index on a column a later version adds is made by that version's step.
            if index.name not in present and {c.name for c in index.columns} <= columns:
                index.create(conn)


#: Indexes of version 2 that version 3's partial covering ones replace (each query that
#: read them asks for live rows, `deleted_at IS NULL`, as the new ones hold).
_REPLACED_IN_3 = (
    "ix_customer_first_signed_at",
    "ix_customer_first_contacted_at",
    "ix_contract_signed_at",
    "ix_survey_taken_at",
)


def _add_pipeline_value(conn: Connection) -> None:
    """Version 3: the maintained `customer.pipeline_value`, computed for every customer in
    one set-based pass (about 2 s at 100k customers), and the scorecard's covering indexes
    in place of the plain ones they make redundant."""
    from salesdev_tui.store.pipeline_value import refresh_pipeline_values

    columns = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(customer)")}
    if "pipeline_value" not in columns:  # a file made by this code and marked older has it
        conn.exec_driver_sql("ALTER TABLE customer ADD COLUMN pipeline_value BIGINT")
    for name in _REPLACED_IN_3:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
    _create_missing_indexes(conn)
    refresh_pipeline_values(conn, None)


#: version reached -> the step that reaches it from the version before.
MIGRATIONS: dict[int, Step] = {2: _create_missing_indexes, 3: _add_pipeline_value}


class MigrationError(StorageError):
    """A migration failed and was rolled back; the file is as it was."""


def create_schema(conn: Connection) -> None:
    """Create every table and index of the current schema (models + SQLite extras)."""
    import salesdev_tui.models.tables  # noqa: F401 - registers the tables on SQLModel.metadata

    SQLModel.metadata.create_all(conn)
    create_search_index(conn)


def initialise(path: Path) -> None:
    """Give the empty file `path` the current schema, application_id and version.

    Runs in rollback-journal mode so the header (application_id, user_version) is in the
    main file when this returns; the file is switched to WAL afterwards.
    """
    engine = make_engine(path, wal=False)
    try:
        with writer(engine).begin() as conn:
            create_schema(conn)
            conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
            conn.exec_driver_sql(f"PRAGMA user_version={SCHEMA_VERSION}")
    finally:
        engine.dispose()


def migrate(
    path: Path,
    current: int,
    *,
    steps: Mapping[int, Step] | None = None,
    target: int = SCHEMA_VERSION,
) -> None:
    """Bring the database at `path` from version `current` to `target`, all or nothing."""
    steps = MIGRATIONS if steps is None else steps
    engine: Engine = make_engine(path, foreign_keys=False)
    try:
        with writer(engine).begin() as conn:
            # The search index's views and triggers name the tables: a table rebuild cannot
            # rename over them, so they come down first and go back up at the end.
            drop_search_index(conn)
            for version in range(current + 1, target + 1):
                steps[version](conn)
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise MigrationError(
                    Problem.INVALID,
                    path,
                    _("The migration would break {count} references; nothing was changed.").format(
                        count=len(broken)
                    ),
                )
            create_search_index(conn)
            conn.exec_driver_sql(f"PRAGMA user_version={target}")
    finally:
        engine.dispose()

