"""CLI start-up (issue 15.8): the data commands against `python -c "import sqlmodel"`.

    .venv/bin/python bench/cli_startup.py --db bench/work/suite-100000.db --runs 7

Times, interleaved in the same run so machine noise hits all alike, the wall time of
`salesdev scorecard --json`, `salesdev list --json` and `salesdev review` and of
`python -c "import sqlmodel"`; prints the medians and each command's ratio to the import
(the target: at most 1.2x at 100,000 customers). The day's first command makes the daily
backup: one unmeasured warm-up run of each command comes first (it also writes the bytecode
of the package, as an installed salesdev has it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable
SALESDEV = str(Path(PYTHON).parent / "salesdev")

#: name -> argv after `salesdev` (the measured data commands).
COMMANDS: dict[str, list[str]] = {
    "salesdev scorecard --json": ["scorecard", "--json"],
    "salesdev list --json": ["list", "--json"],
    "salesdev review": ["review"],
}
IMPORT = "import sqlmodel"
#: The most a data command may take, as a multiple of `import sqlmodel` (issue 15.8).
TARGET = 1.2


def wall(argv: list[str], env: dict[str, str]) -> float:
    """Seconds from spawn to exit (output thrown away; a failure raises)."""
    started = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                   check=True)
    return time.perf_counter() - started


def measure(env: dict[str, str], runs: int) -> dict[str, list[float]]:
    """Wall times in ms per name, `import sqlmodel` first in each round."""
    for argv in COMMANDS.values():  # warm-up: the daily backup, the page cache
        wall([SALESDEV, *argv], env)
    out: dict[str, list[float]] = {}
    for _ in range(runs):
        out.setdefault(IMPORT, []).append(wall([PYTHON, "-c", IMPORT], env) * 1000)
        for name, argv in COMMANDS.items():
            out.setdefault(name, []).append(wall([SALESDEV, *argv], env) * 1000)
    return out


def figures(raw: dict[str, list[float]]) -> dict[str, float]:
    """Medians, and each command's median over the import's (the suite's rows)."""
    base = statistics.median(raw[IMPORT])
    row = {f"`python -c '{IMPORT}'`": base}
    for name in COMMANDS:
        row[f"`{name}`"] = statistics.median(raw[name])
        row[f"`{name}` / import sqlmodel"] = statistics.median(raw[name]) / base
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = dict(os.environ, SALESDEV_DB=str(args.db.resolve()), TZ="Asia/Taipei")
    # Measured as installed: pip writes the bytecode of what it installs (sqlmodel's here),
    # so the editable salesdev gets its own in the warm-up instead of compiling its source
    # in every run (0.15-0.25 s) when the shell says not to write it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["SALESDEV_CONFIG"] = str(Path(tempfile.mkdtemp()) / "config.toml")
    row = figures(measure(env, args.runs))
    print(f"database: {args.db} ({args.db.stat().st_size / 1e6:.0f} MB), runs: {args.runs}, "
          f"load: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    print()
    print("| measure | median |")
    print("|---|---|")
    for name, value in row.items():
        shown = f"{value:.2f}x (target <= {TARGET}x)" if "/" in name else f"{value:.0f} ms"
        print(f"| {name} | {shown} |")


if __name__ == "__main__":
    main()
