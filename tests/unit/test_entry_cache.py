"""The chronology's entry cache: an entry is taken only under the stamp it was read with, and the cache
holds no more than its limit."""

from __future__ import annotations

from lantern.chronology.cache import EntryCache


def test_an_entry_is_taken_only_under_the_stamp_it_was_read_with() -> None:
    cache = EntryCache(limit_bytes=1000)
    cache.put([("a", 1, b"first"), ("b", 7, b"other")])
    assert cache.take(["a", "b", "c"], [1, 8, 1]) == [b"first", None, None]
    cache.put([("a", 2, b"kept again")])  # dropped and kept again: a new stamp
    assert cache.take(["a"], [1]) == [None]
    assert cache.take(["a"], [2]) == [b"kept again"]
    assert cache.held_bytes == len(b"kept again") + len(b"other")


def test_the_longest_held_go_first_beyond_the_limit() -> None:
    cache = EntryCache(limit_bytes=10)
    cache.put([("a", 1, b"12345"), ("b", 1, b"12345")])
    cache.put([("c", 1, b"123")])
    assert cache.take(["a", "b", "c"], [1, 1, 1]) == [None, b"12345", b"123"]
    assert cache.held_bytes == 8


def test_a_cache_of_no_bytes_holds_nothing() -> None:
    cache = EntryCache(limit_bytes=0)
    cache.put([("a", 1, b"entry")])
    assert cache.take(["a"], [1]) == [None] and cache.held_bytes == 0
