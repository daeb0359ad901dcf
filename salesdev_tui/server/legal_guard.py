"""What the server did not take of a rep's contract push: the legal review and a signature
without legal's approval (migration v0004's trigger keeps the server's values).

The trigger refuses without raising, so the rest of the row and the rest of the batch are
written and a push never fails forever on one forged field. The laptop learns of it here:
inside the push's transaction, the contract fields the device changed are compared with
what the server now holds; each difference is a refusal the sync reports (`salesdev sync`,
`salesdev team status`), and the next pull brings the server's values back.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from salesdev_tui.models.enums import LegalReview
from salesdev_tui.server.exchange import shape, to_server

if TYPE_CHECKING:
    import psycopg

    from salesdev_tui.server.push import RowChange

#: The fields only legal writes, and what a signature writes.
REVIEW_FIELDS = ("legal_review", "legal_reviewer", "legal_reviewed_at", "legal_comments")
SIGNATURE_FIELDS = ("signed_at",)


@dataclass(frozen=True)
class ReviewRefusal:
    """A contract whose review (`what` = "review") or signature ("signature") the server
    kept as it was; `verdict` is what the laptop had sent."""

    contract_id: str
    number: str | None
    what: str
    verdict: str

    def as_json(self) -> dict[str, Any]:
        return {"contract_id": self.contract_id, "number": self.number, "what": self.what,
                "verdict": self.verdict}

    @classmethod
    def from_json(cls, item: dict[str, Any]) -> ReviewRefusal:
        return cls(str(item["contract_id"]), item.get("number"), str(item["what"]),
                   str(item.get("verdict") or ""))


def refused_reviews(conn: psycopg.Connection[Any],
                    changes: list[RowChange]) -> list[ReviewRefusal]:
    """The contracts of `changes` whose review or signature the server did not take."""
    table = shape("contract")
    watched = {*REVIEW_FIELDS, *SIGNATURE_FIELDS}
    sent = [change for change in changes if change.table == "contract"
            and watched & set(change.field_changes(table))]
    if not sent:
        return []
    names = ", ".join(watched_sorted := sorted(watched))
    found = {row[0].hex: dict(zip(watched_sorted, row[1:], strict=True)) for row in
             conn.execute(f"SELECT id, {names} FROM contract WHERE id = ANY(%s)",
                          ([uuid.UUID(hex=c.row_id) for c in sent],))}
    refusals = []
    for change in sent:
        server = found.get(change.row_id)
        if server is None:  # not written at all: the push reports the whole row refused
            continue
        changed = set(change.field_changes(table))
        verdict = str(change.values.get("legal_review") or "")
        differs = {name for name in changed & watched
                   if to_server(table, name, change.values.get(name)) != server[name]}
        number = change.values.get("number")
        # Sending a contract again (pending) is the rep's: only a verdict counts here.
        if verdict != LegalReview.PENDING and differs & set(REVIEW_FIELDS):
            refusals.append(ReviewRefusal(change.row_id, number, "review", verdict))
        if differs & set(SIGNATURE_FIELDS):
            refusals.append(ReviewRefusal(change.row_id, number, "signature", verdict))
    return refusals
