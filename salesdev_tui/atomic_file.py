"""Files salesdev writes whole or not at all: exports, calendars, mappings, backups, conversions.

Every such file is written under a temporary name in the same folder (mode 0600: it holds
customer data), fsynced, and only then renamed to its final name, and the folder is fsynced
so the rename itself survives a power cut. A full disk, a kill or a crash therefore leaves
either the old file or the new one under the final name, never half of one.

A temporary file is named `.{final name}.salesdev-tmp-XXXXXXXX` and is held with an
exclusive `flock` while it is written, so `sweep_temporaries` (run at the next start) can
tell the leftover of a killed process (unlocked) from a file another process is writing
right now (locked). A leftover may be a plaintext copy of an encrypted database: it is
overwritten with zeros before it is unlinked.

Writes go through `os.write` in a loop: Python's buffered file objects return a short count
instead of raising when the disk fills part-way, and the text layer ignores that count
(measured: 65,536 of 200,000 bytes written to a full tmpfs, no exception).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

__all__ = [
    "TEMP_MARK",
    "TempFile",
    "fsync_dir",
    "interrupt_cleanup",
    "is_locked",
    "shred",
    "staged",
    "sweep_temporaries",
    "write_all",
    "write_atomic",
    "write_atomic_parts",
]

#: What every temporary name contains (and what the sweep looks for).
TEMP_MARK = ".salesdev-tmp-"

#: SQLite's files beside a database file, which a killed writer may leave too.
_SIDECARS = ("-journal", "-wal", "-shm")

#: Without flock (Windows), a temporary file this old is taken for a leftover.
_STALE_SECONDS = 3600.0

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def write_all(fd: int, data: bytes) -> None:
    """Write every byte of `data` to `fd`, or raise (os.write may write only part)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX); Windows cannot open a folder, and needs not."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class TempFile:
    """A new, empty, 0600 file beside `target`, locked while this process writes it."""

    def __init__(self, target: Path) -> None:
        import tempfile  # not on the CLI's start-up path (checked_output imports this module)

        self.target = target
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}{TEMP_MARK}")
        self.path = Path(name)
        self._fd: int | None = fd
        try:
            os.chmod(self.path, 0o600)  # mkstemp gives 0600 already; say so anyway
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BaseException:
            self.discard()
            raise

    @property
    def fd(self) -> int:
        assert self._fd is not None, "the temporary file is closed"
        return self._fd

    def write(self, data: bytes) -> None:
        write_all(self.fd, data)

    def sync(self) -> None:
        """fsync what is in the file (written here or by SQLite through its own descriptor)."""
        os.fsync(self.fd)

    def publish(self, *, replace: bool) -> Path:
        """Move the complete file to its final name; `replace=False` never overwrites one.

        Raises FileExistsError when the target exists and `replace` is False.
        """
        self.sync()
        if replace:
            os.replace(self.path, self.target)
        else:
            try:
                # A hard link fails when the name is taken: no window to overwrite a file
                # another process has just created.
                os.link(self.path, self.target)
            except FileExistsError:
                raise
            except OSError:  # a file system without hard links
                if self.target.exists():
                    raise FileExistsError(str(self.target)) from None
                os.rename(self.path, self.target)
            else:
                os.unlink(self.path)
        fsync_dir(self.target.parent)
        self._close()
        return self.target

    def discard(self) -> None:
        """Remove the temporary file and any SQLite journal of it (overwritten first)."""
        for path in (self.path, *(Path(f"{self.path}{s}") for s in _SIDECARS)):
            with contextlib.suppress(OSError):
                shred(path)
        self._close()

    def _close(self) -> None:
        # Closed last: a close drops this process's POSIX locks on the file, so no SQLite
        # connection of ours may still have it open (callers close theirs first).
        if self._fd is not None:
            fd, self._fd = self._fd, None
            with contextlib.suppress(OSError):
                os.close(fd)


@contextlib.contextmanager
def staged(target: Path, *, replace: bool = True) -> Iterator[TempFile]:
    """A temporary file beside `target`, published when the block ends without an error.

    On any error, interruption or signal (see `interrupt_cleanup`) it is removed instead,
    and the final name is left as it was.
    """
    temp = TempFile(target)
    try:
        yield temp
        temp.publish(replace=replace)
    except BaseException:
        temp.discard()
        raise


