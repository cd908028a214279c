"""S4 end to end: a plan made at the conference watches every agency's records; the night-time
ambulance call at the new partner's flat breaks the overnight-stay condition in the same request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.duties.models import Duty
from tests.scenarios.replay import person_of, records

HOME = {"line1": "Room 5, Harbourlight House", "line2": "12 Cliffe Walk", "town": "Scarborough", "postcode": "YO11 2PX"}


_TOKENS: dict[tuple[int, str], dict[str, str]] = {}


def _post(client: TestClient, login: Callable[..., dict[str, str]], record: dict[str, Any]) -> str:
    """POST one record as a practitioner of its agency (one account per agency and test client)."""
    agency = record["source_agency"]
    key = (id(client), agency)
    if key not in _TOKENS:
        _TOKENS[key] = login(f"{agency}.sender", agency=agency)
    headers = _TOKENS[key]
    response = client.post("/api/v1/events", json=record, headers=headers)
    assert response.status_code == 201, (record["source_ref"], response.text)
    return str(response.json()["results"][0]["event_id"])


def _plan_at_conference(
    client: TestClient, login: Callable[..., dict[str, str]]
) -> tuple[dict[str, Any], dict[str, str], list[dict[str, Any]]]:
    """Replay up to the conference, then make the plan the conference decided, through the API."""
    rest = records("s4")
    ids: dict[str, str] = {}
    while rest:
        record = rest.pop(0)
        ids[record["source_ref"]] = _post(client, login, record)
        if record["source_ref"] == "S4-CSC-007":
            break
    worker = login("priya.holroyd", agency="csc")
    login("martin.quayle", agency="csc", role="manager")
    jacob = person_of(client, worker, ids["S4-CSC-007"], "child")
    shane = person_of(client, worker, ids["S4-CSC-007"], "father")
    amber = person_of(client, worker, ids["S4-CSC-007"], "mother")
    body = {
        "child_id": jacob,
        "kind": "cp",
        "category": "emotional",
        "lead_professional": "priya.holroyd",
        "manager": "martin.quayle",
        "home_address": HOME,
        "core_group": [
            {"name": "Amber Kettlewell", "role": "mother", "person_id": amber},
            {"name": "Priya Holroyd", "agency": "csc", "role": "social worker"},
            {"name": "Health visitor", "agency": "health_visiting", "role": "health visitor"},
        ],
        "outcomes": ["Jacob is safe from domestic abuse", "Jacob sleeps safely in his own Moses basket"],
        "conditions": [
            {
                "kind": "report_overnight_stays",
                "wording": "Amber to tell the social worker of any overnight stay away from Harbourlight House",
            },
            {"kind": "no_unsupervised_contact", "person_id": shane},
            {
                "kind": "report_new_adults",
                "wording": "Amber to tell the social worker about any new partner or anyone joining the household",
            },
        ],
        "actions": [{"description": "Core group every 4 weeks", "owner": "priya.holroyd", "due_on": "2022-09-07"}],
        "start_on": "2022-08-10",
    }
    response = client.post("/api/v1/plans", json=body, headers=worker)
    assert response.status_code == 201, response.text
    return response.json(), worker, rest


def _breach_duties(db: Session, event_id: str) -> dict[str, str]:
    found = db.execute(select(Duty).where(Duty.event_id == event_id, Duty.rule_code.like("plan-breach-%"))).scalars()
    teams = {d.rule_code: d.recipient_team for d in found}
    db.rollback()  # end the read, so that the next request may write
    return teams


def test_s4_night_ambulance_call_breaches_the_overnight_condition_in_the_same_request(client, login, db) -> None:  # type: ignore[no-untyped-def]
    plan, worker, rest = _plan_at_conference(client, login)
    assert {c["status"] for c in plan["conditions"]} == {"kept"}
    for record in rest:
        event_id = _post(client, login, record)
        if record["source_ref"] == "S4-AMB-001":
            # right after this POST returned: both alerted, with the call as evidence
            assert _breach_duties(db, event_id) == {
                "plan-breach-lead": "priya.holroyd",
                "plan-breach-manager": "martin.quayle",
            }
            shown = client.get(f"/api/v1/plans/{plan['id']}", headers=worker).json()
            overnight = next(c for c in shown["conditions"] if c["kind"] == "report_overnight_stays")
            assert overnight["status"] == "breached"
            evidence = [e["source_ref"] for b in overnight["breaches"] for e in b["evidence"]]
            assert evidence == ["S4-AMB-001"]
            assert "58 Haddowgate Row" in overnight["breaches"][0]["explanation"]
            newcomers = next(c for c in shown["conditions"] if c["kind"] == "report_new_adults")
            assert newcomers["status"] == "breached"
            assert "Carl Hebden (partner)" in newcomers["breaches"][0]["explanation"]
        elif record["source_ref"] in ("S4-HV-001", "S4-CSC-008", "S4-HV-002"):
            assert _breach_duties(db, event_id) == {}  # visits at home break nothing
    shown = client.get(f"/api/v1/plans/{plan['id']}", headers=worker).json()
    statuses = {c["kind"]: c["status"] for c in shown["conditions"]}
    assert statuses == {
        "report_overnight_stays": "breached",
        "no_unsupervised_contact": "kept",
        "report_new_adults": "breached",
    }
    assert len(next(c for c in shown["conditions"] if c["kind"] == "report_overnight_stays")["breaches"]) == 1


def test_s4_unknown_partner_becomes_a_new_household_member_task(client, login, db) -> None:  # type: ignore[no-untyped-def]
    plan, worker, rest = _plan_at_conference(client, login)
    for record in rest:
        _post(client, login, record)
    tasks = client.get("/api/v1/plans/tasks", params={"lead": "priya.holroyd"}, headers=worker).json()
    names = {t["name"] for t in tasks if t["plan_id"] == plan["id"]}
    assert "Carl Hebden" in names
    carl = next(t for t in tasks if t["name"] == "Carl Hebden")
    assert carl["status"] == "open" and carl["checklist"] == {}
    duty = db.get(Duty, carl["duty_id"])
    assert duty is not None and duty.recipient_team == "priya.holroyd" and duty.rule_code == "plan-new-household-member"
    db.rollback()


def test_s4_checks_on_the_partner_must_all_be_recorded_before_the_result(client, login) -> None:  # type: ignore[no-untyped-def]
    plan, worker, rest = _plan_at_conference(client, login)
    for record in rest:
        _post(client, login, record)
    task = next(t for t in client.get("/api/v1/plans/tasks", headers=worker).json() if t["name"] == "Carl Hebden")
    early = client.post(f"/api/v1/plans/tasks/{task['id']}/result", json={"result": "Known"}, headers=worker)
    assert early.status_code == 422
    for step in ("identify", "register", "police_history", "csc_history"):
        response = client.post(
            f"/api/v1/plans/tasks/{task['id']}/checks", json={"step": step, "finding": "done"}, headers=worker
        )
        assert response.status_code == 200, response.text
    done = client.post(
        f"/api/v1/plans/tasks/{task['id']}/result", json={"result": "Partner since July"}, headers=worker
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
