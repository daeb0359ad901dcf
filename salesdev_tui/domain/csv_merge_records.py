"""What a spreadsheet import's merge works with: the stored facts, the records it keeps, the plan.

Pure data, for `csv_merge` (which decides) and `store.csv_import` (which gathers the facts
and writes the plan).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from salesdev_tui.domain.csv_import import ImportResult, PartCounts

__all__ = ["Changes", "ChunkWrites", "Counter", "Held", "Known", "MergePlan", "Rec", "Values"]

Values = dict[str, Any]
#: field -> (old value, new value)
Changes = dict[str, tuple[Any, Any]]


@dataclass
class Known:
    """Stored records the rows may name (their column values; a NULL column may be missing:
    read them with `.get`), deleted ones included."""

    customers: dict[uuid.UUID, Values] = field(default_factory=dict)
    contacts: dict[uuid.UUID, Values] = field(default_factory=dict)
    plans: dict[uuid.UUID, Values] = field(default_factory=dict)


@dataclass
class MergePlan:
    """What to write: new records (column values), and changes to stored ones."""

    result: ImportResult = field(default_factory=ImportResult)
    new: dict[str, list[Values]] = field(
        default_factory=lambda: {"customers": [], "contacts": [], "plans": []})
    changes: dict[str, dict[uuid.UUID, Changes]] = field(
        default_factory=lambda: {"customers": {}, "contacts": {}, "plans": {}})
    #: Stored customers whose contacts or plans changed (their activity time moves).
    touched: set[uuid.UUID] = field(default_factory=set)
    #: Customers whose plans changed (their first-contacted time is recomputed).
    facts: set[uuid.UUID] = field(default_factory=set)
    #: The customer of each changed contact and plan (its edits are logged under it).
    owners: dict[str, dict[uuid.UUID, uuid.UUID]] = field(
        default_factory=lambda: {"customers": {}, "contacts": {}, "plans": {}})


#: The changes of every record without any (never written to: `Rec.set` makes its own).
_NO_CHANGES: Changes = {}


@dataclass
class ChunkWrites:
    """What a chunk of rows writes: the records it made (column values), and the changes to
    records an earlier chunk made (id -> column -> value; not logged as edits)."""

    new: dict[str, list[Values]] = field(
        default_factory=lambda: {"customers": [], "contacts": [], "plans": []})
    changes: dict[str, dict[uuid.UUID, Values]] = field(
        default_factory=lambda: {"customers": {}, "contacts": {}, "plans": {}})


@dataclass(slots=True)  # one per record the import reads or makes
class Rec:
    values: Values
    new: bool = False
    #: The changes to a stored record (`_NO_CHANGES`, shared, until it has one: 17.6).
    changes: Changes = field(default_factory=lambda: _NO_CHANGES)
    #: A row of this import already wrote it: later rows only fill what is still empty.
    seen: bool = False
    #: The line of the row that made it (a record this import creates), for the row notes.
    line: int = 0
    #: A new record an earlier chunk of the import inserted: what later rows change in it is
    #: kept in `pending` and written as an UPDATE (the import's own record: no edit logged).
    written: bool = False
    #: The columns that held a value when the record was slimmed (`slim`): still not empty,
    #: though their values are let go.
    filled: frozenset[str] = frozenset()
    pending: Values | None = None

    @property
    def id(self) -> uuid.UUID:
        record_id = self.values["id"]
        assert isinstance(record_id, uuid.UUID)
        return record_id

    @property
    def live(self) -> bool:
        return self.values.get("deleted_at") is None

    def set(self, key: str, value: Any, *, fill: bool = False) -> None:
        """Change a value (logged for a stored record); with `fill`, only an empty one."""
        old = self.values.get(key)
        if old is None and key in self.filled:
            # A value let go by `slim`: only ever filled, never overwritten (the kept
            # columns are the ones the planner sets outright).
            assert fill, key
            return
        if old == value or (fill and old is not None):
            return
        if self.written:
            if self.pending is None:
                self.pending = {}
            self.pending[key] = value
        elif not self.new:
            if self.changes is _NO_CHANGES:
                self.changes = {}
            first = self.changes[key][0] if key in self.changes else old
            self.changes[key] = (first, value)
            if first == value:
                del self.changes[key]
        self.values[key] = value

    def slim(self, keep: frozenset[str], shared: dict[frozenset[str], frozenset[str]]) -> None:
        """Let go of the values no later row is matched or named by (a record of an earlier
        chunk: issue 17.6); remember which columns are filled. `shared` holds each set of
        filled columns once (most records of a file fill the same ones)."""
        filled = self.filled | {key for key, value in self.values.items() if value is not None}
        self.filled = shared.setdefault(filled, filled)
        self.values = {key: value for key, value in self.values.items()
                       if key in keep and value is not None}


#: The line a folded stored record gives for the row that made it (`Held`): none of this file.
_STORED = -1


class Held(dict[uuid.UUID, Rec]):
    """The records of one kind a merge holds, by id. A new record an earlier chunk wrote, and
    a stored one an earlier chunk matched and left unchanged, is kept folded, as a tuple of
    the values `fold` keeps (a record and its dict are about four times the size: 100,000
    rows' people and companies were 50 MB more), and unfolded into a `Rec` when a later row
    names it (`held[id]`, `held.get(id)`, `id in held`)."""

    def __init__(self, keep: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.keep = keep
        self.folded: dict[uuid.UUID, tuple[Any, ...]] = {}
        self.unfolded: list[uuid.UUID] = []

    def __missing__(self, key: uuid.UUID) -> Rec:
        filled, line, *kept = self.folded.pop(key)  # KeyError: not held at all
        values: Values = {"id": key}
        values.update((name, value) for name, value in zip(self.keep, kept, strict=True)
                      if value is not None)
        if line == _STORED:
            rec = Rec(values, seen=True, filled=filled)
        else:
            rec = Rec(values, new=True, seen=True, line=line, written=True, filled=filled)
        self[key] = rec
        self.unfolded.append(key)
        return rec

    def get(self, key: uuid.UUID, default: None = None) -> Rec | None:  # type: ignore[override]
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or key in self.folded

    def fold(self, rec: Rec) -> None:
        """Fold a new record once it is written, slimmed and has no pending change; a stored
        one once a row has seen it (slimmed) and as long as nothing in it changed (importing
        a file again matches a stored customer and contact on every row: 17.6)."""
        if not self.keep or not rec.live:
            return
        if rec.new:
            if not rec.written or rec.pending:
                return
            line = rec.line
        elif rec.seen and rec.changes is _NO_CHANGES:
            line = _STORED
        else:
            return
        values = rec.values
        self.folded[rec.id] = (rec.filled, line, *(values.get(name) for name in self.keep))
        del self[rec.id]

    def fold_unfolded(self) -> None:
        """Fold again what later rows unfolded (once their changes are taken)."""
        for key in self.unfolded:
            rec = dict.get(self, key)
            if rec is not None:
                self.fold(rec)
        self.unfolded = []


class Counter:
    def __init__(self) -> None:
        #: Ids of the records made, in the file's order (dict: ordered, fast membership).
        self.created: dict[uuid.UUID, None] = {}
        #: Ids of the stored records rows matched (not the records: `Held` folds them; a
        #: dict, a quarter of a set's size).
        self.matched: dict[uuid.UUID, None] = {}
        self.skipped: set[uuid.UUID | int] = set()

    def counts(self, records: Held) -> PartCounts:
        # Updated: every stored record that changes (also a contact that stops being primary
        # because another became it); unchanged: the matched ones that do not (a folded
        # record has no change: `Held.fold`).
        updated = sum(1 for rec in records.values() if not rec.new and rec.changes)
        unchanged = sum(1 for record_id in self.matched
                        if not getattr(dict.get(records, record_id), "changes", None))
        return PartCounts(created=len(self.created), updated=updated, unchanged=unchanged,
                          skipped=len(self.skipped))
