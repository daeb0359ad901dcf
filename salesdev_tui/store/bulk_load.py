"""Loading a generated book of any size into a new database, fast (`salesdev demo`, bench/).

`ExchangeStore.bulk_insert` takes model instances, all at once, through SQLAlchemy Core
(2.4x slower than the driver, PERFORMANCE-NOTES): right for an import, not for the 2.3
million rows of 100,000 demo customers. This loader takes the rows of `domain.demo_stream`
(ids and times already as stored text) and writes them with the driver's `executemany`, one
transaction per chunk, so memory stays flat at any size:

- enums and booleans are bound as they are (what their column types store), decimals and
  dates through their column's own type (`bind_processor`), so the stored bytes are exactly
  what the app writes (tests/test_bulk_load.py compares both paths byte for byte);
- the search index's triggers are dropped for the load and the index is built once at the
  end from the whole table (`create_search_index`): per-row triggers evaluate the search
  document of the customer on every contact insert;
- the secondary indexes are dropped too and made again at the end (from their own SQL in
  the schema): sorting once is cheaper than keeping them sorted row by row;
- the maintained customer columns come with the rows (the generator computes them), but
  for `pipeline_value`, computed from every proposal line in one pass at the end
  (`store.pipeline_value`, the code every other write path uses), and `last_contacted_at`,
  one pass over the done plans (`store.last_contacted`); the contract numbers
  need every contract, so they are given in one statement at the end;
- the scorecard's running sums (`db.kpi_summary`) are computed once at the end, their
  triggers dropped for the load;
- `PRAGMA synchronous=OFF` while loading: the file is new, and a crash mid-load leaves a
  demo to delete, not a rep's data. It is set back to FULL before the file is handed over.
"""

from __future__ import annotations

import gc
import multiprocessing
import sqlite3
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from queue import Empty
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import dialect as sqlite_dialect

from salesdev_tui.db import Database
from salesdev_tui.db.engine import writer
from salesdev_tui.db.kpi_summary import drop_kpi_triggers, install_kpi_summary
from salesdev_tui.db.search_index import create_search_index, drop_search_index
from salesdev_tui.domain.demo_stream import COLLECTIONS, contract_number, stream_demo
from salesdev_tui.models.tables import Contract, Record
from salesdev_tui.store.last_contacted import fill_last_contacted
from salesdev_tui.store.pipeline_value import refresh_pipeline_values

__all__ = ["DemoSpec", "LoadCounts", "Prepared", "bulk_load", "demo_chunks", "prepare"]

#: Column types whose values the driver stores as the app does without any conversion:
#: ids and times come as stored text; an enum member is a `str` holding its value (what
#: `EnumText` stores) and a bool an `int` (what `Boolean` stores). Binding these through
#: their types cost 10 % of the load.
_STORED_AS_GIVEN = ("Uuid", "UTCDateTime", "EnumText", "Boolean")
#: Page cache while loading: the random ids scatter inserts over the primary-key indexes.
_LOAD_CACHE_KIB = 131_072


@dataclass
class LoadCounts:
    """Rows written per collection, and how many chunks (transactions) it took."""

    rows: dict[str, int] = field(default_factory=dict)
    chunks: int = 0
    #: Seconds per phase: "rows" (waiting for chunks and writing them), "indexes",
    #: "numbers", "search index".
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


