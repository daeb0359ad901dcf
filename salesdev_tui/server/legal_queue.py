"""The legal department's side of the team server: the contracts sent for review, and the
verdict (policy III.7, issue 19.5).

Run on a legal member's connection (`connect.team_connect`): row-level security shows
legal only the contracts sent for review (and their customer's name), and lets legal write
only the review columns of a sent, unsigned contract. Migration v0004's trigger stamps the
reviewer (the login role) and the time: nothing here types them. A write that row-level
security does not allow is not an error in PostgreSQL, it updates 0 rows: `record_verdict`
returns the count and the caller says so plainly.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from salesdev_tui.domain.contracts import CLAUSES
from salesdev_tui.models.enums import LegalReview
from salesdev_tui.models.stored import from_db_timestamp, scaled_to_decimal

if TYPE_CHECKING:
    import psycopg


@dataclass(frozen=True)
class QueuedContract:
    """A contract as legal sees it: whose, what, the six clauses and the review so far."""

    id: str  # 32 hex characters, as the laptop writes ids
    number: str | None
    customer: str
    owner: str
    value: Decimal
    sent_at: datetime
    review: LegalReview
    reviewer: str | None
    reviewed_at: datetime | None
    comments: str | None
    clauses: dict[str, str | None]


class AmbiguousContract(Exception):
    """An id prefix that matches more than one contract in legal's view."""


_COLUMNS = ("c.id, c.number, cu.name, c.owner, c.value, c.legal_sent_at, c.legal_review,"
            " c.legal_reviewer, c.legal_reviewed_at, c.legal_comments, "
            + ", ".join(f"c.{clause}" for clause in CLAUSES))


def _queued(row: tuple[Any, ...]) -> QueuedContract:
    (cid, number, customer, owner, value, sent, review, reviewer, reviewed,
     comments, *clauses) = row
    return QueuedContract(
        id=cid.hex, number=number, customer=str(customer or ""), owner=str(owner),
        value=scaled_to_decimal(value), sent_at=from_db_timestamp(sent),
        review=LegalReview(review), reviewer=reviewer,
        reviewed_at=from_db_timestamp(reviewed) if reviewed else None, comments=comments,
        clauses=dict(zip(CLAUSES, clauses, strict=True)))


def queue(conn: psycopg.Connection[Any], *, reviewed_too: bool = False) -> list[QueuedContract]:
    """The contracts sent for review and not signed, the longest waiting first; the ones
    still pending only unless `reviewed_too`."""
    pending = "" if reviewed_too else " AND c.legal_review = 'pending'"
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM contract c LEFT JOIN customer cu ON cu.id = c.customer_id"
        " WHERE c.legal_sent_at IS NOT NULL AND c.signed_at IS NULL"
        f" AND c.deleted_at IS NULL{pending} ORDER BY c.legal_sent_at, c.number, c.id").fetchall()
    conn.rollback()  # a read: end the transaction, hold no snapshot
    return [_queued(row) for row in rows]


def find(conn: psycopg.Connection[Any], key: str) -> QueuedContract | None:
    """The one contract legal can see whose id starts with `key` (or whose number is
    `key`); None when there is none. Raises AmbiguousContract for a short prefix."""
    prefix = key.strip().lower().replace("-", "")
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM contract c LEFT JOIN customer cu ON cu.id = c.customer_id"
        " WHERE (replace(c.id::text, '-', '') LIKE %s OR c.number = %s)"
        " AND c.deleted_at IS NULL LIMIT 2",
        (_like_prefix(prefix), key.strip())).fetchall()
    conn.rollback()
    if len(rows) > 1:
        raise AmbiguousContract(key)
    return _queued(rows[0]) if rows else None


def _like_prefix(prefix: str) -> str:
    if not prefix or any(ch not in "0123456789abcdef" for ch in prefix):
        return "-"  # matches no id (ids have no dashes once replaced)
    return prefix + "%"


def record_verdict(conn: psycopg.Connection[Any], contract_id: str, verdict: LegalReview,
                   comment: str | None) -> int:
    """Write legal's verdict and comment; the server stamps who and when. Returns the
    number of rows updated (0: row-level security does not let this user review it: not
    sent, signed meanwhile, or not a legal member). Commits."""
    cursor = conn.execute(
        "UPDATE contract SET legal_review = %s, legal_comments = %s WHERE id = %s",
        (verdict.value, comment, uuid.UUID(hex=contract_id)))
    count = cursor.rowcount
    conn.commit()
    return count
