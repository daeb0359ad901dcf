"""Where a salesdev file's bytes go: every table and index, per customer (a script, not a test).

    .venv/bin/python bench/disk_usage.py bench/work/suite-100000.db [--compare other.db]
                                         [--customers N]

Reads SQLite's `dbstat` virtual table (compiled into the sqlite3 of Python's build here:
`PRAGMA compile_options` lists ENABLE_DBSTAT_VTAB) and prints a markdown table: for each
table, its own b-tree and then each of its indexes, the bytes on disk (pages x page size),
bytes per customer, entries (cells on leaf pages), the unused bytes inside those pages and
the share of the file. The search index's shadow tables (`customer_fts_*`) are grouped under
`customer_fts`; free pages (the freelist) and the header page get a row of their own, so the
rows add up to the file's size. With `--compare`, a second file's figures are put beside the
first (per customer, each file divided by its own customer count) with the difference.
With `--estimate-binary`, what storing ids as 16-byte blobs and times as 8-byte integers
would save, object by object (an estimate from the values stored; nothing is changed).

"Per customer" divides by every row of `customer` (soft-deleted ones too), or by
`--customers`. The file is opened read-only (`mode=ro`); WAL content is included, so a
checkpoint is not needed. Run it on a copy when another process may be writing.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path

FTS_PREFIX = "customer_fts"


@dataclass
class Obj:
    name: str
    kind: str  # table, index, fts, other
    table: str
    pages: int = 0
    bytes: int = 0
    unused: int = 0
    cells: int = 0
    definition: str = ""


@dataclass
class Usage:
    path: Path
    customers: int
    file_bytes: int
    page_size: int
    free_pages: int
    objects: dict[str, Obj] = field(default_factory=dict)


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    options = {row[0] for row in conn.execute("PRAGMA compile_options")}
    if "ENABLE_DBSTAT_VTAB" not in options:
        raise SystemExit("this sqlite3 has no dbstat virtual table (ENABLE_DBSTAT_VTAB)")
    return conn


def measure(path: Path, customers: int | None = None) -> Usage:
    conn = _connect(path)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        page_count = conn.execute("PRAGMA page_count").fetchone()[0]
        free_pages = conn.execute("PRAGMA freelist_count").fetchone()[0]
        if customers is None:
            customers = conn.execute("SELECT count(*) FROM customer").fetchone()[0]
        usage = Usage(path, max(1, int(customers)), page_count * page_size, page_size,
                      free_pages)
        schema = {
            name: (kind, table, sql or "")
            for kind, name, table, sql in conn.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_schema")
        }
        # Per b-tree: pages and unused bytes of every page; entries are the cells of the leaf
        # pages, and of the interior pages too in an index (whose interior cells are entries).
        rows = conn.execute(
            "SELECT name, count(*), sum(pgsize), sum(unused),"
            " sum(CASE WHEN pagetype = 'leaf' THEN ncell ELSE 0 END),"
            " sum(CASE WHEN pagetype = 'internal' THEN ncell ELSE 0 END)"
            " FROM dbstat GROUP BY name"
        ).fetchall()
        for name, pages, size, unused, leaf_cells, inner_cells in rows:
            kind, table, sql = schema.get(name, ("other", name, ""))
            cells = leaf_cells + (inner_cells if kind == "index" else 0)
            if name.startswith(FTS_PREFIX):
                kind, table = "fts", FTS_PREFIX
            elif kind == "table" and name == "sqlite_schema":
                kind = "other"
            elif kind == "index" and not sql:
                sql = "(primary key / unique constraint)"
            usage.objects[name] = Obj(name, kind, table, pages, size, unused, cells, sql)
        # The header page is sqlite_schema's root; the rest of the file is the freelist.
        counted = sum(o.pages for o in usage.objects.values())
        rest = page_count - counted
        if rest:
            usage.objects["(free pages)"] = Obj("(free pages)", "other", "(free pages)",
                                                rest, rest * page_size, rest * page_size)
        return usage
    finally:
        conn.close()


def _order(usage: Usage) -> list[tuple[str, list[Obj]]]:
    """Tables by their total (own b-tree and indexes), largest first."""
    groups: dict[str, list[Obj]] = {}
    for obj in usage.objects.values():
        groups.setdefault(obj.table, []).append(obj)
    for objs in groups.values():
        objs.sort(key=lambda o: (o.kind != "table", -o.bytes))
    return sorted(groups.items(), key=lambda kv: -sum(o.bytes for o in kv[1]))


def _per(value: int, usage: Usage) -> float:
    return value / usage.customers


def render(usage: Usage, other: Usage | None = None) -> str:
    lines = [
        f"File: {usage.path} ({usage.file_bytes / 1e6:,.1f} MB, page size {usage.page_size},"
        f" {usage.free_pages} free pages), {usage.customers:,} customers:"
        f" **{usage.file_bytes / usage.customers / 1024:,.2f} KiB per customer**"
        f" ({usage.file_bytes / usage.customers:,.0f} B)",
    ]
    if other is not None:
        lines.append(
            f"Compared with: {other.path} ({other.file_bytes / 1e6:,.1f} MB),"
            f" {other.customers:,} customers:"
            f" **{other.file_bytes / other.customers / 1024:,.2f} KiB per customer**"
            f" ({other.file_bytes / other.customers:,.0f} B)")
    lines.append("")
    if other is None:
        lines += ["| object | kind | entries | bytes | B/customer | unused % | share |",
                  "|---|---|---:|---:|---:|---:|---:|"]
    else:
        lines += ["| object | kind | B/customer | B/customer (2) | difference | entries (2) |",
                  "|---|---|---:|---:|---:|---:|"]
    names = [name for _table, objs in _order(usage) for name in (o.name for o in objs)]
    if other is not None:
        names += [n for _t, objs in _order(other) for n in (o.name for o in objs)
                  if n not in usage.objects]
    table_of = {n: o.table for u in (usage, other) if u for n, o in u.objects.items()}
    kinds = {"table": 0, "index": 0, "fts": 0, "other": 0}
    kinds2 = dict.fromkeys(kinds, 0)
    current = None
    for name in names:
        table = table_of[name]
        if table != current:
            current = table
            total = sum(o.bytes for o in usage.objects.values() if o.table == table)
            if other is None:
                lines.append(f"| **{table}** (all) | | | {total:,} |"
                             f" **{_per(total, usage):,.0f}** | | "
                             f"{total / usage.file_bytes:.1%} |")
            else:
                total2 = sum(o.bytes for o in other.objects.values() if o.table == table)
                a, b = _per(total, usage), _per(total2, other)
                lines.append(f"| **{table}** (all) | | **{a:,.0f}** | **{b:,.0f}** |"
                             f" **{b - a:+,.0f}** | |")
        obj = usage.objects.get(name)
        obj2 = other.objects.get(name) if other is not None else None
        if obj is not None:
            kinds[obj.kind] += obj.bytes
        if obj2 is not None:
            kinds2[obj2.kind] += obj2.bytes
        label = f"&nbsp;&nbsp;{name}"
        if name == table and not name.startswith("("):
            label += " (rows)"
        kind = (obj or obj2).kind  # type: ignore[union-attr]
        if other is None:
            assert obj is not None
            lines.append(
                f"| {label} | {kind} | {obj.cells:,} | {obj.bytes:,} |"
                f" {_per(obj.bytes, usage):,.0f} | {obj.unused / max(1, obj.bytes):.0%} |"
                f" {obj.bytes / usage.file_bytes:.1%} |")
        else:
            a = _per(obj.bytes, usage) if obj else 0.0
            b = _per(obj2.bytes, other) if obj2 and other else 0.0
            cells = f"{obj2.cells:,}" if obj2 else "(none)"
            lines.append(f"| {label} | {kind} | {a:,.0f} | {b:,.0f} | {b - a:+,.0f} | {cells} |")
    lines.append("")
    lines.append("| totals | B/customer | share |" if other is None
                 else "| totals | B/customer | B/customer (2) | difference |")
    lines.append("|---|---:|---:|" if other is None else "|---|---:|---:|---:|")
    labels = {"table": "tables' rows", "index": "indexes (incl. primary keys)",
              "fts": "search index (FTS5 shadow tables)", "other": "schema, free pages"}
    for kind, label in labels.items():
        if other is None:
            lines.append(f"| {label} | {_per(kinds[kind], usage):,.0f} |"
                         f" {kinds[kind] / usage.file_bytes:.1%} |")
        else:
            a, b = _per(kinds[kind], usage), _per(kinds2[kind], other)
            lines.append(f"| {label} | {a:,.0f} | {b:,.0f} | {b - a:+,.0f} |")
    if other is None:
        lines.append(f"| **file** | **{_per(usage.file_bytes, usage):,.0f}** | 100% |")
    else:
        a, b = _per(usage.file_bytes, usage), _per(other.file_bytes, other)
        lines.append(f"| **file** | **{a:,.0f}** | **{b:,.0f}** | **{b - a:+,.0f}** |")
    return "\n".join(lines)


#: Bytes saved per stored value: a 32-character hex id as a 16-byte blob, a 26-character
#: time text as an 8-byte integer (microseconds: beyond 6-byte integers after 1974). The
#: record header keeps one byte per value either way.
ID_SAVED, TIME_SAVED = 32 - 16, 26 - 8


def _typed_columns(conn: sqlite3.Connection, table: str) -> dict[str, str]:
    """Column -> "id" (CHAR(32)) or "time" (VARCHAR(26)) for the stored ids and times."""
    out = {}
    for _cid, name, decl, *_rest in conn.execute(f"PRAGMA table_info({table})"):
        decl = (decl or "").upper()
        if decl == "CHAR(32)":
            out[name] = "id"
        elif decl == "VARCHAR(26)":
            out[name] = "time"
    return out


def estimate_binary(path: Path, usage: Usage) -> str:
    """What ids as 16-byte blobs and times as 8-byte integers would save, per object:
    values stored (rows x id and time columns set; index entries x their id and time key
    columns, the primary key's included) x bytes saved per value, scaled by the object's
    bytes per payload byte (page fill and cell headers)."""
    conn = _connect(path)
    try:
        set_counts: dict[tuple[str, str], int] = {}
        kinds: dict[str, dict[str, str]] = {}
        for obj in usage.objects.values():
            if obj.kind != "table":
                continue
            typed = _typed_columns(conn, obj.name)
            kinds[obj.name] = typed
            if typed:
                counts = conn.execute(
                    "SELECT " + ", ".join(f"count({c})" for c in typed) + f" FROM {obj.name}"
                ).fetchone()
                set_counts.update({(obj.name, c): n for c, n in zip(typed, counts, strict=True)})
        payload = {name: value for name, value in conn.execute(
            "SELECT name, sum(payload) FROM dbstat GROUP BY name")}
        rows = []
        for obj in usage.objects.values():
            if obj.kind == "table":
                typed = kinds.get(obj.name, {})
                ids = sum(set_counts[(obj.name, c)] for c, k in typed.items() if k == "id")
                times = sum(set_counts[(obj.name, c)] for c, k in typed.items() if k == "time")
            elif obj.kind == "index":
                typed = kinds.get(obj.table, {})
                ids = times = 0
                for _seq, _cid, column, _desc, _coll, key in conn.execute(
                        f"PRAGMA index_xinfo({obj.name})"):
                    if not key or column not in typed:
                        continue
                    values = min(obj.cells, set_counts[(obj.table, column)])
                    if typed[column] == "id":
                        ids += values
                    else:
                        times += values
            else:
                continue
            saved = ids * ID_SAVED + times * TIME_SAVED
            if not saved:
                continue
            scale = obj.bytes / max(1, payload.get(obj.name) or 1)
            rows.append((obj.name, ids, times, saved, saved * scale))
    finally:
        conn.close()
    rows.sort(key=lambda r: -r[4])
    total = sum(r[4] for r in rows)
    lines = [
        "| object | id values | time values | payload saved (B/customer) |"
        " file bytes saved (B/customer) |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, ids, times, saved, scaled in rows:
        lines.append(f"| {name} | {ids:,} | {times:,} | {_per(saved, usage):,.0f} |"
                     f" {_per(int(scaled), usage):,.0f} |")
    after = usage.file_bytes - total
    lines.append(f"| **all** | | | | **{_per(int(total), usage):,.0f}** |")
    lines.append("")
    lines.append(f"Ids as blobs and times as integers: {_per(usage.file_bytes, usage):,.0f} ->"
                 f" ~{_per(int(after), usage):,.0f} B per customer (estimate; expression"
                 " index keys and the search index unchanged).")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--compare", type=Path, help="a second file, shown beside the first")
    parser.add_argument("--customers", type=int, help="divide by this instead of the rows")
    parser.add_argument("--estimate-binary", action="store_true",
                        help="also estimate ids as 16-byte blobs and times as integers")
    args = parser.parse_args(argv)
    usage = measure(args.db, args.customers)
    other = measure(args.compare, args.customers) if args.compare else None
    print(render(usage, other))
    if args.estimate_binary:
        print()
        print(estimate_binary(args.db, usage))


if __name__ == "__main__":
    main(sys.argv[1:])
