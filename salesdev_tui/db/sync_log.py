"""The laptop's change log for the team sync: which fields changed since the last push,
each with the hybrid logical clock (HLC) of its change.

Kept by triggers, like the search index, so every write path (store, import, restore,
merge) is seen with no extra code. The triggers exist only while the laptop is joined to a
team (`install_change_log`): a rep without a team server pays nothing on any write.

The clock. An HLC value is `wall_ms << 16 | counter`, kept in `sync_state('hlc')`: each
change takes max(last + 1, now << 16), so it never goes backwards even when the wall clock
does, and a pull raises it past every value received (`observe_hlc`), so a change made
after seeing another one is ordered after it whatever the two machines' clocks say.

The outbox. One row per (table, row, field) changed since the last push, with the HLC of
the latest change; an insert is logged as the field `*` (the whole row). A push sends the
rows' current values and deletes only the outbox rows it sent, and only if their HLC did
not move meanwhile (a change made during a push is sent by the next one).

While a pull applies the server's rows, `sync_state('applying')` exists inside that
transaction and the triggers log nothing (a pulled value is not a local change).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: Columns the laptop computes from other rows (recomputed after a pull, never sent).
DERIVED_COLUMNS = frozenset({
    "name_key", "pipeline_value", "first_contacted_at", "first_signed_at",
    "last_contacted_at", "phone_normalized", "mobile_normalized",
})
#: Columns every row has that travel with it but are not fields a person edits.
ROW_COLUMNS = frozenset({"id", "created_at"})

SYNC_TABLES_SQL = (
    "CREATE TABLE IF NOT EXISTS sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS sync_outbox (table_name TEXT NOT NULL, row_id TEXT NOT NULL,"
    " field TEXT NOT NULL, hlc INTEGER NOT NULL, PRIMARY KEY (table_name, row_id, field))"
    " WITHOUT ROWID",
    # Per synced row, each field's [hlc, device] as last pulled: the base a push sends, so
    # the server can tell a sequential edit from a concurrent one.
    "CREATE TABLE IF NOT EXISTS sync_row (table_name TEXT NOT NULL, row_id TEXT NOT NULL,"
    " field_hlc TEXT NOT NULL, PRIMARY KEY (table_name, row_id)) WITHOUT ROWID",
    # A field where two devices disagreed: the value kept (the later change) and the one
    # that lost, until the rep accepts the result or restores the lost value.
    "CREATE TABLE IF NOT EXISTS sync_conflict (id TEXT PRIMARY KEY, table_name TEXT NOT NULL,"
    " row_id TEXT NOT NULL, field TEXT NOT NULL, kept_value TEXT, lost_value TEXT,"
    " kept_hlc INTEGER NOT NULL, lost_hlc INTEGER NOT NULL, noted_at TEXT NOT NULL,"
    " resolved_at TEXT, resolution TEXT, resolution_sent INTEGER NOT NULL DEFAULT 1)",
)

_NOW_HLC = "(CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) << 16)"
_NOT_APPLYING = "NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'applying')"
_TICK = (f"UPDATE sync_state SET value = max(CAST(value AS INTEGER) + 1, {_NOW_HLC})"
         " WHERE key = 'hlc';")
_CURRENT = "(SELECT CAST(value AS INTEGER) FROM sync_state WHERE key = 'hlc')"


def synced_fields(columns: Iterable[str]) -> list[str]:
    """The columns of a table that travel as fields (edited by people, not derived)."""
    return [c for c in columns if c not in DERIVED_COLUMNS and c not in ROW_COLUMNS]


def trigger_sql(table: str, columns: list[str]) -> list[str]:
    """The DDL of the two triggers that log `table`'s changes (insert: `*`; update: each
    field whose value changed)."""
    fields = synced_fields(columns)
    changed = " UNION ALL ".join(
        f"SELECT '{field}' AS f WHERE NEW.\"{field}\" IS NOT OLD.\"{field}\"" for field in fields)
    upsert = ("ON CONFLICT (table_name, row_id, field) DO UPDATE SET hlc = excluded.hlc;")
    return [
        f"CREATE TRIGGER sync_log_{table}_insert AFTER INSERT ON \"{table}\""
        f" WHEN {_NOT_APPLYING} BEGIN {_TICK}"
        f" INSERT INTO sync_outbox (table_name, row_id, field, hlc)"
        f" VALUES ('{table}', NEW.id, '*', {_CURRENT}) {upsert} END",
        f"CREATE TRIGGER sync_log_{table}_update AFTER UPDATE ON \"{table}\""
        f" WHEN {_NOT_APPLYING} BEGIN {_TICK}"
        f" INSERT INTO sync_outbox (table_name, row_id, field, hlc)"
        f" SELECT '{table}', NEW.id, f, {_CURRENT} FROM ({changed}) WHERE true {upsert} END",
    ]


def table_columns(conn: Any, table: str) -> list[str]:
    return [row[1] for row in conn.exec_driver_sql(f'PRAGMA table_info("{table}")')]


def install_change_log(conn: Any, tables: Iterable[str]) -> None:
    """(Re)create the triggers for `tables` with their current columns, and start the
    clock if it has not started. Run on joining a team and before every sync (a migration
    may have added a column since)."""
    for statement in SYNC_TABLES_SQL:
        conn.exec_driver_sql(statement)
    conn.exec_driver_sql(f"INSERT OR IGNORE INTO sync_state VALUES ('hlc', {_NOW_HLC})")
    for table in tables:
        for kind in ("insert", "update"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS sync_log_{table}_{kind}")
        for statement in trigger_sql(table, table_columns(conn, table)):
            conn.exec_driver_sql(statement)


def reinstall_change_log(conn: Any) -> None:
    """After a migration: the triggers again with the tables' current columns, when this
    laptop is on a team (a rep without one has no sync tables and nothing happens)."""
    joined = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sync_state'").fetchone()
    if joined is None:
        return
    from salesdev_tui.models.tables import ALL_TABLES

    install_change_log(conn, [str(m.__table__.name) for m in ALL_TABLES])  # type: ignore[attr-defined]


def remove_change_log(conn: Any, tables: Iterable[str]) -> None:
    """Drop the triggers (leaving a team): writes cost nothing extra again."""
    for table in tables:
        for kind in ("insert", "update"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS sync_log_{table}_{kind}")


def observe_hlc(conn: Any, received: int) -> None:
    """Move the clock past a value received from the server."""
    conn.exec_driver_sql(
        "UPDATE sync_state SET value = max(CAST(value AS INTEGER), ?) WHERE key = 'hlc'",
        (received,))
