"""Finding customers: full-text search, filters, sorting and keyset paging for the list.

Every page is one indexed query that stops after `limit` rows: never OFFSET, never all
100,000 customers (PERFORMANCE-NOTES). The text goes through the trigram index in
`db/search_index.py` when it has three characters or more; shorter text matches the start
of a name (NOCASE index) or of a phone number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    exists,
    func,
    literal,
    or_,
    select,
    text,
    tuple_,
    type_coerce,
)
from sqlalchemy.orm import aliased

from salesdev_tui.db import StorageError
from salesdev_tui.db.search_index import (
    fts_expression,
    fts_match,
    index_is_stale,
    phone_digits,
    sync_search_index,
)
from salesdev_tui.models import Contact, ContactPlan, Customer
from salesdev_tui.models.types import UTCDateTime
from salesdev_tui.services.customer_query import CustomerQuery, SortKey
from salesdev_tui.store.base import StoreBase
from salesdev_tui.store.customers import CustomerRow

#: count_customers stops counting here; the UI shows "10,000+".
COUNT_CAP = 10_000

# The highest code point: `prefix + _TOP` is above every text that starts with `prefix`.
_TOP = "\U0010ffff"

# Written out literally so SQLite can use the partial indexes on open plans (the planner
# cannot prove `status = ?` matches their WHERE; see store/agenda.py).
_OPEN_P = text("p.status = 'planned' AND p.deleted_at IS NULL")
_OPEN_Q = text("q.status = 'planned' AND q.deleted_at IS NULL")


@dataclass(frozen=True)
class CustomerListRow(CustomerRow):
    """A line of the customer list: a CustomerRow plus how long the customer has been quiet."""

    quiet_since: datetime
    """The last activity, or the creation if there was none."""
    days_idle: int
    """Whole days from `quiet_since` to the `now` of the search."""


@dataclass(frozen=True)
class PageCursor:
    """Where the next page starts: the sort key of the last row of the page before."""

    sort: SortKey
    keys: tuple[Any, ...]
    planned: bool = True
    """For SortKey.NEXT: still among the customers with a planned contact."""


@dataclass(frozen=True)
class CustomerPage:
    rows: list[CustomerListRow]
    next_cursor: PageCursor | None
    """None when this is the last page."""


_C = Customer

#: A statement of this module (SQLAlchemy 2.1 types Select by its columns).
Stmt = Select[*tuple[Any, ...]]


def _col(attr: object) -> ColumnElement[Any]:
    """A mapped attribute as the column expression it is at runtime (sqlmodel types it Mapped)."""
    return cast("ColumnElement[Any]", attr)

_ROW_COLUMNS = (
    _col(_C.id),
    _col(_C.name),
    _col(_C.stage),
    _col(_C.potential),
    _col(_C.industry),
    _col(_C.source),
    _col(_C.last_activity_at),
    _col(_C.updated_at),
    _col(_C.created_at),
)


def _name_key() -> ColumnElement[str]:
    return _col(_C.name).collate("NOCASE")


def _idle_key() -> ColumnElement[datetime]:
    # Same expression as the index ix_customer_list_idle, so SQLite walks that index.
    return type_coerce(func.coalesce(_col(_C.last_activity_at), _col(_C.created_at)), UTCDateTime)


def _next_plan_at() -> ColumnElement[datetime]:
    """The customer's earliest open plan (partial index ix_contact_plan_open_customer)."""
    p = aliased(ContactPlan, name="p")
    return type_coerce(
        select(func.min(_col(p.scheduled_at)))
        .where(_col(p.customer_id) == _col(_C.id), _OPEN_P)
        .correlate(_C)
        .scalar_subquery(),
        UTCDateTime,
    )


def _has_open_plan() -> ColumnElement[bool]:
    p = aliased(ContactPlan, name="p")
    return exists(select(1).where(_col(p.customer_id) == _col(_C.id), _OPEN_P).correlate(_C))


def _prefix(column: ColumnElement[str], typed: str) -> ColumnElement[bool]:
    return and_(column >= typed, column < typed + _TOP)


