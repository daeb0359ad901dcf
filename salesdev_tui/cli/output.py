"""What every command shares about where its output goes: the terminal or a pipe, `-` for
stdin/stdout, the one overwrite rule, the "N of M shown" notice and progress bars.

Only the standard library and typer are imported here: Rich is imported inside the
functions that draw (`salesdev --help` stays fast).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from salesdev_tui.cli.app import Exit, fail
from salesdev_tui.i18n import _

if TYPE_CHECKING:
    from rich.console import Console

#: The width tables are drawn at when stdout is a pipe or a file: wide enough that no row
#: is cut or wrapped (`salesdev list | grep` sees every column of every row); Rich draws a
#: table only as wide as its content, so nothing is padded to it.
PIPE_WIDTH = 100_000

#: The name that stands for stdin (a file read) or stdout (a file written).
DASH = "-"


def is_terminal(stream: object) -> bool:
    """True when `stream` is a terminal (a test runner's capture is not)."""
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False


def console(*, stderr: bool = False) -> Console:
    """A Rich console for tables: the terminal's width on a terminal, unlimited in a pipe."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    if is_terminal(stream):
        return Console(highlight=False, stderr=stderr)
    return Console(highlight=False, stderr=stderr, width=PIPE_WIDTH, soft_wrap=False)


def is_dash(path: Path | str | None) -> bool:
    """True when a file option was given as `-` (stdin or stdout)."""
    return path is not None and str(path) == DASH


def refuse_existing(path: Path, replace: bool) -> None:
    """The one overwrite rule: an existing file is kept unless `--replace` was given.

    A path that cannot be a file at all (a folder, a symlink loop) is said as such first:
    `--replace` would not help there."""
    from salesdev_tui.paths import file_path_problem

    problem = file_path_problem(path)
    if problem is not None:
        fail(_("Cannot write {problem}").format(problem=problem), Exit.INVALID)
    if not replace and (path.exists() or path.is_symlink()):
        fail(_("{path} exists; give --replace to overwrite it.").format(path=path),
             Exit.INVALID)


def write_output(out: Path | None, text: str, *, replace: bool, shown: Callable[[str], str],
                 encoding_prefix: str = "") -> Path | None:
    """Write `text` to `out` (0600, whole or not at all), or to stdout for None or `-`.

    `shown` makes the text safe for a terminal (control characters made visible); a file
    gets the text as it is, with `encoding_prefix` (a BOM for Excel) before it. Returns
    the file written, None for stdout.
    """
    if out is None or is_dash(out):
        typer.echo(shown(text), nl=False)
        return None
    from salesdev_tui.paths import expand, file_path_problem
    from salesdev_tui.usecases.private_files import write_private_text

    target = expand(out)
    problem = file_path_problem(target)
    if problem is not None:
        fail(_("Cannot write {problem}").format(problem=problem), Exit.INVALID)
    refuse_existing(target, replace)
    try:
        return write_private_text(target, encoding_prefix + text, replace=replace)
    except FileExistsError:  # made by someone else since the check
        refuse_existing(target, False)
        raise
    except OSError as exc:
        fail(_("Cannot write {path}: {why}").format(path=target, why=exc.strerror or exc),
             Exit.STORAGE)


@contextmanager
def stdin_as_file(name: str = "stdin") -> Iterator[Path]:
    """Standard input saved to a private temporary file (0600) for the block's length, for
    readers that need a path; removed afterwards."""
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    with tempfile.TemporaryDirectory(prefix="salesdev-") as folder:
        path = Path(folder) / name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        yield path


def say_cut(shown: int, total: int | None, *, cap: int | None = None) -> None:
    """"100 of 124 shown" on stderr when a limit cut a listing (a script reading stdout
    sees only the rows; a person sees why some are missing). A count that stopped at `cap`
    says "more than" it."""
    if total is None or total <= shown:
        return
    if cap is not None and total > cap:
        typer.echo(_("{shown} of more than {total} shown; give --limit for more.").format(
            shown=shown, total=cap), err=True)
        return
    typer.echo(_("{shown} of {total} shown; give --limit for more.").format(
        shown=shown, total=total), err=True)


Update = Callable[[str, int, int | None], None]


@contextmanager
def progress() -> Iterator[Update]:
    """A progress bar on stderr while the block runs, only when stderr is a terminal.

    The block calls `update(step, done, total)`; a total of None draws a bar that only
    says it is busy. In a pipe or a log nothing is drawn (no escape codes in the file).
    """
    if not is_terminal(sys.stderr):
        yield lambda _step, _done, _total: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=console(stderr=True),
                  transient=True) as bar:
        task = bar.add_task("", total=None)

        def update(step: str, done: int, total: int | None) -> None:
            bar.update(task, description=step, completed=done, total=total)

        yield update


@contextmanager
def busy(step: str) -> Iterator[None]:
    """A progress bar that says `step` is under way, for work with no count to show."""
    with progress() as update:
        update(step, 0, None)
        yield
