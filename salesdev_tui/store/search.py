"""Finding customers: full-text search, filters, sorting and keyset paging for the list.

Every page is one indexed query that stops after `limit` rows: never OFFSET, never all
100,000 customers (PERFORMANCE-NOTES). The text goes through the trigram index in
`db/search_index.py` when it has two characters or more (two through the index's vocabulary);
a single character matches the start of a name (NOCASE index) or of a phone number.

A page is picked in two steps: an inner query orders the matching customers by the sort
key alone and keeps `limit + 1` ids; only those rows are then read in full, with their next
planned contact. Sorting a few thousand matches costs little; computing every column for
each of them before sorting was most of the time.
"""
# Over 400 lines on purpose: the search syntax's every filter becomes SQL here, next to the
# index it uses.

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    tuple_,
    type_coerce,
)
from sqlalchemy.orm import Session, aliased

from salesdev_tui.db import StorageError
from salesdev_tui.db.search_index import (
    doc_contains,
    fts_expression,
    fts_match,
    fts_matches,
    index_is_stale,
    match_count,
    phone_digits,
    sync_search_index,
    two_char_terms,
    walkable,
)
from salesdev_tui.domain.customer_query import CustomerQuery, SortKey, cap_search_text
from salesdev_tui.models.enums import CreditRating
from salesdev_tui.models.tables import Contact, ContactPlan, CreditCheck, Customer
from salesdev_tui.models.types import UTCDateTime, to_db_timestamp
from salesdev_tui.store.base import StoreBase
from salesdev_tui.store.customer_list import COUNT_CAP, CustomerRow

#: Sorting by next contact: below this many matches, look up each match's next plan; at or
#: above it, walk the open plans in time order until the page is full.
_FEW_MATCHES = 5_000

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
    credit_rating: CreditRating | None = None
    """The latest credit rating of the customer's credit file (policy VI)."""


@dataclass(frozen=True)
class PageCursor:
    """Where the next page starts: the sort key of the last row of the page before."""

    sort: SortKey
    keys: tuple[Any, ...]
    """(sort value, customer id) of the last row."""
    planned: bool = True
    """For SortKey.NEXT: still among the customers with a planned contact."""


@dataclass(frozen=True)
class CustomerPage:
    rows: list[CustomerListRow]
    next_cursor: PageCursor | None
    """None when this is the last page."""


#: A statement of this module (SQLAlchemy 2.1 types Select by its columns).
Stmt = Select[*tuple[Any, ...]]


def _col(attr: object) -> ColumnElement[Any]:
    """A mapped attribute as the column expression it is at runtime (sqlmodel types it Mapped)."""
    return cast("ColumnElement[Any]", attr)


_C = Customer
_P = aliased(ContactPlan, name="p")
_Q = aliased(ContactPlan, name="q")
_CT = aliased(Contact, name="ct")
_ID = _col(_C.id)
_NAME_KEY: ColumnElement[str] = _col(_C.name).collate("NOCASE")
# The same expression as the index ix_customer_list_idle, so SQLite walks that index.
_IDLE_KEY: ColumnElement[datetime] = type_coerce(
    func.coalesce(_col(_C.last_activity_at), _col(_C.created_at)), UTCDateTime
)

_NEXT_PLAN_AT: ColumnElement[str] = type_coerce(
    select(func.min(_col(_P.scheduled_at)))
    .where(_col(_P.customer_id) == _ID, _OPEN_P)
    .correlate(_C)
    .scalar_subquery(),
    String,
)
"""The customer's earliest open plan, as stored text (partial index on open plans)."""

_HAS_OPEN_PLAN: ColumnElement[bool] = exists(
    select(1).where(_col(_P.customer_id) == _ID, _OPEN_P).correlate(_C)
)