class _TableWriter:
    """One table's INSERT and the conversion of its rows to the tuples it binds."""

    def __init__(self, model: type[Record], dialect: sa.Dialect) -> None:
        table = model.__table__  # type: ignore[attr-defined]
        assert isinstance(table, sa.Table)
        names = [column.name for column in table.columns]
        self.sql = "INSERT INTO {table} ({columns}) VALUES ({marks})".format(
            table=table.name, columns=", ".join(names), marks=", ".join("?" * len(names))
        )
        self.values = itemgetter(*names)
        self.convert: list[tuple[int, Callable[[Any], Any]]] = []
        for index, column in enumerate(table.columns):
            if type(column.type).__name__ in _STORED_AS_GIVEN:
                continue
            processor = column.type.bind_processor(dialect)
            if processor is not None:
                self.convert.append((index, processor))

    def rows(self, rows: Iterable[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
        """The rows as tuples in column order, each value as the column type binds it."""
        values, convert = self.values, self.convert
        if not convert:
            return [values(row) for row in rows]
        out = []
        for row in rows:
            cells = list(values(row))
            for index, processor in convert:
                cells[index] = processor(cells[index])
            out.append(tuple(cells))
        return out


#: One chunk ready to write: collection name -> the tuples its INSERT binds.
Prepared = dict[str, list[tuple[Any, ...]]]


def prepare(chunks: Iterable[Mapping[str, Sequence[Mapping[str, Any]]]]) -> Iterator[Prepared]:
    """The chunks of `stream_demo` as the tuples `bulk_load` writes (no database needed)."""
    dialect = sqlite_dialect()
    writers = {name: _TableWriter(model, dialect) for name, model in COLLECTIONS.items()}
    for chunk in chunks:
        yield {name: writers[name].rows(rows) for name, rows in chunk.items() if rows}


def bulk_load(
    db: Database,
    chunks: Iterable[Prepared],
    *,
    progress: Callable[[LoadCounts], None] | None = None,
) -> LoadCounts:
    """Write prepared chunks (`prepare`, `demo_chunks`) into `db`, which must hold no customers.

    Each chunk is one transaction. The indexes are made, the contracts numbered and the
    search index built at the end; after a failure the file holds part of a demo (the
    caller tells the rep to delete it). `progress` is called after every chunk.
    """
    sql = {
        name: _TableWriter(model, db.engine.dialect).sql for name, model in COLLECTIONS.items()
    }
    counts = LoadCounts(rows=dict.fromkeys(COLLECTIONS, 0))
    with writer(db.engine).connect() as conn:
        raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        # Before any transaction: SQLite refuses to change `synchronous` inside one.
        raw.execute("PRAGMA synchronous=OFF")
        try:
            if conn.exec_driver_sql("SELECT 1 FROM customer LIMIT 1").first() is not None:
                raise ValueError("bulk_load needs a database without customers")
            drop_search_index(conn)
            drop_kpi_triggers(conn)  # the scorecard's sums are computed once, at the end
            indexes = _drop_indexes(conn)
            conn.commit()
            raw.execute(f"PRAGMA cache_size=-{_LOAD_CACHE_KIB}")
            cursor = raw.cursor()
            clock = time.perf_counter()
            for chunk in chunks:
                conn.exec_driver_sql("SELECT 1")  # opens the write transaction (BEGIN IMMEDIATE)
                for name, rows in chunk.items():
                    cursor.executemany(sql[name], rows)
                    counts.rows[name] += len(rows)
                conn.commit()
                counts.chunks += 1
                if progress is not None:
                    progress(counts)
            clock = _phase(counts, "rows", clock)
            for statement in indexes:
                conn.exec_driver_sql(statement)
            clock = _phase(counts, "indexes", clock)
            _number_contracts(conn, raw)
            # Set-based over the whole load, with the indexes in place (1.5 s at 100k).
            refresh_pipeline_values(conn, None)
            fill_last_contacted(conn)  # the generator leaves it out: one pass (~1 s at 100k)
            install_kpi_summary(conn)  # after the pipeline values it sums
            clock = _phase(counts, "numbers", clock)
            create_search_index(conn)
            conn.commit()
            _phase(counts, "search index", clock)
        finally:
            conn.rollback()  # after a failure; a no-op after the last commit
            raw.execute("PRAGMA cache_size=-2000")  # SQLite's default
            raw.execute("PRAGMA synchronous=FULL")
    return counts


@dataclass(frozen=True)
class DemoSpec:
    """What to generate: the arguments of `stream_demo`."""

    customers: int
    seed: int
    now: datetime
    zone: ZoneInfo
    years: int = 1
    chunk: int = 2_000
    pace: int | None = None

    def chunks(self) -> Iterator[Prepared]:
        return prepare(
            stream_demo(
                customers=self.customers, seed=self.seed, now=self.now, zone=self.zone,
                years=self.years, chunk=self.chunk, pace=self.pace,
            )
        )  # fmt: skip


def demo_chunks(spec: DemoSpec, *, background: bool = True) -> Iterator[Prepared]:
    """The prepared chunks of a demo; with `background`, made in a second process.

    Generating is two thirds of the work and writing one third: in a second process the
    generator runs while SQLite writes, on another core (and, on a busy machine, with its
    own share of the CPU). At most two chunks wait in between, so memory stays flat.
    """
    if not background:
        yield from spec.chunks()
        return
    context = multiprocessing.get_context("spawn")  # a clean child: no inherited connections
    queue: multiprocessing.Queue[Prepared | str | None] = context.Queue(maxsize=2)
    child = context.Process(target=_produce, args=(spec, queue), daemon=True)
    child.start()
    # Unpickled chunks are millions of new tuples: without this, the cyclic collector walks
    # them again and again (it doubled the writer's CPU time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        while True:
            try:
                item = queue.get(timeout=1.0)
            except Empty:
                if not child.is_alive():
                    raise RuntimeError("the demo generator stopped unexpectedly") from None
                continue
            if item is None:
                break
            if isinstance(item, str):
                raise RuntimeError(f"the demo generator failed:\n{item}")
            yield item
        child.join()
    finally:
        if collecting:
            gc.enable()
        if child.is_alive():
            child.terminate()
            child.join()


def _produce(spec: DemoSpec, queue: multiprocessing.Queue[Prepared | str | None]) -> None:
    """The background process: every chunk into the queue, then None (or the traceback)."""
    try:
        for chunk in spec.chunks():
            queue.put(chunk)
    except Exception:  # noqa: BLE001 - handed to the parent, which raises it
        queue.put(traceback.format_exc())
        return
    queue.put(None)


def _phase(counts: LoadCounts, name: str, since: float) -> float:
    now = time.perf_counter()
    counts.seconds[name] = now - since
    return now


def _drop_indexes(conn: sa.Connection) -> list[str]:
    """Drop the secondary indexes of the loaded tables; returns the SQL that makes them."""
    tables = ", ".join(f"'{model.__tablename__}'" for model in COLLECTIONS.values())
    found = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({tables})"
    ).all()
    for name, _sql in found:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    return [str(sql) for _name, sql in found]


def _number_contracts(conn: sa.Connection, raw: sqlite3.Connection) -> None:
    """Number every contract in drafting order within its year (the stream left the year)."""
    raw.create_function("contract_number", 2, contract_number, deterministic=True)
    table = str(Contract.__tablename__)
    conn.exec_driver_sql(
        f"UPDATE {table} SET number = contract_number(n.year, n.serial) FROM ("
        f"SELECT id, number AS year, row_number() OVER ("
        f"PARTITION BY number ORDER BY created_at, id) AS serial FROM {table}) AS n "
        f"WHERE {table}.id = n.id"
    )
