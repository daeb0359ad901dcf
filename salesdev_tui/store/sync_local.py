"""The laptop's side of the team sync: the SQL that reads the change log and applies
what the server sends (`db/sync_log.py` keeps the log; `usecases/sync.py` runs a sync).

Everything here runs inside the caller's write transaction on the laptop's database, so a
page pulled and its cursor, or a push's outbox rows and their removal, commit together: a
sync killed at any point leaves either the state before or the state after that step.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from typing import Any

from salesdev_tui.db.sync_log import observe_hlc
from salesdev_tui.server.exchange import TableShape, shape
from salesdev_tui.server.pull import PulledRow
from salesdev_tui.server.push import RowChange

SentField = tuple[str, str, str, int]  # table, row id, field, hlc


def state(conn: Any, key: str) -> str | None:
    row = conn.exec_driver_sql("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def set_state(conn: Any, key: str, value: str) -> None:
    conn.exec_driver_sql("INSERT INTO sync_state VALUES (?, ?) ON CONFLICT (key) DO UPDATE"
                         " SET value = excluded.value", (key, value))


def is_joined(conn: Any) -> bool:
    """Whether this laptop has joined a team (its sync tables exist)."""
    return conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sync_state'"
    ).fetchone() is not None


def log_every_row(conn: Any, tables: list[str]) -> None:
    """Put every row already here in the outbox as inserted: the first sync sends them."""
    for name in tables:
        conn.exec_driver_sql(
            "INSERT OR IGNORE INTO sync_outbox (table_name, row_id, field, hlc)"
            " SELECT ?, id, '*', (SELECT CAST(value AS INTEGER) FROM sync_state"
            f" WHERE key = 'hlc') FROM \"{name}\"", (name,))


def device_id(conn: Any) -> str:
    """This laptop's id in the HLC tie-break (made once)."""
    found = state(conn, "device")
    if found is None:
        found = uuid.uuid4().hex
        set_state(conn, "device", found)
    return found


def pending_count(conn: Any) -> int:
    row = conn.exec_driver_sql(
        "SELECT count(*) FROM (SELECT DISTINCT table_name, row_id FROM sync_outbox)").fetchone()
    return int(row[0])


def pending_changes(conn: Any, limit: int) -> tuple[list[RowChange], list[SentField]]:
    """Up to `limit` changed rows with their current values and per-field (hlc, base)."""
    from salesdev_tui.server.exchange import table_shapes

    # Parents before children, across batches too: the server checks foreign keys. A
    # proposal names its previous version (a lower version): versions in order.
    rank = " ".join(f"WHEN '{t.name}' THEN {i}" for i, t in enumerate(table_shapes()))
    keys = conn.exec_driver_sql(
        f"SELECT table_name, row_id FROM (SELECT DISTINCT table_name, row_id FROM"
        f" sync_outbox) AS o ORDER BY CASE table_name {rank} END, CASE table_name"
        f" WHEN 'proposal' THEN (SELECT version FROM proposal WHERE id = o.row_id) END,"
        f" row_id LIMIT ?", (limit,)).fetchall()
    changes: list[RowChange] = []
    sent: list[SentField] = []
    for table_name, row_id in keys:
        table = shape(table_name)
        fields = conn.exec_driver_sql(
            "SELECT field, hlc FROM sync_outbox WHERE table_name = ? AND row_id = ?",
            (table_name, row_id)).fetchall()
        values = _row(conn, table, row_id)
        if values is None:  # purged since it changed: nothing to send, ever
            sent.extend((table_name, row_id, f, int(h)) for f, h in fields)
            continue
        bases = _bases(conn, table_name, row_id)
        changed = {str(f): (int(h), int(bases.get(str(f), [0])[0])) for f, h in fields}
        changes.append(RowChange(table_name, row_id, values, changed,
                                 inserted="*" in changed))
        sent.extend((table_name, row_id, str(f), int(h)) for f, h in fields)
    return changes, sent


def _row(conn: Any, table: TableShape, row_id: str) -> dict[str, Any] | None:
    columns = ", ".join(f'"{c}"' for c in table.columns)
    row = conn.exec_driver_sql(f'SELECT {columns} FROM "{table.name}" WHERE id = ?',
                               (row_id,)).fetchone()
    return None if row is None else dict(zip(table.columns, row, strict=True))


def _bases(conn: Any, table_name: str, row_id: str) -> dict[str, Any]:
    row = conn.exec_driver_sql("SELECT field_hlc FROM sync_row WHERE table_name = ? AND"
                               " row_id = ?", (table_name, row_id)).fetchone()
    return {} if row is None else dict(json.loads(row[0]))


