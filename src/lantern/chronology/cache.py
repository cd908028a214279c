"""Kept chronology entries this process has read, so that a chronology read again carries only each
record's stamp from the database, not its kilobyte of entry (docs/decisions.md, ADR 52)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Generic, TypeVar

DEFAULT_BYTES = 64 * 2**20
Fingerprint = tuple[int, int, int, int]
STAMP_SPLIT = 2**31  # stamps are summed in two halves, so that a million of them fit a 64-bit sum
ROW_BYTES = 200  # about what one listed row (a tuple of eight keys) holds in memory
Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")


class _Bounded(Generic[Key, Value]):
    """Values by key, together no bigger than `limit` (each measured by `size_of`; one bigger than the limit
    is not held); the longest held go first. Safe to share between request threads."""

    def __init__(self, limit: int, size_of: Callable[[Value], int]) -> None:
        self.limit = limit
        self._size_of = size_of
        self._held: OrderedDict[Key, Value] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def _get(self, keys: Iterable[Key]) -> list[Value | None]:
        with self._lock:
            return list(map(self._held.get, keys))

    def _put(self, items: Iterable[tuple[Key, Value]]) -> None:
        with self._lock:
            for key, value in items:
                size = self._size_of(value)
                if size > self.limit:
                    continue
                replaced = self._held.pop(key, None)
                self._size += size - (0 if replaced is None else self._size_of(replaced))
                self._held[key] = value
            while self._size > self.limit:
                self._size -= self._size_of(self._held.popitem(last=False)[1])


class EntryCache(_Bounded[int, bytes]):
    """Entries by the stamp they were kept with: a random 62-bit number drawn for each entry each time it
    is kept. A kept entry is never changed in place, only dropped and kept again under a new stamp, so the
    entry held under a stamp a read has just listed is the entry the database holds. Bounded in bytes."""

    def __init__(self, limit_bytes: int = DEFAULT_BYTES) -> None:
        super().__init__(limit_bytes, len)

    def take(self, stamps: Sequence[int]) -> list[bytes | None]:
        """The entries held under these stamps, in order; None for each one not held."""
        return self._get(stamps)

    def put(self, read: Iterable[tuple[int, bytes]]) -> None:
        """Hold entries as read from the database, each under its stamp."""
        self._put(read)

    @property
    def held_bytes(self) -> int:
        """The bytes of entries held now."""
        return self._size


def fingerprint(stamps: list[int | None]) -> Fingerprint:
    """How many records were listed, how many with a kept entry, and their stamps' sum in two halves: what
    the database answers in one row (`entries._fingerprint_now`) for the rows a listing would read now."""
    kept = [stamp for stamp in stamps if stamp is not None]
    return len(stamps), len(kept), sum(s % STAMP_SPLIT for s in kept), sum(s // STAMP_SPLIT for s in kept)


Listed = tuple[str, Fingerprint, list[tuple[object, ...]]]  # the writer's version, the fingerprint, the rows


class ListingCache(_Bounded[tuple[str, ...], Listed]):
    """The sorted rows of the scopes this process has listed (each record's keys and stamp), by scope.
    Rows are reused only while the database gives the same fingerprint for the scope: every change to the
    listed rows (a record added to or leaving the scope, an entry dropped or kept again under a new random
    stamp) changes it. Bounded in rows."""

    def __init__(self, limit_rows: int = DEFAULT_BYTES // ROW_BYTES) -> None:
        super().__init__(limit_rows, lambda listed: len(listed[2]))

    def get(self, scope: tuple[str, ...], version: str) -> tuple[Fingerprint, list[tuple[object, ...]]] | None:
        """The fingerprint and rows held for the scope, listed under this version of the writer; None if none."""
        held = self._get([scope])[0]
        return (held[1], held[2]) if held is not None and held[0] == version else None

    def put(self, scope: tuple[str, ...], version: str, found: Fingerprint, rows: list[tuple[object, ...]]) -> None:
        """Hold a scope's sorted rows with their fingerprint (the caller does not change them afterwards)."""
        self._put([(scope, (version, found, rows))])
