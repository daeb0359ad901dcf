"""Keys per task (issue 21.7): how many keys a rep presses for the daily loop's tasks.

    .venv/bin/python bench/keys_bench.py --label after --out bench/keys-after.json
    PYTHONPATH=<a checkout of main> .venv/bin/python bench/keys_bench.py --label before ...
    .venv/bin/python bench/keys_bench.py --table bench/keys-before.json bench/keys-after.json

Drives the TUI with Pilot on a fresh database at a fixed date and counts every key: the
characters typed as text apart from the other keys (enter, tab, shortcuts). Each task takes
the shortest way the code under test offers, so the same script measures the original code
(a checkout of main on PYTHONPATH) and this one:

1. add 8 trade-show cards on the quick line (the show's tags typed on each card, or once
   when the line carries the batch's context over);
2. plan a call with each of the 8 (one trip per customer page, or marked on the list and
   planned at once);
3. log 8 calls done and have each customer at contacted, as the policy's step 3 says (the
   outcome, then `]` on the page; or the outcome alone, when the stage follows it);
4. take one customer to won: tests/test_eight_steps.py, the eight steps by keys, as it is in
   the code under test (its printed count).

Each task checks the database afterwards, so a count is of work actually done.
`--table` prints the markdown table of bench/RESULTS.md from two runs.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CARDS = [("台北精機", "王小明"), ("新竹電子", "李大華"), ("台中機械", "陳美玲"),
         ("高雄五金", "林志明"), ("台南食品", "黃淑芬"), ("桃園物流", "張建國"),
         ("宜蘭農產", "吳佩琪"), ("花蓮石材", "劉冠宇")]
SHOW_TAGS = '#show:"台北機械展" #機械 !A'
AGENDA = "展後電話"


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


class Keys:
    def __init__(self, pilot: Any) -> None:
        self.pilot = pilot
        self.text = 0
        self.other = 0

    async def type(self, text: str) -> None:
        self.text += len(text)
        await self.pilot.press(*text)

    async def press(self, *keys: str) -> None:
        self.other += len(keys)
        for key in keys:
            await self.pilot.press(key)
            await self.settle()

    async def settle(self) -> None:
        from tests.conftest import wait_ready

        await wait_ready(self.pilot)

    def count(self) -> dict[str, int]:
        return {"text": self.text, "other": self.other, "total": self.text + self.other}


async def add_cards(keys: Keys, app: Any) -> None:
    carried = _has("salesdev_tui.domain.batch_context")
    await keys.press("n")
    for index, (company, person) in enumerate(CARDS):
        line = f"{company}; {person}"
        if index == 0 or not carried:
            line += " " + SHOW_TAGS
        await keys.type(line)
        await keys.press("enter")
    await keys.press("escape")
    customers = [app.store.customers.get_customer(row.id)
                 for row in app.store.customers.list_customers()]
    assert len(customers) == 8, customers
    assert {(c.source.value, c.source_detail, c.industry) for c in customers} == {
        ("trade_show", "台北機械展", "機械")}


async def plan_calls(keys: Keys, app: Any) -> None:
    await keys.press("c", "down")  # the list, the cursor on its first row
    if _has("salesdev_tui.usecases.bulk_actions"):
        await keys.press(*["shift+down"] * 7, "p")
        await keys.type(AGENDA)
        await keys.press("enter")
    else:
        await keys.press("o")  # sorted by name: a planned customer stays where it was
        for index in range(len(CARDS)):
            await keys.press("enter", "2", "a", "tab")  # the page, plans, a new plan: When
            await keys.type("tomorrow 10")
            await keys.press("tab", "tab")
            await keys.type(AGENDA)
            await keys.press("ctrl+s", "escape")
            if index < len(CARDS) - 1:
                await keys.press("down")
    await keys.press("t")
    plans = [p for row in app.store.customers.list_customers()
             for p in app.store.plans.plans_of(row.id)]
    assert len(plans) == 8 and {p.agenda for p in plans} == {AGENDA}, plans


async def log_outcomes(keys: Keys, app: Any, clock: Any) -> None:
    from datetime import timedelta

    from salesdev_tui.models.enums import Stage

    clock.current = clock.current + timedelta(days=2)  # the calls are made
    app.changed()
    await keys.settle()
    automatic = _has("salesdev_tui.usecases.stage_flow")
    for _n in range(4):  # to the overdue calls, if the focus stayed in an emptied section
        if getattr(app.focused, "id", None) == "overdue":
            break
        await keys.press("shift+tab")
    for _n in range(len(CARDS)):
        if automatic:
            # Today: the first overdue call under the cursor; l logs it, done, saved; the
            # prompt closed (no next contact now): the stage moved with the outcome.
            await keys.press("l", "d", "ctrl+s", "enter")
        else:
            # The customer's page, its plan, the outcome; then ] and the move's dialog.
            await keys.press("enter", "2", "tab", "enter", "ctrl+o", "d",
                             "ctrl+s", "enter", "]", "ctrl+s", "escape")
    stages = {app.store.customers.get_customer(row.id).stage
              for row in app.store.customers.list_customers()}
    assert stages == {Stage.CONTACTED}, stages


async def three_tasks() -> dict[str, dict[str, int]]:
    from salesdev_tui.app import create_app
    from salesdev_tui.db import open_database
    from salesdev_tui.db.search_index import create_search_index, has_search_index
    from tests.conftest import Clock, make_settings

    db_path = Path(os.environ["SALESDEV_DB"])
    db_path.parent.mkdir(parents=True, exist_ok=True)
    db = open_database(db_path)
    with db.engine.begin() as conn:
        if not has_search_index(conn):
            create_search_index(conn)
    db.close()
    clock = Clock()
    app = create_app(make_settings(), db_path, clock=clock)  # type: ignore[arg-type]
    results: dict[str, dict[str, int]] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await Keys(pilot).settle()
        for name, run in (("add 8 trade-show cards", add_cards),
                          ("plan 8 calls", plan_calls)):
            keys = Keys(pilot)
            await run(keys, app)
            results[name] = keys.count()
        keys = Keys(pilot)
        await log_outcomes(keys, app, clock)
        results["log 8 outcomes (each customer at contacted)"] = keys.count()
    return results


def to_won() -> dict[str, int]:
    """The eight-step walk of the code under test, as its test prints it."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    base = Path(env.get("PYTHONPATH", str(ROOT)).split(os.pathsep)[0])
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider",
         "tests/test_eight_steps.py"], cwd=base, env=env, capture_output=True, text=True,
        check=False)
    found = re.search(r"eight-step walk: (\d+) keys beyond (\d+) characters", done.stdout)
    if done.returncode != 0 or found is None:
        raise SystemExit("the eight-step walk failed:\n" + done.stdout[-3000:])
    other, text = int(found[1]), int(found[2])
    return {"text": text, "other": other, "total": text + other}


