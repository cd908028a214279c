"""Record-level access through the API: a school reads a police incident about its pupil only as a
notice, a housing officer with no relationship sees only that records exist (and whom to ask), an
emergency opening (break-glass) lifts that for 4 hours and is reviewed by the Caldicott guardian, and
a sealed adoption record is read only by the child's allocated social worker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from lantern.audit import service as audit
from lantern.common import clock

Login = Callable[..., dict[str, str]]
ADDRESS = {"line1": "4 Tanner Row", "town": "Leeds", "postcode": "LS6 2AB"}
CHILD = {
    "given_name": "Kayden", "family_name": "Marsh", "date_of_birth": "2016-03-04", "sex": "male",
    "nhs_number": "9990003017", "address": ADDRESS,
}  # fmt: skip
MOTHER = {
    "given_name": "Leanne",
    "family_name": "Marsh",
    "date_of_birth": "1990-05-06",
    "sex": "female",
    "address": ADDRESS,
}
NARRATIVE = "Officers attended; the mother had a cut lip and the step-father was shouting at the window."


def _post(client: TestClient, headers: dict[str, str], record: dict[str, Any]) -> str:
    response = client.post("/api/v1/events", json=record, headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["results"][0]["event_id"])


def _family(client: TestClient, login: Login) -> dict[str, Any]:
    """A child with a police incident (present), a GP consultation and a school concern; the mother's
    housing application."""
    police, gp = login("police.sender", agency="police"), login("gp.sender", agency="gp")
    school, csc = login("school.sender", agency="education"), login("csc.sender", agency="csc")
    found: dict[str, Any] = {}
    found["incident"] = _post(client, police, {
        "source_agency": "police", "source_ref": "INC-1", "type": "police.domestic_abuse_incident",
        "occurred_at": "2025-01-10T22:00:00+00:00", "summary": NARRATIVE, "payload": {"children_present": 1},
        "subjects": [{"person": MOTHER, "role": "victim"}, {"person": CHILD, "role": "child_present"}],
    })  # fmt: skip
    found["consultation"] = _post(client, gp, {
        "source_agency": "gp", "source_ref": "GP-1", "type": "gp.consultation",
        "occurred_at": "2025-01-12T10:00:00+00:00", "summary": "Night terrors since the new year.",
        "subjects": [{"person": CHILD, "role": "patient"}],
    })  # fmt: skip
    found["concern"] = _post(client, school, {
        "source_agency": "education", "source_ref": "SCH-1", "type": "school.concern",
        "occurred_at": "2025-01-13T09:00:00+00:00", "summary": "Tired and withdrawn in class.",
        "subjects": [{"person": CHILD, "role": "pupil"}],
    })  # fmt: skip
    found["adoption"] = _post(client, csc, {
        "source_agency": "csc", "source_ref": "ADOPT-1", "type": "csc.adoption",
        "occurred_at": "2025-02-01T09:00:00+00:00", "summary": "Placement order granted; prospective adopters named.",
        "payload": {"decision": "placement order"}, "subjects": [{"person": CHILD, "role": "child"}],
    })  # fmt: skip
    event = client.get(f"/api/v1/events/{found['incident']}", headers=police).json()
    found["child"] = next(s["person_id"] for s in event["subjects"] if s["role"] == "child_present")
    return found


def _chronology(client: TestClient, headers: dict[str, str], person_id: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/people/{person_id}/chronology", headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_the_childs_school_reads_the_police_incident_as_a_notice(client, login) -> None:  # type: ignore[no-untyped-def]
    family = _family(client, login)
    dsl = login("school.dsl", agency="education")
    chronology = _chronology(client, dsl, family["child"])
    by_type = {e["type"]: e for e in chronology["entries"]}
    assert set(by_type) == {"police.domestic_abuse_incident", "school.concern"}
    notice = by_type["police.domestic_abuse_incident"]
    assert notice["notice"] is True and notice["original"] == ""
    assert "ask the police public protection unit" in notice["plain"]
    assert "cut lip" not in str(chronology)
    assert [w["sentence"] for w in chronology["withheld"]] == [
        "1 record held by Children's social care that you cannot read here: ask the children's social care front "
        "door (MASH).",
        "1 record held by GP practice that you cannot read here: ask the gp practice safeguarding lead.",
    ]
    event = client.get(f"/api/v1/events/{family['incident']}", headers=dsl).json()
    assert event["payload"] == {} and "cut lip" not in str(event)
    assert all(s["record"] == {} for s in event["subjects"])


def test_no_relationship_shows_only_that_records_exist_and_leaks_nothing(client, login) -> None:  # type: ignore[no-untyped-def]
    family = _family(client, login)
    housing = login("housing.officer", agency="housing")
    chronology = _chronology(client, housing, family["child"])
    assert chronology["entries"] == [] and chronology["count"] == 0
    assert {w["agency"]: w["count"] for w in chronology["withheld"]} == {"csc": 1, "education": 1, "gp": 1, "police": 1}
    refused = client.get(f"/api/v1/events/{family['incident']}", headers=housing)
    assert refused.status_code == 403
    assert "cut lip" not in refused.text and "Marsh" not in refused.text
    assert "police public protection unit" in refused.text
    events = client.get(f"/api/v1/people/{family['child']}/events", headers=housing)
    assert events.status_code == 200 and events.json() == []
    assert client.get(f"/api/v1/assessments/growth/{family['child']}", headers=housing).status_code == 403


def test_break_glass_opens_the_record_for_a_time_and_is_reviewed(client, login, db) -> None:  # type: ignore[no-untyped-def]
    family = _family(client, login)
    housing = login("housing.officer", agency="housing")
    short = client.post(f"/api/v1/people/{family['child']}/break-glass", json={"reason": "urgent"}, headers=housing)
    assert short.status_code == 422
    reason = "Child found alone at the property at night; deciding whether to call the police"
    opened = client.post(f"/api/v1/people/{family['child']}/break-glass", json={"reason": reason}, headers=housing)
    assert opened.status_code == 201, opened.text
    chronology = _chronology(client, housing, family["child"])
    assert chronology["emergency"] is True
    assert {e["type"] for e in chronology["entries"]} == {"police.domestic_abuse_incident", "gp.consultation",
                                                          "school.concern"}  # fmt: skip
    assert "cut lip" in str(chronology)
    assert chronology["withheld"] == [
        {"agency": "csc", "count": 1, "sentence": chronology["withheld"][0]["sentence"]}
    ]  # the sealed record stays sealed
    assert client.get("/api/v1/access/break-glass", headers=housing).status_code == 403  # practitioners do not review
    guardian = login("housing.caldicott", agency="housing", role="admin")
    queue = client.get("/api/v1/access/break-glass", headers=guardian).json()
    assert [g["reason"] for g in queue] == [reason]
    other_agency = login("gp.caldicott", agency="gp", role="admin")
    assert client.get("/api/v1/access/break-glass", headers=other_agency).json() == []
    reviewed = client.post(
        f"/api/v1/access/break-glass/{queue[0]['id']}/review",
        json={"outcome": "justified", "note": "Out-of-hours risk to a child"}, headers=guardian,
    )  # fmt: skip
    assert reviewed.status_code == 200 and reviewed.json()["review_outcome"] == "justified"
    assert client.get("/api/v1/access/break-glass", headers=guardian).json() == []
    trail = audit.for_object(db=db, object_type="person", object_id=family["child"])
    assert any(e.action == "break_glass" and e.detail["reason"] == reason for e in trail)


def test_break_glass_expires(client, login) -> None:  # type: ignore[no-untyped-def]
    family = _family(client, login)
    housing = login("housing.officer", agency="housing")
    reason = "Child found alone at the property at night; deciding whether to call the police"
    client.post(f"/api/v1/people/{family['child']}/break-glass", json={"reason": reason}, headers=housing)
    later = clock.now() + timedelta(hours=4, minutes=1)
    clock.set_clock(lambda: later)
    try:
        chronology = _chronology(client, housing, family["child"])
    finally:
        clock.set_clock(None)
    assert chronology["emergency"] is False and chronology["entries"] == []


def test_a_sealed_record_is_read_only_by_the_allocated_social_worker(client, login) -> None:  # type: ignore[no-untyped-def]
    family = _family(client, login)
    mash = login("csc.mash", agency="csc")
    assert "csc.adoption" not in {e["type"] for e in _chronology(client, mash, family["child"])["entries"]}
    assert client.get(f"/api/v1/events/{family['adoption']}", headers=mash).status_code == 403
    manager = login("csc.manager", agency="csc", role="manager")
    case = {"person_id": family["child"], "manager": "csc.manager", "worker": "csc.mash"}
    assert client.post("/api/v1/casework/cases", json=case, headers=manager).status_code == 201
    assert "csc.adoption" in {e["type"] for e in _chronology(client, mash, family["child"])["entries"]}
    assert client.get(f"/api/v1/events/{family['adoption']}", headers=mash).status_code == 200
