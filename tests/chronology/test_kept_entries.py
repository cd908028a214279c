"""Kept entries: written again when stale, when another session drops one between the write and
the read (a merge elsewhere), so that no record is missing from a chronology, and whenever one of
the record's duties is raised, changed or removed, so that with whom it was shared is never stale."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any

from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from lantern.chronology import entries, flows, service
from lantern.chronology.models import EntryText
from lantern.config import Settings
from lantern.db.engine import make_engine, make_session_factory, writing
from lantern.db.migrate import alembic_config, upgrade
from lantern.db.types import new_id
from lantern.deps import SESSION_COOKIE
from lantern.duties import service as duties_service
from lantern.duties.models import Duty
from tests.chronology.helpers import baby_of_s1
from tests.factories import event
from tests.scenarios.replay import records, replay


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


def test_a_duty_the_scheduler_moves_is_shown_as_it_now_stands(client, login, settings) -> None:  # type: ignore[no-untyped-def]
    csc, url = _s1_family_chronology(client, login)
    assert _told(client, csc, url)["csc"]["status"] == "delivered"
    factory = _factory(settings)
    with factory.begin() as db:  # long past every deadline: one set-based UPDATE moves them all
        assert duties_service.scheduler_pass(db=db, now=datetime(2100, 1, 1, tzinfo=UTC))["escalated"] > 0
    assert _told(client, csc, url)["csc"]["status"] == "escalated"


def test_a_duty_raised_changed_or_removed_drops_its_records_kept_entry(client, login, settings) -> None:  # type: ignore[no-untyped-def]
    csc, url = _s1_family_chronology(client, login)
    event_id, factory = _incident(client, csc, url)["event_id"], _factory(settings)
    with factory.begin() as db:
        duty = db.execute(select(Duty).where(Duty.event_id == event_id, Duty.recipient_agency == "csc")).scalar_one()
        assert _kept(db, event_id)
        db.execute(update(Duty).where(Duty.id == duty.id).values(recipient_team="Front door"))
        assert not _kept(db, event_id)
    assert _told(client, csc, url)["csc"]["team"] == "Front door"
    copy = {column.name: getattr(duty, column.name) for column in Duty.__table__.columns}
    copy |= {"id": new_id(), "rule_code": "test-copy", "recipient_agency": "housing"}
    with factory.begin() as db:
        assert _kept(db, event_id)
        db.execute(insert(Duty).values(copy))
        assert not _kept(db, event_id)
    assert set(_told(client, csc, url)) == {"csc", "midwifery", "housing"}
    with factory.begin() as db:
        db.execute(delete(Duty).where(Duty.id == copy["id"]))
        assert not _kept(db, event_id)
    assert set(_told(client, csc, url)) == {"csc", "midwifery"}


def test_the_duty_triggers_go_with_their_migration(database_url: str) -> None:
    def triggers() -> set[str]:
        engine = make_engine(database_url)
        with engine.connect() as conn:
            catalog = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            if engine.dialect.name == "postgresql":
                catalog = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
            found = set(conn.execute(text(catalog)).scalars())
        engine.dispose()
        return found

    made = {"duty_inserted_drops_entry", "duty_updated_drops_entry", "duty_deleted_drops_entry"}
    assert triggers() == made
    command.downgrade(alembic_config(database_url), "0016")
    assert triggers() == set()
    upgrade(database_url)
    assert triggers() == made


def _s1_family_chronology(client: TestClient, login: Any) -> tuple[dict[str, str], str]:
    """S1 replayed, and its baby's family chronology read once (every entry kept)."""
    ids = replay(client, login, "s1")
    csc = login("csc.worker", agency="csc")
    url = f"/api/v1/people/{baby_of_s1(client, csc, ids)}/chronology?scope=family"
    assert client.get(url, headers=csc).status_code == 200
    return csc, url


def _incident(client: TestClient, headers: dict[str, str], url: str) -> dict[str, Any]:
    """S1's second police incident, as the chronology reads now."""
    return next(e for e in client.get(url, headers=headers).json()["entries"] if e["source_ref"] == "S1-POL-002")


def _told(client: TestClient, headers: dict[str, str], url: str) -> dict[str, dict[str, Any]]:
    """With whom S1's second police incident was shared, by agency."""
    return {shared["with_agency"]: shared for shared in _incident(client, headers, url)["shared"]}


def _kept(db: Session, event_id: str) -> bool:
    return db.get(EntryText, event_id, populate_existing=True) is not None


def _factory(settings: Settings) -> sessionmaker[Session]:
    return make_session_factory(make_engine(settings.database_url))


def test_a_chronology_read_again_carries_only_the_entries_kept_since(client, login, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    csc, url = _s1_family_chronology(client, login)
    read_entries, asked = entries._read_entries, []

    def counted(db: Session, event_ids: list[str]) -> dict[str, bytes]:
        asked.append(len(event_ids))
        return read_entries(db, event_ids)

    listed, kept_rows = [], entries._kept_rows

    def listing(db: Session, scope: Any) -> Any:
        listed.append(len(scope))
        return kept_rows(db, scope)

    monkeypatch.setattr(entries, "_read_entries", counted)
    monkeypatch.setattr(entries, "_kept_rows", listing)
    whole = client.get(url, headers=csc).json()
    assert asked == [] and len(whole["entries"]) == whole["count"] >= 18  # every entry from the cache
    assert listed == []  # and the listing too: the database's fingerprint of it is the one held
    event_id = _incident(client, csc, url)["event_id"]
    with _factory(settings).begin() as db:  # one duty changes: its record's entry is dropped
        db.execute(update(Duty).where(Duty.event_id == event_id).values(recipient_team="Front door"))
    again = client.get(url, headers=csc).json()
    assert asked == [1]  # that one entry, written again under a new stamp, and no other
    assert len(listed) == 2  # listed again (the fingerprint changed), then after writing the entry
    assert [e["event_id"] for e in again["entries"]] == [e["event_id"] for e in whole["entries"]]
    assert {s["team"] for s in _told(client, csc, url).values()} == {"Front door"} and asked == [1]


def test_a_record_added_to_a_family_is_in_its_next_chronology(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s1")
    csc = login("csc.worker", agency="csc")
    baby = baby_of_s1(client, csc, ids)
    url = f"/api/v1/people/{baby}/chronology?scope=family"
    before = client.get(url, headers=csc).json()
    assert client.get(url, headers=csc).json()["count"] == before["count"]  # read again: the same listing
    birth = next(r for r in records("s1") if r["source_ref"] == "S1-HOSP-002")
    child = next(subject for subject in birth["subjects"] if subject["role"] == "child")
    gp = login("gp.user", agency="gp")
    consultation = event(ref="S1-GP-LATE-1", subjects=[{"role": "patient", "person": child["person"]}])
    response = client.post("/api/v1/events", json=consultation, headers=gp)
    assert response.status_code in (200, 201), response.text
    after = client.get(url, headers=csc).json()
    assert after["count"] == before["count"] + 1
    assert "S1-GP-LATE-1" in {e["source_ref"] for e in after["entries"]}
