"""Demo data for big books: `generate_demo`'s customers, streamed in chunks, ready to store.

`generate_demo` builds every record of the run as a model instance and returns them all at
once: right for the 40-120 customers of tests and snapshots, far too slow and big for a
benchmark's 100,000 customers (about 2.3 million rows). `stream_demo` runs the *same*
generator (a subclass: every random draw is the same, in the same order) and changes only
what it produces and when:

- rows are plain dicts (`DemoRow`, readable by attribute as the generator needs), every
  column present; ids are already the 32-digit hex text and times the fixed-width UTC text
  that the database stores (`models.types`): the two kinds that make up most values, and
  converting them afterwards would cost more than the generation itself. Other values
  (enums, decimals, dates, booleans) stay Python values for the store to bind through the
  column types (`store.bulk_load`);
- it yields a chunk of rows every `chunk` customers and forgets them, so memory stays flat;
- with `years` > 1 the customers' histories spread over several years.

With `years=1`, the rows of all chunks together equal `generate_demo`'s records for the same
arguments (tests/test_bulk_load.py proves it), except two things that need the whole run:

- a contract's `number` holds its drafting year (local) until the store numbers them all in
  drafting order with `contract_number` (one statement, see `store.bulk_load`);
- the targets, computed from the year's signed contracts, come in the last chunk.

Pure: no clock, no database.
"""

from __future__ import annotations

import gc
import random
from array import array
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from time import gmtime
from types import SimpleNamespace
from typing import Any, cast
from zoneinfo import ZoneInfo

from salesdev_tui.domain import demo as _demo
from salesdev_tui.domain.demo import COLLECTIONS
from salesdev_tui.models.enums import STAGE_ORDER, PlanStatus, Stage
from salesdev_tui.models.tables import Record
from salesdev_tui.models.types import to_db_timestamp

__all__ = ["COLLECTIONS", "DemoChunk", "DemoRow", "contract_number", "stream_demo"]

#: Collection name -> its rows, in the order of `COLLECTIONS` (parents first).
DemoChunk = dict[str, list["DemoRow"]]

_DAY = 86_400
_YEAR_DAYS = 365
#: Open plans per customer falling on one day (measured on generate_demo's output: about
#: 12% due today and 1.05 upcoming over the next 30 days, for the 90% not lost).
_OPEN_PER_CUSTOMER_DAY = 0.14
#: The version and variant bits that `uuid.UUID(int=..., version=4)` sets.
_V4_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))
_V4_SET = (0x8000 << 48) | (4 << 76)


#: "HH:MM:SS.000000" for every second of a day: formatting three numbers per timestamp was
#: a third of the time spent on contact plans.
_CLOCK = [
    f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.000000" for s in range(_DAY)
]


class DemoRow(dict[str, Any]):
    """A row as a dict with attribute reads (`row.id`), as the generator reads its rows."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class _RowMaker:
    """Makes a table's rows: the model's defaults first, then the given values (as `_Builder`)."""

    __slots__ = ("template",)

    def __init__(self, model: type[Record]) -> None:
        self.template = {
            name: None if info.is_required() or info.default_factory is not None else info.default
            for name, info in model.model_fields.items()
        }

    def __call__(self, values: dict[str, Any]) -> DemoRow:
        row = DemoRow(self.template)
        row.update(values)
        return row


def contract_number(year: str, serial: int) -> str:
    """A contract's number: its drafting year and its place in that year (SD-2026-0001)."""
    return f"SD-{year}-{serial:04d}"


