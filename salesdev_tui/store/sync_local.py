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

    # Parents before children, across batches too: the server checks foreign keys. Table
    # by table in that order, each read along the outbox's key (no sort of the whole
    # outbox per batch: a first push holds every row of the book). A proposal names its
    # previous version (a lower version): versions in order.
    changes: list[RowChange] = []
    sent: list[SentField] = []
    for table in table_shapes():
        if len(changes) >= limit:
            break
        if table.name == "proposal":
            keys = [row_id for (row_id,) in conn.exec_driver_sql(
                "SELECT o.row_id FROM (SELECT DISTINCT row_id FROM sync_outbox WHERE"
                " table_name = 'proposal') AS o LEFT JOIN proposal p ON p.id = o.row_id"
                " ORDER BY p.version, o.row_id LIMIT ?", (limit - len(changes),))]
        else:
            keys = [row_id for (row_id,) in conn.exec_driver_sql(
                "SELECT DISTINCT row_id FROM sync_outbox WHERE table_name = ?"
                " ORDER BY row_id LIMIT ?", (table.name, limit - len(changes)))]
        for chunk in range(0, len(keys), _IN_LIST):
            _changes_of(conn, table, keys[chunk:chunk + _IN_LIST], changes, sent)
    return changes, sent


#: Ids per `IN (…)` list (SQLite's default limit of parameters is 32,766; small is plenty).
_IN_LIST = 500


def _changes_of(conn: Any, table: TableShape, keys: list[str], changes: list[RowChange],
                sent: list[SentField]) -> None:
    """The outbox rows, current values and bases of `keys` (rows of `table`), in order."""
    marks = ", ".join("?" * len(keys))
    fields: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for row_id, name, hlc in conn.exec_driver_sql(
            f"SELECT row_id, field, hlc FROM sync_outbox WHERE table_name = ?"
            f" AND row_id IN ({marks})", (table.name, *keys)):
        fields[row_id].append((str(name), int(hlc)))
    columns = ", ".join(f'"{c}"' for c in table.columns)
    values = {row[0]: dict(zip(table.columns, row, strict=True)) for row in conn.exec_driver_sql(
        f'SELECT {columns} FROM "{table.name}" WHERE id IN ({marks})', tuple(keys))}
    bases = _bases_of(conn, table.name, keys)
    for row_id in keys:
        logged = fields.get(row_id, [])
        sent.extend((table.name, row_id, f, h) for f, h in logged)
        current = values.get(row_id)
        if current is None:  # purged since it changed: nothing to send, ever
            continue
        base = bases.get(row_id, {})
        changed = {f: (h, int(base.get(f, [0])[0])) for f, h in logged}
        changes.append(RowChange(table.name, row_id, current, changed,
                                 inserted="*" in changed))


def _bases_of(conn: Any, table_name: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Per row id, each field's [hlc, device] as last pulled (rows never pulled: none)."""
    marks = ", ".join("?" * len(ids))
    return {row_id: dict(json.loads(found)) for row_id, found in conn.exec_driver_sql(
        f"SELECT row_id, field_hlc FROM sync_row WHERE table_name = ? AND row_id IN"
        f" ({marks})", (table_name, *ids))}


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
        pending: dict[str, dict[str, int]] = defaultdict(dict)
        table = shape(rows[0].table)
        ids = [row.values["id"] for row in rows]
        here: dict[str, tuple[Any, ...]] = {}
        bases: dict[str, dict[str, Any]] = {}
        columns = ", ".join(f'"{c}"' for c in table.columns)
        for chunk in range(0, len(ids), _IN_LIST):
            part = ids[chunk:chunk + _IN_LIST]
            marks = ", ".join("?" * len(part))
            for row_id, name, hlc in conn.exec_driver_sql(
                    f"SELECT row_id, field, hlc FROM sync_outbox WHERE table_name = ?"
                    f" AND row_id IN ({marks})", (table.name, *part)):
                pending[row_id][name] = int(hlc)
            for found in conn.exec_driver_sql(
                    f'SELECT {columns} FROM "{table.name}" WHERE id IN ({marks})', tuple(part)):
                here[found[0]] = tuple(found)
            bases.update(_bases_of(conn, table.name, part))
        top = 0
        # Rows written alike go in one executemany: per kept-local set of fields, the
        # same statement (most pages have one: nothing pending here).
        upserts: dict[frozenset[str], list[tuple[Any, ...]]] = defaultdict(list)
        remembered: list[tuple[str, str, str]] = []
        for row in rows:
            top = max([top, *(int(stamp[0]) for stamp in row.field_hlc.values())])
            incoming = tuple(row.values[c] for c in table.columns)
            row_id = row.values["id"]
            kept_local: frozenset[str] = frozenset()
            if here.get(row_id) != incoming:
                kept_local = _kept_local(table, row, pending.get(row_id, {}))
                upserts[kept_local].append(incoming)
                changed += 1
                customer = row.values.get("customer_id") or (
                    row_id if table.name == "customer" else None)
                if customer:
                    touched.add(str(customer))
            # The base for the next push: what the server had. A field kept locally keeps
            # its old base, so the server sees the concurrent change and records the
            # conflict.
            base = bases.get(row_id, {})
            base.update((name, stamp) for name, stamp in row.field_hlc.items()
                        if name not in kept_local)
            remembered.append((table.name, row_id, json.dumps(base)))
        for kept_local, values in upserts.items():
            conn.exec_driver_sql(_upsert_sql(table, kept_local), values)
        conn.exec_driver_sql(
            "INSERT INTO sync_row VALUES (?, ?, ?) ON CONFLICT (table_name, row_id)"
            " DO UPDATE SET field_hlc = excluded.field_hlc", remembered)
        observe_hlc(conn, top)
    finally:
        conn.exec_driver_sql("DELETE FROM sync_state WHERE key = 'applying'")
    return touched, changed


def _kept_local(table: TableShape, row: PulledRow, mine: dict[str, int]) -> frozenset[str]:
    """The fields changed on this laptop after the server's value: they stay as they are."""
    kept_local = {name for name, hlc in mine.items()
                  if name != "*" and hlc > int(row.field_hlc.get(name, [0])[0])}
    if "*" in mine:  # created here and not pushed yet: the laptop's row is the newer
        kept_local |= set(table.fields)
    return frozenset(kept_local)


def _upsert_sql(table: TableShape, kept_local: frozenset[str]) -> str:
    columns = list(table.columns)
    updated = [c for c in columns if c != "id" and c not in kept_local]
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" * len(columns))
    sets = ", ".join(f'"{c}" = excluded."{c}"' for c in updated) or '"id" = excluded."id"'
    return (f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})'
            f" ON CONFLICT (id) DO UPDATE SET {sets}")


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
