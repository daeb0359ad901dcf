"""The laptop's side of a customer hand-over (issue 19.4): which customer a pending change
belongs to, so the sync can tell a change refused because its customer was handed away
(left on the server for the manager) from any other refusal."""

from __future__ import annotations

from typing import Any

#: Tables that reach a customer only through a parent: table -> (parent, its column).
_THROUGH = {"proposal_line": ("proposal", "proposal_id"),
            "negotiation_point": ("negotiation", "negotiation_id")}


def customer_of(conn: Any, table: str, values: dict[str, Any]) -> str | None:
    """The id of the customer a row of `table` (its current values here) belongs to, or
    None for a row of no customer (a target, a research note)."""
    if table == "customer":
        return str(values["id"])
    if values.get("customer_id"):
        return str(values["customer_id"])
    through = _THROUGH.get(table)
    if through is None or not values.get(through[1]):
        return None
    parent, column = through
    row = conn.exec_driver_sql(f'SELECT customer_id FROM "{parent}" WHERE id = ?',
                               (values[column],)).fetchone()
    return None if row is None else str(row[0])