# The latest rating of the credit file: one indexed lookup per row shown (≤ 100 a page).
_LATEST_RATING = (
    select(_col(CreditCheck.rating))
    .where(_col(CreditCheck.customer_id) == _ID, _col(CreditCheck.deleted_at).is_(None))
    .order_by(_col(CreditCheck.checked_on).desc(), _col(CreditCheck.created_at).desc())
    .limit(1)
    .correlate(_C)
    .scalar_subquery()
)

# Times are read as their stored text and parsed here: `datetime.fromisoformat` is about ten
# times quicker than the column type's strptime, which was most of a page's Python time.
_ROW_COLUMNS = (
    _ID,
    _col(_C.name),
    _col(_C.stage),
    _col(_C.potential),
    _col(_C.industry),
    _col(_C.source),
    type_coerce(_col(_C.last_activity_at), String).label("last_activity_at"),
    type_coerce(_col(_C.updated_at), String).label("updated_at"),
    type_coerce(_IDLE_KEY, String).label("quiet_since"),
    _LATEST_RATING.label("credit_rating"),
)


def _time(stored: str | None) -> datetime | None:
    """A stored UTC time ("2026-11-16 06:30:00.000000") as an aware datetime."""
    return None if stored is None else datetime.fromisoformat(stored).replace(tzinfo=UTC)


def _prefix(column: ColumnElement[Any], typed: str) -> ColumnElement[bool]:
    return and_(column >= typed, column < typed + _TOP)


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _keyset(
    key: ColumnElement[Any],
    ident: ColumnElement[Any],
    keys: tuple[Any, ...],
    *,
    descending: bool = False,
) -> list[ColumnElement[bool]]:
    """Rows after the cursor `keys` = (sort value, customer id) in (key, id) order.

    The row-value comparison alone is exact; the plain range on `key` before it is what lets
    SQLite start inside the index instead of scanning up to the cursor.
    """
    value, last_id = keys
    if isinstance(value, datetime):
        value = to_db_timestamp(value)  # the stored text
    bound = literal(value, type_=String)
    after = tuple_(bound, literal(last_id, type_=_ID.type))
    if descending:
        return [key <= bound, tuple_(key, ident) < after]
    return [key >= bound, tuple_(key, ident) > after]


def _expression(session: Session, typed: str, docs: list[int] | None = None) -> str | None:
    """The MATCH expression for `typed` (two-character words read the index's vocabulary;
    with `docs`, how many documents hold each one's trigrams, see `two_char_terms`)."""
    if not typed:
        return None
    conn = session.connection()
    return fts_expression(typed, lambda term: two_char_terms(conn, term, docs=docs))


#: Where the page stops collecting every match and sorting them (each match a customer row
#: read, ~3 us at 100,000) and walks the sort order instead, testing each row against the
#: matches gathered once into a set (~0.9 us a match, ~0.05 us a row walked): above
#: sqrt(SET_WALK_RATIO * limit * customers) matches, ~1,400 of 1,000,000 for a page of 100.
SET_WALK_RATIO = 0.02
#: Where the set itself (counting the matches, then gathering them: ~0.9 us a match) costs
#: more than testing each walked row's text (`doc_contains`, ~22 us a row): above
#: sqrt(DOC_WALK_RATIO * limit * customers) matches, ~15,600 of 100,000 and ~49,000 of
#: 1,000,000 for a page of 100. Measured at 100,000 (load 6): 4,159 matches 14 ms with the
#: set, 65 ms testing text; 20,250: 34 and 24 ms; 34,197: 38 and 30 ms. Two-character
#: words only (`walkable`); a set is gathered for any other text.
DOC_WALK_RATIO = 24.4


