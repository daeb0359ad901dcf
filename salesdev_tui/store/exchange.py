"""Every record out, and a checked document back in: all or nothing, upserted by id.

The rules of the format live in `services.exchange`; this part reads all tables, looks up the
references a document makes to records it does not hold, and writes in one transaction with
SQLAlchemy Core (bulk statements: the ORM's `add_all` costs about 51 µs a row).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import configure_mappers
from sqlmodel import Session

from salesdev_tui.db.search_index import sync_search_index
from salesdev_tui.domain.exchange import (
    COLLECTIONS,
    MAINTAINED_COLUMNS,
    ExchangeError,
    ExchangeProblem,
    RecordSet,
    Reference,
    build_record,
    columns_of,
    external_references,
    parents_first,
    record_values,
    self_references,
)
from salesdev_tui.i18n import _
from salesdev_tui.models.tables import Customer, Proposal, Record
from salesdev_tui.store.base import StoreBase
from salesdev_tui.store.customers import CustomerStore
from salesdev_tui.store.exchange_stages import stage_problems

#: Ids per IN (...) list: well under SQLite's limit of bound parameters.
_CHUNK = 500


@dataclass
class CollectionCounts:
    """What an import did (or would do) to one collection."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportSummary:
    """What an import did (or, for a dry run, would do)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: Collection name -> its counts, for every collection of the document.
    collections: dict[str, CollectionCounts] = field(default_factory=dict)

    def add(self, name: str, counts: CollectionCounts) -> None:
        self.collections[name] = counts
        self.created += counts.created
        self.updated += counts.updated
        self.unchanged += counts.unchanged


class _DryRun(Exception):
    """Raised inside the write session so that it rolls back; carries the summary out."""

    def __init__(self, summary: ImportSummary) -> None:
        super().__init__("dry run")
        self.summary = summary


def _table(model: type[Record]) -> sa.Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, sa.Table)
    return table


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


class ExchangeStore(StoreBase):
    """Export, import and bulk insertion of whole record sets."""

    def export_records(self) -> RecordSet:
        """Every row of every table, soft-deleted ones included (an export is a backup)."""
        records: RecordSet = {}
        # `build_record` needs configured mappers, and no ORM query here configures them (one
        # in another repository used to, when the Store built them all at once).
        configure_mappers()
        with self.db.read() as session:
            for name, model in COLLECTIONS:
                # Core rows and the mapper's constructor: a third faster than ORM loading.
                result = session.execute(sa.select(_table(model))).mappings()
                records[name] = [build_record(model, dict(row), derive=False) for row in result]
        return records

    def import_records(self, records: RecordSet, *, dry_run: bool = False) -> ImportSummary:
        """Upsert `records` (from `parse_document`) by id in one transaction, all or nothing.

        New ids are inserted, rows whose values differ are updated, the rest counted as
        unchanged. References to records outside the document must name rows in the database,
        and the database's own rules (unique keys, rules across columns) must hold: otherwise
        ExchangeError lists the problems and nothing is written. The maintained columns of
        the touched customers are recomputed. A dry run does all of it, then rolls back.
        """
        references = external_references(records)
        try:
            with self.db.write() as session:
                dangling = self._dangling(session, references)
                if dangling:
                    raise ExchangeError(dangling)
                summary = ImportSummary()
                touched: set[uuid.UUID] = set()
                for name, model in COLLECTIONS:
                    if name in records:
                        counts = self._upsert(session, name, model, records[name], touched)
                        summary.add(name, counts)
                touched |= self._line_owners(session, records.get("proposal_lines", []))
                session.flush()
                staged = stage_problems(session, records)
                if staged:
                    raise ExchangeError(staged)
                if touched:
                    CustomerStore.refresh_customer_facts(session, touched)
                sync_search_index(session.connection())
                if dry_run:
                    raise _DryRun(summary)
        except _DryRun as done:
            return done.summary
        return summary

    def bulk_insert(self, records: RecordSet) -> dict[str, int]:
        """Insert new records fast, in one transaction (demo data); counts per collection.

        The records must be new and consistent (no checks beyond the database's own: a broken
        rule raises ExchangeError and nothing is written). Maintained customer columns are
        computed afterwards.
        """
        counts: dict[str, int] = {}
        with self.db.write() as session:
            touched: set[uuid.UUID] = set()
            for name, model in COLLECTIONS:
                rows = [record_values(row) for row in records.get(name, [])]
                indexes = list(range(len(rows)))
                ordered = _ordered_inserts(model, rows, indexes)
                self._run(session, name, model, _insert(model), ordered)
                touched.update(_customer_ids(model, rows))
                counts[name] = len(rows)
            if touched:
                CustomerStore.refresh_customer_facts(session, touched)
            # Index the whole load now, in the same transaction, rather than making the
            # rep's first search pay for it (11 s at 100k customers).
            sync_search_index(session.connection())
        return counts

    # -- import steps ------------------------------------------------------------------------

    @staticmethod
    def _line_owners(session: Session, lines: Iterable[Record]) -> set[uuid.UUID]:
        """The customers of these proposal lines' proposals: a line has no `customer_id`, yet
        changes its customer's pipeline value."""
        proposals = sorted({getattr(line, "proposal_id") for line in lines})  # noqa: B009
        proposal = _table(Proposal)
        owners: set[uuid.UUID] = set()
        for chunk in _chunks(proposals):
            owners.update(session.execute(
                sa.select(proposal.c.customer_id).where(proposal.c.id.in_(chunk))).scalars())
        return owners

    @staticmethod
    def _dangling(session: Session, references: list[Reference]) -> list[ExchangeProblem]:
        """Problems for the references whose target is not in the database either."""
        wanted: dict[str, set[uuid.UUID]] = {}
        for ref in references:
            wanted.setdefault(ref.target, set()).add(ref.target_id)
        models = dict(COLLECTIONS)
        found: dict[str, set[uuid.UUID]] = {}
        for target, ids in wanted.items():
            table = _table(models[target])
            present: set[uuid.UUID] = set()
            for chunk in _chunks(sorted(ids)):
                present.update(
                    session.execute(sa.select(table.c.id).where(table.c.id.in_(chunk))).scalars()
                )
            found[target] = present
        return [
            ExchangeProblem(
                ref.collection,
                ref.index,
                ref.field,
                _(
                    "refers to {target} {id}, which is neither in the file nor in the database"
                ).format(target=ref.target, id=ref.target_id),
            )
            for ref in references
            if ref.target_id not in found[ref.target]
        ]

    def _upsert(
        self,
        session: Session,
        name: str,
        model: type[Record],
        rows: list[Record],
        touched: set[uuid.UUID],
    ) -> CollectionCounts:
        table = _table(model)
        incoming = [record_values(row) for row in rows]
        existing: dict[uuid.UUID, dict[str, Any]] = {}
        ids = [values["id"] for values in incoming]
        for chunk in _chunks(ids):
            for stored in session.execute(sa.select(table).where(table.c.id.in_(chunk))).mappings():
                existing[stored["id"]] = dict(stored)
        ignored = MAINTAINED_COLUMNS.get(name, frozenset())
        compared = [c.name for c in columns_of(model) if c.name not in ignored]
        counts = CollectionCounts()
        new_rows: list[tuple[int, dict[str, Any]]] = []
        changed: list[tuple[int, dict[str, Any]]] = []
        for index, values in enumerate(incoming):
            old = existing.get(values["id"])
            if old is None:
                new_rows.append((index, values))
            elif any(values[c] != old[c] for c in compared):
                changed.append((index, values))
                touched.update(_customer_ids(model, [old]))
            else:
                counts.unchanged += 1
        counts.created = len(new_rows)
        counts.updated = len(changed)
        touched.update(_customer_ids(model, [v for _i, v in new_rows + changed]))

        # Updates first, soft-deletions first among them, so a row deleted in the file frees
        # its unique key (a live target per period and KPI) before a new row takes it; an
        # update that points at a new row of the same table waits for the inserts.
        new_ids = {values["id"] for _i, values in new_rows}
        selfs = self_references(model)
        early = [p for p in changed if not any(p[1][f] in new_ids for f in selfs)]
        late = [p for p in changed if any(p[1][f] in new_ids for f in selfs)]
        early.sort(key=lambda pair: pair[1]["deleted_at"] is None)
        update = _update(model)
        self._run(session, name, model, update, [(i, _bind(v)) for i, v in early])
        inserts = _ordered_inserts(model, [v for _i, v in new_rows], [i for i, _v in new_rows])
        self._run(session, name, model, _insert(model), inserts)
        self._run(session, name, model, update, [(i, _bind(v)) for i, v in late])
        return counts

    @staticmethod
    def _run(
        session: Session,
        name: str,
        model: type[Record],
        statement: sa.Executable,
        rows: list[tuple[int, dict[str, Any]]],
    ) -> None:
        """Execute `statement` for `rows` (index in the document, values) in bulk.

        If the database refuses it, find the refused rows one by one (each in a savepoint)
        and raise ExchangeError naming them; the caller's transaction then rolls back.
        """
        if not rows:
            return
        try:
            with session.begin_nested():
                session.execute(statement, [values for _i, values in rows])
            return
        except IntegrityError:
            pass
        problems: list[ExchangeProblem] = []
        for index, values in rows:
            try:
                with session.begin_nested():
                    session.execute(statement, [values])
            except IntegrityError as exc:
                problems.append(_integrity_problem(name, model, index, exc))
        if not problems:  # pragma: no cover - the bulk failure must show on some row
            problems.append(ExchangeProblem(name, None, None, _("the database refused it")))
        raise ExchangeError(problems)


