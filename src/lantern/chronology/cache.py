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


Fingerprint = tuple[int, int, int, int]
STAMP_SPLIT = 2**31  # stamps are summed in two halves, so that a million of them fit a 64-bit sum
ROW_BYTES = 200  # about what one listed row (a tuple of eight keys) holds in memory


def fingerprint(stamps: list[int | None]) -> Fingerprint:
    """How many records were listed, how many with a kept entry, and their stamps' sum in two halves: what
    the database answers in one row (`entries._fingerprint_now`) for the rows a listing would read now."""
    kept = [stamp for stamp in stamps if stamp is not None]
    return len(stamps), len(kept), sum(s % STAMP_SPLIT for s in kept), sum(s // STAMP_SPLIT for s in kept)


class ListingCache:
    """The sorted rows of the scopes this process has listed (each record's keys and stamp), by scope.
    Rows are reused only while the database gives the same fingerprint for the scope: every change to the
    listed rows (a record added to or leaving the scope, an entry dropped or kept again under a new random
    stamp) changes it. Bounded in rows; the longest held go first."""

    def __init__(self, limit_rows: int = DEFAULT_BYTES // ROW_BYTES) -> None:
        self.limit_rows = limit_rows
        self._held: OrderedDict[tuple[str, ...], tuple[str, Fingerprint, list[tuple[object, ...]]]] = OrderedDict()
        self._rows = 0
        self._lock = threading.Lock()

    def get(self, scope: tuple[str, ...], version: str) -> tuple[Fingerprint, list[tuple[object, ...]]] | None:
        """The fingerprint and rows held for the scope, listed under this version of the writer; None if none."""
        with self._lock:
            held = self._held.get(scope)
        return (held[1], held[2]) if held is not None and held[0] == version else None

    def put(self, scope: tuple[str, ...], version: str, found: Fingerprint, rows: list[tuple[object, ...]]) -> None:
        """Hold a scope's sorted rows with their fingerprint (the caller does not change them afterwards)."""
        if len(rows) > self.limit_rows:
            return
        with self._lock:
            replaced = self._held.pop(scope, None)
            self._rows += len(rows) - (len(replaced[2]) if replaced else 0)
            self._held[scope] = (version, found, rows)
            while self._rows > self.limit_rows:
                self._rows -= len(self._held.popitem(last=False)[1][2])