def _walked(
    session: Session, typed: str, expression: str | None, limit: int,
    docs: list[int] | None = None,
) -> ColumnElement[bool] | None:
    """For a text with many matches, the test that lets the page walk the sort order and
    stop when it is full: the customer's rowid in the set of matches gathered once, or
    (two characters, most of the book) its text tested row by row; None: collect the
    matches through the index and sort them (few matches, issue 22). `docs`: what
    `_expression` read of a single two-character word (an upper bound of its matches)."""
    if expression is None:
        return None
    conn = session.connection()
    books = int(conn.exec_driver_sql("SELECT max(rowid) FROM customer").scalar() or 0)
    words = typed.split(" ")
    by_text = walkable(typed) and min(len(w) for w in words) == 2
    floor = max(1, int(math.sqrt(SET_WALK_RATIO * limit * books)))
    ceiling = max(floor, int(math.sqrt(DOC_WALK_RATIO * limit * books)))
    if by_text and len(words) == 1 and docs and docs[0] < ceiling:
        # Fewer matches than the bound: no need to count them (~0.1-0.3 us a match).
        found = docs[0] if docs[0] < floor else floor
    else:
        found = match_count(conn, expression, ceiling if by_text else floor)
    if found < floor:
        return None
    if by_text and found >= ceiling:
        return doc_contains(words)
    # The unary + keeps SQLite from reading the customers by rowid from the set (and
    # sorting them all): it walks the sort order's index and probes the set per row.
    return literal_column("+customer.rowid").in_(fts_matches(expression))


def _typed(query: CustomerQuery) -> str:
    """The query's text, whitespace collapsed and capped (the core's cap: see customer_query)."""
    return " ".join(cap_search_text(query.text)[0].split())