def write_atomic(target: Path, data: bytes, *, replace: bool = True) -> Path:
    """Write `data` to `target` (mode 0600), whole or not at all; returns `target`.

    Raises FileExistsError when `target` exists and `replace` is False, and OSError when
    the folder is missing or not writable or the disk is full (`target` then unchanged).
    """
    return write_atomic_parts(target, (data,), replace=replace)


def write_atomic_parts(target: Path, parts: Iterable[bytes], *, replace: bool = True) -> Path:
    """`write_atomic` for data made piece by piece: never the whole of it in memory at once
    (the notes of a 100,000-row import are 30 MB; issue 17.6)."""
    target = target.expanduser()
    if target.is_dir():
        raise IsADirectoryError(str(target))
    if not replace and target.exists():
        raise FileExistsError(str(target))
    with interrupt_cleanup(), staged(target, replace=replace) as temp:
        for part in parts:
            temp.write(part)
    return target


def shred(path: Path) -> bool:
    """Overwrite `path` with zeros, fsync, unlink; False when there was no such file.

    For a leftover that may hold plaintext customer data: unlinking alone leaves its blocks
    readable on the disk until they are reused.
    """
    try:
        fd = os.open(path, os.O_WRONLY)
    except FileNotFoundError:
        return False
    try:
        size = os.fstat(fd).st_size
        block = bytes(min(size, 1 << 20))
        left = size
        while left > 0:
            chunk = block[: min(left, len(block))]
            write_all(fd, chunk)
            left -= len(chunk)
        os.fsync(fd)
    except OSError:
        pass  # still unlink it: better gone than kept whole
    finally:
        os.close(fd)
    path.unlink(missing_ok=True)
    return True


def is_locked(path: Path) -> bool:
    """True while another writer holds `path` (a live temporary file, not a leftover)."""
    if fcntl is None:  # pragma: no cover - Windows: judge by age
        try:
            return time.time() - path.stat().st_mtime < _STALE_SECONDS
        except OSError:
            return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # also releases the lock just taken
    return False


def sweep_temporaries(folder: Path, name_glob: str = "*") -> list[Path]:
    """Shred the temporary files (and their journals) that killed writers left in `folder`.

    `name_glob` narrows it to the temporaries of some final names. Never call it on a file
    this process has open through SQLite (see `TempFile._close`). Returns what was removed.
    """
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for path in sorted(folder.glob(f".{name_glob}{TEMP_MARK}*")):
        if path.name.endswith(_SIDECARS):
            continue  # handled with its file below
        if is_locked(path):
            continue
        for leftover in (path, *(Path(f"{path}{s}") for s in _SIDECARS)):
            if shred(leftover):
                removed.append(leftover)
    # A journal whose temporary file is gone already.
    for path in sorted(folder.glob(f".{name_glob}{TEMP_MARK}*-journal")):
        if not Path(str(path)[: -len("-journal")]).exists() and shred(path):
            removed.append(path)
    return removed


_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT")
                 if hasattr(signal, name))


@contextlib.contextmanager
def interrupt_cleanup() -> Iterator[None]:
    """While the block runs, SIGTERM, SIGHUP and SIGINT raise instead of killing outright.

    The exception (SystemExit 128+signal; KeyboardInterrupt for SIGINT) unwinds through the
    block's cleanup (`staged` removes its temporary file), and the process then exits as it
    would have. Only the main thread can take signals; elsewhere this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous: dict[int, Any] = {}
    caught: list[int] = []

    def handler(signum: int, _frame: FrameType | None) -> None:
        if caught:
            return  # the cleanup of the first signal is running: let it finish
        caught.append(signum)
        if signum == getattr(signal, "SIGINT", None):
            raise KeyboardInterrupt
        raise SystemExit(128 + signum)

    for signum in _SIGNALS:
        if signal.getsignal(signum) is signal.SIG_IGN:
            continue  # ignored on purpose (nohup): stays ignored
        try:
            previous[signum] = signal.signal(signum, handler)
        except (ValueError, OSError):  # pragma: no cover - not allowed here
            continue
    try:
        yield
    finally:
        for signum, old in previous.items():
            with contextlib.suppress(ValueError, OSError):
                signal.signal(signum, old)
