"""Kept chronology entries this process has read, so that a chronology read again carries only each
record's stamp from the database, not its kilobyte of entry (docs/decisions.md, ADR 52)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence

DEFAULT_BYTES = 64 * 2**20


class EntryCache:
    """Entries by record, each under the stamp it was kept with. A kept entry is never changed in place:
    it is dropped and kept again under a new random stamp, so an entry held here under the stamp a read
    has just listed is the entry the database holds. Bounded in bytes; the longest held go first."""

    def __init__(self, limit_bytes: int = DEFAULT_BYTES) -> None:
        self.limit_bytes = limit_bytes
        self._held: OrderedDict[str, tuple[int, bytes]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def take(self, event_ids: Sequence[str], stamps: Sequence[int]) -> list[bytes | None]:
        """The entries of these records held under these stamps, in order; None for each one not held."""
        with self._lock:
            held = list(map(self._held.get, event_ids))
        return [h[1] if h is not None and h[0] == stamp else None for h, stamp in zip(held, stamps, strict=True)]

    def put(self, read: Iterable[tuple[str, int, bytes]]) -> None:
        """Hold entries as read from the database: (record, stamp, entry)."""
        if self.limit_bytes <= 0:
            return
        with self._lock:
            for event_id, stamp, entry in read:
                replaced = self._held.pop(event_id, None)
                self._bytes += len(entry) - (len(replaced[1]) if replaced else 0)
                self._held[event_id] = (stamp, entry)
            while self._bytes > self.limit_bytes:
                _, (_, entry) = self._held.popitem(last=False)
                self._bytes -= len(entry)

    @property
    def held_bytes(self) -> int:
        """The bytes of entries held now."""
        return self._bytes