def table(before: dict[str, Any], after: dict[str, Any]) -> str:
    lines = ["| task | before: keys (text + other) | after: keys (text + other) | after/before |",
             "|---|---|---|---|"]
    for task, old in before["tasks"].items():
        new = after["tasks"][task]
        lines.append(f"| {task} | {old['total']} ({old['text']} + {old['other']}) | "
                     f"{new['total']} ({new['text']} + {new['other']}) | "
                     f"{new['total'] / old['total']:.2f} |")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="after")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--table", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args(argv)
    if args.table:
        before, after = (json.loads(p.read_text()) for p in args.table)
        print(table(before, after))
        return
    with tempfile.TemporaryDirectory(prefix="salesdev-keys-") as tmp:
        home = Path(tmp)
        os.environ.update({
            "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"), "XDG_STATE_HOME": str(home / "state"),
            "SALESDEV_DB": str(home / "db" / "salesdev.db"),
            "SALESDEV_CONFIG": str(home / "config" / "salesdev.toml"), "TZ": "Asia/Taipei",
        })
        tasks = asyncio.run(three_tasks())
    tasks["take one customer to won (the eight steps)"] = to_won()
    result = {"label": args.label, "tasks": tasks}
    text = json.dumps(result, ensure_ascii=False, indent=2)
    if args.out:
        args.out.write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    if not os.environ.get("PYTHONPATH"):
        sys.path.insert(0, str(ROOT))  # else the checkout on PYTHONPATH is the code measured
    main(sys.argv[1:])