def clear_sent(conn: Any, sent: list[SentField]) -> None:
    """Forget the outbox rows a push delivered, unless changed again since (newer hlc)."""
    conn.exec_driver_sql(
        "DELETE FROM sync_outbox WHERE table_name = ? AND row_id = ? AND field = ? AND hlc = ?",
        sent) if sent else None


def apply_pulled(conn: Any, rows: list[PulledRow]) -> tuple[set[str], int]:
    """Write the server's rows here, field by field: a field changed on this laptop since
    (pending in the outbox with a later hlc) keeps its value and is pushed next time. A row
    that is already exactly as the server has it (this laptop's own push coming back) is
    not written again. Returns the ids of the customers touched (their derived columns are
    recomputed) and the number of rows that changed here."""
    touched: set[str] = set()
    if not rows:
        return touched, 0
    conn.exec_driver_sql("INSERT OR IGNORE INTO sync_state VALUES ('applying', '1')")
    # A page comes in (txid, id) order: a row naming a row of its own table (a proposal's
    # previous version) may come before it. Checked at commit, as the page commits whole.
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    changed = 0
    try:
        pending: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
        table = shape(rows[0].table)
        ids = [row.values["id"] for row in rows]
        here: dict[str, tuple[Any, ...]] = {}
        columns = ", ".join(f'"{c}"' for c in table.columns)
        for chunk in range(0, len(ids), 500):
            part = ids[chunk:chunk + 500]
            marks = ", ".join("?" * len(part))
            for row_id, name, hlc in conn.exec_driver_sql(
                    f"SELECT row_id, field, hlc FROM sync_outbox WHERE table_name = ?"
                    f" AND row_id IN ({marks})", (table.name, *part)):
                pending[(table.name, row_id)][name] = int(hlc)
            for found in conn.exec_driver_sql(
                    f'SELECT {columns} FROM "{table.name}" WHERE id IN ({marks})', tuple(part)):
                here[found[0]] = tuple(found)
        top = 0
        for row in rows:
            top = max([top, *(int(stamp[0]) for stamp in row.field_hlc.values())])
            incoming = tuple(row.values[c] for c in table.columns)
            if here.get(row.values["id"]) == incoming:
                _remember_base(conn, table, row, set())
                continue
            mine = pending.get((table.name, row.values["id"]), {})
            _upsert(conn, table, row, mine)
            changed += 1
            customer = row.values.get("customer_id") or (
                row.values["id"] if table.name == "customer" else None)
            if customer:
                touched.add(str(customer))
        observe_hlc(conn, top)
    finally:
        conn.exec_driver_sql("DELETE FROM sync_state WHERE key = 'applying'")
    return touched, changed


def _upsert(conn: Any, table: TableShape, row: PulledRow, mine: dict[str, int]) -> None:
    kept_local = {name for name, hlc in mine.items()
                  if name != "*" and hlc > int(row.field_hlc.get(name, [0])[0])}
    if "*" in mine:  # created here and not pushed yet: the laptop's row is the newer
        kept_local |= set(table.fields)
    columns = list(table.columns)
    updated = [c for c in columns if c != "id" and c not in kept_local]
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" * len(columns))
    sets = ", ".join(f'"{c}" = excluded."{c}"' for c in updated) or '"id" = excluded."id"'
    conn.exec_driver_sql(
        f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})'
        f" ON CONFLICT (id) DO UPDATE SET {sets}",
        tuple(row.values[c] for c in columns))
    _remember_base(conn, table, row, kept_local)


def _remember_base(conn: Any, table: TableShape, row: PulledRow, kept_local: set[str]) -> None:
    # The base for the next push: what the server had. A field kept locally keeps its old
    # base, so the server sees the concurrent change and records the conflict.
    bases = _bases(conn, table.name, row.values["id"])
    for name, stamp in row.field_hlc.items():
        if name not in kept_local:
            bases[name] = stamp
    conn.exec_driver_sql(
        "INSERT INTO sync_row VALUES (?, ?, ?) ON CONFLICT (table_name, row_id)"
        " DO UPDATE SET field_hlc = excluded.field_hlc",
        (table.name, row.values["id"], json.dumps(bases)))