# --- statements and values ---------------------------------------------------------------------


def _insert(model: type[Record]) -> sa.Executable:
    return sa.insert(_table(model))


def _update(model: type[Record]) -> sa.Executable:
    # Bind names must differ from column names in an UPDATE's SET clause.
    table = _table(model)
    return (
        sa.update(table)
        .where(table.c.id == sa.bindparam("b_id", type_=table.c.id.type))
        .values({c.name: sa.bindparam(f"b_{c.name}", type_=c.type) for c in table.columns})
    )


def _bind(values: dict[str, Any]) -> dict[str, Any]:
    return {f"b_{key}": value for key, value in values.items()}


def _ordered_inserts(
    model: type[Record], rows: list[dict[str, Any]], indexes: list[int]
) -> list[tuple[int, dict[str, Any]]]:
    """(index, values) pairs with rows naming another new row of the table after it."""
    index_of = {id(values): index for values, index in zip(rows, indexes, strict=True)}
    ordered = parents_first(rows, self_references(model))
    return [(index_of[id(values)], values) for values in ordered]


def _customer_ids(model: type[Record], rows: Iterable[dict[str, Any]]) -> set[uuid.UUID]:
    """The customers whose maintained columns these rows can change."""
    if model is Customer:
        return {values["id"] for values in rows}
    if "customer_id" in _table(model).c:
        return {values["customer_id"] for values in rows if values.get("customer_id")}
    return set()


