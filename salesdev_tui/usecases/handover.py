"""Customer hand-over (issue 19.4): the manager moves customers from one rep to another
(`salesdev team hand-over`); the next syncs move the laptops' copies.

On the server a hand-over changes the customer's owner and triggers move every record
under it (server/handover.py checks that all moved). The old rep's next sync drops every
copy: every table, what the sync kept about the rows, the search index, and the freed pages
(`usecases.sync`, `store.sync_local.drop_gone`). The new rep's next sync pulls the customer
with its whole history: the hand-over rewrote each row, so each is newer than their cursor.

The old rep's unsent changes to a handed-over customer. Row-level security forbids writing
them into rows that are now another rep's, so the server refuses them. Nothing is silently
lost: before the laptop forgets them, the sync leaves each refused change (its fields and
values) on the server in `handover_leftover`, in the same transaction as the push, for the
manager to read (`salesdev team leftovers`) and pass to the new rep; the sync's report
counts them. Then the old laptop's copy is removed like the rest.
"""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

from salesdev_tui.server.roles import TeamRole

if TYPE_CHECKING:
    import psycopg

    from salesdev_tui.db import Database
    from salesdev_tui.server.handover import HandOverResult, Leftover
    from salesdev_tui.server.push import RowChange

#: Names the ids of left changes: the same change left twice (a sync killed after the
#: server committed, before the laptop forgot it) is one row on the server.
_LEFTOVER_NAMESPACE = uuid.UUID("6f1d0c36-4f0c-4a8e-9d7e-2f4f3d1c8b52")


def require_manager(role: TeamRole, user: str) -> None:
    """Refuse plainly when `user` is not a manager on the team server."""
    from salesdev_tui.i18n import _
    from salesdev_tui.server.handover import Refused

    if role is not TeamRole.MANAGER:
        raise Refused(_("Only a manager can do this: {user} is a {role} on the team"
                            " server.").format(user=user, role=role.value))


def hand_over_customers(conn: psycopg.Connection[Any], role: TeamRole, user: str, *,
                        to_rep: str, customers: list[str] | None = None,
                        from_rep: str | None = None) -> HandOverResult:
    """Hand `customers` (ids or exact names; every customer of `from_rep` when None) to
    `to_rep`, all or nothing, and commit. Raises ServerError saying why."""

    from salesdev_tui.i18n import _
    from salesdev_tui.server.handover import (
        Refused,
        check_rep,
        customers_of,
        find_customers,
        hand_over,
        manager_write,
    )

    require_manager(role, user)
    if from_rep is not None and from_rep == to_rep:
        raise Refused(_("--from and --to name the same rep ({name}).").format(name=to_rep))
    with manager_write(conn):
        check_rep(conn, to_rep, "--to")
        if from_rep is not None:
            check_rep(conn, from_rep, "--from")
        if customers:
            found = find_customers(conn, customers, from_rep)
        elif from_rep is not None:
            found = customers_of(conn, from_rep)
        else:
            raise Refused(_("Name the customers to hand over, or --from REP --all."))
        result = hand_over(conn, found, to_rep)
    return result


def team_leftovers(conn: psycopg.Connection[Any], role: TeamRole, user: str) -> list[Leftover]:
    """Changes old reps made offline to customers handed away (for the manager)."""
    import psycopg

    from salesdev_tui.server.handover import leftovers, refusal

    require_manager(role, user)
    try:
        found = leftovers(conn)
    except psycopg.Error as exc:
        raise refusal(exc) from None
    finally:
        conn.rollback()
    return found


def leave_refused_changes(db: Database, server: psycopg.Connection[Any], device: str,
                          changes: list[RowChange], refused: list[str]) -> int:
    """Inside the push's server transaction: leave on the server the refused changes whose
    customer was handed away from this rep (see the module's note). Returns how many."""
    from salesdev_tui.store.handover_local import customer_of

    if not refused:
        return 0
    wanted = set(refused)
    with db.read() as session:
        conn = session.connection()
        owned = [(change, customer_of(conn, change.table, change.values))
                 for change in changes if change.row_id in wanted]
    customers = {c for _change, c in owned if c}
    if not customers:
        return 0
    gone = {row_id.hex for (row_id,) in server.execute(
        "SELECT DISTINCT g.row_id FROM sync_gone g WHERE g.owner = current_user"
        " AND g.table_name = 'customer' AND g.row_id = ANY(%s)"
        " AND NOT EXISTS (SELECT 1 FROM customer c WHERE c.id = g.row_id)",
        ([uuid.UUID(hex=c) for c in customers],))}
    left = 0
    for change, customer in owned:
        if customer not in gone:
            continue
        fields = (dict(change.values) if change.inserted else
                  {name: change.values.get(name) for name in change.changed})
        latest = max(hlc for hlc, _base in change.changed.values())
        key = uuid.uuid5(_LEFTOVER_NAMESPACE,
                         f"{device}:{change.table}:{change.row_id}:{latest}")
        left += server.execute(
            "INSERT INTO handover_leftover (id, customer_id, table_name, row_id, fields)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
            (key, uuid.UUID(hex=customer), change.table, uuid.UUID(hex=change.row_id),
             json.dumps(fields, default=str, ensure_ascii=False))).rowcount
    return left