def save_conflicts(conn: Any, conflicts: list[dict[str, Any]]) -> None:
    for item in conflicts:
        conn.exec_driver_sql(
            "INSERT INTO sync_conflict (id, table_name, row_id, field, kept_value, lost_value,"
            " kept_hlc, lost_hlc, noted_at, resolved_at, resolution) VALUES"
            " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
            " resolved_at = coalesce(excluded.resolved_at, resolved_at),"
            " resolution = coalesce(excluded.resolution, resolution)",
            tuple(item[k] for k in ("id", "table_name", "row_id", "field", "kept_value",
                                    "lost_value", "kept_hlc", "lost_hlc", "noted_at",
                                    "resolved_at", "resolution")))


def open_conflicts(conn: Any) -> list[dict[str, Any]]:
    keys = ("id", "table_name", "row_id", "field", "kept_value", "lost_value", "noted_at")
    rows = conn.exec_driver_sql(
        f"SELECT {', '.join(keys)} FROM sync_conflict WHERE resolved_at IS NULL"
        " ORDER BY noted_at").fetchall()
    return [dict(zip(keys, row, strict=True)) for row in rows]


def resolve_conflict(conn: Any, conflict_id: str, *, restore: bool, at: str) -> bool:
    """Accept the kept value, or restore the lost one (a new local change, sent by the next
    sync like any edit). False when no open conflict has that id (or id prefix)."""
    rows = conn.exec_driver_sql(
        "SELECT id, table_name, row_id, field, lost_value FROM sync_conflict"
        " WHERE id LIKE ? AND resolved_at IS NULL", (conflict_id.lower() + "%",)).fetchall()
    if len(rows) != 1:
        return False
    found, table_name, row_id, name, lost = rows[0]
    if restore:
        table = shape(table_name)
        declared = {row[1]: str(row[2]).upper() for row in
                    conn.exec_driver_sql(f'PRAGMA table_info("{table.name}")')}
        value: Any = lost
        if lost is not None and declared.get(name, "").startswith(("INT", "BIGINT", "BOOL")):
            value = int(lost == "True") if lost in ("True", "False") else int(lost)
        conn.exec_driver_sql(f'UPDATE "{table.name}" SET "{name}" = ? WHERE id = ?',
                             (value, row_id))
    conn.exec_driver_sql(
        "UPDATE sync_conflict SET resolved_at = ?, resolution = ?, resolution_sent = 0"
        " WHERE id = ?", (at, "restored" if restore else "accepted", found))
    return True


def unsent_resolutions(conn: Any) -> list[tuple[str, str, str]]:
    return [(str(a), str(b), str(c)) for a, b, c in conn.exec_driver_sql(
        "SELECT id, resolved_at, resolution FROM sync_conflict WHERE resolution_sent = 0")]


def mark_resolutions_sent(conn: Any, ids: list[str]) -> None:
    conn.exec_driver_sql("UPDATE sync_conflict SET resolution_sent = 1 WHERE id = ?",
                         [(i,) for i in ids]) if ids else None


def drop_gone(conn: Any, gone: list[tuple[str, str]]) -> int:
    """Delete the local copies of rows handed to another rep (children before parents),
    with what the sync kept about them. Returns the number of rows deleted.

    Records made here offline for a handed-over customer were refused by the server (they
    are not this rep's to add any more): they go with it, whatever their depth (a proposal
    line under a proposal), found by SQLite's own foreign key check."""
    from salesdev_tui.server.exchange import table_shapes

    order = {t.name: i for i, t in enumerate(table_shapes())}
    if not gone:
        return 0
    conn.exec_driver_sql("INSERT OR IGNORE INTO sync_state VALUES ('applying', '1')")
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")  # until this transaction ends
    deleted = 0
    try:
        doomed = [g for g in sorted(gone, key=lambda g: -order.get(g[0], 0)) if g[0] in order]
        while doomed:
            for table_name, row_id in doomed:
                deleted += conn.exec_driver_sql(
                    f'DELETE FROM "{table_name}" WHERE id = ?', (row_id,)).rowcount
                # What the sync kept about the row goes too (a conflict holds its values).
                for bookkeeping in ("sync_outbox", "sync_row", "sync_conflict"):
                    conn.exec_driver_sql(f"DELETE FROM {bookkeeping} WHERE table_name = ?"
                                         " AND row_id = ?", (table_name, row_id))
            doomed = []
            for table_name, rowid, _parent, _fk in conn.exec_driver_sql(
                    "PRAGMA foreign_key_check").fetchall():
                if table_name in order:
                    found = conn.exec_driver_sql(
                        f'SELECT id FROM "{table_name}" WHERE rowid = ?', (rowid,)).fetchone()
                    if found is not None:
                        doomed.append((table_name, str(found[0])))
    finally:
        conn.exec_driver_sql("DELETE FROM sync_state WHERE key = 'applying'")
    return deleted