class _StreamDemo(_demo._Demo):
    """The demo run with rows as `DemoRow`s, emitted in chunks."""

    def __init__(
        self, seed: int, now: datetime, zone: ZoneInfo, years: int, keep_open: float
    ) -> None:
        super().__init__(seed, now, zone)
        self.history_days = _YEAR_DAYS * years
        self.keep_open = keep_open
        # Its own stream: thinning must not shift the draws of everything else.
        self._thin = random.Random(seed + 1)
        self._day_text: dict[int, str] = {}
        for name, model in COLLECTIONS.items():
            maker = _RowMaker(model)
            attribute = "make_" + _MAKER_OF[name]
            setattr(self, attribute, maker)
        # What the targets need from the whole run (see `targets`).
        self._year_ago = to_db_timestamp(self.now - timedelta(days=_YEAR_DAYS))
        self._wins = 0
        self._revenue = Decimal(0)
        self._profit = Decimal(0)

    # -- values as stored ------------------------------------------------------------------

    def uid(self) -> str:  # type: ignore[override]
        """The id `uuid.UUID(int=<same bits>, version=4)` would be, as its stored hex."""
        return "%032x" % ((self.rng.getrandbits(128) & _V4_CLEAR) | _V4_SET)

    def dt(self, ts: int) -> str:  # type: ignore[override]
        """A whole-second Unix time as the stored UTC text (`models.types.to_db_timestamp`)."""
        days, seconds = divmod(ts, _DAY)
        day = self._day_text.get(days)
        if day is None:
            tm = gmtime(days * _DAY)
            day = self._day_text[days] = f"{tm.tm_year:04d}-{tm.tm_mon:02d}-{tm.tm_mday:02d} "
        return day + _CLOCK[seconds]

    # -- several years ---------------------------------------------------------------------

    def path(self, final: Stage) -> tuple[list[Stage], list[int]]:
        """`_Demo.path` with the history length a parameter (the same draws at one year)."""
        between = self.between
        if final is Stage.LOST:
            reached = _demo._LOST_REACHED.pick(self.rng)
            stages = [*STAGE_ORDER[: STAGE_ORDER.index(reached) + 1], Stage.LOST]
        else:
            stages = list(STAGE_ORDER[: STAGE_ORDER.index(final) + 1])
        gaps = [between(*_demo._GAP_DAYS[stage]) for stage in stages[1:]]
        room = max(0, self.history_days - 3 - sum(gaps))
        if final in (Stage.WON, Stage.LOST):
            dwell = between(0, room)
        elif final is Stage.PROSPECT:
            dwell = between(0, min(150, room))
        else:
            dwell = between(0, min(75, room))
        days = [-3 - dwell - sum(gaps)]
        for gap in gaps:
            days.append(days[-1] + gap)
        return stages, days

    def research_notes(self, count: int) -> None:
        """`_Demo.research_notes`, shifted so the notes predate a longer history."""
        super().research_notes(count)
        shift = self.history_days - _YEAR_DAYS
        if not shift:
            return
        for index, built in enumerate(self._research):
            note = cast(DemoRow, built)
            day = self._research_days[index] - shift
            self._research_days[index] = day
            moved = self.dt(_parse(note.created_at) - shift * _DAY)
            note.update(created_at=moved, updated_at=moved, noted_on=self.day(day))

    # -- one rep's pace ----------------------------------------------------------------------

    def plans(self, *args: Any, **kwargs: Any) -> int | None:
        """`_Demo.plans`, keeping only `keep_open` of the open (planned) contacts."""
        rows = self.out["contact_plans"]
        start = len(rows)
        first_done = super().plans(*args, **kwargs)
        if self.keep_open < 1.0:
            keep, chance = self.keep_open, self._thin.random
            kept = [
                r for r in rows[start:] if r.status is not PlanStatus.PLANNED or chance() < keep
            ]
            del rows[start:]
            rows.extend(kept)
        return first_done

    # -- what needs the whole run ----------------------------------------------------------

    def contract_row(self, *args: Any, **kwargs: Any) -> Any:
        row = cast(DemoRow, super().contract_row(*args, **kwargs))
        # The drafting year, in the rep's zone, for `contract_number` once all are stored.
        year = datetime.fromtimestamp(kwargs["created"], self.zone).year
        row["number"] = str(year)
        return row

    def number_contracts(self) -> None:
        """Numbered by the store, across all chunks (see the module's docstring)."""

    def tally(self, chunk: DemoChunk) -> None:
        """Add a chunk's signed contracts and first wins of the past year to the targets' base."""
        year_ago = self._year_ago
        for contract in chunk["contracts"]:
            if contract["signed_at"] is not None and contract["signed_at"] >= year_ago:
                self._revenue += contract["value"]
                self._profit += contract["value"] - contract["cost"]
        for customer in chunk["customers"]:
            if customer["first_signed_at"] is not None and customer["first_signed_at"] >= year_ago:
                self._wins += 1

    def targets(self) -> None:
        """`_Demo.targets` on the tally: it only sums the year's values and counts its wins,
        so one contract holding the sums and `wins` customers give the same targets."""
        signed = self.now
        self.out["contracts"] = [
            SimpleNamespace(
                signed_at=signed, value=self._revenue, cost=self._revenue - self._profit
            )
        ]
        self.out["customers"] = [SimpleNamespace(first_signed_at=signed)] * self._wins
        super().targets()
        self.out["contracts"] = []
        self.out["customers"] = []

    def fresh(self) -> DemoChunk:
        taken, self.out = self.out, {name: [] for name in COLLECTIONS}
        return taken

    def chunks(self, customers: int, chunk: int) -> Iterator[DemoChunk]:
        """`_Demo.run`, yielding the rows every `chunk` customers."""
        rng = self.rng
        self.research_notes(max(3, min(50, customers // 25)))
        # The customers' paths, compactly: 1M lists of stages and days would take ~350 MB.
        kinds: dict[tuple[Stage, ...], int] = {}
        kind_of = array("b")
        days_flat = array("h")
        starts = array("l")
        for final in _demo._stage_quota(customers, rng):
            stages, days = self.path(final)
            kind_of.append(kinds.setdefault(tuple(stages), len(kinds)))
            starts.append(len(days_flat))
            days_flat.extend(days)
        paths = list(kinds)
        # Stable, by creation day: the order `_Demo.run` sorts its paths in.
        order = sorted(range(customers), key=lambda i: days_flat[starts[i]])
        for done, index in enumerate(order, start=1):
            stages = list(paths[kind_of[index]])
            start = starts[index]
            self.customer(stages, days_flat[start : start + len(stages)].tolist())
            if done % chunk == 0:
                self.tally(self.out)
                yield self.fresh()
        if customers % chunk:
            self.tally(self.out)
            yield self.fresh()
        self.targets()  # uses (and resets) the lists of self.out: it must be empty here
        yield self.fresh()


def _parse(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


#: Collection name -> the suffix of the generator's `make_...` attribute for it.
_MAKER_OF = {
    "research_notes": "research",
    "customers": "customer",
    "contacts": "contact",
    "contact_plans": "plan",
    "needs_notes": "need",
    "proposals": "proposal",
    "proposal_lines": "line",
    "negotiations": "negotiation",
    "negotiation_points": "point",
    "contracts": "contract",
    "milestones": "milestone",
    "progress_reports": "report",
    "surveys": "survey",
    "credit_checks": "credit",
    "competitor_notes": "competitor",
    "targets": "target",
    "stage_changes": "change",
}


def stream_demo(
    *,
    customers: int,
    seed: int,
    now: datetime,
    zone: ZoneInfo,
    years: int = 1,
    chunk: int = 2_000,
    pace: int | None = None,
) -> Iterator[DemoChunk]:
    """`generate_demo`'s records in chunks of `chunk` customers, as rows ready to store.

    See the module's docstring for how the rows differ from `generate_demo`'s (ids and
    times as stored text, contract numbers, targets last). `years` spreads the histories.

    `pace`: about how many open contact plans fall on a day. The generator gives roughly
    one in seven customers a plan due today: right for one rep's 120 customers, but 14,000
    plans a day at 100,000 customers, which no rep has. With a pace, open plans are kept
    at random so that about `pace` fall on a day (the history stays whole).
    """
    if customers < 0:
        raise ValueError("customers must not be negative")
    if years < 1 or chunk < 1 or (pace is not None and pace < 1):
        raise ValueError("years, chunk and pace must be positive")
    keep = 1.0 if pace is None else min(1.0, pace / (_OPEN_PER_CUSTOMER_DAY * max(1, customers)))
    return _without_gc(_StreamDemo(seed, now, zone, years, keep).chunks(customers, chunk))


def _without_gc(chunks: Iterator[DemoChunk]) -> Iterator[DemoChunk]:
    # As in generate_demo: millions of new objects and no cycles, so the cyclic collector
    # would only walk them over and over. It stays off while the consumer stores a chunk
    # (few new objects there), and is switched back on when the stream ends or is closed.
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield from chunks
    finally:
        if collecting:
            gc.enable()
