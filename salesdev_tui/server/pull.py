"""The server's half of a pull: every row the person may see that changed since their
cursor, in commit-safe order.

Each server row carries `server_txid`, the transaction that last wrote it. A transaction id
is not commit order: one that started earlier may commit later, and a cursor that simply
moved to the highest id seen would skip its rows forever. So a pull reads, in one
REPEATABLE READ snapshot, every row it sees with a txid at or above the cursor, and the
next cursor is the snapshot's xmin (every transaction below xmin has finished: committed or
rolled back). A transaction still running when the pull began is read by a later pull,
whatever its id (tests/server/test_sync.py::test_a_late_commit_is_not_skipped). Rows
already committed above xmin are read now and again next time (applying a row twice
writes the same values): with an upper bound at xmin, one long transaction anywhere in the
cluster (transaction ids are cluster-wide) would hold back every rep's pull until it ended
(test_a_long_transaction_elsewhere_does_not_stall_the_pull).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from salesdev_tui.server.exchange import TableShape, table_shapes, to_local

if TYPE_CHECKING:
    import psycopg

#: Rows per page: memory stays flat whatever the size of the first full pull.
PAGE = 2_000

#: A table whose rows name a row of the same table: its pages come in this column's order
#: first (a proposal's previous version has a lower version), so a parent is applied in
#: an earlier page than its child or the same one (the laptop's foreign key is checked at
#: each page's commit). Any order over the pulled rows will do: the cursor saved at the end
#: is the snapshot's xmin, whatever the pages' order (a killed pull is redone whole).
FIRST_ORDER = {"proposal": "version"}


@dataclass
class PulledRow:
    table: str
    values: dict[str, Any]  # storage form, as the laptop stores it
    field_hlc: dict[str, Any]


def horizon(conn: psycopg.Connection[Any]) -> int:
    """The first transaction id not yet settled for this snapshot (the next cursor)."""
    row = conn.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text").fetchone()
    assert row is not None
    return int(str(row[0]))


def changed_rows(conn: psycopg.Connection[Any], since: int, until: int, *,
                 own_only: bool = False) -> Iterator[tuple[TableShape, list[PulledRow]]]:
    """Pages of the rows seen with since <= txid, table by table (parents first); `until`
    (the next cursor) is not a bound: see the module's note. `own_only` (a rep, who may
    see only their own rows anyway) names the owner in the database's collation, so each
    page is one range of the (owner, server_txid, id) index (server migration v0005): the
    policy's own owner = current_user compares in "C" and no index serves it."""
    from psycopg import sql

    owner = sql.SQL(' AND owner = current_user::text COLLATE "default"' if own_only else "")
    for table in table_shapes():
        columns = sql.SQL(", ").join(sql.Identifier(c) for c in table.columns)
        first = FIRST_ORDER.get(table.name)
        order: sql.Composable = sql.SQL("server_txid, id")
        keyset_sql = "(server_txid, id) > (%s::xid8, %s)"
        if first is not None:
            order = sql.SQL("{}, server_txid, id").format(sql.Identifier(first))
            keyset_sql = f"({first}, server_txid, id) > (%s, %s::xid8, %s)"
        after: tuple[Any, ...] | None = None
        while True:
            keyset = sql.SQL("")
            params: list[Any] = [str(since)]
            if after is not None:
                keyset = sql.SQL(" AND " + keyset_sql)
                params += list(after)
            # The text of the txid is named apart: ORDER BY server_txid would otherwise
            # sort by that output column, as text ('100000' before '99999'), while the
            # keyset bound compares the xid8, so a page crossing a power of ten skipped
            # rows.
            rows = conn.execute(
                sql.SQL("SELECT server_txid::text AS txid_text, field_hlc, {} FROM {} WHERE"
                        " server_txid >= %s::xid8{}{} ORDER BY {}"
                        " LIMIT {}").format(columns, sql.Identifier(table.name), owner,
                                            keyset, order, sql.Literal(PAGE)),
                params).fetchall()
            if not rows:
                break
            yield table, [
                PulledRow(table.name,
                          {c: to_local(table, c, v)
                           for c, v in zip(table.columns, row[2:], strict=True)},
                          row[1] or {})
                for row in rows]
            last = rows[-1]
            after = (str(last[0]), last[2])
            if first is not None:
                after = (last[2 + table.columns.index(first)], *after)
            if len(rows) < PAGE:
                break


def changed_conflicts(conn: psycopg.Connection[Any], since: int, until: int
                      ) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT id, table_name, row_id, field, kept_value, lost_value, kept_hlc, lost_hlc,"
        " noted_at, resolved_at, resolution FROM sync_conflict"
        " WHERE server_txid >= %s::xid8", (str(since),)).fetchall()
    keys = ("id", "table_name", "row_id", "field", "kept_value", "lost_value", "kept_hlc",
            "lost_hlc", "noted_at", "resolved_at", "resolution")
    found = []
    for row in rows:
        item = dict(zip(keys, row, strict=True))
        item["id"] = item["id"].hex
        item["row_id"] = item["row_id"].hex
        item["noted_at"] = item["noted_at"].isoformat()
        found.append(item)
    return found


def gone_rows(conn: psycopg.Connection[Any], since: int, until: int) -> list[tuple[str, str]]:
    """(table, row id) of rows handed to another rep in the range: drop the local copy.

    A row handed away and back again (or away and back to this rep) is visible in this
    snapshot: it is pulled, not dropped (the handover log keeps the first move)."""
    from psycopg import sql

    found = [(str(table), row_id) for table, row_id in conn.execute(
        "SELECT table_name, row_id FROM sync_gone WHERE server_txid >= %s::xid8"
        " AND owner = current_user ORDER BY id", (str(since),))]
    visible: set[tuple[str, Any]] = set()
    for name in {table for table, _row in found}:
        ids = [row_id for table, row_id in found if table == name]
        visible.update((name, row_id) for (row_id,) in conn.execute(
            sql.SQL("SELECT id FROM {} WHERE id = ANY(%s)").format(sql.Identifier(name)),
            (ids,)))
    return [(table, row_id.hex) for table, row_id in found if (table, row_id) not in visible]
