"""Benchmark: customer search at 100,000 customers (a script, not a test).

    .venv/bin/python bench/search_bench.py [--customers 100000] [--rebuild] [--repeat 30]

Builds (once, then reuses) bench/work/search-<n>.db: n customers with about two contacts
each and about one open contact plan each, inserted in bulk with raw `executemany` in big
transactions (PERFORMANCE-NOTES: the ORM is 15x slower). The search triggers fire during
the bulk insert, exactly as for any other write path. Then it times `search_customers`,
`count_customers` and paging for a sequence of keystrokes and prints a markdown table.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from sqlalchemy import event

from salesdev_tui.db import open_database
from salesdev_tui.db.search_index import create_search_index, has_search_index
from salesdev_tui.domain.customer_query import parse_customer_query
from salesdev_tui.store.combined import Store

WORK = Path(__file__).parent / "work"
NOW = datetime(2026, 11, 16, 6, 30, tzinfo=UTC)
TS = "%Y-%m-%d %H:%M:%S.%f"

def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


LATIN = _words(
    "Acme Apex Atlas Aurora Beacon Bright Cedar Summit Delta Eagle Ever Falcon Global Golden "
    "Harbor Horizon Iron Jade Keystone Lotus Maple Metro Nova Oak Orion Pacific Pioneer "
    "Prime Quantum River Sierra Silver Star Sun Titan Unity Vertex Vista Zenith"
)
LATIN_KINDS = _words("Tech Foods Logistics Textiles Machinery Plastics Trading Electronics Labs")
LATIN_SUFFIX = ("Co., Ltd.", "Inc.", "Corp.", "GmbH", "Ltd.", "")
CJK = _words("東京 台北 新竹 台中 高雄 大阪 首爾 上海 華南 永豐 鴻海 明基 光寶 統一 大同")
CJK_KINDS = _words("科技 電子 食品 物流 紡織 機械 塑膠 貿易 精密 光電")
CJK_SUFFIX = ("股份有限公司", "有限公司", "株式会社", "工業", "企業社")
KOREAN = ("삼성", "현대", "한빛", "대한", "우리")
FIRST = _words("Amy Bob Chen Daniel Emma Frank Grace Henry Ivy Jack Kevin Linda Mei Nina Oscar")
LAST = _words("Lin Wang Chang Liu Huang Wu Tsai Yang Smith Tanaka Kim Park Müller García")
INDUSTRIES = _words("manufacturing retail logistics food electronics textiles healthcare finance")
WORDS = _words(
    "budget renewal pilot tender discount delivery quality audit warranty samples "
    "meeting follow-up trade show booth catalogue pricing competitor expansion"
)
STAGES = (
    ["prospect"] * 40 + ["contacted"] * 20 + ["needs"] * 12 + ["proposal"] * 10
    + ["negotiation"] * 6 + ["contract"] * 4 + ["won"] * 5 + ["lost"] * 3
)
SOURCES = ("trade_show", "online", "referral", "research", "other", None)
SIZES = ("micro", "small", "medium", "large", "enterprise", None)


def _ts(moment: datetime) -> str:
    return moment.strftime(TS)


def _name(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.55:
        parts = [rng.choice(LATIN), rng.choice(LATIN_KINDS), rng.choice(LATIN_SUFFIX)]
    elif roll < 0.92:
        parts = [rng.choice(CJK) + rng.choice(CJK_KINDS) + rng.choice(CJK_SUFFIX)]
    else:
        parts = [rng.choice(KOREAN), rng.choice(LATIN_KINDS)]
    return " ".join(p for p in parts if p) + f" {rng.randrange(1, 999)}"


def _phone(rng: random.Random) -> tuple[str, str]:
    digits = f"09{rng.randrange(10):d}{rng.randrange(10**7):07d}"
    typed = f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    return typed, "+886" + digits[1:]


def _rows(n: int, seed: int) -> Iterator[tuple[list[tuple[object, ...]], ...]]:
    """Customers, contacts and plans, in batches of 10,000 customers."""
    rng = random.Random(seed)
    batch = 10_000
    for start in range(0, n, batch):
        customers: list[tuple[object, ...]] = []
        contacts: list[tuple[object, ...]] = []
        plans: list[tuple[object, ...]] = []
        for _i in range(start, min(n, start + batch)):
            cid = uuid.uuid4().hex
            created = NOW - timedelta(days=rng.uniform(30, 900))
            last = created + (NOW - created) * rng.random()
            updated = last + (NOW - last) * rng.random()
            name = _name(rng)
            customers.append((
                cid, _ts(created), _ts(updated), name, name.casefold(),
                rng.choice(STAGES), rng.choice(SOURCES), rng.choice(INDUSTRIES),
                rng.choice(SIZES), rng.choice(("A", "B", "C", None)),
                " ".join(rng.choices(WORDS, k=rng.randrange(0, 8))) or None, _ts(last),
            ))
            for _k in range(rng.choice((1, 2, 2, 3))):
                first, last_name = rng.choice(FIRST), rng.choice(LAST)
                typed, normal = _phone(rng)
                email = f"{first}.{last_name}{rng.randrange(99)}@example{rng.randrange(500)}.com"
                contacts.append((
                    uuid.uuid4().hex, _ts(created), _ts(created), cid, f"{first} {last_name}",
                    typed, normal, email.casefold(),
                ))
            if rng.random() < 0.7:
                at = NOW + timedelta(days=rng.uniform(-20, 60))
                plans.append((uuid.uuid4().hex, _ts(created), _ts(created), cid, _ts(at)))
        yield customers, contacts, plans


def build(path: Path, n: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_database(path, now=NOW)
    with db.engine.begin() as conn:
        if not has_search_index(conn):
            create_search_index(conn)
    db.close()
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("PRAGMA synchronous=OFF")  # a throwaway benchmark file
    started = time.perf_counter()
    for customers, contacts, plans in _rows(n, seed=20261116):
        raw.execute("BEGIN")
        raw.executemany(
            "INSERT INTO customer (id, created_at, updated_at, name, name_key, stage, source, "
            "industry, size, potential, notes, last_activity_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            customers,
        )
        raw.executemany(
            "INSERT INTO contact (id, created_at, updated_at, customer_id, name, phone, "
            "phone_normalized, email, is_primary) VALUES (?,?,?,?,?,?,?,?,1)",
            contacts,
        )
        raw.executemany(
            "INSERT INTO contact_plan (id, created_at, updated_at, customer_id, method, "
            "scheduled_at, status) VALUES (?,?,?,?,'phone',?,'planned')",
            plans,
        )
        raw.execute("COMMIT")
    inserted = time.perf_counter() - started
    raw.close()
    db = open_database(path, now=NOW)
    store = Store(db, clock=lambda: NOW)
    started = time.perf_counter()
    store.search.count_customers(parse_customer_query(""), now=NOW)  # the first search indexes
    indexed = time.perf_counter() - started
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    db.close()
    print(f"built {n:,} customers: bulk insert {inserted:.1f} s, first search "
          f"(indexes the queue) {indexed:.1f} s, file {path.stat().st_size / 1e6:.0f} MB\n")


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    """Median and p95 wall time, and median CPU time of this process, in ms.

    On a shared machine wall time includes waiting for a core; CPU time does not.
    """
    fn()  # warm the page cache and statement cache
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--cache-mb", type=int, default=0,
        help="set PRAGMA cache_size and mmap_size on every connection (0: engine defaults)",
    )
    args = parser.parse_args(argv)
    path = WORK / f"search-{args.customers}.db"
    if args.rebuild or not path.exists():
        build(path, args.customers)
    db = open_database(path, now=NOW)
    if args.cache_mb:
        db.engine.dispose()

        @event.listens_for(db.engine, "connect")
        def _cache(dbapi_conn: sqlite3.Connection, _record: object) -> None:
            dbapi_conn.execute(f"PRAGMA cache_size=-{args.cache_mb * 1024}")
            dbapi_conn.execute(f"PRAGMA mmap_size={args.cache_mb * 1024 * 1024}")

    store = Store(db, clock=lambda: NOW)
    with db.engine.connect() as conn:
        phone = conn.exec_driver_sql("SELECT phone FROM contact LIMIT 1 OFFSET 777").scalar_one()
    fragment = phone[5:12]  # e.g. "345 678"
    keystrokes = ["a", "ac", "acm", "acme", fragment, fragment.replace(" ", ""),
                  "東", "東京", "東京電", "株式会", "삼성", "oak stage:prop pot:A",
                  # Two characters from the middle of a name (issue 14.1): a narrow kind,
                  # another, and one that nearly every company has (the broad case).
                  "精密", "光電", "有限"]
    sorts = ["", "sort:name", "sort:idle", "sort:next", "stage:proposal sort:next",
             "idle:60", "acme sort:next", "ind:manu size:large"]

    cache = f"cache_size/mmap_size {args.cache_mb} MB" if args.cache_mb else "engine defaults"
    print(f"{args.customers:,} customers, {args.repeat} runs each, {cache}; times in ms\n")
    print("| query | rows | search median | search p95 | search CPU | count median | count |")
    print("|---|---|---|---|---|---|---|")
    for typed in keystrokes + sorts:
        query = parse_customer_query(typed)
        page = store.search.search_customers(query, now=NOW)
        med, p95, cpu = timed(partial(store.search.search_customers, query, now=NOW), args.repeat)
        cmed, _p, _c = timed(partial(store.search.count_customers, query, now=NOW), args.repeat)
        count = store.search.count_customers(query, now=NOW)
        shown = "10,000+" if count > 10_000 else f"{count:,}"
        print(f"| `{typed or '(empty)'}` | {len(page.rows)} | {med:.1f} | {p95:.1f} | {cpu:.1f} "
              f"| {cmed:.1f} | {shown} |")

    print("\nKeyset paging, 100 rows a page: time of the 50th page\n")
    print("| sort | page 50 median | page 50 p95 | page 50 CPU |")
    print("|---|---|---|---|")
    for typed in ("", "sort:name", "sort:idle", "sort:next"):
        query = parse_customer_query(typed)
        cursor = None
        for _page in range(49):
            cursor = store.search.search_customers(query, after=cursor, now=NOW).next_cursor
        med, p95, cpu = timed(
            partial(store.search.search_customers, query, after=cursor, now=NOW), args.repeat
        )
        print(f"| `{typed or 'updated'}` | {med:.1f} | {p95:.1f} | {cpu:.1f} |")
    med, p95, cpu = timed(lambda: store.search.quick_find("acme"), args.repeat)
    print(f"\nquick_find('acme'): median {med:.1f} ms, p95 {p95:.1f} ms, CPU {cpu:.1f} ms")
    db.close()


if __name__ == "__main__":
    main(sys.argv[1:])
