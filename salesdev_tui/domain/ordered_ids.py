"""Ids in the order they are made, for the records an import writes in bulk (issue 17.6).

A salesdev id is a UUID. A random one (version 4) lands anywhere in its table's primary-key
index, so 100,000 imported leads wrote pages all over the index (and over the page cache,
which then spills): 37 s. Made in order, each id lands at the end of the index: 23 s for
the same import (bench/RESULTS.md). These are UUIDs of version 7 (RFC 9562): the time in
milliseconds, a counter that starts at a random value (so the ids of one run are in order),
then 44 random bits. Two devices importing in the same millisecond still make different
ids (a random start and random bits); nothing reads an id's version or its time.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from datetime import datetime

__all__ = ["OrderedIds"]

_COUNTER_BITS = 30
_RANDOM_BITS = 44


class OrderedIds:
    """A maker of ids, each after the one before: `ids()` is a new UUID (version 7)."""

    def __init__(self, now: datetime, random: Callable[[int], bytes] = os.urandom) -> None:
        self._millis = int(now.timestamp() * 1000) & ((1 << 48) - 1)
        self._random = random
        # Half the counter's range is left above the start: a billion ids before it wraps
        # (after that they are still unique, only no longer in order).
        self._count = int.from_bytes(random(4)) >> 3

    def __call__(self) -> uuid.UUID:
        count = self._count & ((1 << _COUNTER_BITS) - 1)
        self._count += 1
        tail = int.from_bytes(self._random(6)) >> (48 - _RANDOM_BITS)
        value = (self._millis << 80 | 0x7 << 76 | (count >> 18) << 64
                 | 0b10 << 62 | (count & 0x3FFFF) << _RANDOM_BITS | tail)
        return uuid.UUID(int=value)
