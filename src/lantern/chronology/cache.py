"""Kept chronology entries this process has read, so that a chronology read again carries only each
record's stamp from the database, not its kilobyte of entry (docs/decisions.md, ADR 52)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence

DEFAULT_BYTES = 64 * 2**20


class EntryCache:
    """Entries by the stamp they were kept with: a random 62-bit number drawn for each entry each time it
    is kept. A kept entry is never changed in place, only dropped and kept again under a new stamp, so the
    entry held under a stamp a read has just listed is the entry the database holds. Bounded in bytes; the
    longest held go first."""

    def __init__(self, limit_bytes: int = DEFAULT_BYTES) -> None:
        self.limit_bytes = limit_bytes
        self._held: OrderedDict[int, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def take(self, stamps: Sequence[int]) -> list[bytes | None]:
        """The entries held under these stamps, in order; None for each one not held."""
        with self._lock:
            return list(map(self._held.get, stamps))

    def put(self, read: Iterable[tuple[int, bytes]]) -> None:
        """Hold entries as read from the database, each under its stamp."""
        if self.limit_bytes <= 0:
            return
        with self._lock:
            for stamp, entry in read:
                if stamp not in self._held:
                    self._held[stamp] = entry
                    self._bytes += len(entry)
            while self._bytes > self.limit_bytes:
                self._bytes -= len(self._held.popitem(last=False)[1])

    @property
    def held_bytes(self) -> int:
        """The bytes of entries held now."""
        return self._bytes
