"""The chronology's entry cache: an entry is taken only under the stamp it was kept and read with, and
the cache holds no more than its limit."""

from __future__ import annotations

from lantern.chronology.cache import STAMP_SPLIT, EntryCache, ListingCache, fingerprint


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


def test_a_listing_is_held_by_scope_for_the_writer_version_it_was_listed_under() -> None:
    listings = ListingCache(limit_rows=3)
    rows: list[tuple[object, ...]] = [("e1", 1), ("e2", 2)]
    listings.put(("p1", "p2"), "v1", (2, 2, 3, 0), rows)
    assert listings.get(("p1", "p2"), "v1") == ((2, 2, 3, 0), rows)
    assert listings.get(("p1", "p2"), "v2") is None and listings.get(("p1",), "v1") is None
    listings.put(("p3",), "v1", (2, 2, 3, 0), [("e3", 3), ("e4", 4)])  # four rows held: the first scope goes
    assert listings.get(("p1", "p2"), "v1") is None and listings.get(("p3",), "v1") is not None


def test_a_fingerprint_counts_the_listed_and_the_kept_and_sums_their_stamps_in_halves() -> None:
    big = 2**62 - 1
    assert fingerprint([5, None, big]) == (3, 2, 5 + big % STAMP_SPLIT, big // STAMP_SPLIT)
    assert fingerprint([5, 7]) != fingerprint([5, 8])  # an entry kept again under a new stamp
    assert fingerprint([5, 7]) != fingerprint([5, None])  # an entry dropped
    assert fingerprint([5, 7]) != fingerprint([5, 7, None])  # a record not yet written joins the scope
