"""The server's half of a customer hand-over (issue 19.4), run by a manager.

The manager may change only a row's owner (column privilege and row-level security,
server/schema_sql.py); changing a customer's owner moves every record under it by trigger
(hand_over_records in v0001, hand_over_grandchildren in v0002), and each move is logged in
sync_gone for the old rep's devices to drop their copy. Row-level security turns a
forbidden update into 0 rows without an error, so every count is checked here and a
hand-over that did not move everything raises (the caller rolls the transaction back).
"""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from salesdev_tui.server.admin import ServerError

if TYPE_CHECKING:
    import psycopg

#: Tables that reach a customer only through a parent: (table, parent, its column).
GRANDCHILDREN = (("proposal_line", "proposal", "proposal_id"),
                 ("negotiation_point", "negotiation", "negotiation_id"))

_ID_PREFIX = re.compile(r"[0-9a-f]{8,32}")


class Refused(ServerError):
    """The request cannot be done as asked (a name that is no rep, a customer not found,
    not a manager); the message says why. Nothing was changed."""


@dataclass(frozen=True)
class ServerCustomer:
    id: uuid.UUID
    name: str
    owner: str


@dataclass
class HandOverResult:
    customers: list[ServerCustomer]
    to_rep: str
    moved: dict[str, int] = field(default_factory=dict)  # table -> rows moved

    @property
    def records(self) -> int:
        return sum(self.moved.values())


@contextlib.contextmanager
def manager_write(conn: psycopg.Connection[Any]) -> Iterator[None]:
    """One manager's write as one server transaction: committed when the block ends, rolled
    back on anything raised; a database error comes out as one plain ServerError."""
    import psycopg

    try:
        yield
        conn.commit()
    except psycopg.Error as exc:
        conn.rollback()
        raise refusal(exc) from None
    except BaseException:
        conn.rollback()
        raise


def refusal(exc: Exception) -> ServerError:
    """A database error during a manager's write, as one plain line (the caller rolls back)."""
    from salesdev_tui.i18n import _

    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return ServerError(_("The team server refused the change, nothing was changed: {problem}"
                         ).format(problem=first))


def reps(conn: psycopg.Connection[Any]) -> set[str]:
    return {str(name) for (name,) in conn.execute("SELECT name FROM member WHERE role = 'rep'")}


def check_rep(conn: psycopg.Connection[Any], name: str, option: str) -> None:
    from salesdev_tui.i18n import _

    if name not in reps(conn):
        raise Refused(_("{option}: {name!r} is not a rep on the team server.").format(
            option=option, name=name))


def find_customers(conn: psycopg.Connection[Any], keys: list[str],
                   from_rep: str | None = None) -> list[ServerCustomer]:
    """The customers named by `keys`: an id (or its first 8+ hex digits) or an exact name
    (any case), of `from_rep` when given. Each key must name exactly one."""
    from salesdev_tui.i18n import _, joined

    found: dict[uuid.UUID, ServerCustomer] = {}
    for key in keys:
        text = key.strip()
        compact = text.replace("-", "").lower()
        if _ID_PREFIX.fullmatch(compact):
            where, param = "replace(id::text, '-', '') LIKE %s", compact + "%"
        else:
            where, param = "lower(name) = lower(%s)", text
        params: list[Any] = [param]
        if from_rep is not None:
            where += " AND owner = %s"
            params.append(from_rep)
        rows = [ServerCustomer(*row) for row in conn.execute(
            f"SELECT id, name, owner FROM customer WHERE {where} ORDER BY name LIMIT 6",
            params)]
        if not rows:
            raise Refused(_("CUSTOMER: no customer on the team server matches {key!r}."
                                ).format(key=key))
        if len(rows) > 1:
            listed = joined(f"{row.name} ({row.id.hex[:8]}, {row.owner})" for row in rows)
            raise Refused(_("CUSTOMER: {key!r} matches more than one customer: {listed}."
                                " Give the id instead.").format(key=key, listed=listed))
        found[rows[0].id] = rows[0]
    return list(found.values())


