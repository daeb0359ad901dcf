"""The server's half of a push: merge a device's changed rows field by field.

For each changed field the device sends its value, the HLC of the change, and the HLC of
the server value it last pulled for that field (its base). If the server's field has not
changed since that base (or was last written by this same device), the device's value is
simply the newer one. Otherwise the two changes were concurrent: the later HLC wins (ties
broken by device id), and the losing value is kept in `sync_conflict`, visible to the rep
on every device (issue 18.4). Nothing is silently overwritten.

A push is one transaction per batch and idempotent: sending the same change again finds
the server value equal with the same HLC and changes nothing, so a push killed after the
server committed but before the laptop cleared its outbox is simply repeated.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from salesdev_tui.server.exchange import TableShape, as_text, shape, to_server

if TYPE_CHECKING:
    import psycopg

Stamp = tuple[int, str]  # (hlc, device)


@dataclass
class RowChange:
    """One row's changes from a device: every column's current value (storage form), and
    per changed field its change's HLC and the base HLC the device had seen."""

    table: str
    row_id: str
    values: dict[str, Any]
    changed: dict[str, tuple[int, int]]  # field -> (hlc of the change, base hlc)
    inserted: bool = False

    def field_changes(self, table: TableShape) -> dict[str, tuple[int, int]]:
        """Per field (hlc, base); a row logged as inserted (`*`) changed every field."""
        if not self.inserted:
            return {k: v for k, v in self.changed.items() if k in table.fields}
        whole = self.changed.get("*", (0, 0))
        return {name: self.changed.get(name, whole) for name in table.fields}


@dataclass
class PushResult:
    rows_written: int = 0
    conflicts: int = 0
    refused: list[str] = field(default_factory=list)  # row ids not the device's to write


def _stamp(raw: Any) -> Stamp | None:
    if not raw:
        return None
    return int(raw[0]), str(raw[1])


def push(conn: psycopg.Connection[Any], device: str, changes: list[RowChange]) -> PushResult:
    """Merge `changes` into the server in one transaction (the caller commits)."""
    from psycopg import sql

    result = PushResult()
    by_table: dict[str, list[RowChange]] = {}
    for change in changes:
        by_table.setdefault(change.table, []).append(change)
    for table_name, rows in by_table.items():
        table = shape(table_name)
        ids = [uuid.UUID(hex=row.row_id) for row in rows]
        columns = sql.SQL(", ").join(sql.Identifier(c) for c in table.columns)
        found = {
            record[0].hex: record
            for record in conn.execute(
                sql.SQL("SELECT id, field_hlc, {} FROM {} WHERE id = ANY(%s) FOR UPDATE")
                .format(columns, sql.Identifier(table.name)), (ids,))
        }
        if "customer_id" in table.columns:
            rows = _own_customers_only(conn, rows, result)
        rows = _own_parents_only(conn, table.name, rows, result)
        if table.name == "target":
            rows = _own_targets_only(rows, result)
        if table.name in _SELF_PARENT:
            rows = _parents_first(rows, _SELF_PARENT[table.name])
        _insert_new(conn, table, device, [row for row in rows if row.row_id not in found],
                    result)
        for row in rows:
            current = found.get(row.row_id)
            if current is not None:
                server_values = dict(zip(table.columns, current[2:], strict=True))
                _merge(conn, table, device, row, current[1] or {}, server_values, result)
    return result


def _own_customers_only(conn: psycopg.Connection[Any], rows: list[RowChange],
                        result: PushResult) -> list[RowChange]:
    """The rows whose customer is still this rep's; the others are refused.

    A record written offline for a customer the manager has since handed to another rep
    must not land on the server as the old rep's row under the new rep's customer (the
    server's policy refuses it too, with an error that would abort the whole batch). FOR
    SHARE holds the customers until the push commits: a handover waits for it."""
    wanted = {str(row.values.get("customer_id")) for row in rows}
    mine = {record[0].hex for record in conn.execute(
        "SELECT id FROM customer WHERE id = ANY(%s) FOR SHARE",
        ([uuid.UUID(hex=c) for c in wanted if c and c != "None"],))}
    kept = []
    for row in rows:
        if str(row.values.get("customer_id")) in mine:
            kept.append(row)
        else:
            result.refused.append(row.row_id)
    return kept


