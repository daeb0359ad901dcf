"""Spreadsheet imports: chunk after chunk, gather what the rows may match and write what the
merge decides, all in one transaction.

The rows come checked (`csv_rows`), a chunk at a time; `csv_merge_run` decides. This part
finds the stored records a chunk's rows name with batched index lookups (ids, e-mails,
normalised phones, company keys: one query per 500 keys, never one per row), and writes
with SQLAlchemy Core in bulk (PERFORMANCE-NOTES: the ORM costs about 51 µs a row). Changes
to stored records are logged in the edit history like any edit; a new customer gets its
first stage change.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session

from salesdev_tui.domain.csv_import import (
    CsvImportRefused,
    ImportResult,
    ImportRow,
    OnMatch,
    Progress,
)
from salesdev_tui.domain.csv_merge_records import ChunkWrites, Known, MergePlan, Values
from salesdev_tui.domain.csv_merge_run import MergeRun
from salesdev_tui.domain.ordered_ids import OrderedIds
from salesdev_tui.i18n import _
from salesdev_tui.models.email_rule import email_key
from salesdev_tui.models.tables import (
    Contact,
    ContactPlan,
    Customer,
    FieldEdit,
    Record,
    StageChange,
)
from salesdev_tui.store.base import StoreBase, _history_text
from salesdev_tui.store.customers import CustomerStore

#: Keys per IN (...) list, well under SQLite's limit of bound parameters.
_CHUNK = 500
#: Rows per bulk statement: large enough to be fast, small enough to show progress.
_BATCH = 5000
#: The most page cache an import takes (KiB): 48 MB wrote 100,000 leads no faster than
#: 32 MB once they were written in chunks (17.6).
_CACHE_KIB = 32 * 1024
#: Derived columns: written, never logged (the history shows what the rep's file said).
_NOT_LOGGED = frozenset({"name_key", "phone_normalized", "mobile_normalized"})

_PARTS: tuple[tuple[str, type[Record]], ...] = (
    ("customers", Customer), ("contacts", Contact), ("plans", ContactPlan),
)


class _Rollback(Exception):
    def __init__(self, result: ImportResult) -> None:
        super().__init__("rollback")
        self.result = result


def _table(model: type[Record]) -> sa.Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, sa.Table)
    return table


def _chunks(items: Iterable[Any], size: int = _CHUNK) -> Iterable[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@contextmanager
def _page_cache(session: Session, rows: int) -> Iterator[None]:
    """A page cache the size of what the import reads and writes, for this connection.

    SQLite's default (2 MB) holds a small part of the customer table's twelve indexes once
    they pass a few thousand rows: 100,000 leads wrote in 27 s with it, 21 s with 256 MB.
    About 3 KB a row, at most `_CACHE_KIB`: the cache is resident memory, and the whole
    import is to stay under 300 MB (issue 17.6; 256 MB of cache alone made most of its
    749 MB). The pooled connection gets its old size back afterwards.
    """
    connection = session.connection()
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
    wanted = min(rows * 3, _CACHE_KIB)
    if wanted > abs(int(before)):
        connection.exec_driver_sql(f"PRAGMA cache_size=-{wanted}")
    try:
        yield
    finally:
        with suppress(SQLAlchemyError):  # never hide why the import stopped
            connection.exec_driver_sql(f"PRAGMA cache_size={int(before)}")


class CsvImportStore(StoreBase):
    def import_csv_rows(
        self,
        rows: Sequence[ImportRow],
        *,
        on_match: OnMatch = OnMatch.SKIP,
        dry_run: bool = False,
        skip_bad_rows: bool = False,
        source: str = "",
        progress: Progress | None = None,
        merge_shared: bool = False,
    ) -> ImportResult:
        """`import_csv_chunks` of rows already checked, 5,000 at a time."""
        return self.import_csv_chunks(
            _chunks(rows, _BATCH), total=len(rows), on_match=on_match, dry_run=dry_run,
            skip_bad_rows=skip_bad_rows, source=source, progress=progress,
            merge_shared=merge_shared)

    def import_csv_chunks(
        self,
        chunks: Iterable[Sequence[ImportRow]],
        *,
        total: int,
        on_match: OnMatch = OnMatch.SKIP,
        dry_run: bool = False,
        skip_bad_rows: bool = False,
        source: str = "",
        progress: Progress | None = None,
        merge_shared: bool = False,
        refused: Callable[[], bool] = lambda: False,
    ) -> ImportResult:
        """Match and write checked rows, chunk after chunk, in one transaction; all or
        nothing by default.

        Each chunk's stored records are looked up, its rows planned and its new records
        written before the next chunk is read: a chunk's rows are held in full, of the rows
        before only what later rows are matched by (issue 17.6). Rows the stored
        records refuse (a contact id of another customer, …) are listed in the result's
        problems; then nothing is written unless `skip_bad_rows`, and neither when
        `refused()` says so at the end (the caller found bad rows in the file). A dry run
        decides everything and writes nothing. `source` (the file's name) is noted in the
        stage history of the customers the import creates. `merge_shared`: a row sharing a
        phone or e-mail with a customer of another name joins it (the rep said so). `total`
        (the rows of all chunks) is for the progress.
        """
        now = self.now()
        # The import's new records in id order: each lands at the end of its table's
        # primary key (random ids made 100,000 leads take 37 s instead of 23 s: 17.6).
        new_id = OrderedIds(now)
        run = MergeRun(on_match=on_match, merge_shared=merge_shared, new_id=new_id)
        done = 0

        def step(count: int) -> None:
            nonlocal done
            done += count
            if progress is not None:
                progress(_("Importing rows"), min(done, total), max(total, 1))

        def holding() -> bool:
            return dry_run or refused() or bool(run.problems and not skip_bad_rows)

        try:
            with (self.db.read() if dry_run else self.db.write()) as session, \
                    _page_cache(session, total):
                step(0)
                for chunk in chunks:
                    writes = run.chunk(chunk, self._known(session, chunk, run), step)
                    if not holding():  # once held, nothing more is written
                        self._write(session, writes, now, source, new_id)
                    step(len(chunk) % 1000)
                writes, plan = run.finish()
                if holding():
                    plan.result.rolled_back = True
                    raise _Rollback(plan.result)
                self._write(session, writes, now, source, new_id)
                self._write_stored(session, plan, now, new_id)
        except _Rollback as stop:
            return stop.result
        except IntegrityError as exc:
            raise CsvImportRefused(
                _("the database refused the rows: {why}").format(why=exc.orig or exc)
            ) from exc
        return plan.result

    # -- what the rows may match ------------------------------------------------------------

    @staticmethod
    def _select(session: Session, model: type[Record], column: str, keys: Iterable[Any],
                *, live: bool = False) -> list[Values]:
        """Full rows whose `column` is one of `keys`, 500 keys a query (an index lookup each);
        a NULL column is no key of its row's dict."""
        table = _table(model)
        found: list[Values] = []
        for chunk in _chunks(sorted(set(keys), key=str)):
            stmt = sa.select(table).where(table.c[column].in_(chunk))
            if live:
                stmt = stmt.where(table.c.deleted_at.is_(None))
            result = session.execute(stmt)
            names = list(result.keys())  # zip with the names once: RowMapping is slow
            # Empty columns left out (a missing key reads as None, as the planner reads
            # them): most of a customer's 26 are empty, and a file imported again matches
            # 100,000 of them (80 MB less; issue 17.6).
            found.extend({name: value for name, value in zip(names, row, strict=True)
                          if value is not None} for row in result)
        return found

    @staticmethod
    def _owners(session: Session, model: type[Record], column: str, keys: Iterable[str],
                owner: str, *, indexed: Callable[[str], str] | None = None) -> set[uuid.UUID]:
        """The customers of the live rows whose `column` (a text) is one of `keys`; with
        `indexed` (the SQL of an expression index's key of a column or parameter, such as
        `email_key`), whose key is the key of one of `keys`, which that index looks up.

        Through the driver: only ids come back, many of them the same customer, so they are
        made UUIDs once each rather than once a row.
        """
        table = _table(model).name
        connection = session.connection()
        found: set[str] = set()
        for chunk in _chunks(sorted(set(keys))):
            if indexed is None:
                test = f"{column} IN ({', '.join('?' for _key in chunk)})"
            else:  # numbered parameters: the key names its operand more than once
                marks = ", ".join(f"({indexed(f'?{n}')})" for n in range(1, len(chunk) + 1))
                test = f"({indexed(column)}) IN ({marks})"
            found.update(value for (value,) in connection.exec_driver_sql(
                f"SELECT {owner} FROM {table} WHERE {test} AND deleted_at IS NULL",
                tuple(chunk)))
        return {uuid.UUID(value) for value in found}

    def _known(self, session: Session, rows: Sequence[ImportRow], run: MergeRun) -> Known:
        """Every stored record a chunk's rows may name that the run does not hold yet (an
        earlier chunk loaded or made it), each loaded once."""
        known = Known()
        people = [row.contact for row in rows if row.contact]
        emails = {e for c in people if c.get("email") for e in (c["email"], c["email"].lower())}
        phones = {c[key] for c in people for key in ("phone_normalized", "mobile_normalized")
                  if c.get(key)}
        owners = self._owners(session, Contact, "email", emails, "customer_id",
                              indexed=email_key)
        owners |= self._owners(session, Contact, "phone_normalized", phones, "customer_id")
        owners |= self._owners(session, Contact, "mobile_normalized", phones, "customer_id")
        owners |= self._owners(session, Customer, "name_key",
                               {r.name_key for r in rows if r.name_key}, "id")
        owners |= {r.customer_id for r in rows if r.customer_id}
        named = self._select(session, Contact, "id", {
            r.contact_id for r in rows if r.contact_id and not run.holds("contacts", r.contact_id)})
        plans = self._select(session, ContactPlan, "id", {
            r.plan_id for r in rows if r.plan_id and not run.holds("plans", r.plan_id)})
        owners |= {values["customer_id"] for values in named + plans}
        owners = {owner for owner in owners if not run.holds("customers", owner)}
        known.customers = {v["id"]: v for v in self._select(session, Customer, "id", owners)}
        # Every live contact and plan of those customers: a row's person (and plan) is
        # matched among them. Loaded with the customer, once: a later chunk finds them held.
        live = [k for k, v in known.customers.items() if v.get("deleted_at") is None]
        contacts = self._select(session, Contact, "customer_id", live, live=True)
        known.contacts = {v["id"]: v for v in named + contacts
                          if not run.holds("contacts", v["id"])}
        plans += self._select(session, ContactPlan, "customer_id", live, live=True)
        known.plans = {v["id"]: v for v in plans if not run.holds("plans", v["id"])}
        return known

    # -- writing ----------------------------------------------------------------------------

    def _write(self, session: Session, writes: ChunkWrites, now: datetime,
               source: str, new_id: Callable[[], uuid.UUID]) -> None:
        """A chunk's new records (a new customer with its first stage change), and what later
        rows changed in records an earlier chunk made (no edits logged: they are new)."""
        stamps = {"created_at": now, "updated_at": now, "deleted_at": None}
        reason = _("imported from {file}").format(file=source) if source else _("imported")
        for part, model in _PARTS:
            extra = {"last_activity_at": now} if model is Customer else {}
            # In id order: the primary key's index grows in fewer places.
            rows = sorted(writes.new[part], key=lambda values: values["id"].hex)
            self._insert(session, model, rows, fixed={**stamps, **extra})
            if model is Customer:
                history = ({
                    "id": new_id(), "customer_id": values["id"],
                    "to_stage": values["stage"],
                } for values in rows)
                self._insert(session, StageChange, history, fixed={
                    **stamps, "from_stage": None, "changed_at": now, "reason": reason,
                    "warnings": None})
            del rows
            self._update(session, model, {
                record_id: {name: (None, value) for name, value in values.items()}
                for record_id, values in writes.changes[part].items()}, now)

    def _write_stored(self, session: Session, plan: MergePlan, now: datetime,
                      new_id: Callable[[], uuid.UUID]) -> None:
        """The changes to stored records, each logged in the edit history (its first old
        value, its last new one), and the activity times and facts of their customers."""
        stamps = {"created_at": now, "updated_at": now, "deleted_at": None}
        edits: list[Values] = []
        for part, model in _PARTS:
            owner_of = plan.owners[part]
            for record_id, changes in plan.changes[part].items():
                owner = record_id if model is Customer else owner_of[record_id]
                edits.extend({
                    "id": new_id(), **stamps, "customer_id": owner,
                    "entity": model.__tablename__, "entity_id": record_id, "field": name,
                    "old_value": _history_text(old), "new_value": _history_text(new),
                    "edited_at": now, "edited_by": self.actor or None,
                } for name, (old, new) in changes.items() if name not in _NOT_LOGGED)
            self._update(session, model, plan.changes[part], now)
        self._insert(session, FieldEdit, edits)
        customer = _table(Customer)
        for chunk in _chunks(plan.touched | set(plan.changes["customers"])):
            session.execute(sa.update(customer).where(customer.c.id.in_(chunk)).values(
                updated_at=now, last_activity_at=now))
        if plan.facts:
            CustomerStore.refresh_customer_facts(session, plan.facts)

    @staticmethod
    def _insert(session: Session, model: type[Record], rows: Iterable[Values],
                fixed: Values | None = None) -> None:
        """Insert through the driver: the column types' conversions, done once per value.

        Core runs every bind conversion per row; most of an import's values repeat (the
        import's time in four columns of every row, enums, flags), so they are converted
        once and reused: this halved the writing time of 10,000 leads. `fixed` holds the
        values every row shares (they win over the row's); a column in neither is NULL.
        """
        connection = session.connection()
        dialect = connection.dialect
        table = _table(model)
        columns = list(table.columns)
        convert = [column.type.bind_processor(dialect) for column in columns]
        # Text and ids are mostly unique: converting them is cheap, caching them is not.
        cached = [not isinstance(column.type, sa.String | sa.Uuid) for column in columns]
        memo: list[dict[Any, Any]] = [{} for _column in columns]
        names = ", ".join(column.name for column in columns)
        marks = ", ".join("?" for _column in columns)
        sql = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"
        fixed = fixed or {}

        def value(index: int, raw: Any) -> Any:
            fn = convert[index]
            if raw is None or fn is None:
                return raw
            if not cached[index]:
                return fn(raw)
            seen = memo[index]
            if raw not in seen:
                seen[raw] = fn(raw)
            return seen[raw]

        # Each fixed value converted once; the others read from the row (None when absent).
        shared = {i: value(i, fixed[column.name]) for i, column in enumerate(columns)
                  if column.name in fixed}
        own = [(i, column.name) for i, column in enumerate(columns) if column.name not in fixed]
        width = len(columns)
        for batch in _chunks(rows, _BATCH):
            params = []
            for row in batch:
                cells: list[Any] = [None] * width
                for i, shared_value in shared.items():
                    cells[i] = shared_value
                for i, name in own:
                    cells[i] = value(i, row.get(name))
                params.append(tuple(cells))
            connection.exec_driver_sql(sql, params)

    @staticmethod
    def _update(session: Session, model: type[Record],
                changes: dict[uuid.UUID, dict[str, tuple[Any, Any]]], now: datetime) -> None:
        table = _table(model)
        # One bulk UPDATE per set of changed columns (bind names must differ from columns).
        groups: dict[tuple[str, ...], list[Values]] = {}
        for record_id, fields in changes.items():
            names = tuple(sorted(fields))
            values = {f"b_{name}": new for name, (_old, new) in fields.items()}
            groups.setdefault(names, []).append({"b_id": record_id, **values})
        for names, params in groups.items():
            statement = (
                sa.update(table)
                .where(table.c.id == sa.bindparam("b_id", type_=table.c.id.type))
                .values({**{name: sa.bindparam(f"b_{name}", type_=table.c[name].type)
                            for name in names}, "updated_at": now})
            )
            for batch in _chunks(params, _BATCH):
                session.execute(statement, batch)
