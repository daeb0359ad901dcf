"""Team scorecard benchmark (issue 19.1): the manager's view of 50 reps over 1,000,000
customers, read on the team server.

Run on demand, not in the test suite:

    python bench/team_scorecard_bench.py [--reps 50] [--customers 20000] [--keep]

Makes the database `salesdev_team_bench` on the local PostgreSQL (dropped first), migrated to
the latest server schema, one login role per rep (`tsb_r00`…) and a manager (`tsb_max`),
then loads every rep's book with INSERT … SELECT generate_series as the administrator
(triggers off, `session_replication_role = replica`, so the load takes a minute, not an
hour of per-row triggers): per customer one done contact plan (its first contact, spread
over the three years up to 2026-12), a quarter of them a signed contract a month later and
a survey after that, and each rep's targets for 2026-11 and 2026. The customers' facts
(`first_contacted_at`, `first_signed_at`, `last_contacted_at`) are set as v0003's triggers
would have set them. Then VACUUM ANALYZE (the index-only scans need the visibility map).

Measured on the manager's own login (row-level security applies), the connection already
open: `team_scorecard` as the CLI and the screen run it (the server's read of every rep's
figures and targets, and the composition of each card), median of 7 for the month 2026-11
and the year 2026; also the plan of the month's query. The figures go to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from salesdev_tui.config import Settings  # noqa: E402
from salesdev_tui.domain.periods import parse_period  # noqa: E402
from salesdev_tui.models.stored import to_db_timestamp as ts  # noqa: E402
from salesdev_tui.server.admin import add_user, migrate  # noqa: E402
from salesdev_tui.server.roles import TeamRole  # noqa: E402
from salesdev_tui.server.team_figures import _postgres_sql, team_reps  # noqa: E402
from salesdev_tui.usecases import team_view  # noqa: E402

ADMIN = "postgresql://postgres@127.0.0.1:5432"
DATABASE = "salesdev_team_bench"
ZONE = ZoneInfo("Asia/Taipei")
SETTINGS = Settings(timezone="Asia/Taipei", commission_rate=Decimal("0.03"))

#: The books: customer g of rep (g % reps), first contacted at a moment spread over the
#: three years before 2026-12-01 (a multiplicative hash of g, so the months interleave).
_SPREAD = """
CREATE TEMP TABLE book AS
SELECT g, 'tsb_r' || lpad((g % {reps})::text, 2, '0') AS owner, gen_random_uuid() AS id,
       timestamp '2023-12-01' + ((g::bigint * 2654435761) % 94608000) * interval '1 second'
         AS contacted,
       ((g / {reps}) % 4 = 0) AS signs
