"""Kept entries: written again when stale, and when another session drops one between the write and
the read (a merge elsewhere), so that no record is missing from a chronology."""

from __future__ import annotations

from typing import Any

from lantern.chronology import entries, service
from lantern.db.engine import writing
from tests.chronology.helpers import baby_of_s1
from tests.scenarios.replay import replay


def test_an_entry_dropped_while_the_others_are_written_is_written_again(client, login, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s1")
    csc = login("csc.worker", agency="csc")
    baby = baby_of_s1(client, csc, ids)
    url = f"/api/v1/people/{baby}/chronology?scope=family"
    first = client.get(url, headers=csc).json()
    victim = first["entries"][0]["event_id"]
    monkeypatch.setattr(service, "WRITER_VERSION", "9")  # every kept entry is now stale
    write, calls = entries.write, []

    def write_then_lose_one(db: Any, event_ids: list[str], *args: Any) -> None:
        write(db, event_ids, *args)
        calls.append(len(event_ids))
        if len(calls) == 1:
            with writing(db):
                entries.forget(db, [victim])  # as a merge in another session would

    monkeypatch.setattr(entries, "write", write_then_lose_one)
    again = client.get(url, headers=csc).json()
    assert calls == [first["count"], 1]
    assert [e["event_id"] for e in again["entries"]] == [e["event_id"] for e in first["entries"]]
