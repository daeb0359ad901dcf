"""Peak memory of the TUI in a real pty (for bench/suite.py).

bench/startup.py's `time_to_markers` kills the program as soon as its markers show; this
waits for the marker, lets the app settle, kills it and reads the kernel's high-water mark
of its resident memory (`ru_maxrss` from wait4: the same figure as VmHWM in /proc).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time


def peak_rss_mb(argv: list[str], marker: bytes, env: dict[str, str], *, settle: float,
                timeout: float = 60.0) -> float:
    """MB of VmHWM once `marker` has shown and `settle` more seconds have passed."""
    pid, fd = pty.fork()
    if pid == 0:  # child: the terminal's size before the program starts (bench/startup.py)
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        os.execve(argv[0], argv, env)
    start = time.perf_counter()
    seen: float | None = None
    buffer = b""
    ended = False
    try:
        while seen is None or time.perf_counter() - seen < settle:
            if time.perf_counter() - start > timeout:
                raise TimeoutError(f"{argv} never showed {marker!r}")
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                ended = True
                break
            buffer = (buffer + chunk)[-65536:]
            if b"\x1b[6n" in chunk:  # answer the cursor-position query, as a terminal would
                os.write(fd, b"\x1b[1;1R")
            if seen is None and marker in buffer:
                seen = time.perf_counter()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        # The kernel's peak resident size of the child (= VmHWM), even if it ended early.
        _pid, _status, usage = os.wait4(pid, 0)
        os.close(fd)
    if seen is None:
        tail = buffer[-400:].decode(errors="replace")
        raise RuntimeError(f"{argv} ended before showing {marker!r}: {tail!r}")
    if ended:
        raise RuntimeError(f"{argv} ended {time.perf_counter() - seen:.1f} s after {marker!r}")
    return float(usage.ru_maxrss) / 1024
