"""The customer search index: SQLite FTS5 with the trigram tokenizer, kept current by triggers.

All SQLite-only search SQL lives here. One document per live customer, keyed by the customer's
rowid: its name, its live contacts' names, e-mails and phones (as typed, and as digits), the
customer's and contacts' notes, its industry and its source detail. The trigram tokenizer
matches any substring of three or more characters, case-insensitively, in any script (CJK
included), so "cme" finds "Acme" and "株式会" finds "東京株式会社".

Two characters ("精密", "大明") have no trigram of their own. Every column of the view ends
with a line break, so every occurrence of two characters starts some indexed trigram (the
two, then the next character or that final break). `two_char_terms` reads the index's own
vocabulary (`customer_fts_vocab`, an fts5vocab table: a range read, no second copy of any
text) for the trigrams that start with the two, and the query asks for any of them.

The FTS table is *external content*: it reads its text from the view `customer_search_doc`
and stores only the index, not a second copy of the text.

Keeping it current. Triggers on `customer` and `contact` see every write path (store, import,
raw bulk inserts) with no extra code. They cannot write to the FTS table themselves: with
`PRAGMA trusted_schema=OFF` (engine.py) SQLite 3.40 refuses a virtual table inside a trigger
("unsafe use of virtual table"). So each trigger queues the customer in the plain table
`customer_fts_pending`, together with the document as it is *before* the change (an
external-content index can only remove a document with the exact text it indexed), and
`sync_search_index` applies the queue. The store runs it before every search: a cheap read
when nothing is queued, one short write transaction otherwise.

Write paths must not use `INSERT OR REPLACE` on `customer` or `contact`: SQLite deletes the
old row without firing delete triggers (unless recursive_triggers is on). Use an UPDATE or
`INSERT ... ON CONFLICT DO UPDATE`. A migration that rebuilds either table must call
`drop_search_index(conn)` before and `create_search_index(conn)` after (see there).

The same function creates the indexes the customer list needs to sort, filter, count and
page 100,000 customers by keyset (PERFORMANCE-NOTES: keyset 0.04 ms at any depth).
"""
# Over 400 lines on purpose: the search index's tables, triggers and views must match each
# other statement by statement.

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import cast

from sqlalchemy import ColumnElement, Integer, column, literal_column, text
from sqlalchemy.engine import Connection
from sqlalchemy.sql.selectable import TextualSelect

#: The FTS5 table, and the view it reads its text from.
FTS_TABLE = "customer_fts"
DOC_VIEW = "customer_search_doc"
PENDING_TABLE = "customer_fts_pending"
VOCAB_TABLE = "customer_fts_vocab"

#: Trigram matching needs at least this many characters in a search term.
MIN_TRIGRAM = 3
#: Shorter terms down to this length are served through the vocabulary (see the docstring).
MIN_SEARCH = 2
#: A two-character term that starts more trigrams than this reads only the first ones: the
#: expression stays bounded; two Latin letters are followed by fewer than this in practice.
MAX_TERMS = 400

#: Columns of the index, in order (also the columns of the view, after `doc_id`).
FTS_COLUMNS: tuple[str, ...] = (
    "name",
    "people",
    "emails",
    "phones",
    "digits",
    "notes",
    "industry",
    "source_detail",
)

# The separators a phone number is typed with; what is left are its digits.
_PHONE_PUNCTUATION = (" ", "-", "(", ")", ".", "+", "/", "\u3000")


def _digits_sql(expr: str) -> str:
    for char in _PHONE_PUNCTUATION:
        expr = f"replace({expr}, '{char}', '')"
    return expr


def _contacts(value: str, extra: str = "") -> str:
    """A subquery joining one value of every live contact of `c`, in a fixed order."""
    where = "ct.customer_id = c.id AND ct.deleted_at IS NULL"
    if extra:
        where += f" AND {extra}"
    # ORDER BY in a subquery under an aggregate is kept (it is never flattened), so the
    # same data always yields the same text: needed to remove a document from the index.
    return (
        f"(SELECT group_concat(v, char(10)) FROM "
        f"(SELECT {value} AS v FROM contact AS ct WHERE {where} ORDER BY ct.id))"
    )