#: Columns naming a parent row the rep must own (v0002's rep_own_parents policies): a row
#: under another rep's parent is refused here, as the policy would refuse it with an error
#: that aborts the whole batch.
PARENT_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "customer": (("research_note_id", "research_note"),),
    "contact_plan": (("contact_id", "contact"),),
    "proposal_line": (("proposal_id", "proposal"),),
    "negotiation": (("proposal_id", "proposal"),),
    "negotiation_point": (("negotiation_id", "negotiation"),),
    "contract": (("proposal_id", "proposal"),),
    "milestone": (("contract_id", "contract"),),
    "progress_report": (("contract_id", "contract"),),
}


def _own_parents_only(conn: psycopg.Connection[Any], table_name: str, rows: list[RowChange],
                      result: PushResult) -> list[RowChange]:
    """The rows whose parents (a proposal line's proposal, a plan's contact…) are visible
    to this rep, i.e. the rep's own; the others are refused. FOR SHARE as above."""
    from psycopg import sql

    for column, parent in PARENT_COLUMNS.get(table_name, ()):
        wanted = {str(row.values.get(column)) for row in rows if row.values.get(column)}
        if not wanted:
            continue
        seen = {record[0].hex for record in conn.execute(
            sql.SQL("SELECT id FROM {} WHERE id = ANY(%s) FOR SHARE").format(
                sql.Identifier(parent)), ([uuid.UUID(hex=w) for w in wanted],))}
        kept = []
        for row in rows:
            value = row.values.get(column)
            if value and str(value) not in seen:
                result.refused.append(row.row_id)
            else:
                kept.append(row)
        rows = kept
    return rows


#: A table whose rows name a row of the same table (a proposal's previous version): the
#: server's foreign key wants the parent written first, whatever the ids' order.
_SELF_PARENT = {"proposal": "previous_id"}


def _parents_first(rows: list[RowChange], column: str) -> list[RowChange]:
    by_id = {row.row_id: row for row in rows}
    ordered: list[RowChange] = []
    placed: set[str] = set()

    def place(row: RowChange, seen: frozenset[str]) -> None:
        if row.row_id in placed or row.row_id in seen:
            return
        parent = by_id.get(str(row.values.get(column)))
        if parent is not None:
            place(parent, seen | {row.row_id})
        placed.add(row.row_id)
        ordered.append(row)

    for row in rows:
        place(row, frozenset())
    return ordered


def _own_targets_only(rows: list[RowChange], result: PushResult) -> list[RowChange]:
    """A target set by the manager (set_by) is the manager's to write, never a device's:
    the server's policy would refuse it with an error that aborts the whole batch."""
    kept = []
    for row in rows:
        if row.values.get("set_by"):
            result.refused.append(row.row_id)
        else:
            kept.append(row)
    return kept


#: Rows per INSERT statement.
_INSERT_ROWS = 1_000


