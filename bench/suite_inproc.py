"""The in-process half of bench/suite.py: the TUI driven by keys (Pilot) and direct store calls.

    .venv/bin/python bench/suite_inproc.py --db COPY.db --repeat 7   # prints one JSON object

Run by suite.py in a fresh process per database (a copy: the lead and contact saves write to
it). Every figure is a list of milliseconds; suite.py takes medians.

Keystroke-to-screen: from just before `pilot.press` until the app is idle again with every
worker done (the database read or write included) and the result in its widgets - what the
rep waits for. The headless driver paints into nothing, so the terminal's own drawing time
is not in these figures (the pty start-up figures have it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from textual import events
from textual.widgets import Input

from salesdev_tui.app import create_app
from salesdev_tui.config import Settings
from salesdev_tui.domain.periods import local_date, period_containing
from salesdev_tui.models.enums import PeriodKind
from salesdev_tui.screens.customer_page import CustomerPageScreen
from salesdev_tui.screens.customers import DEBOUNCE_SECONDS, CustomersScreen

SETTINGS = {"timezone": "Asia/Taipei", "rep_name": "Bench Rep", "currency": "TWD"}
Results = dict[str, list[float]]
#: Seconds one measure may take in all (a hung screen must not hang the suite).
STEP_TIMEOUT = 180


async def settle(pilot: Any) -> None:
    """Until every worker is done and the message queues are empty (tests' wait_ready)."""
    app = pilot.app
    for _ in range(1000):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if app.store is not None and not [w for w in app.workers if w.is_running]:
            await pilot.pause()
            return
    raise RuntimeError("the app never became idle")


class PaintClock:
    """Notes the first frame the app draws that shows the awaited result.

    Headless, Textual computes each frame and then skips writing it (`App._display` returns
    early), so the driver's `write` never runs: the clock wraps `_display` itself. (Before
    2026-11-30 it wrapped `write` and so never saw a frame: every figure stopped when the
    state was ready, which could be before or after the frame that showed it.)

    A frame shows the result when the awaited condition holds as it is drawn: checking
    there, not in the polling loop, keeps the loop's own lateness out of the figure.
    """

    def __init__(self, app: Any) -> None:
        self.shown: float | None = None
        self._condition: Callable[[], bool] | None = None
        display = app._display

        def noted(screen: Any, renderable: Any) -> None:
            if renderable is not None and self._condition is not None and self._condition():
                self.shown = time.perf_counter()
                self._condition = None
            display(screen, renderable)

        app._display = noted

    def watch(self, condition: Callable[[], bool]) -> None:
        self.shown = None
        self._condition = condition


def send_key(app: Any, key: str) -> None:
    """Post one key as the terminal would (Pilot.press also waits ~40 ms for idleness, twice:
    that would swamp what is measured here)."""
    if key == " ":
        event = events.Key("space", " ")
    else:
        event = events.Key(key, key if len(key) == 1 else None)
    event.set_sender(app)
    app._driver.send_message(event)


async def timed(pilot: Any, key: str, until: Callable[[], bool] = lambda: True,
                *, idle: bool = True) -> float:
    """Milliseconds from a key press until its result is on screen.

    Done at the first frame drawn while `until()` holds and (with `idle`) no worker runs
    (`PaintClock`). Saves pass `idle=False`: their result (the form saying so) shows while
    the other screens reload in the background after `app.changed()`, which is not what the
    rep waits for.
    """
    app = pilot.app
    for box in app.screen.query(Input):
        box.cursor_blink = False  # a blinking cursor writes frames of its own

    def done() -> bool:
        return until() and not (idle and [w for w in app.workers if w.is_running])

    clock = app._bench_clock
    clock.watch(done)
    started = time.perf_counter()
    send_key(app, key)
    while not done():
        await asyncio.sleep(0.001)
        if time.perf_counter() - started > 10:
            raise RuntimeError(f"pressing {key} never showed its result")
    ready = time.perf_counter()
    while clock.shown is None and time.perf_counter() - ready < 0.1:
        await asyncio.sleep(0.001)
    # No frame within 0.1 s: nothing on screen changed (taken as shown when it was ready).
    ended = clock.shown if clock.shown is not None else ready
    await settle(pilot)
    return (ended - started) * 1000


def english_names(db: Path, count: int) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT name FROM customer WHERE name GLOB '[A-Z][a-z]*' ORDER BY id LIMIT ?",
            (count,),
        ).fetchall()
    finally:
        conn.close()
    return [row[0] for row in rows]