def _ended(expr: str) -> str:
    """A column's text with a final line break (NULL stays NULL): see the module docstring."""
    return f"({expr}) || char(10)"


_VIEW_SQL = f"""
CREATE VIEW {DOC_VIEW} AS
SELECT
    c.rowid AS doc_id,
    {_ended("c.name")} AS name,
    {_ended(_contacts("ct.name"))} AS people,
    {_ended(_contacts("ct.email", "ct.email IS NOT NULL"))} AS emails,
    {_ended(_contacts("ct.phone", "ct.phone IS NOT NULL"))} AS phones,
    {_ended(_contacts(
        _digits_sql("ifnull(ct.phone, '')") + " || ' ' || "
        + _digits_sql("ifnull(ct.phone_normalized, '')"),
        "(ct.phone IS NOT NULL OR ct.phone_normalized IS NOT NULL)",
    ))} AS digits,
    {_ended("ifnull(c.notes, '') || char(10) || ifnull("
            + _contacts("ct.notes", "ct.notes IS NOT NULL") + ", '')")} AS notes,
    {_ended("c.industry")} AS industry,
    {_ended("c.source_detail")} AS source_detail
FROM customer AS c
WHERE c.deleted_at IS NULL
"""

_COLS = ", ".join(FTS_COLUMNS)

_FTS_SQL = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({_COLS}, "
    f"content='{DOC_VIEW}', content_rowid='doc_id', tokenize='trigram')"
)


# The index's vocabulary, read for two-character terms (stores nothing itself).
_VOCAB_SQL = f"CREATE VIRTUAL TABLE {VOCAB_TABLE} USING fts5vocab({FTS_TABLE}, 'row')"

_PENDING_COLS = ", ".join(f"p.{c}" for c in FTS_COLUMNS)
_DOC_COLS = ", ".join(f"d.{c}" for c in FTS_COLUMNS)

_PENDING_SQL = (
    f"CREATE TABLE {PENDING_TABLE} (doc_id INTEGER PRIMARY KEY, indexed INTEGER NOT NULL, "
    + ", ".join(FTS_COLUMNS)
    + ")"
)


def _capture(rowid_sql: str) -> str:
    """Queue a customer's document, with the text the index holds for it now.

    OR IGNORE keeps the first capture since the last sync: that is what the index holds.
    """
    return (
        f"INSERT OR IGNORE INTO {PENDING_TABLE}(doc_id, indexed, {_COLS}) "
        f"SELECT k.id, d.doc_id IS NOT NULL, {_DOC_COLS} "
        f"FROM (SELECT {rowid_sql} AS id) AS k LEFT JOIN {DOC_VIEW} AS d ON d.doc_id = k.id "
        f"WHERE k.id IS NOT NULL "
        f"AND NOT EXISTS (SELECT 1 FROM {PENDING_TABLE} AS q WHERE q.doc_id = k.id);"
    )


def _customer_of(ref: str) -> str:
    return f"(SELECT rowid FROM customer WHERE id = {ref}.customer_id)"


_CUSTOMER_COLS = "name, industry, source_detail, notes, deleted_at, id"
_CONTACT_COLS = "name, email, phone, phone_normalized, notes, deleted_at, customer_id"

#: name -> (timing and event, body). Each captures the document as it is before the change;
#: a new customer is not in the index yet. The view only shows live customers, so a
#: soft-deleted customer's document is removed at the next sync and never found again.
_TRIGGERS: dict[str, tuple[str, str]] = {
    "customer_fts_ai": (
        "AFTER INSERT ON customer",
        f"INSERT OR IGNORE INTO {PENDING_TABLE}(doc_id, indexed) VALUES (new.rowid, 0);",
    ),
    "customer_fts_bu": (f"BEFORE UPDATE OF {_CUSTOMER_COLS} ON customer", _capture("old.rowid")),
    "customer_fts_bd": ("BEFORE DELETE ON customer", _capture("old.rowid")),
    "contact_fts_bi": ("BEFORE INSERT ON contact", _capture(_customer_of("new"))),
    "contact_fts_bu": (
        f"BEFORE UPDATE OF {_CONTACT_COLS} ON contact",
        # A contact moved to another customer changes both documents.
        _capture(_customer_of("old")) + " " + _capture(_customer_of("new")),
    ),
    "contact_fts_bd": ("BEFORE DELETE ON contact", _capture(_customer_of("old"))),
}