def customers_of(conn: psycopg.Connection[Any], rep: str) -> list[ServerCustomer]:
    """Every customer of `rep`, deleted ones too (their history goes with the rest)."""
    return [ServerCustomer(*row) for row in conn.execute(
        "SELECT id, name, owner FROM customer WHERE owner = %s ORDER BY name", (rep,))]


def hand_over(conn: psycopg.Connection[Any], customers: list[ServerCustomer],
              to_rep: str) -> HandOverResult:
    """Give `customers` and all their records to `to_rep`, inside the caller's transaction."""
    from salesdev_tui.i18n import _

    moving = [c for c in customers if c.owner != to_rep]
    ids = [c.id for c in moving]
    result = HandOverResult(moving, to_rep)
    if not ids:
        return result
    changed = conn.execute("UPDATE customer SET owner = %s WHERE id = ANY(%s)"
                           " AND owner <> %s", (to_rep, ids, to_rep)).rowcount
    if changed != len(ids):  # row-level security: a refused update is 0 rows, no error
        raise ServerError(_("The team server moved {done} of {wanted} customers; nothing"
                            " was handed over.").format(done=changed, wanted=len(ids)))
    result.moved = {str(table): int(count) for table, count in conn.execute(
        "SELECT table_name, count(*) FROM sync_gone WHERE server_txid = pg_current_xact_id()"
        " GROUP BY table_name ORDER BY table_name")}
    left = _records_left_behind(conn, ids, to_rep)
    if left:
        raise ServerError(_("{count} records of these customers stayed with another owner"
                            " ({tables}); nothing was handed over.").format(
                                count=sum(left.values()), tables=", ".join(sorted(left))))
    return result


def _records_left_behind(conn: psycopg.Connection[Any], ids: list[uuid.UUID],
                         to_rep: str) -> dict[str, int]:
    """Rows under these customers whose owner is not `to_rep` (must be none)."""
    from psycopg import sql

    from salesdev_tui.models.tables import ALL_TABLES

    left: dict[str, int] = {}
    for model in ALL_TABLES:
        name = str(model.__table__.name)  # type: ignore[attr-defined]
        if "customer_id" in model.model_fields:
            query = sql.SQL("SELECT count(*) FROM {} WHERE customer_id = ANY(%s)"
                            " AND owner <> %s").format(sql.Identifier(name))
        else:
            through = next((g for g in GRANDCHILDREN if g[0] == name), None)
            if through is None:
                continue
            _table, parent, column = through
            query = sql.SQL("SELECT count(*) FROM {} t JOIN {} p ON p.id = t.{}"
                            " WHERE p.customer_id = ANY(%s) AND t.owner <> %s").format(
                                sql.Identifier(name), sql.Identifier(parent),
                                sql.Identifier(column))
        row = conn.execute(query, (ids, to_rep)).fetchone()
        if row and int(row[0]):
            left[name] = int(row[0])
    return left


@dataclass(frozen=True)
class Leftover:
    """A change a rep made offline to a customer handed away before it was sent."""

    noted_at: str
    rep: str
    customer: str
    table: str
    row_id: str
    fields: dict[str, Any]


def leftovers(conn: psycopg.Connection[Any]) -> list[Leftover]:
    """What old reps' syncs left for the manager (server/migrations/v0002.sql, part 3)."""
    return [Leftover(noted.isoformat(timespec="seconds"), str(rep), str(name or ""),
                     str(table), row_id.hex, dict(fields))
            for noted, rep, name, table, row_id, fields in conn.execute(
                "SELECT l.noted_at, l.owner, c.name, l.table_name, l.row_id, l.fields"
                " FROM handover_leftover l LEFT JOIN customer c ON c.id = l.customer_id"
                " ORDER BY l.noted_at, l.row_id")]