FROM generate_series(0, {total} - 1) AS g
"""
_FMT = "'YYYY-MM-DD HH24:MI:SS.US'"


def _t(expr: str) -> str:
    return f"to_char({expr}, {_FMT})"


def load(reps: int, customers: int) -> None:
    with psycopg.connect(f"{ADMIN}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    url = f"{ADMIN}/{DATABASE}"
    migrate(url)
    names = [f"tsb_r{n:02d}" for n in range(reps)]
    for name in names:
        add_user(url, name, TeamRole.REP)
    add_user(url, "tsb_max", TeamRole.MANAGER)
    started = time.perf_counter()
    with psycopg.connect(url) as conn:
        conn.execute("SET search_path = salesdev")
        conn.execute("SET session_replication_role = replica")
        conn.execute("CREATE TEMP TABLE bench_reps (n INTEGER, name TEXT)")
        conn.execute("INSERT INTO bench_reps SELECT n, 'tsb_r' || lpad(n::text, 2, '0')"
                     " FROM generate_series(0, %s - 1) AS n", (reps,))
        conn.execute(_SPREAD.format(reps=reps, total=reps * customers))
        signed = "b.contacted + interval '30 days'"
        conn.execute(
            "INSERT INTO customer (owner, id, created_at, updated_at, name, name_key, stage,"
            " industry, first_contacted_at, last_contacted_at, first_signed_at)"
            f" SELECT b.owner, b.id, {_t('b.contacted')}, {_t('b.contacted')},"
            " 'Customer ' || b.g, 'customer ' || b.g,"
            " CASE WHEN b.signs THEN 'won' ELSE 'contacted' END,"
            " (ARRAY['machinery','food','retail','software'])[b.g % 4 + 1],"
            f" {_t('b.contacted')}, {_t('b.contacted')},"
            f" CASE WHEN b.signs THEN {_t(signed)} END FROM book b")
        conn.execute(
            "INSERT INTO contact_plan (owner, id, created_at, updated_at, customer_id, method,"
            " scheduled_at, status, done_at)"
            f" SELECT b.owner, gen_random_uuid(), {_t('b.contacted')}, {_t('b.contacted')},"
            f" b.id, 'visit', {_t('b.contacted')}, 'done', {_t('b.contacted')} FROM book b")
        conn.execute(
            "INSERT INTO contract (owner, id, created_at, updated_at, customer_id, value, cost,"
            " legal_review, signed_at)"
            f" SELECT b.owner, gen_random_uuid(), {_t(signed)}, {_t(signed)}, b.id,"
            " (100000 + (b.g % 50) * 10000) * 100, (60000 + (b.g % 30) * 10000) * 100,"
            f" 'approved', {_t(signed)} FROM book b WHERE b.signs")
        taken = "b.contacted + interval '50 days'"
        conn.execute(
            "INSERT INTO survey (owner, id, created_at, updated_at, customer_id, score,"
            f" taken_at) SELECT b.owner, gen_random_uuid(), {_t(taken)}, {_t(taken)}, b.id,"
            f" 1 + b.g % 5, {_t(taken)} FROM book b WHERE b.signs AND (b.g / {reps}) % 8 = 0")
        for kind, label, scale in (("month", "2026-11", 1), ("year", "2026", 12)):
            conn.execute(
                "INSERT INTO target (owner, id, created_at, updated_at, period_kind,"
                " period_label, kpi, value) SELECT r.name, gen_random_uuid(), %s, %s, %s, %s,"
                " k.kpi, k.value FROM bench_reps r CROSS JOIN (VALUES ('new_customers', %s),"
                " ('revenue', %s), ('profit', %s)) AS k(kpi, value)",
                (ts_now := ts_text(), ts_now, kind, label, 120 * scale * 10_000,
                 25_000_000 * scale * 10_000, 6_000_000 * scale * 10_000))
        conn.commit()
    loaded = time.perf_counter() - started
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    print(f"loaded {reps} reps x {customers} customers in {loaded:.0f} s"
          f" (+ VACUUM ANALYZE {time.perf_counter() - started - loaded:.0f} s)")


def ts_text() -> str:
    from datetime import UTC, datetime

    return ts(datetime(2026, 10, 1, tzinfo=UTC))


def measure(runs: int = 7) -> dict[str, list[float]]:
    url = f"{ADMIN.replace('postgres@', 'tsb_max@')}/{DATABASE}"
    today = date(2026, 11, 20)
    found: dict[str, list[float]] = {}
    for label in ("2026-11", "2026"):
        period = parse_period(label, ZONE)
        timings = []
        with team_view.manager_connection(url) as conn:
            reps = team_reps(conn)
            for _ in range(runs):
                start = time.perf_counter()
                card = team_view.read_team_card(conn, reps, period, SETTINGS, today)
                conn.rollback()
                timings.append(time.perf_counter() - start)
        found[label] = timings
        print(f"{label}: median {statistics.median(timings) * 1000:.1f} ms of {runs}"
              f" ({', '.join(f'{t * 1000:.1f}' for t in timings)}); team new customers"
              f" {card.team.card.new_customers}, revenue {card.team.card.revenue},"
              f" {len(card.reps)} reps")
    start = time.perf_counter()
    team_view.team_scorecard(url, SETTINGS, parse_period("2026-11", ZONE), today)
    print(f"end to end with a new connection (month): {(time.perf_counter() - start) * 1000:.1f}"
          " ms")
    text, _query = _postgres_sql()
    start_at, end_at = parse_period("2026-11", ZONE).utc_bounds()
    with psycopg.connect(url) as conn:
        conn.execute("SET search_path = salesdev")
        for row in conn.execute(("EXPLAIN (ANALYZE, BUFFERS) " + text).encode(),
                                {"start": ts(start_at), "end": ts(end_at)}):
            print("   ", row[0])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--measure-only", action="store_true")
    args = parser.parse_args()
    if not args.measure_only:
        load(args.reps, args.customers)
    with psycopg.connect(f"{ADMIN}/postgres") as conn:
        load_avg = Path("/proc/loadavg").read_text().split()[:3]
        print("load average:", " ".join(load_avg), "server:",
              conn.execute("SELECT version()").fetchone()[0].split(",")[0])  # type: ignore[index]
    measure()
    if not args.keep:
        with psycopg.connect(f"{ADMIN}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            for n in range(args.reps):
                admin.execute(f"DROP ROLE IF EXISTS tsb_r{n:02d}")
            admin.execute("DROP ROLE IF EXISTS tsb_max")


if __name__ == "__main__":
    main()
