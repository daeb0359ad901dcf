"""Standard output that cannot fail silently: `salesdev export > FILE` on a full disk exits 5.

Python's own stdout loses output without a word when the disk fills part-way: the buffered
layer returns a short count instead of raising, and the text layer ignores the count
(measured: 65,536 of 200,000 bytes on a full tmpfs, exit 0). And a failure that does raise
comes out of click as a traceback, or, for a broken pipe, as a silent exit 1.

`checked_stdout()` puts a writer under `sys.stdout` that writes every byte or raises and
remembers the failure; when the command ends it flushes, fsyncs a regular file and reports
any failure as one line, "cannot write output: ...", with exit code 5. Left alone when
stdout is a terminal (the TUI draws there, and a terminal does not fill up).
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import sys
from collections.abc import Iterator
from typing import Any

from salesdev_tui.atomic_file import write_all
from salesdev_tui.i18n import _

__all__ = ["checked_stdout"]

#: The CLI's exit code for "cannot be written" (cli.app.Exit.STORAGE).
_STORAGE = 5


class _WholeWriter(io.RawIOBase):
    """A raw stream over a file descriptor: each write is complete or raises (and is kept)."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd
        self.failure: OSError | None = None

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, data: Any, /) -> int:
        if self.failure is not None:
            raise self.failure  # the output is broken already: nothing after it counts
        try:
            write_all(self._fd, bytes(data))
        except OSError as exc:
            self.failure = exc
            raise
        return len(data)

    def close(self) -> None:
        # The descriptor belongs to the process (fd 1), not to this object.
        super().close()


def _sync_if_file(fd: int) -> None:
    """fsync a regular file (a file system may report a full disk only here); not a pipe."""
    if stat.S_ISREG(os.fstat(fd).st_mode):
        os.fsync(fd)


def _report(failure: OSError) -> None:
    why = failure.strerror or str(failure)
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(_("error: cannot write output: {why}").format(why=why) + "\n")
        sys.stderr.flush()


@contextlib.contextmanager
def checked_stdout() -> Iterator[None]:
    """Run a command with checked stdout; a write failure becomes exit 5 with one line."""
    original = sys.stdout
    try:
        fd = original.fileno()
        terminal = os.isatty(fd)
    except (AttributeError, OSError, ValueError):
        yield  # not a real descriptor (a test runner's capture): nothing to check
        return
    if terminal:
        yield
        return
    raw = _WholeWriter(fd)
    stream = io.TextIOWrapper(
        io.BufferedWriter(raw), encoding=original.encoding, errors=original.errors,
        newline=None, line_buffering=bool(original.line_buffering),
    )
    sys.stdout = stream
    failure: OSError | None = None
    exit_code: int | str | None = 0
    try:
        yield
    except SystemExit as exc:
        exit_code = exc.code
    except OSError:
        if raw.failure is None:
            raise
    finally:
        if raw.failure is None:
            try:
                stream.flush()
                _sync_if_file(fd)
            except OSError as exc:
                failure = raw.failure or exc
        failure = failure or raw.failure
        # Whatever is still buffered must not be written again at interpreter exit.
        sys.stdout = original
        with contextlib.suppress(OSError, ValueError):
            stream.detach()
    if failure is not None:
        _report(failure)
        # Nothing more goes out through the broken stdout (Python flushes it at exit).
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, fd)
            os.close(devnull)
        raise SystemExit(_STORAGE)
    if exit_code not in (0, None):
        raise SystemExit(exit_code)