#: Indexes for sorting, filtering, counting and keyset paging the customer list, and for
#: the next planned contact. Mostly partial on live customers (the store's queries say
#: `customer.deleted_at IS NULL` literally) and covering the sort keys, so a page or a count
#: reads an index alone instead of one table row per match (3-8 us each at 100k here).
#: The open-plan ones carry the literal WHERE of ix_contact_plan_open (see store/agenda.py):
#: one customer's earliest open plan, and open plans in (time, customer) order.
_LIST_INDEXES: dict[str, str] = {
    "ix_customer_list_updated": "customer (updated_at, id) WHERE deleted_at IS NULL",
    "ix_customer_list_idle": (
        "customer (coalesce(last_activity_at, created_at), id) WHERE deleted_at IS NULL"
    ),
    # Not partial: with deleted_at among its columns it covers a name-prefix search, so
    # SQLite prefers it to ix_customer_name_nocase (which it makes redundant).
    "ix_customer_list_name": (
        "customer (name COLLATE NOCASE, id, deleted_at, updated_at, last_activity_at, "
        "created_at)"
    ),
    "ix_customer_list_stage": "customer (stage, updated_at, id) WHERE deleted_at IS NULL",
    "ix_contact_plan_open_customer": (
        "contact_plan (customer_id, scheduled_at) "
        "WHERE status = 'planned' AND deleted_at IS NULL"
    ),
    "ix_contact_plan_open_next": (
        "contact_plan (scheduled_at, customer_id) "
        "WHERE status = 'planned' AND deleted_at IS NULL"
    ),
}

#: Above this many queued documents a full rebuild is quicker than one-by-one updates.
_REBUILD_ABOVE = 5000


def create_search_index(conn: Connection) -> None:
    """Create (or re-create) the search index, its triggers and the list indexes; fill it.

    Idempotent: safe on a new database (inside `create_schema`) and after a migration.
    """
    drop_search_index(conn)
    conn.exec_driver_sql(_VIEW_SQL)
    conn.exec_driver_sql(_FTS_SQL)
    conn.exec_driver_sql(_VOCAB_SQL)
    conn.exec_driver_sql(_PENDING_SQL)
    for name, (when, body) in _TRIGGERS.items():
        conn.exec_driver_sql(f"CREATE TRIGGER {name} {when} BEGIN {body} END")
    create_list_indexes(conn)
    rebuild_search_index(conn)


def drop_search_index(conn: Connection) -> None:
    """Drop the index, its queue, its view and its triggers (not the list indexes).

    A migration that rebuilds `customer` or `contact` (create new, copy, drop, rename) must
    call this first: SQLite refuses `ALTER TABLE ... RENAME` while a view or trigger names
    a table that is gone ("error in view customer_search_doc: no such table"). Afterwards,
    `create_search_index` puts everything back and re-indexes.
    """
    for name in _TRIGGERS:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    for table in (VOCAB_TABLE, FTS_TABLE, PENDING_TABLE):
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")
    conn.exec_driver_sql(f"DROP VIEW IF EXISTS {DOC_VIEW}")


def create_list_indexes(conn: Connection) -> None:
    """The customer list's indexes (idempotent; part of `create_search_index`)."""
    for name, definition in _LIST_INDEXES.items():
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def rebuild_search_index(conn: Connection) -> None:
    """Re-index every live customer from the view (also repairs an index that drifted)."""
    conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    conn.exec_driver_sql(f"DELETE FROM {PENDING_TABLE}")