def cjk_pairs(db: Path, count: int) -> list[str]:
    """Two characters from the middle of CJK names (精密 of 台灣精密機械...): no trigram of
    their own, the index's vocabulary serves them (db/search_index.py)."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT name FROM customer WHERE unicode(name) BETWEEN 19968 AND 40959"
            " AND length(name) >= 6 ORDER BY id LIMIT ?",
            (count,),
        ).fetchall()
    finally:
        conn.close()
    return [row[0][2:4] for row in rows]


async def drive(db: Path, repeat: int, out: Results) -> None:
    app = create_app(Settings(**SETTINGS), db)  # type: ignore[arg-type]
    async with app.run_test(size=(120, 40)) as pilot:
        app._bench_clock = PaintClock(app)
        await settle(pilot)
        await step("switch screens", out, lambda: switch(pilot, repeat, out))
        await step("search", out, lambda: search(pilot, db, repeat, out))
        await step("open page", out, lambda: open_pages(pilot, repeat, out))
        await step("save lead", out, lambda: save_leads(pilot, repeat, out))
        await step("log contact", out, lambda: log_contacts(pilot, repeat, out))


async def step(name: str, out: Results, run: Callable[[], Awaitable[None]]) -> None:
    print(f"  {name}...", file=sys.stderr, flush=True)
    try:
        await asyncio.wait_for(run(), timeout=STEP_TIMEOUT)
    except Exception as exc:  # noqa: BLE001 - one broken measure must not stop the suite
        out.setdefault("errors", []).append(f"{name}: {type(exc).__name__}: {exc}")  # type: ignore[arg-type]


async def switch(pilot: Any, repeat: int, out: Results) -> None:
    """Today -> Scorecard -> Today -> Customers -> Today. On Customers the search box has
    the keys (letters typed there are text): the rep steps into the list first."""
    app = pilot.app
    for _ in range(repeat):
        for key, mode in (("s", "scorecard"), ("t", "today"), ("c", "customers"), ("t", "today")):
            if app.current_mode == "customers":
                await pilot.press("down")
                await settle(pilot)
            out.setdefault("switch screens", []).append(
                await timed(pilot, key, until=lambda m=mode: app.current_mode == m)  # type: ignore[misc]
            )


async def search(pilot: Any, db: Path, repeat: int, out: Results) -> None:
    app = pilot.app
    await pilot.press("c")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, CustomersScreen)
    for name in english_names(db, max(2, repeat // 2)):
        await pilot.press("slash")
        for char in name[:6].lower():
            before = screen.search_id
            ms = await timed(pilot, char,
                             until=lambda b=before: screen.search_id > b)  # type: ignore[misc]
            out.setdefault("search keystroke", []).append(ms)
            out.setdefault("search keystroke after debounce", []).append(
                ms - DEBOUNCE_SECONDS * 1000
            )
        await pilot.press("escape")
        await settle(pilot)
    for pair in cjk_pairs(db, max(2, repeat)):
        await pilot.press("slash")
        for index, char in enumerate(pair):
            before = screen.search_id
            ms = await timed(pilot, char,
                             until=lambda b=before: screen.search_id > b)  # type: ignore[misc]
            if index == 1:  # the second character: a two-character search
                out.setdefault("search 2-char CJK after debounce", []).append(
                    ms - DEBOUNCE_SECONDS * 1000
                )
        await pilot.press("escape")
        await settle(pilot)


async def open_pages(pilot: Any, repeat: int, out: Results) -> None:
    app = pilot.app
    await pilot.press("c")
    await settle(pilot)
    await pilot.press("escape", "down")  # clear the search, into the table
    await settle(pilot)
    for _ in range(repeat):
        ms = await timed(
            pilot, "enter",
            until=lambda: isinstance(app.screen, CustomerPageScreen)
            and app.screen.file is not None,
            idle=False,
        )
        out.setdefault("open customer page", []).append(ms)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("down", "down", "down")
        await settle(pilot)


async def save_leads(pilot: Any, repeat: int, out: Results) -> None:
    app = pilot.app
    for index in range(repeat):
        await pilot.press("n")
        await settle(pilot)
        line = f"Benchmark Lead {index} Ltd; Jane Wu 0912 345 {600 + index} #show !A"
        await pilot.press(*line)
        screen = app.screen
        ms = await timed(pilot, "ctrl+s", until=lambda s=screen: not s.line.value,  # type: ignore[misc]
                         idle=False)
        out.setdefault("save a lead", []).append(ms)
        await pilot.press("escape")
        await settle(pilot)
    stored = app.store.search.count_customers(_query("Benchmark Lead"))
    if stored < repeat:
        raise RuntimeError(f"only {stored} of {repeat} leads were saved")


def _query(text: str) -> Any:
    from salesdev_tui.domain.customer_query import parse_customer_query

    return parse_customer_query(text)


async def log_contacts(pilot: Any, repeat: int, out: Results) -> None:
    app = pilot.app
    await pilot.press("t")
    await settle(pilot)
    today = app.screen
    for _ in range(repeat):
        table = today.query_one("#overdue")
        if not table.row_count:
            raise RuntimeError("no overdue plan left to log")
        table.focus()
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("d", *"Benchmark: talked, sending samples")  # done, then the text
        # Saved when the dialog turns into its "plan the next contact?" prompt.
        ms = await timed(pilot, "ctrl+s", idle=False,
                         until=lambda: getattr(app.screen, "outcome_saved", False))
        out.setdefault("log a contact", []).append(ms)
        await pilot.press("escape")
        await settle(pilot)


def store_calls(db: Path, repeat: int, out: Results) -> None:
    """The month's scorecard, the day's review and Today's data, straight from the store."""
    from salesdev_tui.db import open_database
    from salesdev_tui.store.combined import Store
    from salesdev_tui.store.reports import day_review, period_figures, scorecard_view, today_view

    settings = Settings(**SETTINGS)  # type: ignore[arg-type]
    database = open_database(db)
    store = Store(database)
    now = store.now()
    zone = settings.zone
    today = local_date(now, zone)
    month = period_containing(now, PeriodKind.MONTH, zone)
    cases: dict[str, Callable[[], object]] = {
        "scorecard month (indicators)": lambda: period_figures(store, month, settings, today),
        "scorecard month (all)": lambda: scorecard_view(store, month, settings, today),
        "review of the day": lambda: day_review(store, today, settings, now),
        "Today agenda (all of Today)": lambda: today_view(store, settings, now),
        "Today agenda (agenda query)": lambda: store.today.agenda(
            day_start=now - timedelta(hours=12), day_end=now + timedelta(hours=12),
            upcoming_end=now + timedelta(days=7), idle_before=now - timedelta(days=30)),
    }  # fmt: skip
    try:
        for name, call in cases.items():
            call()  # warm the page cache and the statement cache
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                call()
                times.append((time.perf_counter() - started) * 1000)
            out[name] = times
    finally:
        database.close()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    out: Results = {}
    store_calls(args.db, max(args.repeat, 15), out)
    asyncio.run(drive(args.db, args.repeat, out))
    summary = {k: v for k, v in out.items()}
    json.dump(summary, sys.stdout)
    print(file=sys.stderr)
    for name, values in out.items():
        if name != "errors":
            print(f"{name}: {statistics.median(values):.1f} ms", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
