"""Start-up benchmark: salesdev against a bare Textual app, both in a real pseudo-terminal.

Each run spawns the program in a 120x40 pty and times, from spawn, the moment its output
first contains a marker:

- bare app: a Textual app with one Static ("bare-app-ready") - its first painted frame;
- salesdev first paint: the Today screen's section title "Overdue" (painted before the
  database is even opened);
- salesdev Today filled: the month strip "This month", which appears only once the
  agenda and the scorecard have been loaded from the database.

With `--language zh_TW` salesdev runs with a config file saying `language = "zh_TW"` and
the markers are the Chinese ones: 逾期 ("Overdue") and 本月 ("This month {label}").

Also times `salesdev --help` against `python -c "import sqlmodel"`.

    .venv/bin/python bench/startup.py --db bench/work/100k.db --runs 9
    .venv/bin/python bench/startup.py --db bench/work/100k.db --runs 9 --language zh_TW

Prints a markdown table of medians and the ratios the issues ask for.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

BARE_APP = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("bare-app-ready")

Bare().run()
"""

#: language -> (first paint marker, Today filled marker), as the Today screen writes them.
MARKERS: dict[str, tuple[bytes, bytes]] = {
    "en": (b"Overdue", b"This month"),
    "zh_TW": ("逾期".encode(), "本月 ".encode()),
}


def time_to_markers(argv: list[str], markers: list[bytes], env: dict[str, str],
                    timeout: float = 30.0) -> list[float]:
    """Seconds from spawn until each marker first shows in the program's terminal output."""
    pid, fd = pty.fork()
    if pid == 0:  # child
        # The size is set before the program starts, as a terminal has it: set by the parent
        # after the fork, it reached the program as a resize (SIGWINCH) just after its first
        # frame, and salesdev laid out and painted the whole screen again (~5 ms of "Today
        # filled"), which no terminal does to a program it starts.
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        os.execve(argv[0], argv, env)
    start = time.perf_counter()
    seen: dict[bytes, float] = {}
    buffer = b""
    try:
        while len(seen) < len(markers):
            if time.perf_counter() - start > timeout:
                raise TimeoutError(f"{argv} never showed {markers}")
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            buffer += chunk
            # Answer the terminal queries Textual sends, as a terminal would.
            if b"\x1b[6n" in chunk:
                os.write(fd, b"\x1b[1;1R")
            now = time.perf_counter() - start
            for marker in markers:
                if marker not in seen and marker in buffer:
                    seen[marker] = now
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    return [seen[m] for m in markers]


def time_command(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True, help="salesdev database to open")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--language", choices=sorted(MARKERS), default="en",
                        help="salesdev's language (a config file sets it)")
    parser.add_argument("--tui-only", action="store_true",
                        help="leave out `salesdev --help` and `import sqlmodel`")
    args = parser.parse_args()

    env = dict(os.environ, TERM="xterm-256color", COLUMNS="120", LINES="40")
    env["SALESDEV_DB"] = str(args.db.resolve())
    config = Path(tempfile.mkdtemp()) / "config.toml"
    if args.language != "en":
        config.write_text(f'language = "{args.language}"\n', encoding="utf-8")
    paint_marker, filled_marker = MARKERS[args.language]
    env["SALESDEV_CONFIG"] = str(config)
    salesdev = str(Path(PYTHON).parent / "salesdev")
    bare_script = Path(tempfile.mkdtemp()) / "bare.py"
    bare_script.write_text(BARE_APP)

    # As installed: bytecode written (with PYTHONDONTWRITEBYTECODE set, as here, salesdev's
    # own modules would be compiled from source at every start while Textual's are not),
    # and one start first that fills the caches (the parsed stylesheet, the page cache).
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "salesdev_tui")], check=True,
                   stdout=subprocess.DEVNULL)
    time_to_markers([salesdev], [paint_marker, filled_marker], env)

    bare, first, filled, helps, sqlm = [], [], [], [], []
    for _ in range(args.runs):
        # Interleaved, so machine noise hits both alike.
        bare.append(time_to_markers([PYTHON, str(bare_script)], [b"bare-app-ready"], env)[0])
        paint, full = time_to_markers([salesdev], [paint_marker, filled_marker], env)
        first.append(paint)
        filled.append(full)
        if not args.tui_only:
            helps.append(time_command([salesdev, "--help"], env))
            sqlm.append(time_command([PYTHON, "-c", "import sqlmodel"], env))

    def ms(values: list[float]) -> float:
        return statistics.median(values) * 1000

    print(f"database: {args.db} ({args.db.stat().st_size / 1e6:.1f} MB), runs: {args.runs}, "
          f"language: {args.language}")
    print()
    def pairs(values: list[float]) -> str:
        """The median of the pair-by-pair ratios, and their range."""
        ratios = [value / base for value, base in zip(values, bare, strict=True)]
        return (f"{statistics.median(ratios):.2f}x "
                f"({min(ratios):.2f}-{max(ratios):.2f})")

    print("| measure | median ms | ratio of medians | ratio pair by pair | target |")
    print("|---|---|---|---|---|")
    print(f"| bare Textual app, first paint | {ms(bare):.0f} | 1.00 | | |")
    print(f"| salesdev, first paint | {ms(first):.0f} | {ms(first) / ms(bare):.2f}x bare "
          f"| {pairs(first)} | <= 1.25x |")
    print(f"| salesdev, Today filled | {ms(filled):.0f} | {ms(filled) / ms(bare):.2f}x bare "
          f"| {pairs(filled)} | <= 2.0x (at 100k) |")
    if args.tui_only:
        return
    print(f"| `python -c 'import sqlmodel'` | {ms(sqlm):.0f} | 1.00 | | |")
    print(f"| `salesdev --help` | {ms(helps):.0f} | {ms(helps) / ms(sqlm):.2f}x sqlmodel "
          f"| | < 0.5x |")


if __name__ == "__main__":
    main()