def index_is_stale(conn: Connection) -> bool:
    """True when writes since the last sync are waiting to be indexed (a cheap read)."""
    return conn.exec_driver_sql(f"SELECT 1 FROM {PENDING_TABLE} LIMIT 1").first() is not None


def sync_search_index(conn: Connection) -> int:
    """Bring the index up to date with the queued writes; returns how many documents.

    Run in a write transaction. Triggers cannot write to the FTS table themselves: with
    `PRAGMA trusted_schema=OFF` (engine.py) SQLite 3.40 refuses virtual tables in triggers.
    """
    queued = int(conn.exec_driver_sql(f"SELECT count(*) FROM {PENDING_TABLE}").scalar_one())
    if queued == 0:
        return 0
    if queued > _REBUILD_ABOVE:
        rebuild_search_index(conn)
        return queued
    conn.exec_driver_sql(
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_COLS}) "
        f"SELECT 'delete', p.doc_id, {_PENDING_COLS} FROM {PENDING_TABLE} AS p WHERE p.indexed"
    )
    conn.exec_driver_sql(
        f"INSERT INTO {FTS_TABLE}(rowid, {_COLS}) "
        f"SELECT d.doc_id, {_DOC_COLS} FROM {PENDING_TABLE} AS p "
        f"JOIN {DOC_VIEW} AS d ON d.doc_id = p.doc_id"
    )
    conn.exec_driver_sql(f"DELETE FROM {PENDING_TABLE}")
    return queued


def has_search_index(conn: Connection) -> bool:
    row = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", (FTS_TABLE,)
    ).first()
    return row is not None


def check_search_index(conn: Connection) -> None:
    """Raise (a database error) if the index disagrees with the customers' text."""
    conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('integrity-check')")


# -- queries ------------------------------------------------------------------------------

_PHONE_LIKE = re.compile(r"^[\d\s\-().+/\u3000]+$")


def phone_digits(text: str) -> str:
    """The digits of a phone fragment ("(02) 345-678" -> "02345678"), any script's digits."""
    return "".join(str(unicodedata.decimal(c)) for c in text if c.isdecimal())


def _phrase(term: str) -> str:
    # A double-quoted FTS5 string is matched literally; a quote inside is doubled.
    return '"' + term.replace('"', '""') + '"'


def fold_term(term: str) -> str:
    """`term` lower-cased as the trigram tokenizer folds it (one character for one)."""
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in term)


#: A function from a two-character term to the indexed trigrams that start with it.
TermExpander = Callable[[str], Sequence[str]]


def two_char_terms(conn: Connection, term: str, limit: int = MAX_TERMS,
                   docs: list[int] | None = None) -> list[str]:
    """The indexed trigrams that start with the two characters `term` (a range read). With
    `docs`, appends how many documents hold them, counted once per trigram: at least the
    number that match (fts5vocab counts them as it reads the terms anyway, issue 22)."""
    low = fold_term(term)
    rows = conn.exec_driver_sql(
        f"SELECT term, doc FROM {VOCAB_TABLE} WHERE term >= ? AND term < ? LIMIT ?",
        (low, low + "\U0010ffff", limit),
    ).all()
    if docs is not None:
        docs.append(sum(int(doc) for _term, doc in rows))
    return [str(term) for term, _doc in rows]


def _word(word: str, expand: TermExpander | None) -> str:
    if len(word) >= MIN_TRIGRAM or expand is None:
        return _phrase(word)
    terms = expand(word)
    if not terms:
        # A two-character phrase matches nothing under the trigram tokenizer: no customer.
        return _phrase(word)
    return "(" + " OR ".join(_phrase(t) for t in terms) + ")"


