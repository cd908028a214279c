"""Kept entries: written again when stale, and when another session drops one between the write and
the read (a merge elsewhere), so that no record is missing from a chronology."""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Any

from lantern.chronology import entries, flows, service
from lantern.db.engine import writing
from lantern.deps import SESSION_COOKIE
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


def test_an_entry_dropped_before_a_page_reads_its_window_is_written_again(client, login, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s1")
    csc = login("csc.worker", agency="csc")
    baby = baby_of_s1(client, csc, ids)
    listed = client.get(f"/api/v1/people/{baby}/chronology?scope=family", headers=csc).json()
    first = listed["entries"][0]
    choose = entries._choose

    def choose_then_lose_one(db: Any, *args: Any) -> Any:
        chosen = choose(db, *args)
        with writing(db):
            entries.forget(db, [first["event_id"]])  # after the listing, before the page's entries are read
        return chosen

    monkeypatch.setattr(entries, "_choose", choose_then_lose_one)
    client.cookies.set(SESSION_COOKIE, csc["Authorization"].removeprefix("Bearer "))
    page = client.get(f"/people/{baby}/chronology?scope=family")
    assert page.status_code == 200, page.text
    assert page.text.count('class="govuk-table__row lantern-significance-') == min(listed["count"], flows.PAGE_SIZE)
    assert html.escape(first["plain"]) in page.text


def test_with_whom_a_record_was_shared_is_read_fresh_after_its_entry_was_kept(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s1")
    csc = login("csc.worker", agency="csc")
    baby = baby_of_s1(client, csc, ids)
    url = f"/api/v1/people/{baby}/chronology?scope=family"
    incident = next(e for e in client.get(url, headers=csc).json()["entries"] if e["source_ref"] == "S1-POL-002")
    told = {s["with_agency"]: s for s in incident["shared"]}
    assert set(told) == {"csc", "midwifery"}
    assert told["csc"]["status"] == "delivered" and told["csc"]["shared_at"] and told["csc"]["acknowledged_at"] is None
    assert told["csc"]["with_agency_label"] == "Children's social care"
    duty = next(
        d
        for d in client.get("/api/v1/duties", headers=csc).json()
        if d["event_id"] == incident["event_id"] and d["recipient_agency"] == "csc"
    )
    assert _time(told["csc"]["shared_at"]) == datetime.fromisoformat(duty["delivered_at"])
    assert client.post(f"/api/v1/duties/{duty['id']}/acknowledge", json={}, headers=csc).status_code == 200
    again = next(e for e in client.get(url, headers=csc).json()["entries"] if e["event_id"] == incident["event_id"])
    acknowledged = next(s for s in again["shared"] if s["with_agency"] == "csc")
    assert acknowledged["status"] == "acknowledged" and acknowledged["acknowledged_at"] is not None
    done = next(d for d in client.get("/api/v1/duties", headers=csc).json() if d["id"] == duty["id"])
    assert _time(acknowledged["acknowledged_at"]) == datetime.fromisoformat(done["acknowledged_at"])


def _time(text: str) -> datetime:
    """A time as the chronology writes it (as every time in an entry: ISO 8601, `+00:00`, microseconds
    only when there are some), read back."""
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00", text), text
    return datetime.fromisoformat(text)