_FAILED = re.compile(r"(?P<kind>[A-Z ]+) constraint failed: (?P<what>.+)")


def _integrity_problem(
    name: str, model: type[Record], index: int, exc: IntegrityError
) -> ExchangeProblem:
    """A database refusal as a problem with the record's place and, if known, its field."""
    table = _table(model)
    text = str(exc.orig) if exc.orig is not None else str(exc)
    match = _FAILED.search(text)
    kind, what = (match["kind"], match["what"].strip()) if match else ("", text)
    if kind == "CHECK":
        for constraint in table.constraints:
            if isinstance(constraint, sa.CheckConstraint) and constraint.name == what:
                rule = str(constraint.sqltext)
                field_name = _first_column(table, rule)
                return ExchangeProblem(
                    name, index, field_name, _("breaks the rule {rule}").format(rule=rule)
                )
    if kind == "UNIQUE":
        columns = [part.strip().split(".")[-1] for part in what.split(",")]
        if columns == ["id"]:
            message = _("a record with this id is already in the database")
        else:
            message = _("another live record has the same {columns}").format(
                columns=", ".join(columns)
            )
        return ExchangeProblem(name, index, columns[0], message)
    if kind == "NOT NULL":
        return ExchangeProblem(name, index, what.split(".")[-1], _("is required"))
    if kind == "FOREIGN KEY":
        return ExchangeProblem(
            name, index, None, _("refers to a record that is not in the database")
        )
    return ExchangeProblem(name, index, None, _("the database refused it: {why}").format(why=text))


def _first_column(table: sa.Table, sql: str) -> str | None:
    """The column a rule's SQL names first (the field to point at)."""
    best: tuple[int, str] | None = None
    for column in table.columns:
        found = re.search(rf"\b{re.escape(column.name)}\b", sql)
        if found and (best is None or found.start() < best[0]):
            best = (found.start(), column.name)
    return best[1] if best else None