def _insert_new(conn: psycopg.Connection[Any], table: TableShape, device: str,
                rows: list[RowChange], result: PushResult) -> None:
    """The rows the server does not show: one multi-row INSERT per slice, not one round
    trip a row (a first push sends a whole book: 2,000 demo customers are ~48,000 rows).
    The rows travel as one JSON array read by `jsonb_populate_recordset` into the table's
    own row type (each value through its column's input function: uuids, booleans and
    integers exactly as the per-row statement took them). In the rows' order, so a
    proposal's previous version precedes it (the foreign key is checked at the
    statement's end, the policies and triggers row by row as before)."""
    from psycopg import sql

    names = sql.SQL(", ").join(map(sql.Identifier, [*table.columns, "field_hlc"]))
    statement = sql.SQL(
        "INSERT INTO {table} ({names}) SELECT {names} FROM"
        " jsonb_populate_recordset(NULL::{table}, %s::jsonb) WITH ORDINALITY"
        " ORDER BY ordinality ON CONFLICT (id) DO NOTHING RETURNING id").format(
            table=sql.Identifier(table.name), names=names)
    for start in range(0, len(rows), _INSERT_ROWS):
        part = rows[start:start + _INSERT_ROWS]
        payload = []
        for row in part:
            record = {c: _json_value(to_server(table, c, row.values.get(c)))
                      for c in table.columns}
            record["field_hlc"] = {name: [hlc, device]
                                   for name, (hlc, _base) in row.field_changes(table).items()}
            payload.append(record)
        written = {found[0].hex for found in conn.execute(statement, (json.dumps(payload),))}
        for row in part:
            if row.row_id in written:
                result.rows_written += 1
            else:  # the id exists but row-level security hides it: another rep's row now
                result.refused.append(row.row_id)


def _json_value(value: Any) -> Any:
    return str(value) if isinstance(value, uuid.UUID) else value


def _merge(conn: psycopg.Connection[Any], table: TableShape, device: str, row: RowChange,
           field_hlc: dict[str, Any], server: dict[str, Any], result: PushResult) -> None:
    from psycopg import sql

    updates: dict[str, Any] = {}
    stamps = dict(field_hlc)
    for name, (hlc, base) in row.field_changes(table).items():
        mine: Stamp = (hlc, device)
        theirs = _stamp(field_hlc.get(name))
        local = to_server(table, name, row.values.get(name))
        remote = server.get(name)
        if theirs is None or theirs[1] == device or theirs[0] <= base:
            if theirs is None or mine > theirs:  # sequential: the device's is the newer
                updates[name] = local
                stamps[name] = [hlc, device]
            continue
        if local == remote:  # concurrent but the same value: keep the later stamp
            stamps[name] = list(max(mine, theirs))
            continue
        if mine > theirs:
            updates[name] = local
            stamps[name] = [hlc, device]
            _conflict(conn, table, row.row_id, name, kept=local, lost=remote,
                      kept_hlc=hlc, lost_hlc=theirs[0])
        else:
            _conflict(conn, table, row.row_id, name, kept=remote, lost=local,
                      kept_hlc=theirs[0], lost_hlc=hlc)
        result.conflicts += 1
    # Columns the laptop derives (pipeline value, first contact…) travel with any change.
    for name in table.columns:
        if name not in table.fields and name not in ("id", "created_at"):
            value = to_server(table, name, row.values.get(name))
            if value != server.get(name):
                updates[name] = value
    if not updates and stamps == field_hlc:
        return
    assignments: list[sql.Composable] = [
        sql.SQL("{} = %s").format(sql.Identifier(name)) for name in updates]
    assignments.append(sql.SQL("field_hlc = %s"))
    cursor = conn.execute(
        sql.SQL("UPDATE {} SET {} WHERE id = %s").format(
            sql.Identifier(table.name), sql.SQL(", ").join(assignments)),
        [*updates.values(), json.dumps(stamps), uuid.UUID(hex=row.row_id)])
    if cursor.rowcount != 1:  # RLS turns a forbidden update into 0 rows, not an error
        result.refused.append(row.row_id)
    else:
        result.rows_written += 1


def _conflict(conn: psycopg.Connection[Any], table: TableShape, row_id: str, name: str, *,
              kept: Any, lost: Any, kept_hlc: int, lost_hlc: int) -> None:
    # The conflict belongs to whoever owns the row, so every device of that rep sees it.
    conn.execute(
        "INSERT INTO sync_conflict (id, owner, table_name, row_id, field, kept_value,"
        " lost_value, kept_hlc, lost_hlc) SELECT %s, owner, %s, %s, %s, %s, %s, %s, %s"
        f" FROM {table.name} WHERE id = %s",
        (uuid.uuid4(), table.name, uuid.UUID(hex=row_id), name, as_text(kept), as_text(lost),
         kept_hlc, lost_hlc, uuid.UUID(hex=row_id)))
