"""Duties through the API: created by ingested events, overdue, escalated, acknowledged, evidenced."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from lantern.common import clock
from lantern.db.engine import make_engine, make_session_factory
from lantern.duties import service
from lantern.main import create_app
from tests.factories import event, nhs, person

INCIDENT_AT = "2025-08-22T21:00:00+00:00"  # Friday evening before the August bank holiday


def _household() -> list[dict]:
    return [
        {"role": "victim", "person": person("Kerry", "Hale", local_id="POL-1", date_of_birth="1995-01-01")},
        {"role": "perpetrator", "person": person("Wayne", "Stott", local_id="POL-2", date_of_birth="1993-01-01")},
        {"role": "child_present", "person": person("Ruby", "Hale", local_id="POL-3", date_of_birth="2017-03-01")},
        {"role": "child_present", "person": person("Alfie", "Hale", local_id="POL-4", date_of_birth="2024-11-01")},
    ]


def _incident(ref: str = "DA-1") -> dict:
    return event(
        agency="police",
        type_="police.domestic_abuse_incident",
        ref=ref,
        occurred_at=INCIDENT_AT,
        summary="DA incident, 2 CYP present",
        subjects=_household(),
        payload={"risk_level": "medium"},
    )


def _post(client: TestClient, headers: dict, records: dict | list) -> dict:
    response = client.post("/api/v1/events", json=records, headers=headers)
    assert response.status_code in (200, 201), response.text
    return response.json()


def _person_of(client: TestClient, headers: dict, event_id: str, given: str) -> str:
    subjects = client.get(f"/api/v1/events/{event_id}", headers=headers).json()["subjects"]
    return next(s["person_id"] for s in subjects if s["record"]["given_name"] == given)


def _pass(settings, at: datetime) -> dict:  # type: ignore[no-untyped-def]
    engine = make_engine(settings.database_url)
    with make_session_factory(engine).begin() as db:
        moved = service.scheduler_pass(db=db, now=at)
    engine.dispose()
    return moved


def test_da_incident_creates_csc_school_and_health_visitor_duties(client, login) -> None:  # type: ignore[no-untyped-def]
    police = login("pc", agency="police")
    event_id = _post(client, police, _incident())["results"][0]["event_id"]
    ruby, alfie = _person_of(client, police, event_id, "Ruby"), _person_of(client, police, event_id, "Alfie")
    ruby_duties = {
        d["rule_code"]: d for d in client.get("/api/v1/duties", params={"person_id": ruby}, headers=police).json()
    }
    assert set(ruby_duties) == {"police-da-to-csc", "police-da-to-school"}
    # Friday night, Monday 25 Aug is a bank holiday: CSC by end of Tuesday, school before 08:30 Tuesday (BST)
    assert ruby_duties["police-da-to-csc"]["due_at"] == "2025-08-26T22:59:59Z"
    assert ruby_duties["police-da-to-school"]["due_at"] == "2025-08-26T07:30:00Z"
    assert ruby_duties["police-da-to-csc"]["status"] == "delivered"
    alfie_rules = {
        d["rule_code"] for d in client.get("/api/v1/duties", params={"person_id": alfie}, headers=police).json()
    }
    assert alfie_rules == {"police-da-to-csc", "police-da-to-health-visitor"}


def test_resending_the_event_creates_no_second_duty(client, login) -> None:  # type: ignore[no-untyped-def]
    police = login("pc", agency="police")
    _post(client, police, _incident())
    _post(client, police, _incident())
    csc = login("sw", agency="csc")
    assert len(client.get("/api/v1/duties", headers=csc).json()) == 2


def test_undelivered_duties_become_overdue_then_escalate(client, login, settings) -> None:  # type: ignore[no-untyped-def]
    _post(client, login("pc", agency="police"), _incident())
    # Tuesday noon: the school notice for Ruby (due 08:30, 2 hours grace) is overdue and escalated
    assert _pass(settings, datetime(2025, 8, 26, 12, 0, tzinfo=UTC)) == {"overdue": 1, "escalated": 1}
    # Wednesday 09:00: CSC (4 hours' grace) and health visitor (8 hours) duties too
    assert _pass(settings, datetime(2025, 8, 27, 9, 0, tzinfo=UTC)) == {"overdue": 3, "escalated": 3}
    csc = login("sw", agency="csc")
    overdue = client.get("/api/v1/duties", params={"status": "overdue"}, headers=csc).json()
    assert [(d["rule_code"], d["status"]) for d in overdue] == [("police-da-to-csc", "escalated")] * 2
    assert all(d["is_late"] and d["escalate_to"] == "manager" for d in overdue)


def test_recipient_acknowledges_by_name_and_others_cannot(client, login) -> None:  # type: ignore[no-untyped-def]
    _post(client, login("pc", agency="police"), _incident())
    csc, police = login("sw", agency="csc"), login("pc2", agency="police")
    duty = client.get("/api/v1/duties", headers=csc).json()[0]
    assert client.post(f"/api/v1/duties/{duty['id']}/acknowledge", json={}, headers=police).status_code == 403
    done = client.post(f"/api/v1/duties/{duty['id']}/acknowledge", json={"note": "Read"}, headers=csc).json()
    assert (done["status"], done["acknowledged_by"]) == ("acknowledged", "sw")
    acted = client.post(f"/api/v1/duties/{duty['id']}/action", json={"note": "Strategy discussion booked"}, headers=csc)
    assert acted.json()["status"] == "actioned"
    again = next(d for d in client.get("/api/v1/duties", headers=csc).json() if d["id"] == duty["id"])
    assert [h["to_status"] for h in again["history"]] == ["delivered", "acknowledged", "actioned"]


def test_a_referral_from_csc_is_evidence_the_duty_was_met(client, login) -> None:  # type: ignore[no-untyped-def]
    subjects = _household()
    subjects[2]["person"]["nhs_number"] = nhs(601)  # police quoted Ruby's NHS number
    police = login("pc", agency="police")
    event_id = _post(client, police, {**_incident(), "subjects": subjects})["results"][0]["event_id"]
    ruby = _person_of(client, police, event_id, "Ruby")
    referral = event(
        agency="csc",
        type_="csc.referral",
        occurred_at="2025-08-26T10:00:00+00:00",
        summary="Referral from police",
        payload={"decision": "strategy discussion"},
        subjects=[{"role": "child", "person": person("Ruby", "Hale", nhs_number=nhs(601))}],
    )
    _post(client, login("sw", agency="csc"), referral)
    duties = {
        d["rule_code"]: d for d in client.get("/api/v1/duties", params={"person_id": ruby}, headers=police).json()
    }
    assert duties["police-da-to-csc"]["status"] == "acknowledged"
    assert duties["police-da-to-csc"]["acknowledged_by"].startswith("evidence: csc")
    assert duties["police-da-to-csc"]["is_late"] is False
    assert duties["police-da-to-school"]["status"] == "delivered"


def test_school_sees_the_notice_not_the_police_narrative(client, login) -> None:  # type: ignore[no-untyped-def]
    _post(client, login("pc", agency="police"), _incident())
    school = login("dsl", agency="education")
    duty = client.get("/api/v1/duties", headers=school).json()[0]
    assert duty["rule_code"] == "police-da-to-school"
    assert set(duty["content"]) == {"when", "child", "encompass_notice"}
    assert "DA incident" not in str(duty["content"])


def test_overdue_duties_escalate_after_a_restart(settings, login, client) -> None:  # type: ignore[no-untyped-def]
    _post(client, login("pc", agency="police"), _incident())
    clock.set_clock(lambda: datetime(2025, 9, 1, 9, 0, tzinfo=UTC))
    restarted = create_app(settings.model_copy(update={"scheduler_seconds": 0.1}))
    with TestClient(restarted) as fresh:
        time.sleep(1.0)
        token = fresh.post("/api/v1/auth/token", data={"username": "pc", "password": "correct-horse-9-battery"})
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        statuses = {d["status"] for d in fresh.get("/api/v1/duties", headers=headers).json()}
    restarted.state.engine.dispose()
    assert statuses == {"escalated"}


def test_gp_record_transfer_is_chased_until_done(client, login, settings) -> None:  # type: ignore[no-untyped-def]
    gp = login("gp", agency="gp")
    patient = person("Nadia", "Frost", nhs_number=nhs(502), date_of_birth="1990-05-05")
    moved = event(
        agency="gp",
        type_="gp.registration",
        occurred_at="2025-03-03T09:00:00+00:00",
        summary="Registered; previous practice K1",
        subjects=[{"role": "patient", "person": patient}],
        payload={"practice_code": "K2", "previous_practice_code": "K1", "records_transferred": False},
    )
    _post(client, gp, moved)
    _pass(settings, datetime(2025, 3, 20, tzinfo=UTC))
    chased = client.get("/api/v1/duties", params={"status": "overdue"}, headers=gp).json()
    assert [d["rule_code"] for d in chased] == ["gp-record-transfer"]
    done = event(
        agency="gp",
        type_="gp.registration",
        occurred_at="2025-03-25T09:00:00+00:00",
        summary="GP2GP transfer complete",
        subjects=[{"role": "patient", "person": patient}],
        payload={"practice_code": "K2", "records_transferred": True},
    )
    _post(client, gp, done)
    duty = client.get("/api/v1/duties", headers=gp).json()[0]
    assert duty["status"] == "acknowledged"
    assert duty["acknowledged_by"].startswith("evidence: gp")
    assert duty["is_late"] is True
