"""Which of the app's queries use which index, and what each costs without it (a script).

    .venv/bin/python bench/index_usage.py --db COPY.db [--time] [--rounds 5] [--index NAME ...]
                                          [--compare OTHER_COPY.db]

Runs the app's actions through the real store on COPY.db (it writes: a lead, a logged contact,
a stage move; never give it a benchmark original), recording every SQL statement with its
bound parameters (a recording `sqlite3` connection factory, so SQLAlchemy's statements and
the plain-SQL readers' alike), then asks `EXPLAIN QUERY PLAN` of each and prints, per
index, the actions whose statements read it.

With `--time`, each read statement that uses an index is timed with the index and without
it (dropped inside a transaction that is rolled back, so SQLite plans it again), medians of
`--rounds` interleaved rounds (with, without, with, ...), 5 runs each. With `--compare`, every
recorded read statement is timed on both files, interleaved, and the sums per action are
printed. For a schema change that changes the SQL too: `--dump` the recording of each
version (run with that version's code on its file), then `--pair A.db A.json B.db B.json`
times each side's own reads on its own file, interleaved.

Actions: Today (today_view), the month's scorecard (scorecard_view), the day's review
(day_review), a customer's page (customer_file), the customer list's first and second page
in every sort order and its count, searches (a Latin prefix, three Latin letters, two common
Latin letters, two CJK characters, phone digits), jump-to-customer, saving a lead (with its
duplicate check), logging a contact done, rescheduling one, moving a stage.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sqlite3
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

Recorded = list[tuple[str, str, tuple[Any, ...]]]  # (action, sql, params)

_current: list[str] = []
_recorded: Recorded = []


class _RecordingCursor(sqlite3.Cursor):
    def execute(self, sql: str, parameters: Any = (), /) -> Any:  # type: ignore[override]
        if _current:
            _recorded.append((_current[-1], sql, _params(parameters)))
        return super().execute(sql, parameters)

    def executemany(self, sql: str, seq: Any, /) -> Any:  # type: ignore[override]
        rows = list(seq)
        if _current and rows:
            _recorded.append((_current[-1], sql, _params(rows[0])))
        return super().executemany(sql, rows)


class _RecordingConnection(sqlite3.Connection):
    def cursor(self, factory: Any = _RecordingCursor) -> Any:  # type: ignore[override]
        return super().cursor(factory)

    def execute(self, sql: str, parameters: Any = (), /) -> Any:  # type: ignore[override]
        return self.cursor().execute(sql, parameters)


def _params(parameters: Any) -> tuple[Any, ...] | Any:
    if isinstance(parameters, dict):
        return dict(parameters)
    return tuple(parameters)


def _install_recorder() -> None:
    original = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        kwargs.setdefault("factory", _RecordingConnection)
        return original(*args, **kwargs)

    sqlite3.connect = connect  # type: ignore[assignment]
    # SQLAlchemy's pysqlite dialect calls `sqlite3.dbapi2.connect`.
    sqlite3.dbapi2.connect = connect  # type: ignore[assignment]


def run_actions(db: Path) -> Recorded:
    """Every action once (warm) and once recorded; returns what was recorded."""
    from salesdev_tui.config import Settings
    from salesdev_tui.db import open_database
    from salesdev_tui.domain.customer_query import CustomerQuery, SortKey, parse_customer_query
    from salesdev_tui.domain.periods import local_date, period_containing
    from salesdev_tui.domain.validation import (
        ContactInput,
        ContactPlanInput,
        CustomerInput,
        LeadDraft,
        PlanOutcomeInput,
    )
    from salesdev_tui.models.enums import ContactMethod, PeriodKind, PlanStatus, Stage
    from salesdev_tui.store.combined import Store
    from salesdev_tui.store.reports import day_review, scorecard_view, today_view
    from salesdev_tui.usecases.leads import add_lead

    settings = Settings(timezone="Asia/Taipei", rep_name="Bench Rep", currency="TWD")
    database = open_database(db)
    store = Store(database)
    now = store.now()
    today = local_date(now, settings.zone)
    month = period_containing(now, PeriodKind.MONTH, settings.zone)
    raw = sqlite3.connect(db)
    some = [uuid.UUID(r[0]) for r in raw.execute(
        "SELECT id FROM customer WHERE deleted_at IS NULL ORDER BY rowid LIMIT 3")]
    cjk = raw.execute(
        "SELECT substr(name, 3, 2) FROM customer WHERE unicode(name) BETWEEN 19968 AND 40959"
        " AND length(name) >= 6 ORDER BY rowid LIMIT 1").fetchone()
    latin = raw.execute(
        "SELECT substr(name, 1, 6) FROM customer WHERE name GLOB '[A-Z][a-z][a-z][a-z][a-z]*'"
        " ORDER BY rowid LIMIT 1").fetchone()
    phone = raw.execute(
        "SELECT substr(phone_normalized, -6) FROM contact WHERE phone_normalized IS NOT NULL"
        " ORDER BY rowid LIMIT 1").fetchone()
    open_plan = raw.execute(
        "SELECT id FROM contact_plan WHERE status = 'planned' AND deleted_at IS NULL"
        " ORDER BY scheduled_at LIMIT 2").fetchall()
    raw.close()

    def pages(query: CustomerQuery) -> None:
        page = store.search.search_customers(query, now=now)
        if page.next_cursor is not None:
            store.search.search_customers(query, after=page.next_cursor, now=now)
        store.search.count_customers(query, now=now)

    actions: dict[str, Callable[[], object]] = {
        "Today": lambda: today_view(store, settings, now),
        "scorecard": lambda: scorecard_view(store, month, settings, today),
        "review": lambda: day_review(store, today, settings, now),
        "customer page": lambda: [store.files.customer_file(c) for c in some],
    }
    for sort in SortKey:
        actions[f"list by {sort.value}"] = (lambda s=sort: pages(CustomerQuery(sort=s)))
    actions["list stage filter"] = lambda: pages(parse_customer_query("stage:needs"))
    for label, text in (("search Latin prefix", latin[0] if latin else "Acme C"),
                        ("search 3 Latin letters", "ter"), ("search 2 Latin letters", "ri"),
                        ("search 2 CJK characters", cjk[0] if cjk else "精密"),
                        ("search phone digits", phone[0] if phone else "345678")):
        actions[label] = (lambda t=text: pages(parse_customer_query(t)))
    actions["jump to customer"] = lambda: store.search.quick_find(latin[0][:4] if latin else "Acm")

    def save_lead() -> None:
        tag = f"{uuid.uuid4().int % 10**6:06d}"
        draft = LeadDraft(CustomerInput(name=f"Usage Lead {tag} Ltd"),
                          ContactInput(name="Jane Wu", phone=f"0912 {tag[:3]} {tag[3:]}",
                                       email=f"jane.{tag}@example.com"))
        add_lead(store, draft, allow_duplicate=True)
        store.leads.duplicates_of_lead(draft.customer, draft.contact)

    def log_contact() -> None:
        plan = store.plans.plan_contact(some[0], ContactPlanInput(
            method=ContactMethod.PHONE, scheduled_at=now + timedelta(hours=1)))
        store.plans.log_outcome(plan.id, PlanOutcomeInput(status=PlanStatus.DONE,
                                                          outcome="usage: talked"))

    def reschedule() -> None:
        if open_plan:
            store.plans.reschedule(uuid.UUID(open_plan[0][0]), now + timedelta(days=2))

    def stage_move() -> None:
        customer = store.customers.get_customer(some[1])
        target = Stage.LOST if customer.stage is not Stage.LOST else Stage.PROSPECT
        try:
            store.customers.move_stage(some[1], target, reason="usage bench")
        except Exception as error:  # a gate: the move is not the point, its reads are
            print(f"(stage move refused: {error})", file=sys.stderr)

    actions.update({"save a lead": save_lead, "log a contact": log_contact,
                    "reschedule": reschedule, "stage move": stage_move})
    try:
        for name, call in actions.items():
            call()  # warm (and the first search syncs the index)
            _current.append(name)
            try:
                call()
            finally:
                _current.pop()
    finally:
        database.close()
    return list(_recorded)


_INDEX_IN_PLAN = re.compile(r"USING (?:COVERING )?INDEX (\w+)|USING (INTEGER PRIMARY KEY)")


def plan_of(conn: sqlite3.Connection, sql: str, params: Any) -> list[str]:
    try:
        rows = conn.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    except sqlite3.Error as error:
        return [f"(no plan: {error})"]
    return [row[-1] for row in rows]


def indexes_used(plan: list[str]) -> set[str]:
    used = set()
    for line in plan:
        for match in _INDEX_IN_PLAN.finditer(line):
            used.add(match.group(1) or "rowid")
    return used


def _is_read(sql: str) -> bool:
    head = sql.lstrip().split(None, 1)[0].upper()
    return head in ("SELECT", "WITH")


#: A statement is stopped after this long (without an index, a correlated lookup can turn
#: into a scan per row: hours); its time then reads as "> LIMIT".
TIME_LIMIT_S = 2.0


def _timed(conn: sqlite3.Connection, sql: str, params: Any, runs: int = 5) -> float:
    """Median milliseconds of `runs` runs; math.inf when one ran past TIME_LIMIT_S."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        deadline = started + TIME_LIMIT_S
        conn.set_progress_handler(lambda d=deadline: int(time.perf_counter() > d), 10000)
        try:
            conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as error:
            if "interrupted" not in str(error):
                raise
            return math.inf
        finally:
            conn.set_progress_handler(None, 0)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _ms(value: float) -> str:
    return f"> {TIME_LIMIT_S * 1000:,.0f}" if math.isinf(value) else f"{value:.2f}"


