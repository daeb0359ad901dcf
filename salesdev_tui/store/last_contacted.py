"""The maintained `customer.last_contacted_at`, for every customer at once.

Per customer, `CustomerStore.refresh_customer_facts` keeps it (every plan and contract write
path, imports, bulk inserts). This set-based pass is for the two places that fill a whole
file: the demo loader (`store.bulk_load`, whose generator does not compute the column) and
the migration to schema 4. One grouped read of the done plans, one update per customer that
has a done contact.
"""

from __future__ import annotations

from typing import Any, Protocol


class _Connection(Protocol):
    def exec_driver_sql(self, statement: str, /) -> Any: ...


def fill_last_contacted(conn: _Connection) -> None:
    """Set `last_contacted_at` of every customer with a done contact from its plans.

    The others are left as they are: NULL in a file just loaded or just given the column.
    """
    conn.exec_driver_sql(
        "UPDATE customer SET last_contacted_at = d.last FROM ("
        " SELECT customer_id, max(done_at) AS last FROM contact_plan"
        " WHERE status = 'done' AND deleted_at IS NULL GROUP BY customer_id) AS d"
        " WHERE customer.id = d.customer_id"
    )