def fts_expression(text_query: str, expand: TermExpander | None = None) -> str | None:
    """The FTS5 MATCH expression for what the rep typed, or None if the index cannot serve it.

    Words of two characters or more must all occur (in any column, in any order); a
    two-character word through `expand` (`two_char_terms` on a connection; without it, only
    words of three or more qualify). If some words are shorter, the whole text must occur as
    typed. A phone-like text ("345 678") also matches the digits column with its digits only.
    """
    typed = " ".join(text_query.split())
    shortest = MIN_SEARCH if expand is not None else MIN_TRIGRAM
    if len(typed) < shortest:
        return None
    words = typed.split(" ")
    if all(len(w) >= shortest for w in words):
        expr = " AND ".join(_word(w, expand) for w in words)
    else:
        expr = _phrase(typed)
    if _PHONE_LIKE.match(typed):
        digits = phone_digits(typed)
        if len(digits) >= MIN_TRIGRAM:
            expr = f"digits : {_phrase(digits)} OR ({expr})"
    return expr


#: How much more a customer costs to test row by row (`doc_contains`) than to collect
#: through the index, measured at 100,000 (about 85 against 10 us a row). A page of `limit`
#: rows walks about limit * customers / matches rows; collecting reads every match; so
#: walking is quicker once matches > sqrt(WALK_COST_RATIO * limit * customers): about
#: 9,300 of 100,000 for a page of 100 (two common Latin letters: 16,000-60,000 matches,
#: 160-310 ms collected, 55-65 ms walked on a loaded machine).
WALK_COST_RATIO = 8.5


def walk_threshold(conn: Connection, limit: int) -> int:
    """The number of matches above which a page is quicker walked than collected."""
    books = conn.exec_driver_sql("SELECT max(rowid) FROM customer").scalar() or 0
    return max(1, int(math.sqrt(WALK_COST_RATIO * limit * int(books))))


def match_count(conn: Connection, expression: str, cap: int) -> int:
    """How many documents match `expression`, counted up to `cap` (streamed: cheap)."""
    row = conn.exec_driver_sql(
        f"SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? LIMIT ?)",
        (expression, cap),
    ).scalar_one()
    return int(row)


def walkable(typed: str) -> bool:
    """Whether SQLite's `lower()` (ASCII only) folds `typed` as the index does: ASCII and
    caseless characters (CJK) only; and words, not a phone number (its digits column)."""
    return all(ch.isascii() or ch.lower() == ch.upper() for ch in typed) and not (
        _PHONE_LIKE.match(typed)
    )


#: The text the index holds, as read row by row by `doc_contains`: the customer's columns,
#: and its live contacts' (the digits column is left out: `walkable` text is never digits).
_CUSTOMER_TEXT = ("name", "notes", "industry", "source_detail")
_CONTACT_TEXT = ("name", "email", "phone", "notes")


def doc_contains(words: Sequence[str]) -> ColumnElement[bool]:
    """`customer` (the outer row) has every word in its indexed text, tested row by row.

    Column by column rather than through the view: the view's ordered contact lists cost
    ~150 us a row, these plain lookups a fraction. A word never spans two columns or two
    contacts in the index either (each ends with a line break), so both find the same.
    """
    tests = []
    for i in range(len(words)):
        found = [f"instr(lower(customer.{c}), :w{i}) > 0" for c in _CUSTOMER_TEXT]
        in_contact = " OR ".join(f"instr(lower(ct.{c}), :w{i}) > 0" for c in _CONTACT_TEXT)
        found.append(
            "EXISTS (SELECT 1 FROM contact AS ct WHERE ct.customer_id = customer.id"
            f" AND ct.deleted_at IS NULL AND ({in_contact}))"
        )
        tests.append("(" + " OR ".join(found) + ")")
    clause = text(" AND ".join(tests)).bindparams(
        **{f"w{i}": fold_term(w).lower() for i, w in enumerate(words)}
    )
    return cast("ColumnElement[bool]", clause)


def fts_matches(expression: str) -> TextualSelect:
    """The rowids of the customers whose document matches (all live: see the view)."""
    return (
        text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fts_query")
        .bindparams(fts_query=expression)
        .columns(column("rowid", Integer))
    )


def fts_match(expression: str) -> ColumnElement[bool]:
    """`customer.rowid IN (documents matching expression)`, for a WHERE clause."""
    return literal_column("customer.rowid").in_(fts_matches(expression))
