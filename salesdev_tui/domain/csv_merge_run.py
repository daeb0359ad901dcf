"""A spreadsheet import's merge planned chunk after chunk (issue 17.6).

`csv_merge.RowPlanner` decides each row; here a chunk's stored records are learnt before its
rows, and after them the records they made or changed are handed to the store to write
(`take_writes`), then slimmed and folded: what later rows are matched by stays, the rest of
a written record is let go. The counts and the notes are those of the whole file.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from salesdev_tui.domain.csv_import import ImportRow, OnMatch, RowCounts, RowProblem
from salesdev_tui.domain.csv_merge import RowPlanner
from salesdev_tui.domain.csv_merge_records import (
    ChunkWrites,
    Held,
    Known,
    MergePlan,
    Rec,
    Values,
)

__all__ = ["ChunkPlanner", "MergeRun"]

#: The values a record keeps once an earlier chunk wrote it (`Rec.slim`): what later rows
#: are matched by, what the notes name, and what the planner sets outright.
_KEEP = {
    "customers": frozenset({"id", "name", "name_key", "deleted_at"}),
    "contacts": frozenset({"id", "customer_id", "name", "email", "phone", "mobile",
                           "phone_normalized", "mobile_normalized", "is_primary",
                           "deleted_at"}),
}
_PARTS = ("customers", "contacts", "plans")


def _drop_phones_unless_name(values: Values) -> None:
    """A slimmed contact's phone and mobile are only read to tell a stand-in name (the
    contact named after its phone: `_same_person`): kept only when they are the name."""
    name = str(values.get("name") or "").casefold()
    for key in ("phone", "mobile"):
        if key in values and str(values[key]).casefold() != name:
            del values[key]


class ChunkPlanner(RowPlanner):
    """The row planner, fed a chunk at a time: `learn`, `row` each row, `take_writes`."""

    def learn(self, known: Known) -> None:
        """Hold and index stored records (none held already), before the rows naming them.

        The stored records' own dicts become the records planned (no copy: importing a file
        a second time matches 100,000 customers and as many contacts; issue 17.6).
        """
        customers = [Rec(v) for v in known.customers.values()]
        contacts = [Rec(v) for v in known.contacts.values()]
        plans = [Rec(v) for v in known.plans.values()]
        # A contact's (and plan's) customer id as the customer's own id object, not an equal
        # copy from its row: one UUID held instead of two (17.6).
        ids = {rec.id: rec.id for rec in customers}
        for rec in contacts + plans:
            owner = rec.values["customer_id"]
            rec.values["customer_id"] = ids.get(owner, owner)
        self.customers.update((rec.id, rec) for rec in customers)
        self.contacts.update((rec.id, rec) for rec in contacts)
        self.plans.update((rec.id, rec) for rec in plans)
        for rec in sorted(customers, key=lambda r: str(r.values.get("name"))):
            if rec.live and rec.values.get("name_key"):
                self.by_key.setdefault(rec.values["name_key"], rec.id)
        ordered = sorted(contacts,
                         key=lambda r: (r.values["created_at"], str(r.values["name"]), r.id))
        for rec in ordered:
            owner = self.customers.get(rec.values["customer_id"])
            if rec.live and owner is not None and owner.live:
                self._index_contact(rec)
        for rec in plans:
            if rec.live:
                self.plan_keys.setdefault(self._plan_key(rec.values), rec.id)

    def take_writes(self) -> ChunkWrites:
        """What to write for the rows planned since the last call: the records they made
        (then `written`) and the changes to records an earlier chunk made. Then the records
        they touched let go of what no later row needs (`Rec.slim`)."""
        # Settled now, so that a new contact is inserted as the primary one: a later row that
        # makes another the primary, or this one not, settles its customer again.
        self.settle_primaries()
        self.primary_check = set()
        writes = ChunkWrites()
        new_customers = self.counters["customers"].created
        for part in _PARTS:
            keep = _KEEP.get(part)
            for rec in self.recent[part].values():
                if rec.new and not rec.written:
                    writes.new[part].append(rec.values)
                    rec.written = True
                    if part != "customers":
                        owner = rec.values["customer_id"]
                        if owner not in new_customers:
                            self.touched.add(owner)
                        if part == "plans":
                            self.facts.add(owner)
                elif rec.written and rec.pending:
                    writes.changes[part][rec.id] = rec.pending
                    rec.pending = None
                if keep is not None and rec.seen:
                    rec.slim(keep, self.filled_sets)
                    if part == "contacts":
                        _drop_phones_unless_name(rec.values)
            held: Held = getattr(self, part)
            for rec in self.recent[part].values():
                held.fold(rec)
            held.fold_unfolded()
            self.recent[part] = {}
        return writes

    def finish(self) -> MergePlan:
        """The counts, the notes and the changes to stored records, after every row and the
        last `take_writes` (`plan.new` is empty: the chunks' writes held the new records)."""
        plan = MergePlan()
        plan.result.problems = self.problems
        plan.result.stage_notes = self.stage_notes
        plan.result.rows = RowCounts(**self.rows)
        plan.result.notes = self.notes
        plan.result.shared = self.shared
        for part, records in (("customers", self.customers), ("contacts", self.contacts),
                              ("plans", self.plans)):
            counter = self.counters[part]
            setattr(plan.result, part, counter.counts(records))
            plan.changes[part] = {rec.id: rec.changes for rec in records.values()
                                  if not rec.new and rec.changes}
        plan.touched = set(self.touched)
        plan.facts = set(self.facts)
        for part, records in (("contacts", self.contacts), ("plans", self.plans)):
            plan.owners[part] = {i: records[i].values["customer_id"] for i in plan.changes[part]}
            owners = set(plan.owners[part].values())
            plan.touched |= owners
            if part == "plans":
                plan.facts |= owners
        return plan


class MergeRun:
    """A merge planned chunk after chunk: `chunk(rows, known)` gives what to write for those
    rows, `finish()` the counts, notes and changes to stored records (the planner's
    contract for `store.csv_import`, which gathers each chunk's `Known`)."""

    def __init__(self, *, on_match: OnMatch, merge_shared: bool = False,
                 new_id: Callable[[], uuid.UUID] = uuid.uuid4) -> None:
        self._planner = ChunkPlanner(on_match, merge_shared, new_id)

    def holds(self, part: str, record_id: uuid.UUID) -> bool:
        """Whether the run holds the record already (an earlier chunk made or loaded it)."""
        return record_id in getattr(self._planner, part)

    @property
    def problems(self) -> list[RowProblem]:
        return self._planner.problems

    def chunk(self, rows: Iterable[ImportRow], known: Known,
              step: Callable[[int], None] | None = None) -> ChunkWrites:
        planner = self._planner
        planner.learn(known)
        for done, row in enumerate(rows, start=1):
            planner.row(row)
            if step is not None and done % 1000 == 0:
                step(1000)
        return planner.take_writes()

    def finish(self) -> tuple[ChunkWrites, MergePlan]:
        """The last writes (the primary contacts settled) and the plan's result."""
        return self._planner.take_writes(), self._planner.finish()
