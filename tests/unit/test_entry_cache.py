"""The chronology's entry cache: an entry is taken only under the stamp it was kept and read with, and
the cache holds no more than its limit."""

from __future__ import annotations

from lantern.chronology.cache import EntryCache


def test_an_entry_is_taken_only_under_the_stamp_it_was_read_with() -> None:
    cache = EntryCache(limit_bytes=1000)
    cache.put([(1, b"first"), (7, b"other")])
    assert cache.take([1, 8, 7]) == [b"first", None, b"other"]
    cache.put([(2, b"kept again")])  # the first record dropped and kept again: a new stamp
    assert cache.take([2]) == [b"kept again"]
    cache.put([(2, b"kept again")])  # read again: held once
    assert cache.held_bytes == len(b"first") + len(b"other") + len(b"kept again")


def test_the_longest_held_go_first_beyond_the_limit() -> None:
    cache = EntryCache(limit_bytes=10)
    cache.put([(1, b"12345"), (2, b"12345")])
    cache.put([(3, b"123")])
    assert cache.take([1, 2, 3]) == [None, b"12345", b"123"]
    assert cache.held_bytes == 8


def test_a_cache_of_no_bytes_holds_nothing() -> None:
    cache = EntryCache(limit_bytes=0)
    cache.put([(1, b"entry")])
    assert cache.take([1]) == [None] and cache.held_bytes == 0
