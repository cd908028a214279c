"""POST /api/v1/events: idempotent, all-or-nothing or partial, clear errors, people resolved."""

from __future__ import annotations

from sqlalchemy import func, select

from lantern.events.models import Event, EventSubject
from lantern.people.models import Person
from tests.factories import event, nhs, person


def _count(db, model) -> int:  # type: ignore[no-untyped-def]
    return db.execute(select(func.count()).select_from(model)).scalar_one()


def test_one_event_is_accepted_then_duplicate(client, login, db) -> None:  # type: ignore[no-untyped-def]
    headers = login("gp.user", agency="gp")
    record = event(ref="GP-1")
    first = client.post("/api/v1/events", json=record, headers=headers)
    assert first.status_code == 201
    assert first.json()["results"][0]["status"] == "accepted"
    again = client.post("/api/v1/events", json=record, headers=headers)
    assert again.status_code == 200
    assert again.json()["results"][0]["status"] == "duplicate"
    assert _count(db, Event) == 1


def test_batch_is_all_or_nothing(client, login, db) -> None:  # type: ignore[no-untyped-def]
    headers = login("gp.user", agency="gp")
    bad = event(subjects=[{"role": "patient", "person": person(nhs_number="1234567890")}])
    response = client.post("/api/v1/events", json=[event(), bad, event()], headers=headers)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["loc"] == [1, "subjects", 0, "person", "nhs_number"]
    assert _count(db, Event) == 0
    assert _count(db, Person) == 0


def test_partial_batch_reports_each_record(client, login, db) -> None:  # type: ignore[no-untyped-def]
    headers = login("gp.user", agency="gp")
    bad = event(type_="gp.teleport")
    response = client.post("/api/v1/events?partial=true", json=[event(), bad, event()], headers=headers)
    assert response.status_code == 201
    body = response.json()
    assert [r["status"] for r in body["results"]] == ["accepted", "rejected", "accepted"]
    assert body["results"][1]["errors"][0]["loc"] == ["type"]
    assert _count(db, Event) == 2


def test_duplicate_inside_one_batch_is_stored_once(client, login, db) -> None:  # type: ignore[no-untyped-def]
    headers = login("gp.user", agency="gp")
    record = event(ref="GP-SAME")
    body = client.post("/api/v1/events", json=[record, record], headers=headers).json()
    assert [r["status"] for r in body["results"]] == ["accepted", "duplicate"]
    assert _count(db, Event) == 1


def test_malformed_json_is_a_clear_422(client, login) -> None:  # type: ignore[no-untyped-def]
    headers = {**login("gp.user", agency="gp"), "Content-Type": "application/json"}
    response = client.post("/api/v1/events", content=b'{"source_agency": "gp",', headers=headers)
    assert response.status_code == 422
    assert "malformed JSON" in response.json()["detail"][0]["msg"]


def test_oversized_record_is_refused(client, login, settings, db) -> None:  # type: ignore[no-untyped-def]
    headers = login("gp.user", agency="gp")
    response = client.post(
        "/api/v1/events",
        json=event(narrative="x" * 19000, summary="y" * 2000, payload={"reason": "z" * settings.max_event_bytes}),
        headers=headers,
    )
    assert response.status_code == 422
    assert "the limit is" in response.json()["detail"][0]["msg"]
    assert _count(db, Event) == 0


def test_request_body_over_the_limit_is_413(client, login, settings) -> None:  # type: ignore[no-untyped-def]
    headers = {**login("gp.user", agency="gp"), "Content-Type": "application/json"}
    body = b"[" + b" " * settings.max_request_bytes + b"]"
    assert client.post("/api/v1/events", content=body, headers=headers).status_code == 413


def test_an_agency_cannot_submit_another_agencys_records(client, login, db) -> None:  # type: ignore[no-untyped-def]
    headers = login("pc.smith", agency="police")
    response = client.post("/api/v1/events", json=event(agency="gp"), headers=headers)
    assert response.status_code == 403
    assert _count(db, Event) == 0


def test_events_need_a_token(client) -> None:  # type: ignore[no-untyped-def]
    assert client.post("/api/v1/events", json=event()).status_code == 401


def test_same_nhs_number_from_two_agencies_is_one_person(client, login, db) -> None:  # type: ignore[no-untyped-def]
    admin = login("loader", agency="panel", role="admin")
    child = person("Mia", "Kerr", nhs_number=nhs(202), date_of_birth="2024-01-05")
    hv = event(agency="health_visiting", type_="health_visitor.contact", subjects=[{"role": "child", "person": child}])
    ed = event(
        agency="hospital",
        type_="hospital.ed_attendance",
        subjects=[{"role": "patient", "person": {**child, "given_name": "Miah"}}],
    )
    assert client.post("/api/v1/events", json=[hv, ed], headers=admin).status_code == 201
    person_ids = set(db.execute(select(EventSubject.person_id)).scalars())
    assert len(person_ids) == 1


def test_police_local_id_joins_records_without_nhs_number(client, login, db) -> None:  # type: ignore[no-untyped-def]
    headers = login("pc.smith", agency="police")
    mum = person("Kayley", "Dunn", local_id="POL-77")
    incidents = [
        event(
            agency="police",
            type_="police.domestic_abuse_incident",
            summary=f"DA incident {i}",
            subjects=[{"role": "victim", "person": {**mum, "given_name": name}}],
        )
        for i, name in enumerate(["Kayley", "Kayleigh", "Kay"])
    ]
    assert client.post("/api/v1/events", json=incidents, headers=headers).status_code == 201
    assert _count(db, Person) == 1


def test_conflicting_nhs_numbers_are_not_joined(client, login, db) -> None:  # type: ignore[no-untyped-def]
    admin = login("loader", agency="panel", role="admin")
    first = event(agency="gp", subjects=[{"role": "patient", "person": person(local_id="L1", nhs_number=nhs(301))}])
    second = event(agency="gp", subjects=[{"role": "patient", "person": person(local_id="L1", nhs_number=nhs(302))}])
    client.post("/api/v1/events", json=[first, second], headers=admin)
    assert _count(db, Person) == 2


def test_read_event_back_with_subjects(client, login) -> None:  # type: ignore[no-untyped-def]
    gp = login("gp.user", agency="gp")
    event_id = client.post("/api/v1/events", json=event(), headers=gp).json()["results"][0]["event_id"]
    body = client.get(f"/api/v1/events/{event_id}", headers=gp).json()
    assert body["type_label"] == "GP consultation"
    assert body["subjects"][0]["record"]["nhs_number"] == nhs(101)
