"""Team sync benchmark (issue 18): many reps on the server, one rep's laptop syncing.

Run on demand, not in the test suite (it loads a million customers):

    python bench/sync_bench.py load --reps 50 --customers 20000
    python bench/sync_bench.py measure

`load` makes the database `salesdev_bench` on the local PostgreSQL (dropped first), one
login role per rep (`bench_r00`…) plus `bench_small` with a tenth of the customers, and
loads every rep's customers with a contact and two contact plans each by COPY as the
administrator with `owner` set (what each rep's own first sync would have pushed, without
waiting for 50 laptops). `measure` times, each in a fresh process so that the peak RSS
(`resource.getrusage`) is that sync's alone:

* a rep's first full sync into an empty laptop (the big rep and the small one: memory flat
  means the two peaks are close although one pulls ten times the rows);
* a rep's incremental sync after 100 customers changed on the laptop (push), and after
  100 changed on the server by the rep's other device (pull);
* a rep's first push: a laptop holding a realistic book (`salesdev demo`: ~25 records a
  customer) joins the team and syncs, pushing every record and pulling them back (the
  first day of a rep who has worked alone). Each run is a new rep (`bench_push…`), whose
  rows are deleted afterwards so the server stays the size `load` made.

Median of several runs. The figures go into bench/RESULTS.md ("Team server").
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg

ADMIN = os.environ.get("SALESDEV_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
DATABASE = "salesdev_bench"
SMALL = "bench_small"
NOW = "2026-12-07T01:00:00.000000"


def _url(user: str = "postgres") -> str:
    base = ADMIN.rsplit("/", 1)[0]
    scheme, rest = base.split("://", 1)
    return f"{scheme}://{user}@{rest.split('@', 1)[-1]}/{DATABASE}"


def _reps(count: int) -> list[str]:
    return [f"bench_r{index:02d}" for index in range(count)]


def load(reps: int, customers: int) -> None:
    from salesdev_tui.server.admin import add_user, migrate
    from salesdev_tui.server.roles import TeamRole

    with psycopg.connect(ADMIN, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    migrate(_url())
    people = [*_reps(reps), SMALL]
    with psycopg.connect(ADMIN, autocommit=True) as admin:
        for name in people:
            admin.execute(f"DROP ROLE IF EXISTS {name}")
    for name in people:
        add_user(_url(), name, TeamRole.REP)
    started = time.perf_counter()
    rng = random.Random(18)
    with psycopg.connect(_url()) as conn:
        conn.execute("SET search_path = salesdev")
        for name in people:
            count = customers if name != SMALL else customers // 10
            _load_rep(conn, name, count, rng)
            conn.commit()
            print(f"{name}: {count} customers, {time.perf_counter() - started:.0f} s",
                  flush=True)
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    print(f"loaded in {time.perf_counter() - started:.0f} s", flush=True)


def _load_rep(conn: psycopg.Connection[tuple[object, ...]], owner: str, count: int,
              rng: random.Random) -> None:
    """`count` customers with a contact and two plans each, like domain/demo.py makes."""
    stages = ("prospect", "contacted", "needs", "proposal", "negotiation")
    customers, contacts, plans = [], [], []
    for index in range(count):
        cid, pid = uuid.uuid4(), uuid.uuid4()
        name = f"{owner} 客戶 {index:06d} 股份有限公司"
        customers.append((owner, cid, NOW, NOW, name, name.lower(), rng.choice(stages),
                          f"台北市信義路{index % 300}號", "{}"))
        contacts.append((owner, pid, NOW, NOW, cid, f"王{index:06d}",
                         f"09{rng.randrange(10**8):08d}", True, "{}"))
        for day in (3, 10):
            when = f"2026-12-{day:02d}T0{index % 9}:30:00.000000"
            plans.append((owner, uuid.uuid4(), NOW, NOW, cid, pid, "phone", when,
                          "planned", "{}"))
    for table, columns, rows in (
        ("customer", "owner, id, created_at, updated_at, name, name_key, stage, address,"
         " field_hlc", customers),
        ("contact", "owner, id, created_at, updated_at, customer_id, name, phone,"
         " is_primary, field_hlc", contacts),
        ("contact_plan", "owner, id, created_at, updated_at, customer_id, contact_id,"
         " method, scheduled_at, status, field_hlc", plans),
    ):
        with conn.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _laptop(path: Path) -> object:
    from salesdev_tui.db import open_database
    from salesdev_tui.usecases.sync import join

    db = open_database(path)
    join(db)
    return db


def run_full(user: str, path: Path) -> dict[str, float]:
    """A first full sync into an empty laptop (this process does nothing else)."""
    from salesdev_tui.usecases.sync import sync

    db = _laptop(path)
    before = _rss_mb()
    started = time.perf_counter()
    report = sync(db, _url(user))  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    with sqlite3.connect(path) as conn:
        customers = conn.execute("SELECT count(*) FROM customer").fetchone()[0]
    return {"seconds": seconds, "pulled": report.pulled, "customers": customers,
            "rss_before_mb": before, "peak_rss_mb": _rss_mb()}


def run_incremental(user: str, path: Path, runs: int) -> dict[str, list[float]]:
    """100 customers changed on the laptop, then 100 on the server: each followed by a
    sync, `runs` times (the laptop already holds the rep's full book)."""
    from salesdev_tui.db import open_database
    from salesdev_tui.usecases.sync import sync

    db = open_database(path)
    push_times, pull_times = [], []
    for run in range(runs):
        with sqlite3.connect(path) as conn:  # the change log's triggers see these writes
            conn.execute("UPDATE customer SET notes = ?, updated_at = ? WHERE id IN"
                         " (SELECT id FROM customer ORDER BY random() LIMIT 100)",
                         (f"laptop run {run} {uuid.uuid4().hex[:8]}", NOW))
        started = time.perf_counter()
        report = sync(db, _url(user))
        push_times.append(time.perf_counter() - started)
        assert report.pushed == 100, report
        with psycopg.connect(_url(user), autocommit=True) as server:
            server.execute("SET search_path = salesdev")
            changed = server.execute(
                "UPDATE customer SET notes = %s, field_hlc = field_hlc || jsonb_build_object("
                "'notes', jsonb_build_array((extract(epoch FROM clock_timestamp()) * 1000)"
                "::bigint << 16, 'desktop')) WHERE id IN (SELECT id FROM customer"
                " ORDER BY random() LIMIT 100)",
                (f"desktop run {run} {uuid.uuid4().hex[:8]}",)).rowcount
            assert changed == 100
        started = time.perf_counter()
        report = sync(db, _url(user))
        pull_times.append(time.perf_counter() - started)
        # At least the 100: rows committed above the cursor are read again (pull.py).
        assert report.pulled >= 100, report
    return {"push_s": push_times, "pull_s": pull_times, "peak_rss_mb": [_rss_mb()]}


def run_first_push(user: str, path: Path) -> dict[str, float]:
    """The laptop at `path` (a demo book, never synced) joins and syncs: push then pull.

    The push/pull split is the moment the pull takes its horizon (after the last push
    batch committed)."""
    from salesdev_tui.server import pull
    from salesdev_tui.usecases.sync import sync

    db = _laptop(path)
    marks: list[float] = []
    taken = pull.horizon

    def horizon(conn: psycopg.Connection[Any]) -> int:
        marks.append(time.perf_counter())
        return taken(conn)

    pull.horizon = horizon
    before = _rss_mb()
    started = time.perf_counter()
    report = sync(db, _url(user))  # type: ignore[arg-type]
    ended = time.perf_counter()
    assert not report.refused, report.refused[:5]
    with sqlite3.connect(path) as conn:
        outbox = conn.execute("SELECT count(*) FROM sync_outbox").fetchone()[0]
        customers = conn.execute("SELECT count(*) FROM customer").fetchone()[0]
    assert outbox == 0, outbox
    return {"seconds": ended - started, "push_s": marks[0] - started,
            "pull_s": ended - marks[0], "pushed": report.pushed, "customers": customers,
            "rss_before_mb": before, "peak_rss_mb": _rss_mb()}


def _demo_book(folder: Path, customers: int) -> Path:
    """A laptop file holding `customers` demo customers with all their records."""
    path = folder / f"demo{customers}.db"
    if not path.exists():
        subprocess.run([sys.executable, "-m", "salesdev_tui", "demo", "--customers",
                        str(customers), "--db", str(path)], check=True,
                       capture_output=True)
    return path


def _forget_rep(user: str) -> None:
    """Delete every row `user` owns on the server (children first), as the administrator."""
    from salesdev_tui.server.exchange import table_shapes

    tables = [t.name for t in reversed(table_shapes())]
    with psycopg.connect(_url(), autocommit=True) as conn:
        conn.execute("SET search_path = salesdev")
        # Every row of the rep goes, so no foreign key can break: skip their checks (a
        # contact's would read all of contact_plan, which has no index on contact_id).
        conn.execute("SET session_replication_role = replica")
        for name in ["sync_conflict", "sync_gone", "handover_leftover", *tables]:
            conn.execute(f"DELETE FROM {name} WHERE owner = %s", (user,))


def measure_first_push(folder: Path, sizes: list[int], runs: int) -> dict[str, object]:
    from salesdev_tui.server.admin import add_user
    from salesdev_tui.server.roles import TeamRole

    results: dict[str, object] = {}
    for size in sizes:
        book = _demo_book(folder, size)
        found = []
        for run in range(runs):
            user = f"bench_push{size}_{run}"
            add_user(_url(), user, TeamRole.REP)
            _forget_rep(user)
            copy = folder / f"{user}.db"
            shutil.copyfile(book, copy)
            try:
                found.append(_child("first_push", user, str(copy)))
            finally:
                _forget_rep(user)
                copy.unlink()
        results[f"first_push_{size}"] = found
        for key in ("seconds", "push_s", "pull_s", "peak_rss_mb"):
            values = [float(f[key]) for f in found]  # type: ignore[arg-type]
            print(f"first push {size} ({found[0]['pushed']} rows) {key}: median"
                  f" {statistics.median(values):.2f} (runs {[round(v, 2) for v in values]})",
                  flush=True)
    return results


def _child(*args: str) -> dict[str, object]:
    found = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if found.returncode:
        raise SystemExit(found.stderr)
    return json.loads(found.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def measure(runs: int, push_sizes: list[int], push_runs: int, skip_pull: bool) -> None:
    big = _reps(1)[0]
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if push_sizes:
            results.update(measure_first_push(Path(tmp), push_sizes, push_runs))
        if skip_pull:
            print(json.dumps(results))
            return
        for user, label in ((SMALL, "full_small"), (big, "full_big")):
            found = [_child("full", user, str(Path(tmp) / f"{label}{run}.db"))
                     for run in range(runs)]
            results[label] = found
            secs = [float(f["seconds"]) for f in found]  # type: ignore[arg-type]
            peaks = [float(f["peak_rss_mb"]) for f in found]  # type: ignore[arg-type]
            print(f"{label}: {found[0]['customers']} customers, {found[0]['pulled']} rows;"
                  f" median {statistics.median(secs):.2f} s (runs {secs});"
                  f" peak RSS median {statistics.median(peaks):.0f} MB", flush=True)
        inc = _child("incremental", big, str(Path(tmp) / "full_big0.db"), str(runs))
        results["incremental"] = inc
        for key in ("push_s", "pull_s"):
            values = [float(v) for v in inc[key]]  # type: ignore[attr-defined]
            print(f"incremental 100 ({key[:4]}): median {statistics.median(values):.3f} s"
                  f" (runs {[round(v, 3) for v in values]})", flush=True)
    print(json.dumps(results))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    loading = sub.add_parser("load")
    loading.add_argument("--reps", type=int, default=50)
    loading.add_argument("--customers", type=int, default=20_000)
    measuring = sub.add_parser("measure")
    measuring.add_argument("--runs", type=int, default=3)
    measuring.add_argument("--push-sizes", type=int, nargs="*", default=[2_000, 20_000],
                           help="demo books whose first push is measured (none: skip)")
    measuring.add_argument("--push-runs", type=int, default=3)
    measuring.add_argument("--only-push", action="store_true")
    full = sub.add_parser("full")
    full.add_argument("user")
    full.add_argument("path", type=Path)
    inc = sub.add_parser("incremental")
    inc.add_argument("user")
    inc.add_argument("path", type=Path)
    inc.add_argument("runs", type=int)
    first = sub.add_parser("first_push")
    first.add_argument("user")
    first.add_argument("path", type=Path)
    args = parser.parse_args()
    if args.command == "load":
        load(args.reps, args.customers)
    elif args.command == "measure":
        measure(args.runs, args.push_sizes, args.push_runs, args.only_push)
    elif args.command == "full":
        print(json.dumps(run_full(args.user, args.path)))
    elif args.command == "first_push":
        print(json.dumps(run_first_push(args.user, args.path)))
    else:
        print(json.dumps(run_incremental(args.user, args.path, args.runs)))


if __name__ == "__main__":
    main()