def _index_sql(conn: sqlite3.Connection, name: str) -> str | None:
    row = conn.execute("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?",
                       (name,)).fetchone()
    return None if row is None else row[0]


def time_without(db: Path, statements: dict[tuple[str, str], tuple[Any, set[str]]],
                 index: str, rounds: int) -> list[tuple[str, str, float, float]]:
    """(action, statement head, ms with, ms without) for the reads that use `index`."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA secure_delete=OFF")  # a dropped index's pages are not rewritten
    conn.execute("PRAGMA cache_size=-16384")
    if _index_sql(conn, index) is None:
        print(f"(no index {index} in {db}: a primary key cannot be dropped)", file=sys.stderr)
        return []
    mine = [(action, sql, params) for (action, sql), (params, used) in statements.items()
            if index in used and _is_read(sql)]
    with_ms: dict[int, list[float]] = {i: [] for i in range(len(mine))}
    without_ms: dict[int, list[float]] = {i: [] for i in range(len(mine))}
    for _ in range(rounds):
        for i, (_a, sql, params) in enumerate(mine):
            with_ms[i].append(_timed(conn, sql, params))
        conn.execute("BEGIN")
        conn.execute(f"DROP INDEX {index}")
        for i, (_a, sql, params) in enumerate(mine):
            if without_ms[i] and math.isinf(without_ms[i][-1]):
                without_ms[i].append(math.inf)
                continue
            without_ms[i].append(_timed(conn, sql, params))
        conn.execute("ROLLBACK")
    conn.close()
    return [(a, _head(sql), statistics.median(with_ms[i]), statistics.median(without_ms[i]))
            for i, (a, sql, _p) in enumerate(mine)]


def _head(sql: str, width: int = 90) -> str:
    text = " ".join(sql.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def compare_files(a: Path, b: Path, statements: dict[tuple[str, str], tuple[Any, set[str]]],
                  rounds: int) -> None:
    conns = []
    for path in (a, b):
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        conn.execute("PRAGMA cache_size=-16384")
        conns.append(conn)
    per_action: dict[str, list[list[float]]] = {}
    reads = [(act, sql, params) for (act, sql), (params, _u) in statements.items()
             if _is_read(sql)]
    for _ in range(rounds):
        sums: dict[str, list[float]] = {}
        for which, conn in enumerate(conns):
            for action, sql, params in reads:
                try:
                    ms = _timed(conn, sql, params, runs=3)
                except sqlite3.Error:
                    continue
                sums.setdefault(action, [0.0, 0.0])[which] += ms
        for action, pair in sums.items():
            per_action.setdefault(action, []).append(pair)
    print(f"\n| action | reads (ms, {a.name}) | reads (ms, {b.name}) | ratio |")
    print("|---|---:|---:|---:|")
    for action, pairs in per_action.items():
        ma = statistics.median(p[0] for p in pairs)
        mb = statistics.median(p[1] for p in pairs)
        ratio = statistics.median(p[1] / p[0] for p in pairs if p[0] > 0)
        print(f"| {action} | {ma:.2f} | {mb:.2f} | {ratio:.2f} |")


def _load(path: Path) -> list[tuple[str, str, Any]]:
    return [(a, sql, tuple(p) if isinstance(p, list) else p)
            for a, sql, p in json.loads(path.read_text())]


def compare_recorded(a: tuple[Path, Path], b: tuple[Path, Path], rounds: int) -> None:
    """Each side's own recorded reads on its own file (a schema change changes the SQL too),
    summed per action, interleaved: a, b, a, b, ... `rounds` times, 3 runs each."""
    sides = []
    for db, recording in (a, b):
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        conn.execute("PRAGMA cache_size=-16384")
        reads = [(act, sql, params) for act, sql, params in _load(recording) if _is_read(sql)]
        sides.append((conn, reads))
    per_action: dict[str, list[list[float]]] = {}
    for _ in range(rounds):
        for which, (conn, reads) in enumerate(sides):
            sums: dict[str, float] = {}
            for action, sql, params in reads:
                sums[action] = sums.get(action, 0.0) + _timed(conn, sql, params, runs=3)
            for action, total in sums.items():
                per_action.setdefault(action, [[], []])[which].append(total)
    print(f"\n| action | reads (ms), {a[0].name} | reads (ms), {b[0].name} | ratio |")
    print("|---|---:|---:|---:|")
    for action, (ta, tb) in per_action.items():
        ratios = [y / x for x, y in zip(ta, tb, strict=False) if x > 0]
        print(f"| {action} | {statistics.median(ta):.2f} | {statistics.median(tb):.2f} |"
              f" {statistics.median(ratios):.2f} |")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--time", action="store_true")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--index", action="append", default=[],
                        help="time only these indexes (default: every index used)")
    parser.add_argument("--compare", type=Path)
    parser.add_argument("--plans", action="store_true", help="print every statement's plan")
    parser.add_argument("--dump", type=Path, help="write the recorded statements (JSON)")
    parser.add_argument("--pair", nargs=4, type=Path, metavar=("A_DB", "A_JSON", "B_DB", "B_JSON"),
                        help="only time two recordings (--dump) on their own files")
    args = parser.parse_args(argv)
    if args.pair:
        a_db, a_json, b_db, b_json = args.pair
        compare_recorded((a_db, a_json), (b_db, b_json), args.rounds)
        return
    _install_recorder()
    recorded = run_actions(args.db)
    if args.dump:
        args.dump.write_text(json.dumps(recorded))
    conn = sqlite3.connect(args.db)
    statements: dict[tuple[str, str], tuple[Any, set[str]]] = {}
    for action, sql, params in recorded:
        if (action, sql) in statements or not sql.strip() or sql.lstrip().upper().startswith(
                ("PRAGMA", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
            continue
        plan = plan_of(conn, sql, params)
        statements[(action, sql)] = (params, indexes_used(plan))
        if args.plans:
            print(f"-- [{action}] {_head(sql, 200)}\n   " + "\n   ".join(plan))
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY tbl_name, name")]
    conn.close()
    users: dict[str, set[str]] = {name: set() for name in names}
    for (action, _sql), (_p, used) in statements.items():
        for name in used:
            users.setdefault(name, set()).add(action)
    print("| index | read by (actions whose statements' plans name it) |")
    print("|---|---|")
    for name, acts in users.items():
        print(f"| {name} | {', '.join(sorted(acts)) or '(no plan names it)'} |")
    if args.time:
        print("\n| index | action | statement | ms with | ms without | ratio |")
        print("|---|---|---|---:|---:|---:|")
        for name in args.index or [n for n, a in users.items() if a]:
            for action, head, with_ms, without_ms in time_without(
                    args.db, statements, name, args.rounds):
                ratio = without_ms / max(with_ms, 1e-3)
                print(f"| {name} | {action} | `{head}` | {_ms(with_ms)} | {_ms(without_ms)} |"
                      f" {'-' if math.isinf(ratio) else f'{ratio:.1f}x'} |", flush=True)
    if args.compare:
        compare_files(args.db, args.compare, statements, args.rounds)


if __name__ == "__main__":
    main(sys.argv[1:])
