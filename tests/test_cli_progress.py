"""Progress bars (issue 17.7): on a terminal's stderr while `demo`, `import`, `backup`,
`restore` and exports run; nothing at all (no escape codes) when stderr is not a terminal."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from salesdev_tui.cli import cli


def _with_terminal_stderr(*args: str, timeout: float = 240) -> tuple[int, str, bytes]:
    """Run `salesdev ARGS` with stderr on a pseudo-terminal (stdout a pipe, as in a script
    that keeps the messages for a person); returns the exit code, stdout and what the
    terminal received."""
    leader, follower = pty.openpty()
    code = "import sys; sys.argv[0] = 'salesdev'; from salesdev_tui.cli import main; main()"
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen([sys.executable, "-c", code, *args], stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=follower, env=env)
    os.close(follower)
    seen = bytearray()
    try:
        while True:
            ready, _, _ = select.select([leader], [], [], timeout)
            if not ready:
                raise AssertionError("salesdev did not finish in time")
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal's other end closed: the process is done
                break
            if not chunk:
                break
            seen += chunk
        out = process.stdout.read().decode() if process.stdout else ""
        return process.wait(timeout=timeout), out, bytes(seen)
    finally:
        os.close(leader)
        if process.poll() is None:
            process.kill()


def test_demo_shows_progress_on_a_terminal(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    code, out, terminal = _with_terminal_stderr("--db", str(db), "demo", "--customers", "600")
    assert code == 0, terminal.decode(errors="replace")
    assert "Demo data written" in out
    drawn = terminal.decode(errors="replace")
    assert "Customers" in drawn and "/600" in drawn  # the bar with its count
    assert "\x1b[" in drawn  # drawn, then cleared (transient)


def test_backup_and_export_show_progress_on_a_terminal(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    assert CliRunner().invoke(cli, ["--db", str(db), "demo", "--customers", "50"]).exit_code == 0
    code, _, terminal = _with_terminal_stderr("--db", str(db), "backup", "--to",
                                              str(tmp_path / "copy.db"))
    assert code == 0 and "Backing up" in terminal.decode(errors="replace")
    code, _, terminal = _with_terminal_stderr("--db", str(db), "export", "--out",
                                              str(tmp_path / "all.json"))
    assert code == 0 and "Exporting" in terminal.decode(errors="replace")


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "demo", "--customers", "50"])
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stderr and "Customers" not in result.stderr
    result = CliRunner().invoke(cli, ["--db", str(db), "backup", "--to",
                                      str(tmp_path / "copy.db")])
    assert result.exit_code == 0 and "\x1b" not in result.stderr + result.stdout
