"""Shell completion (issue 17.7): Typer's --show-completion / --install-completion, and the
completions a shell gets back through `_SALESDEV_COMPLETE`."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from salesdev_tui.cli import cli


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_completion_prints_the_shell_script(shell: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # Typer's own switch: the shell is named, not detected from the process tree.
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = CliRunner().invoke(cli, ["--show-completion", shell])
    assert result.exit_code == 0, result.stderr
    assert "_SALESDEV_COMPLETE" in result.stdout
    if shell == "bash":
        assert "complete -o default -F _salesdev_completion salesdev" in result.stdout


def test_help_lists_the_completion_options() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert "--install-completion" in result.stdout and "--show-completion" in result.stdout


def _complete(words: str, cword: int) -> list[str]:
    """What bash gets for `words` (the `salesdev` command, not typer's test runner: the
    console entry point must hand the request to typer, not start the app)."""
    code = ("import sys; sys.argv[0] = 'salesdev'; "
            "from salesdev_tui.cli import main; main()")
    env = {**os.environ, "_SALESDEV_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(cword)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_bash_completes_commands_and_options() -> None:
    assert "list" in _complete("salesdev li", 1)
    assert "--format" in _complete("salesdev list --fo", 2)
