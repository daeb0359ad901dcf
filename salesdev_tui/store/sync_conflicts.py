"""The open sync conflicts as the TUI's conflicts screen lists them: each with the customer
its record belongs to (the conflict itself names only a table, a row and a field).

Reads only; a conflict is resolved by `store.sync_local.resolve_conflict`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Records that belong to a customer through their parent, not a customer_id of their own.
_THROUGH_PARENT = {
    "proposal_line": ("proposal", "proposal_id"),
    "negotiation_point": ("negotiation", "negotiation_id"),
}


@dataclass(frozen=True)
class ConflictRow:
    id: str
    table_name: str
    row_id: str
    field: str
    kept_value: str | None
    lost_value: str | None
    noted_at: str
    customer_id: str | None
    """The customer the record belongs to; None for one that belongs to none (a target)
    or no longer exists here."""
    customer_name: str | None


def _has_customer_id(conn: Any, table: str) -> bool:
    return any(row[1] == "customer_id"
               for row in conn.exec_driver_sql(f'PRAGMA table_info("{table}")'))


def _customer_of(conn: Any, table: str, row_id: str) -> str | None:
    if table == "customer":
        return row_id
    if table in _THROUGH_PARENT:
        parent, link = _THROUGH_PARENT[table]
        row = conn.exec_driver_sql(
            f'SELECT p.customer_id FROM "{table}" c JOIN "{parent}" p ON p.id = c."{link}"'
            " WHERE c.id = ?", (row_id,)).fetchone()
    elif _has_customer_id(conn, table):
        row = conn.exec_driver_sql(f'SELECT customer_id FROM "{table}" WHERE id = ?',
                                   (row_id,)).fetchone()
    else:
        return None
    return None if row is None or row[0] is None else str(row[0])


def open_conflict_rows(conn: Any) -> list[ConflictRow]:
    """Every conflict not yet accepted or restored, oldest first."""
    from salesdev_tui.store.sync_local import open_conflicts

    found = []
    names: dict[str, str | None] = {}
    for item in open_conflicts(conn):
        customer = _customer_of(conn, str(item["table_name"]), str(item["row_id"]))
        if customer is not None and customer not in names:
            row = conn.exec_driver_sql("SELECT name FROM customer WHERE id = ?",
                                       (customer,)).fetchone()
            names[customer] = None if row is None else str(row[0])
        found.append(ConflictRow(
            id=str(item["id"]), table_name=str(item["table_name"]), row_id=str(item["row_id"]),
            field=str(item["field"]), kept_value=item["kept_value"],
            lost_value=item["lost_value"], noted_at=str(item["noted_at"]),
            customer_id=customer, customer_name=names.get(customer) if customer else None))
    return found


def accept_stamp_conflicts(conn: Any, fields: frozenset[str], at: str) -> int:
    """Accept the open conflicts on `fields` (the app's own stamps); the next sync tells
    the server, like a rep's accept. Returns how many."""
    if not fields:
        return 0
    marks = ", ".join("?" * len(fields))
    return int(conn.exec_driver_sql(
        "UPDATE sync_conflict SET resolved_at = ?, resolution = 'accepted',"
        f" resolution_sent = 0 WHERE resolved_at IS NULL AND field IN ({marks})",
        (at, *sorted(fields))).rowcount)
