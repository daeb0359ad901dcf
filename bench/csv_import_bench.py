"""Benchmark: importing a 100,000-row lead spreadsheet (a script, not a test).

    .venv/bin/python bench/csv_import_bench.py [--rows 100000] [--encoding utf-8-sig]

Writes bench/work/leads-<n>.csv (one company and one person a row, as an Excel lead list:
Chinese and English names, phones, e-mails, industries, addresses, notes with commas and
line breaks), imports it into a new database with the same code `salesdev import` runs, and
prints the time of each step (the rows are checked, matched and written a chunk at a time:
one step, "Importing rows"). Then imports the same file again (on-match update), which must
create nothing: in a process of its own (`--again`, which this script starts), so that its
peak memory is its own and not the first import's (`--one-process` runs both here, as
before: the second figure is then the peak of both). The goals: under 60 s for 100,000 rows
(issue 6); under 30 s with a peak memory under 300 MB (issue 17.6: the peak resident size of
the importing process, and of the largest checking process, both printed).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import resource
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path
from zoneinfo import ZoneInfo

from salesdev_tui.db import open_database
from salesdev_tui.domain.csv_import import OnMatch
from salesdev_tui.store.combined import Store
from salesdev_tui.usecases.data_transfer import CsvOptions, import_csv_file

WORK = Path(__file__).parent / "work"

_SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周"
_GIVEN = ["志明", "淑芬", "家豪", "怡君", "俊傑", "雅婷", "建宏", "美玲", "冠宇", "佩珊"]
_ENGLISH = ["Jane Wu", "David Lin", "Amy Chen", "Kevin Huang", "Grace Tsai", "Eric Lee"]
_WORDS = ["精密", "科技", "國際", "貿易", "電子", "機械", "Global", "Smart", "Pacific", "Lotus"]
_FORMS = ["股份有限公司", "有限公司", " Co., Ltd.", " Inc.", ""]
_INDUSTRIES = ["製造", "零售", "電子", "物流", "餐飲", "manufacturing", "software", ""]


def make_file(path: Path, rows: int, encoding: str, seed: int = 6) -> None:
    rng = random.Random(seed)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["公司名稱", "聯絡人", "電話", "Email", "行業", "地址", "備註"])
    for n in range(rows):
        company = f"{rng.choice(_WORDS)}{rng.choice(_WORDS)}{n}{rng.choice(_FORMS)}"
        person = (rng.choice(_ENGLISH) if rng.random() < 0.3
                  else rng.choice(_SURNAMES) + rng.choice(_GIVEN))
        phone = f"0{2 + n % 8}-{2000 + n // 10000:04d}-{n % 10000:04d}"  # one per company
        email = f"user{n}@company{n}.com.tw"
        notes = rng.choice(["", "met at the show, wants a quote", "第一次拜訪\n下次帶樣品"])
        writer.writerow([company, person, phone, email, rng.choice(_INDUSTRIES),
                         f"台北市信義區松仁路 {n} 號", notes])
    path.write_bytes(out.getvalue().encode(encoding))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--encoding", default="utf-8-sig")
    parser.add_argument("--again", action="store_true",
                        help="only import the file again into the database made before")
    parser.add_argument("--one-process", action="store_true",
                        help="import the file again in this process, not a new one")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    source = WORK / f"leads-{args.rows}.csv"
    db_path = WORK / f"import-{args.rows}.db"
    if args.again:
        _imports(db_path, source, ["same file again"])
        return 0
    for stale in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        stale.unlink(missing_ok=True)
    make_file(source, args.rows, args.encoding)
    print(f"{source.name}: {source.stat().st_size / 1e6:.1f} MB, {args.rows} rows")
    print("load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    if args.one_process:
        _imports(db_path, source, ["first import", "same file again (peak: both imports)"])
    else:
        _imports(db_path, source, ["first import"])
        sys.stdout.flush()
        subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--again"],
                       check=True)
    print("load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    return 0


def _peak_mb() -> float:
    """This process's peak resident size (MB): the kernel's high-water mark of its memory
    (VmHWM), which starts afresh with the program. Not `ru_maxrss` where there is VmHWM:
    that keeps, across the start of a program, the peak of the process it was forked from
    (the import again, started from here, showed the first import's peak as its own; and a
    checking process shows this one's size when it was started)."""
    with suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _imports(db_path: Path, source: Path, attempts: list[str]) -> None:
    """Import `source` into the database once per attempt, printing each one's figures."""
    store = Store(open_database(db_path))
    steps: dict[str, float] = {}
    last = [time.perf_counter(), ""]

    def progress(step: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if step != last[1]:
            last[0], last[1] = now, step
        steps[step] = now - float(last[0])

    options = CsvOptions(on_match=OnMatch.UPDATE)
    zone = ZoneInfo("Asia/Taipei")
    try:
        for attempt in attempts:
            steps.clear()
            last[:] = [time.perf_counter(), ""]
            started, cpu = time.perf_counter(), time.process_time()
            workers = resource.getrusage(resource.RUSAGE_CHILDREN)
            children = workers.ru_utime + workers.ru_stime
            outcome = import_csv_file(store, source, options, region="TW", zone=zone,
                                      progress=progress)
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - cpu
            workers = resource.getrusage(resource.RUSAGE_CHILDREN)
            children = workers.ru_utime + workers.ru_stime - children
            counts = outcome.result.customers
            print(f"{attempt}: {elapsed:.1f} s (CPU: {cpu:.1f} s here, {children:.1f} s in the "
                  "checking processes)  "
                  f"(customers: {counts.created} new, {counts.updated} updated, "
                  f"{counts.unchanged} unchanged; "
                  f"{len(outcome.problems)} bad rows)")
            for step, seconds in steps.items():
                print(f"    {step:14} {seconds:6.1f} s")
            here = _peak_mb()
            child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(f"    peak memory: {here:.0f} MB here, {child:.0f} MB in a checking process")
    finally:
        store.db.close()

if __name__ == "__main__":
    sys.exit(main())