class SearchStore(StoreBase):
    def search_customers(
        self,
        query: CustomerQuery,
        *,
        after: PageCursor | None = None,
        limit: int = 100,
        now: datetime,
    ) -> CustomerPage:
        """One page of the live customers that match `query`, in its sort order.

        Pass the page's `next_cursor` as `after` for the following page. A cursor from
        another sort order starts again at the top.
        """
        self._sync_search_index()
        if after is not None and after.sort is not query.sort:
            after = None
        with self.db.read() as session:
            if query.sort is SortKey.NEXT:
                rows, cursor = self._next_sorted(session, query, after, limit, now)
            else:
                stmt = self._sorted(query, after, limit + 1, now)
                rows = [self._row(r, now) for r in session.execute(stmt).all()]
                cursor = None
                if len(rows) > limit:
                    rows = rows[:limit]
                    cursor = PageCursor(query.sort, self._key_of(query.sort, rows[-1]))
        return CustomerPage(rows=rows, next_cursor=cursor)

    def count_customers(self, query: CustomerQuery, *, now: datetime) -> int:
        """How many live customers match, counted up to COUNT_CAP + 1 (more = "10,000+")."""
        self._sync_search_index()
        matching = (
            select(literal(1))
            .select_from(_C)
            .where(*self._conditions(query, now))
            .limit(COUNT_CAP + 1)
            .subquery()
        )
        with self.db.read() as session:
            return int(session.execute(select(func.count()).select_from(matching)).scalar_one())

    def quick_find(self, text: str, limit: int = 10) -> list[CustomerRow]:
        """Customers for "jump to customer": names starting with `text` first, then any match."""
        typed = " ".join(text.split())
        if not typed:
            return []
        self._sync_search_index()
        now = self.now()
        by_name = CustomerQuery(sort=SortKey.NAME)
        with self.db.read() as session:
            stmt = self._base(now).where(
                *self._conditions(by_name, now), _prefix(_name_key(), typed)
            )
            found = [
                self._row(r, now)
                for r in session.execute(stmt.order_by(_name_key(), _col(_C.id)).limit(limit))
            ]
            expression = fts_expression(typed)
            if len(found) < limit and expression is not None:
                seen = [r.id for r in found]
                stmt = self._base(now).where(*self._conditions(by_name, now), fts_match(expression))
                if seen:
                    stmt = stmt.where(_col(_C.id).not_in(seen))
                stmt = stmt.order_by(_name_key(), _col(_C.id)).limit(limit - len(found))
                found += [self._row(r, now) for r in session.execute(stmt)]
        return list(found)

    # -- the index ------------------------------------------------------------------------

    def _sync_search_index(self) -> None:
        """Index what was written since the last search (triggers queue it; see search_index)."""
        with self.db.read() as session:
            stale = index_is_stale(session.connection())
        if not stale:
            return
        try:
            with self.db.write() as session:
                sync_search_index(session.connection())
        except StorageError:
            # Read-only file or a busy writer: search what is indexed; the next search retries.
            pass

    # -- building the queries -------------------------------------------------------------

    @staticmethod
    def _base(now: datetime) -> Stmt:
        return select(*_ROW_COLUMNS, _next_plan_at().label("next_plan_at")).select_from(_C)

    @staticmethod
    def _conditions(query: CustomerQuery, now: datetime) -> list[ColumnElement[bool]]:
        """Live, matching the text and every filter."""
        where: list[ColumnElement[bool]] = [_col(_C.deleted_at).is_(None)]
        typed = " ".join(query.text.split())
        expression = fts_expression(typed) if typed else None
        if expression is not None:
            where.append(fts_match(expression))
        elif typed:
            short = [_prefix(_name_key(), typed)]
            digits = phone_digits(typed)
            if digits and len(digits) == len(typed.replace(" ", "")):
                ct = aliased(Contact, name="ct")
                phone = _col(ct.phone_normalized)
                short.append(
                    exists(
                        select(1).where(
                            _col(ct.customer_id) == _col(_C.id),
                            _col(ct.deleted_at).is_(None),
                            or_(_prefix(phone, digits), _prefix(phone, "+" + digits)),
                        )
                    ).correlate(_C)
                )
            where.append(or_(*short))
        if query.stages:
            where.append(_col(_C.stage).in_(sorted(s.value for s in query.stages)))
        if query.sources:
            where.append(_col(_C.source).in_(sorted(s.value for s in query.sources)))
        if query.sizes:
            where.append(_col(_C.size).in_(sorted(s.value for s in query.sizes)))
        if query.potentials:
            where.append(_col(_C.potential).in_(sorted(p.value for p in query.potentials)))
        if query.industry:
            pattern = "%" + _escape_like(query.industry) + "%"
            where.append(type_coerce(_col(_C.industry), String).like(pattern, escape="\\"))
        if query.idle_days is not None:
            where.append(_idle_key() <= now - timedelta(days=query.idle_days))
        return where

    def _sorted(
        self, query: CustomerQuery, after: PageCursor | None, limit: int, now: datetime
    ) -> Stmt:
        stmt = self._base(now).where(*self._conditions(query, now))
        cid = _col(_C.id)
        if query.sort is SortKey.UPDATED:
            key: ColumnElement[Any] = _col(_C.updated_at)
            stmt = stmt.order_by(key.desc(), cid.desc())
            if after is not None:
                stmt = stmt.where(tuple_(key, cid) < tuple_(*_binds(after.keys, key)))
        else:
            key = _name_key() if query.sort is SortKey.NAME else _idle_key()
            stmt = stmt.order_by(key, cid)
            if after is not None:
                stmt = stmt.where(tuple_(key, cid) > tuple_(*_binds(after.keys, key)))
        return stmt.limit(limit)

    def _next_sorted(
        self,
        session: Any,
        query: CustomerQuery,
        after: PageCursor | None,
        limit: int,
        now: datetime,
    ) -> tuple[list[CustomerListRow], PageCursor | None]:
        """Planned customers by their next contact, then the unplanned ones by name."""
        rows: list[CustomerListRow] = []
        if after is None or after.planned:
            stmt = self._planned(query, after, limit + 1, now)
            rows = [self._row(r, now) for r in session.execute(stmt).all()]
            if len(rows) > limit:
                rows = rows[:limit]
                last = rows[-1]
                return rows, PageCursor(SortKey.NEXT, (last.next_plan_at, last.id))
            after = None
        key = _name_key()
        stmt = self._base(now).where(*self._conditions(query, now), ~_has_open_plan())
        if after is not None:
            stmt = stmt.where(tuple_(key, _col(_C.id)) > tuple_(*_binds(after.keys, key)))
        room = limit - len(rows)
        more = [
            self._row(r, now)
            for r in session.execute(stmt.order_by(key, _col(_C.id)).limit(room + 1)).all()
        ]
        if len(more) > room:
            more = more[:room]
        else:
            rows += more
            return rows, None
        rows += more
        last = rows[-1]
        return rows, PageCursor(SortKey.NEXT, (last.name, last.id), planned=False)

    def _planned(
        self, query: CustomerQuery, after: PageCursor | None, limit: int, now: datetime
    ) -> Stmt:
        """Customers with an open plan, soonest first."""
        cid = _col(_C.id)
        if query.text or query.has_filters:
            # Few candidates: look up each one's next plan and sort them.
            inner = (
                self._base(now)
                .where(*self._conditions(query, now), _has_open_plan())
                .subquery("cand")
            )
            next_at = inner.c.next_plan_at
            stmt = select(inner).order_by(next_at, inner.c.id)
            if after is not None:
                stmt = stmt.where(
                    tuple_(next_at, inner.c.id) > tuple_(*_binds(after.keys, next_at))
                )
            return stmt.limit(limit)
        # Everyone: walk the open plans in time order and keep each customer's first one.
        p = aliased(ContactPlan, name="p")
        q = aliased(ContactPlan, name="q")
        earlier = exists(
            select(1).where(
                _col(q.customer_id) == _col(p.customer_id),
                _OPEN_Q,
                tuple_(_col(q.scheduled_at), _col(q.id)) < tuple_(_col(p.scheduled_at), _col(p.id)),
            )
        )
        at = _col(p.scheduled_at)
        stmt = (
            select(*_ROW_COLUMNS, at.label("next_plan_at"))
            .select_from(p)
            .join(_C, cid == _col(p.customer_id))
            .where(_OPEN_P, ~earlier, *self._conditions(query, now))
            .order_by(at, cid)
        )
        if after is not None:
            stmt = stmt.where(tuple_(at, cid) > tuple_(*_binds(after.keys, at)))
        return stmt.limit(limit)

    # -- rows -----------------------------------------------------------------------------

    @staticmethod
    def _row(r: Any, now: datetime) -> CustomerListRow:
        quiet_since: datetime = r.last_activity_at or r.created_at
        return CustomerListRow(
            id=r.id,
            name=r.name,
            stage=r.stage,
            potential=r.potential,
            industry=r.industry,
            source=r.source,
            next_plan_at=r.next_plan_at,
            last_activity_at=r.last_activity_at,
            updated_at=r.updated_at,
            quiet_since=quiet_since,
            days_idle=max(0, (now - quiet_since).days),
        )

    @staticmethod
    def _key_of(sort: SortKey, row: CustomerListRow) -> tuple[Any, ...]:
        if sort is SortKey.UPDATED:
            return (row.updated_at, row.id)
        if sort is SortKey.NAME:
            return (row.name, row.id)
        return (row.quiet_since, row.id)


def _binds(keys: tuple[Any, ...], first: ColumnElement[Any]) -> list[ColumnElement[Any]]:
    """Bound values typed like the key columns (so times and ids are stored text)."""
    value, key_id = keys
    return [literal(value, type_=first.type), literal(key_id, type_=_col(_C.id).type)]


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

