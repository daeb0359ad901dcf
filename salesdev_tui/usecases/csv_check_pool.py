"""Checking a large spreadsheet's rows on every core, chunk by chunk, while the import writes.

The check (`csv_rows.parse_rows`) is pure CPU work, about 0.2 ms a row (the phone and
e-mail rules, the input models): 100,000 rows take 20 s on one core. `check_chunks` hands
out the rows `CHUNK` at a time and gives back each chunk's checked rows in the file's order,
so the result is the same as a serial check. From `PARALLEL_FROM` rows on, worker processes
("spawn": safe from a thread of the TUI) check the next chunks while the importing process
matches and writes the one before; only a few chunks are ever under way, so memory stays
flat however long the file is (issue 17.6). If the pool cannot start or breaks, the rows
not yet checked are checked here, one chunk after the other.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from zoneinfo import ZoneInfo

from salesdev_tui import i18n
from salesdev_tui.domain.csv_import import ImportRow, Progress, RowProblem
from salesdev_tui.domain.csv_rows import parse_rows
from salesdev_tui.i18n import _

__all__ = ["CHUNK", "PARALLEL_FROM", "check_chunks", "check_rows"]

#: Fewer rows than this are checked in this process (starting workers costs about 1 s).
PARALLEL_FROM = 20_000
#: Rows checked, matched and written at a time: a few chunks are in memory at once (being
#: checked, waiting, being written), each row in full (its cells, its checked values).
CHUNK = 2_000

_Rows = Sequence[tuple[int, Sequence[str]]]
_Job = tuple[Sequence[str], Sequence[str | None], _Rows, str, ZoneInfo]
Checked = tuple[list[ImportRow], list[RowProblem]]


def _check_chunk(job: _Job) -> Checked:
    headers, fields, rows, region, zone = job
    return parse_rows(headers, fields, rows, region=region, zone=zone)


def _chunks(rows: Iterable[tuple[int, Sequence[str]]], size: int) -> Iterator[_Rows]:
    walk = iter(rows)
    while chunk := list(itertools.islice(walk, size)):
        yield chunk


def check_chunks(
    headers: Sequence[str],
    fields: Sequence[str | None],
    rows: Iterable[tuple[int, Sequence[str]]],
    total: int,
    *,
    region: str,
    zone: ZoneInfo,
    progress: Progress | None = None,
    workers: int | None = None,
    size: int | None = None,
) -> Iterator[Checked]:
    """Each chunk of `rows` checked (`parse_rows`): its good rows and its problems, in order.

    `total` (the number of rows) decides whether worker processes are worth starting.
    """
    cores = workers if workers is not None else (os.cpu_count() or 1)
    chunks = _chunks(rows, size or CHUNK)
    done = 0

    def serial(chunk: _Rows) -> Checked:
        return parse_rows(headers, fields, chunk, region=region, zone=zone)

    if cores < 2 or total < PARALLEL_FROM:
        for chunk in chunks:
            yield serial(chunk)
            done += len(chunk)
            if progress is not None:
                progress(_("Checking rows"), done, total)
        return
    pending: deque[tuple[_Rows, Future[Checked] | None]] = deque()
    executor: ProcessPoolExecutor | None = None
    try:
        executor = ProcessPoolExecutor(
            max_workers=cores, mp_context=multiprocessing.get_context("spawn"),
            # The workers speak the rep's language too.
            initializer=i18n.restore_state, initargs=(i18n.current_state(),),
        )
    except OSError:
        executor = None
    pool = executor  # None once it cannot be used: the rows left are checked here
    try:
        while True:
            # One chunk ahead per worker: the importing process (matching and writing) is
            # the slower side, so checked chunks waiting for it would only hold memory.
            while pool is not None and len(pending) < cores:
                ahead = next(chunks, None)
                if ahead is None:
                    break
                try:
                    job: _Job = (headers, fields, ahead, region, zone)
                    pending.append((ahead, pool.submit(_check_chunk, job)))
                except (OSError, BrokenProcessPool, RuntimeError):
                    pending.append((ahead, None))
                    pool = None
            if not pending:
                ahead = next(chunks, None)
                if ahead is None:
                    return
                pending.append((ahead, None))
            chunk, future = pending.popleft()
            checked: Checked | None = None
            if future is not None:
                try:
                    checked = future.result()
                except (OSError, BrokenProcessPool):
                    pool = None
            yield checked if checked is not None else serial(chunk)
            done += len(chunk)
            if progress is not None:
                progress(_("Checking rows"), done, total)
    finally:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


def check_rows(
    headers: Sequence[str],
    fields: Sequence[str | None],
    rows: _Rows,
    *,
    region: str,
    zone: ZoneInfo,
    progress: Progress | None = None,
    workers: int | None = None,
) -> Checked:
    """`parse_rows` of every row, on several processes when there are many rows and cores."""
    good: list[ImportRow] = []
    problems: list[RowProblem] = []
    for chunk_good, chunk_problems in check_chunks(
            headers, fields, rows, len(rows), region=region, zone=zone, progress=progress,
            workers=workers, size=CHUNK):
        good.extend(chunk_good)
        problems.extend(chunk_problems)
    return good, problems
