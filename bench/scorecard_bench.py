"""Benchmark: the scorecard and the end-of-day review at 100,000 customers (a script, not a test).

    .venv/bin/python bench/scorecard_bench.py [--customers 100000] [--plans-each 10]
                                              [--rebuild] [--repeat 30]

Builds (once, then reuses) bench/work/scorecard-<n>.db: n customers over three years with
`plans-each` contact plans each (1,000,000 at the defaults), contracts for the won ones,
milestones, surveys, proposals with lines and stage moves. The plans of the last two weeks and the
month ahead come at one rep's pace (about 40 a working day); the rest of the million lies in
the three years before, so the review measures a real day on a big file. The schema comes
from `open_database` on a new file; the rows go in with raw
`executemany` in big transactions (PERFORMANCE-NOTES: the ORM is 15x slower), and the
maintained `first_contacted_at` / `first_signed_at` agree with the rows, as the store keeps
them. Then it times, through the real store: the month's scorecard as the screen recomputes
it after a save (figures, 12-month trend, breakdowns, pipeline, targets), its parts, the
Today strip's month card, and the review of a day; and prints medians in a markdown table.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import event

from salesdev_tui.config import Settings
from salesdev_tui.db import open_database
from salesdev_tui.domain.periods import (
    day_bounds,
    last_n_months,
    local_date,
    period_containing,
)
from salesdev_tui.models.enums import PeriodKind
from salesdev_tui.store.combined import Store
from salesdev_tui.store.reports import day_review, month_card, period_figures, scorecard_view

WORK = Path(__file__).parent / "work"
ZONE = ZoneInfo("Asia/Taipei")
#: Monday 16 November 2026, 17:30 in Taipei: the end of the day reviewed.
NOW = datetime(2026, 11, 16, 9, 30, tzinfo=UTC)
HISTORY_DAYS = 3 * 365
#: From here on, plans come at one rep's pace: 1,000,000 plans over three years would put
#: ~900 on every day, which no rep does; the index reads scale with the day, not the file.
RECENT = NOW - timedelta(days=14)
RECENT_KEEP = 0.045
TS = "%Y-%m-%d %H:%M:%S.%f"
# A big book is mostly leads: about one customer in ten has an open proposal.
STAGES = (
    ["prospect"] * 90 + ["contacted"] * 50 + ["needs"] * 20 + ["proposal"] * 10
    + ["negotiation"] * 6 + ["contract"] * 3 + ["won"] * 14 + ["lost"] * 7
)
SOURCES = ("trade_show", "online", "referral", "research", "other", None)
INDUSTRIES = ("manufacturing", "retail", "logistics", "food", "electronics", "textiles",
              "healthcare", "finance", None)
METHODS = ("phone", "email", "visit", "meeting")
CLAUSES = ("clause_rights_obligations", "clause_specification", "clause_price",
           "clause_delivery_time", "clause_quality_standard", "clause_breach_liability")


def _ts(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(TS)


_IDS = random.Random(7)


def _id() -> str:
    # Deterministic and about 3x cheaper than uuid4 (no system call per id).
    return f"{_IDS.getrandbits(128):032x}"


Rows = dict[str, list[tuple[object, ...]]]


def _customer(rng: random.Random, out: Rows, plans_each: int, today_start: datetime) -> None:
    cid = _id()
    created = NOW - timedelta(days=rng.uniform(5, HISTORY_DAYS))
    stage = rng.choice(STAGES)
    span = (NOW - created).total_seconds()
    done_at: list[datetime] = []
    last = created
    for _k in range(plans_each):
        at = created + timedelta(seconds=rng.uniform(0, span + 30 * 86400))
        if at >= RECENT and rng.random() > RECENT_KEEP:
            # The recent weeks hold one rep's real pace (about 40 plans a working day); the
            # rest of the million lies in the years before (see the module docstring).
            at = created + (RECENT - created) * rng.random()
        if at >= NOW:
            status, done = "planned", None
        elif stage == "prospect":
            # Not reached yet: missed or cancelled, and now and then still open (overdue).
            status = "planned" if rng.random() < 0.02 else rng.choice(("missed", "cancelled"))
            done = None
        else:
            roll = rng.random()
            if roll < 0.86:
                status, done = "done", at + timedelta(minutes=rng.uniform(5, 240))
                done = min(done, NOW)
                done_at.append(done)
            elif roll < 0.95:
                status, done = "missed", None
            elif roll < 0.99:
                status, done = "cancelled", None
            else:
                status, done = "planned", None  # overdue
        last = max(last, done or created)
        out["plan"].append((_id(), _ts(created), _ts(done or created), cid, rng.choice(METHODS),
                            _ts(at), status, _ts(done) if done else None,
                            "Follow up " + rng.choice(("samples", "pricing", "the demo"))))
    first_contacted = min(done_at) if done_at else None
    first_signed = None
    if stage == "won" and first_contacted is not None:
        for n in range(rng.choice((1, 1, 2))):
            signed = first_contacted + (NOW - first_contacted) * rng.uniform(0.2, 1.0)
            first_signed = signed if first_signed is None else min(first_signed, signed)
            value = rng.randrange(50_000, 3_000_000) * 100
            out["contract"].append((_id(), _ts(signed), _ts(signed), cid, f"C-{cid[:6]}-{n}",
                                    value, int(value * rng.uniform(0.5, 0.8)), "approved",
                                    _ts(signed), *(["agreed"] * len(CLAUSES))))
            for m, kind in enumerate(("kickoff", "milestone", "milestone")):
                due = signed + timedelta(days=7 + 30 * m)
                done = due + timedelta(days=rng.uniform(-3, 5))
                finished = done < NOW and rng.random() < 0.95
                out["milestone"].append((
                    _id(), _ts(signed), _ts(signed), cid, kind, f"Step {m}",
                    due.astimezone(ZONE).date().isoformat(), _ts(done) if finished else None))
            if rng.random() < 0.6:
                taken = signed + timedelta(days=rng.uniform(10, 60))
                if taken < NOW:
                    out["survey"].append((_id(), _ts(taken), _ts(taken), cid,
                                          rng.choice((3, 4, 4, 5, 5)), _ts(taken)))
    if stage in ("proposal", "negotiation", "contract", "won") or (
        stage == "lost" and rng.random() < 0.5
    ):
        versions = rng.choice((1, 1, 2))
        for version in range(1, versions + 1):
            pid = _id()
            latest = version == versions
            status = ({"won": "accepted", "contract": "accepted", "lost": "rejected"}
                      .get(stage, "presented") if latest else "rejected")
            at = created + (NOW - created) * rng.uniform(0.3, 0.9)
            out["proposal"].append((pid, _ts(at), _ts(at), cid, version,
                                    f"Offer {version}", status, _ts(at)))
            for position in range(rng.randrange(1, 5)):
                out["line"].append((_id(), _ts(at), _ts(at), pid, position, "Item",
                                    rng.randrange(1, 50) * 1000, rng.randrange(1000, 200_000)
                                    * 100, rng.choice((0, 0, 500, 1000))))
    if rng.random() < 0.0006:  # a few hundred customers touched on the day reviewed
        last = today_start + timedelta(hours=rng.uniform(1, 8))
        out["move"].append((_id(), _ts(last), _ts(last), cid, "contacted", "needs", _ts(last)))
    out["customer"].append((
        cid, _ts(created), _ts(max(last, created)), f"Customer {cid[:8]}", f"customer {cid[:8]}",
        stage, rng.choice(SOURCES), rng.choice(INDUSTRIES),
        _ts(first_contacted) if first_contacted else None,
        _ts(first_signed) if first_signed else None, _ts(last),
    ))


def _batches(n: int, plans_each: int, seed: int) -> Iterator[Rows]:
    rng = random.Random(seed)
    today_start = datetime(2026, 11, 16, tzinfo=ZONE)
    for start in range(0, n, 5_000):
        out: Rows = {k: [] for k in ("customer", "plan", "contract", "milestone", "survey",
                                     "proposal", "line", "move")}
        for _i in range(start, min(n, start + 5_000)):
            _customer(rng, out, plans_each, today_start)
        yield out


_INSERTS = {
    "customer": "INSERT INTO customer (id, created_at, updated_at, name, name_key, stage, source,"
                " industry, first_contacted_at, first_signed_at, last_activity_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    "plan": "INSERT INTO contact_plan (id, created_at, updated_at, customer_id, method,"
            " scheduled_at, status, done_at, agenda) VALUES (?,?,?,?,?,?,?,?,?)",
    "contract": "INSERT INTO contract (id, created_at, updated_at, customer_id, number, value,"
                " cost, legal_review, signed_at, " + ", ".join(CLAUSES) + ")"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "milestone": "INSERT INTO milestone (id, created_at, updated_at, customer_id, kind, title,"
                 " due_on, done_at) VALUES (?,?,?,?,?,?,?,?)",
    "survey": "INSERT INTO survey (id, created_at, updated_at, customer_id, score, taken_at)"
              " VALUES (?,?,?,?,?,?)",
    "proposal": "INSERT INTO proposal (id, created_at, updated_at, customer_id, version, title,"
                " status, presented_at) VALUES (?,?,?,?,?,?,?,?)",
    "line": "INSERT INTO proposal_line (id, created_at, updated_at, proposal_id, position,"
            " product, quantity, unit_price, discount_pct) VALUES (?,?,?,?,?,?,?,?,?)",
    "move": "INSERT INTO stage_change (id, created_at, updated_at, customer_id, from_stage,"
            " to_stage, changed_at) VALUES (?,?,?,?,?,?,?)",
}


def build(path: Path, n: int, plans_each: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    open_database(path, now=NOW).close()
    raw = sqlite3.connect(path, isolation_level=None)
    # A throwaway file: no journal, no fsync, and a cache big enough for every index, so the
    # random-id B-tree inserts never wait for the disk.
    raw.execute("PRAGMA journal_mode=OFF")
    raw.execute("PRAGMA synchronous=OFF")
    raw.execute("PRAGMA cache_size=-1000000")
    started = time.perf_counter()
    counts: dict[str, int] = {}
    for rows in _batches(n, plans_each, seed=20261116):
        raw.execute("BEGIN")
        for table, sql in _INSERTS.items():
            raw.executemany(sql, rows[table])
            counts[table] = counts.get(table, 0) + len(rows[table])
        raw.execute("COMMIT")
    raw.execute("ANALYZE")
    raw.execute("PRAGMA journal_mode=WAL")
    raw.close()
    took = time.perf_counter() - started
    made = ", ".join(f"{table} {count:,}" for table, count in counts.items())
    print(f"built in {took:.1f} s: {made}; file {path.stat().st_size / 1e6:.0f} MB\n")


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    """Median and p95 wall time, and median CPU time of this process, in ms.

    On a shared machine wall time includes waiting for a core; CPU time does not.
    """
    fn()  # warm the page cache and the statement cache
    times, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, statistics.median(cpu)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--plans-each", type=int, default=10)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--cache-mb", type=int, default=0,
        help="set PRAGMA cache_size and mmap_size on every connection (0: engine defaults)",
    )
    args = parser.parse_args(argv)
    path = WORK / f"scorecard-{args.customers}x{args.plans_each}.db"
    if args.rebuild or not path.exists():
        build(path, args.customers, args.plans_each)
    settings = Settings(timezone="Asia/Taipei")
    db = open_database(path, now=NOW)
    if args.cache_mb:
        db.engine.dispose()

        @event.listens_for(db.engine, "connect")
        def _cache(dbapi_conn: sqlite3.Connection, _record: object) -> None:
            dbapi_conn.execute(f"PRAGMA cache_size=-{args.cache_mb * 1024}")
            dbapi_conn.execute(f"PRAGMA mmap_size={args.cache_mb * 1024 * 1024}")

    store = Store(db, clock=lambda: NOW)
    today: date = local_date(NOW, ZONE)
    month = period_containing(NOW, PeriodKind.MONTH, ZONE)
    year = period_containing(NOW, PeriodKind.YEAR, ZONE)
    start, end = month.utc_bounds()
    months = [m.utc_bounds()[0] for m in last_n_months(month, 12)] + [end]
    day_start, day_end = day_bounds(today, ZONE)
    next_end = day_bounds(today + timedelta(days=1), ZONE)[1]
    cases: list[tuple[str, Callable[[], object]]] = [
        ("month scorecard: indicators against target with pace (shown first)",
         lambda: period_figures(store, month, settings, today)),
        ("month scorecard: all of it (trend, breakdowns, pipeline; shown next)",
         lambda: scorecard_view(store, month, settings, today)),
        ("  month figures (4 queries)", lambda: store.kpis.kpi_figures(start, end)),
        ("  12-month series (4 queries)", lambda: store.kpis.kpi_series(months)),
        ("  breakdowns by source and industry", lambda: store.kpis.kpi_breakdown(start, end)),
        ("  open pipeline by stage", store.kpis.pipeline_by_stage),
        ("  targets", lambda: store.targets.targets_for([(month.kind, month.label)])),
        ("year scorecard: indicators (shown first)",
         lambda: period_figures(store, year, settings, today)),
        ("year scorecard: all of it", lambda: scorecard_view(store, year, settings, today)),
        ("Today strip (month card + targets)", lambda: month_card(store, settings, NOW)),
        ("review of the day, all of it", lambda: day_review(store, today, settings, NOW)),
        ("  the day's facts", lambda: store.review.day_facts(day_start, day_end, next_end)),
    ]
    review = day_review(store, today, settings, NOW)
    cache = f"cache_size/mmap_size {args.cache_mb} MB" if args.cache_mb else "engine defaults"
    print(f"{args.customers:,} customers x {args.plans_each} plans; {args.repeat} runs each; "
          f"{cache}; the day reviewed: {len(review.planned)} planned, {len(review.done)} done, "
          f"{review.overdue_count:,} overdue\n")
    print("| what | median ms | p95 ms | CPU median ms |")
    print("|---|---|---|---|")
    for name, fn in cases:
        med, p95, cpu = timed(fn, args.repeat)
        print(f"| {name} | {med:.1f} | {p95:.1f} | {cpu:.1f} |")
    db.close()


if __name__ == "__main__":
    main(sys.argv[1:])
