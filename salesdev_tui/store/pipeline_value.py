"""The maintained `customer.pipeline_value`: the value of a customer's open proposal.

The open proposal is the customer's latest live version (the highest `version` not deleted),
unless it was rejected; a customer without one has NULL. Its value is what
`services.proposals.proposal_total` computes: each line is quantity x unit price less its
discount, rounded half-even to the cent, then summed.

SQL computes it on the stored scaled integers (quantity x1000, price in cents, discount
x100), which makes the rounding an integer division. A line whose product could overflow
64 bits (never in practice, but the input limits allow it) is left to Python: its customer's
whole value is computed with `proposal_total`, so the stored value is exact either way. A
total beyond 64-bit cents cannot be stored: the column then holds `TOO_LARGE` (-1 cent,
never a real value) and readers compute that customer in Python (`exact_values`).

One place keeps the column right: `refresh_pipeline_values`, called through
`CustomerStore.refresh_customer_facts` (imports, bulk inserts, the demo loader) and
`CustomerStore.refresh_pipeline` (every proposal and line write, deleting and restoring a
customer), and by the migration to schema 3 for every customer. The scorecard reads the
column through `ix_customer_pipeline` (models/tables.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from salesdev_tui.domain.proposals import proposal_total
from salesdev_tui.models.stored import scaled_to_decimal

if TYPE_CHECKING:  # the plain-connection readers import this module before SQLAlchemy
    from sqlalchemy.engine import Connection

__all__ = [
    "LINE_CENTS",
    "OPEN_VERSION",
    "SAFE_LINE",
    "TOO_LARGE",
    "exact_values",
    "exact_values_on",
    "refresh_pipeline_values",
]

#: The stored value of a total too large for 64-bit cents (values are never negative).
TOO_LARGE = -1
_INT64_MAX = 2**63 - 1
#: Ids per statement: well under SQLite's limit on bound parameters.
_CHUNK = 500

#: A line fits 64-bit arithmetic when quantity x price x 10000 does.
SAFE_LINE = "(l.unit_price = 0 OR l.quantity <= 922337203685477 / l.unit_price)"
_NUM = "(l.quantity * l.unit_price * (10000 - l.discount_pct))"
#: The line total in cents, rounded half-even (all terms are non-negative).
LINE_CENTS = (
    f"({_NUM} / 10000000 + CASE WHEN ({_NUM} % 10000000) * 2 > 10000000 "
    f"OR (({_NUM} % 10000000) * 2 = 10000000 AND ({_NUM} / 10000000) % 2 = 1) "
    "THEN 1 ELSE 0 END)"
)
#: Proposal `p` is its customer's open one: the latest live version, not rejected.
OPEN_VERSION = (
    "p.deleted_at IS NULL AND p.status != 'rejected'"
    " AND NOT EXISTS (SELECT 1 FROM proposal AS n WHERE n.customer_id = p.customer_id"
    " AND n.deleted_at IS NULL AND n.version > p.version)"
)
_OPEN_LINES = (
    "FROM proposal AS p {join} proposal_line AS l"
    " ON l.proposal_id = p.id AND l.deleted_at IS NULL"
    f" WHERE {OPEN_VERSION} {{among}}"
)
#: Every open proposal's value from its safe lines; a proposal without lines is worth 0.
_WRITE = (
    "UPDATE customer SET pipeline_value = v.cents FROM ("
    f"SELECT p.customer_id AS customer_id, coalesce(sum({LINE_CENTS}), 0) AS cents"
    f" {_OPEN_LINES.format(join='LEFT JOIN', among='{among}')}"
    f" AND (l.id IS NULL OR {SAFE_LINE}) GROUP BY p.customer_id"
    ") AS v WHERE customer.id = v.customer_id"
)
_UNSAFE = (
    f"SELECT DISTINCT p.customer_id {_OPEN_LINES.format(join='JOIN', among='{among}')}"
    f" AND NOT {SAFE_LINE}"
)
_LINES_OF = (
    "SELECT l.quantity, l.unit_price, l.discount_pct"
    f" {_OPEN_LINES.format(join='JOIN', among='AND p.customer_id = ?')}"
)


@dataclass(frozen=True)
class _Line:
    quantity: Decimal
    unit_price: Decimal
    discount_pct: Decimal


def refresh_pipeline_values(conn: Connection, customer_ids: Iterable[uuid.UUID] | None) -> None:
    """Recompute `pipeline_value` of these customers (None: of every customer), set-based.

    Runs on the caller's connection, inside its transaction; an ORM session must be flushed
    first (`CustomerStore.refresh_pipeline` does).
    """
    if customer_ids is None:
        conn.exec_driver_sql(
            "UPDATE customer SET pipeline_value = NULL WHERE pipeline_value IS NOT NULL")
        _write(conn, "", ())
        return
    ids = sorted(customer_id.hex for customer_id in customer_ids)
    for start in range(0, len(ids), _CHUNK):
        chunk = tuple(ids[start : start + _CHUNK])
        marks = ", ".join("?" * len(chunk))
        conn.exec_driver_sql(
            f"UPDATE customer SET pipeline_value = NULL WHERE id IN ({marks})", chunk)
        _write(conn, f"AND p.customer_id IN ({marks})", chunk)


def _write(conn: Connection, among: str, params: tuple[str, ...]) -> None:
    conn.exec_driver_sql(_WRITE.format(among=among), params)
    unsafe = [row[0] for row in conn.exec_driver_sql(_UNSAFE.format(among=among), params)]
    for customer_id, value in exact_values(conn, unsafe).items():
        cents = int(value * 100)
        conn.exec_driver_sql(
            "UPDATE customer SET pipeline_value = ? WHERE id = ?",
            (cents if cents <= _INT64_MAX else TOO_LARGE, customer_id),
        )


def exact_values(conn: Connection, customer_ids: Iterable[str]) -> dict[str, Decimal]:
    """The open proposal's value of these customers (stored ids), computed in Python."""
    return exact_values_on(conn.connection.driver_connection, customer_ids)


def exact_values_on(conn: Any, customer_ids: Iterable[str]) -> dict[str, Decimal]:
    """`exact_values` on a DB-API connection (a session's own, or a plain `sqlite3` one)."""
    values: dict[str, Decimal] = {}
    for customer_id in customer_ids:
        rows = conn.execute(_LINES_OF, (customer_id,)).fetchall()
        values[customer_id] = proposal_total(
            _Line(scaled_to_decimal(q, 3), scaled_to_decimal(p, 2), scaled_to_decimal(d, 2))
            for q, p, d in rows
        )
    return values
