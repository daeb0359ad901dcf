"""A small Python version of SQLite's crash VFS on APSW (RELIABILITY-NOTES 4b).

Every file lives in memory as two images: what the OS would show (`current`) and what is on
the platter (`durable`), plus the writes since the file's last `xSync` (`pending`). At a
chosen write/truncate/sync call the power is cut: the surviving image of each file is its
durable image plus a random subset of its pending writes, each kept whole, dropped, or torn
into 512-byte sectors of which a random subset landed. Everything after the cut fails with
an I/O error, so nothing the program does afterwards counts as done.

There is no shared memory (`xShm*`), so a WAL database must be opened with
`PRAGMA locking_mode=EXCLUSIVE` (the WAL index then lives in heap memory). The surviving
images are written out as real files, which stdlib `sqlite3` opens and recovers.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import apsw

SECTOR = 512
#: As the Linux unix VFS says: a torn write never damages bytes it did not write.
_POWERSAFE_OVERWRITE = 0x00001000


@dataclass
class FileState:
    current: bytearray = field(default_factory=bytearray)
    durable: bytearray = field(default_factory=bytearray)
    #: (offset, data) for a write, (size, None) for a truncation, oldest first.
    pending: list[tuple[int, bytes | None]] = field(default_factory=list)


def _write(image: bytearray, offset: int, data: bytes) -> None:
    if len(image) < offset:
        image.extend(bytes(offset - len(image)))
    image[offset:offset + len(data)] = data


def _apply(image: bytearray, op: tuple[int, bytes | None]) -> None:
    where, data = op
    if data is None:
        del image[where:]
    else:
        _write(image, where, data)


class PowerCut(apsw.IOError):
    """Raised by every I/O call from the cut on (SQLite sees SQLITE_IOERR)."""


class Disk:
    """The files of one trial, the count of I/O calls, and the cut."""

    def __init__(self, rng: random.Random, cut_at: int | None = None) -> None:
        self.files: dict[str, FileState] = {}
        self.rng = rng
        self.cut_at = cut_at
        self.calls = 0
        self.syncs = 0
        self.writes: Counter[str] = Counter()
        self.surviving: dict[str, bytes] | None = None

    def load(self, name: str, data: bytes) -> None:
        """A file that is on the platter already (synced before the trial starts)."""
        self.files[name] = FileState(bytearray(data), bytearray(data))

    def io_call(self) -> None:
        """Count a write/truncate/sync; at the chosen one the power goes."""
        if self.surviving is not None:
            raise PowerCut("the power is off")
        self.calls += 1
        if self.cut_at is not None and self.calls >= self.cut_at:
            self.cut()
            raise PowerCut("power cut")

    def cut(self) -> None:
        """Freeze what survives: durable images plus some pending writes, some torn."""
        rng = self.rng
        surviving: dict[str, bytes] = {}
        for name, state in self.files.items():
            image = bytearray(state.durable)
            for where, data in state.pending:
                if rng.random() < 0.5:
                    continue  # this write never reached the disk
                if data is None or rng.random() < 0.5:
                    _apply(image, (where, data))
                    continue
                # Torn: the write's sectors (aligned to the file's sectors) land or not.
                start = where
                while start < where + len(data):
                    end = min((start // SECTOR + 1) * SECTOR, where + len(data))
                    if rng.random() < 0.5:
                        _write(image, start, data[start - where:end - where])
                    start = end
            surviving[name] = bytes(image)
        self.surviving = surviving

    def write_out(self, directory: Path) -> None:
        """Write the surviving files into `directory` under their base names."""
        assert self.surviving is not None
        for name, data in self.surviving.items():
            (directory / Path(name).name).write_bytes(data)


_temp_names = itertools.count()


class CrashFile:
    def __init__(self, disk: Disk, name: str, state: FileState, temporary: bool) -> None:
        self.disk = disk
        self.name = name
        self.state = state
        self.temporary = temporary  # statement journals, sorters: not part of the image

    def xRead(self, amount: int, offset: int) -> bytes:  # noqa: N802 - APSW's names
        if self.disk.surviving is not None:
            raise PowerCut("the power is off")
        return bytes(self.state.current[offset:offset + amount])

    def xWrite(self, data: bytes, offset: int) -> None:  # noqa: N802
        if not self.temporary:
            self.disk.io_call()
            self.disk.writes[self.name] += 1
            self.state.pending.append((offset, bytes(data)))
        _write(self.state.current, offset, bytes(data))

    def xTruncate(self, newsize: int) -> None:  # noqa: N802
        if not self.temporary:
            self.disk.io_call()
            self.state.pending.append((newsize, None))
        del self.state.current[newsize:]

    def xSync(self, flags: int) -> None:  # noqa: N802
        if self.temporary:
            return
        self.disk.io_call()
        self.disk.syncs += 1
        for op in self.state.pending:
            _apply(self.state.durable, op)
        self.state.pending.clear()

    def xFileSize(self) -> int:  # noqa: N802
        return len(self.state.current)

    def xClose(self) -> None:  # noqa: N802
        if self.temporary:
            self.disk.files.pop(self.name, None)

    def xLock(self, level: int) -> None:  # noqa: N802
        pass  # one connection per disk: nothing to lock against

    def xUnlock(self, level: int) -> None:  # noqa: N802
        pass

    def xCheckReservedLock(self) -> bool:  # noqa: N802
        return False

    def xFileControl(self, op: int, ptr: int) -> bool:  # noqa: N802
        return False

    def xSectorSize(self) -> int:  # noqa: N802
        return SECTOR

    def xDeviceCharacteristics(self) -> int:  # noqa: N802
        return _POWERSAFE_OVERWRITE


class CrashVFS(apsw.VFS):
    """Register once per process; point it at the trial's `Disk` before each connection."""

    def __init__(self, name: str = "crashsim") -> None:
        self.vfs_name = name
        self.disk = Disk(random.Random(0))
        super().__init__(name, "")

    def xOpen(self, name: Any, flags: list[int]) -> Any:  # noqa: N802 - a CrashFile
        temporary = name is None
        if isinstance(name, apsw.URIFilename):
            name = name.filename()
        if name is None:
            name = f"/temp/{next(_temp_names)}"
        state = self.disk.files.setdefault(name, FileState())
        return CrashFile(self.disk, name, state, temporary)

    def xDelete(self, name: str, syncdir: bool) -> None:  # noqa: N802
        self.disk.files.pop(name, None)

    def xAccess(self, name: str, flags: int) -> bool:  # noqa: N802
        return name in self.disk.files

    def xFullPathname(self, name: str) -> str:  # noqa: N802
        return name