def _conditions(
    query: CustomerQuery, now: datetime, expression: str | ColumnElement[bool] | None
) -> list[ColumnElement[bool]]:
    """Live, matching the text (`expression`, from `_expression`, or a row test from
    `_walked`) and every filter."""
    where: list[ColumnElement[bool]] = [_col(_C.deleted_at).is_(None)]
    typed = _typed(query)
    if isinstance(expression, str):
        where.append(fts_match(expression))
    elif expression is not None:
        where.append(expression)
    elif typed:
        # One character: no index term is that short. The start of a name or a phone number.
        short = [_prefix(_NAME_KEY, typed)]
        digits = phone_digits(typed)
        if digits and len(digits) == len(typed.replace(" ", "")):
            phone = _col(_CT.phone_normalized)
            short.append(
                exists(
                    select(1).where(
                        _col(_CT.customer_id) == _ID,
                        _col(_CT.deleted_at).is_(None),
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
        where.append(now - timedelta(days=query.idle_days) >= _IDLE_KEY)
    return where


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
            docs: list[int] = []
            expr = _expression(session, _typed(query), docs)
            if query.sort is SortKey.NEXT:
                return self._next_sorted(session, query, after, limit, now, expr)
            walk = _walked(session, _typed(query), expr, limit, docs)
            keyed = self._keyed(query, after, limit + 1, now, expr if walk is None else walk)
            rows = self._page(session, keyed, query.sort, now)
        cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            cursor = PageCursor(query.sort, self._key_of(query.sort, rows[-1]))
        return CustomerPage(rows=rows, next_cursor=cursor)

    def count_customers(self, query: CustomerQuery, *, now: datetime | None = None) -> int:
        """How many live customers match, counted up to COUNT_CAP + 1 (more = "10,000+").

        `now` (default: the store's clock) only matters to an `idle:` filter.
        """
        now = now or self.now()
        self._sync_search_index()
        with self.db.read() as session:
            expr = _expression(session, _typed(query))
            return self._count(session, query, now, COUNT_CAP + 1, expr)

    def quick_find(self, text: str, limit: int = 10) -> list[CustomerRow]:
        """Customers for "jump to customer": names starting with `text` first, then any match."""
        typed = " ".join(cap_search_text(text)[0].split())
        if not typed:
            return []
        self._sync_search_index()
        now = self.now()
        by_name = CustomerQuery(text=typed, sort=SortKey.NAME)
        with self.db.read() as session:
            starts = (
                select(_ID)
                .where(_col(_C.deleted_at).is_(None), _prefix(_NAME_KEY, typed))
                .order_by(_NAME_KEY, _ID)
                .limit(limit)
            )
            found = self._page(session, starts, SortKey.NAME, now)
            expr = _expression(session, typed)
            if len(found) < limit and expr is not None:
                anywhere = self._keyed(by_name, None, limit, now, expr)
                seen = {r.id for r in found}
                more = self._page(session, anywhere, SortKey.NAME, now)
                found += [r for r in more if r.id not in seen][: limit - len(found)]
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

    # -- pages ----------------------------------------------------------------------------

    @staticmethod
    def _count(
        session: Session, query: CustomerQuery, now: datetime, cap: int, expression: str | None
    ) -> int:
        if expression is not None and not query.has_filters:
            # Text alone: the index holds live customers only, so count its matches without
            # reading a customer row for each.
            found = fts_matches(expression).subquery("found")
            matching = select(literal(1)).select_from(found).limit(cap).subquery()
        else:
            matching = (
                select(literal(1))
                .select_from(_C)
                .where(*_conditions(query, now, expression))
                .limit(cap)
            ).subquery()
        return int(session.execute(select(func.count()).select_from(matching)).scalar_one())

    @staticmethod
    def _keyed(
        query: CustomerQuery,
        after: PageCursor | None,
        limit: int,
        now: datetime,
        expr: str | ColumnElement[bool] | None,
    ) -> Stmt:
        """The ids of one page, in order (updated, name or idle)."""
        stmt = select(_ID).where(*_conditions(query, now, expr))
        if query.sort is SortKey.UPDATED:
            key: ColumnElement[Any] = _col(_C.updated_at)
            stmt = stmt.order_by(key.desc(), _ID.desc())
            if after is not None:
                stmt = stmt.where(*_keyset(key, _ID, after.keys, descending=True))
        else:
            key = _NAME_KEY if query.sort is SortKey.NAME else _IDLE_KEY
            stmt = stmt.order_by(key, _ID)
            if after is not None:
                stmt = stmt.where(*_keyset(key, _ID, after.keys))
        return stmt.limit(limit)

    def _page(
        self,
        session: Session,
        keyed: Stmt,
        sort: SortKey,
        now: datetime,
        *,
        planned: bool = False,
    ) -> list[CustomerListRow]:
        """Read the customers whose ids `keyed` selects (and, if `planned`, their next plan)."""
        page = keyed.subquery("page")
        ids = page.c[0]
        plan_at = page.c[1] if planned else _NEXT_PLAN_AT
        stmt = select(*_ROW_COLUMNS, plan_at.label("next_plan_at")).join_from(
            _C, page, ids == _ID
        )
        if sort is SortKey.UPDATED:
            stmt = stmt.order_by(_col(_C.updated_at).desc(), _ID.desc())
        elif sort is SortKey.IDLE:
            stmt = stmt.order_by(_IDLE_KEY, _ID)
        elif sort is SortKey.NAME or not planned:
            stmt = stmt.order_by(_NAME_KEY, _ID)
        else:
            stmt = stmt.order_by(plan_at, _ID)
        return [self._row(r, now) for r in session.execute(stmt).all()]

    def _next_sorted(
        self,
        session: Session,
        query: CustomerQuery,
        after: PageCursor | None,
        limit: int,
        now: datetime,
        expr: str | None,
    ) -> CustomerPage:
        """Planned customers by their next contact, then the unplanned ones by name."""
        rows: list[CustomerListRow] = []
        if after is None or after.planned:
            # Text matches are looked up one by one (the text index is the quick way in);
            # for filters alone, count first to choose.
            few = bool(query.text.strip()) or (
                self._count(session, query, now, _FEW_MATCHES, expr) < _FEW_MATCHES
            )
            keyed = self._planned(query, after, limit + 1, now, expr, few=few)
            rows = self._page(session, keyed, SortKey.NEXT, now, planned=True)
            if len(rows) > limit:
                rows = rows[:limit]
                last = rows[-1]
                return CustomerPage(rows, PageCursor(SortKey.NEXT, (last.next_plan_at, last.id)))
            after = None
        room = limit - len(rows)
        keyed = select(_ID).where(*_conditions(query, now, expr), ~_HAS_OPEN_PLAN)
        if after is not None and after.keys:
            keyed = keyed.where(*_keyset(_NAME_KEY, _ID, after.keys))
        keyed = keyed.order_by(_NAME_KEY, _ID).limit(room + 1)
        more = self._page(session, keyed, SortKey.NAME, now)
        if len(more) <= room:
            return CustomerPage(rows + more, None)
        if room == 0:
            # The page ended with the last planned customer: the next starts the unplanned.
            return CustomerPage(rows, PageCursor(SortKey.NEXT, (), planned=False))
        rows += more[:room]
        last = rows[-1]
        return CustomerPage(rows, PageCursor(SortKey.NEXT, (last.name, last.id), planned=False))

    @staticmethod
    def _planned(
        query: CustomerQuery,
        after: PageCursor | None,
        limit: int,
        now: datetime,
        expr: str | None,
        *,
        few: bool,
    ) -> Stmt:
        """(id, next plan) of the planned customers of one page, soonest first."""
        at: ColumnElement[Any]
        ident: ColumnElement[Any]
        if few:
            # Few matches: look up each one's next plan, then sort them.
            matches = (
                select(_ID.label("id"), _NEXT_PLAN_AT.label("next_at"))
                .where(*_conditions(query, now, expr))
                # LIMIT -1 (none) keeps SQLite from flattening this into the query below,
                # which would look the next plan up once per mention instead of once.
                .limit(-1)
                .subquery("matches")
            )
            at, ident = matches.c.next_at, matches.c.id
            stmt = select(ident, at).where(at.is_not(None))
        else:
            # Many: walk the open plans in time order and keep each customer's first one,
            # until the page is full.
            earlier = exists(
                select(1).where(
                    _col(_Q.customer_id) == _col(_P.customer_id),
                    _OPEN_Q,
                    tuple_(_col(_Q.scheduled_at), _col(_Q.id))
                    < tuple_(_col(_P.scheduled_at), _col(_P.id)),
                )
            )
            # (time, customer) is the order of ix_contact_plan_open_next: no sort, and the
            # walk stops when the page is full.
            at = type_coerce(_col(_P.scheduled_at), String)
            ident = _col(_P.customer_id)
            stmt = (
                select(ident, at)
                .select_from(_P)
                .join(_C, _col(_P.customer_id) == _ID)
                .where(_OPEN_P, ~earlier, *_conditions(query, now, expr))
            )
        if after is not None:
            stmt = stmt.where(*_keyset(at, ident, after.keys))
        return stmt.order_by(at, ident).limit(limit)

    # -- rows -----------------------------------------------------------------------------

    @staticmethod
    def _row(r: Any, now: datetime) -> CustomerListRow:
        quiet_since = _time(r.quiet_since)
        assert quiet_since is not None  # created_at is NOT NULL
        return CustomerListRow(
            id=r.id,
            name=r.name,
            stage=r.stage,
            potential=r.potential,
            industry=r.industry,
            source=r.source,
            next_plan_at=_time(r.next_plan_at),
            last_activity_at=_time(r.last_activity_at),
            updated_at=_time(r.updated_at) or now,
            quiet_since=quiet_since,
            days_idle=max(0, (now - quiet_since).days),
            credit_rating=CreditRating(r.credit_rating) if r.credit_rating else None,
        )

    @staticmethod
    def _key_of(sort: SortKey, row: CustomerListRow) -> tuple[Any, ...]:
        if sort is SortKey.UPDATED:
            return (row.updated_at, row.id)
        if sort is SortKey.NAME:
            return (row.name, row.id)
        return (row.quiet_since, row.id)
