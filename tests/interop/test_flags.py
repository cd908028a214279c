"""The CP-IS-style flag look-up through the API (both backends): a child on a plan, looked after, an
unborn child on a plan, nothing held; the duty to the responsible team; the last 25 look-ups; who
may look up; every look-up audited."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.audit.models import AuditEntry
from lantern.duties.models import Duty
from tests.factories import event, nhs, person
from tests.scenarios.replay import person_of

CHILD = person("Mia", "Rowe", date_of_birth="2024-02-02", nhs_number=nhs(401))
MOTHER = person("Kim", "Rowe", date_of_birth="1995-03-03", nhs_number=nhs(402))
CARED = person("Leo", "Hart", date_of_birth="2016-06-06", nhs_number=nhs(405))
STRANGER = person("Ann", "Lee", date_of_birth="2018-01-01", nhs_number=nhs(404))
HOME = {"line1": "4 Quarry Lane", "town": "Leeds", "postcode": "LS6 2AB"}


def _post(client: TestClient, headers: dict[str, str], record: dict[str, Any]) -> str:
    response = client.post("/api/v1/events", json=record, headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["results"][0]["event_id"])


def _people(client: TestClient, login: Any) -> tuple[dict[str, str], dict[str, str]]:
    """A referral of Mia (and her mother's pregnancy), a looked-after child, a child CSC knows of."""
    csc = login("sw.one", agency="csc")
    login("tm.one", agency="csc", role="manager")
    referral = _post(
        client, csc,
        event(agency="csc", type_="csc.referral", ref="REF-1", subjects=[
            {"role": "child", "person": {**CHILD, "address": HOME}},
            {"role": "mother", "person": {**MOTHER, "address": HOME}},
            {"role": "unborn", "person": {"given_name": "Baby", "family_name": "Rowe"}},
        ]),
    )  # fmt: skip
    looked_after = _post(
        client, csc,
        event(agency="csc", type_="csc.assessment", ref="ASS-1", subjects=[{"role": "child", "person": CARED}],
              payload={"decision": "Placed in foster care under a care order"}),
    )  # fmt: skip
    known = _post(
        client,
        csc,
        event(agency="csc", type_="csc.referral", ref="REF-2", subjects=[{"role": "child", "person": STRANGER}]),
    )
    ids = {
        "child": person_of(client, csc, referral, "child"),
        "mother": person_of(client, csc, referral, "mother"),
        "unborn": person_of(client, csc, referral, "unborn"),
        "cared": person_of(client, csc, looked_after, "child"),
        "stranger": person_of(client, csc, known, "child"),
    }
    return csc, ids


def _plan(client: TestClient, csc: dict[str, str], child_id: str, kind: str = "cp") -> None:
    body = {
        "child_id": child_id, "kind": kind, "category": "neglect" if kind == "cp" else None,
        "lead_professional": "sw.one", "manager": "tm.one", "home_address": HOME, "start_on": "2025-02-01",
    }  # fmt: skip
    response = client.post("/api/v1/plans", json=body, headers=csc)
    assert response.status_code == 201, response.text


def _look_up(client: TestClient, headers: dict[str, str], number: str, **params: str) -> dict[str, Any]:
    response = client.get("/api/v1/flags", params={"nhs_number": number, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _duties(db: Session, person_id: str) -> list[Duty]:
    """The attendance duties about a person, detached (the session's transaction ends here)."""
    found = list(
        db.execute(select(Duty).where(Duty.rule_code == "flag-attendance", Duty.person_id == person_id)).scalars()
    )
    db.expunge_all()
    db.rollback()
    return found


def test_child_on_a_plan_is_flagged_with_the_team_to_call_and_the_team_told(client, login, db) -> None:  # type: ignore[no-untyped-def]
    csc, ids = _people(client, login)
    _plan(client, csc, ids["child"])
    ed = login("ed.nurse", agency="hospital")
    answer = _look_up(client, ed, CHILD["nhs_number"])
    assert answer["held"] is True and answer["person_id"] == ids["child"]
    (flag,) = answer["flags"]
    assert flag["kind"] == "cp_plan" and flag["lead_professional"] == "sw.one" and flag["manager"] == "tm.one"
    assert flag["contact"]["phone"]
    (duty,) = _duties(db, ids["child"])
    assert duty.recipient_agency == "csc" and duty.recipient_team == "sw.one" and duty.escalate_to == "tm.one"
    assert duty.id in answer["duty_ids"] and duty.from_agency == "hospital"
    inbox = client.get("/api/v1/duties", headers=csc).json()
    assert any(d["id"] == duty.id for d in inbox)


def test_child_in_need_plan_is_flagged_and_an_ended_plan_is_not(client, login) -> None:  # type: ignore[no-untyped-def]
    csc, ids = _people(client, login)
    _plan(client, csc, ids["child"], kind="cin")
    gp = login("ooh.gp", agency="gp")
    answer = _look_up(client, gp, CHILD["nhs_number"])
    assert [f["kind"] for f in answer["flags"]] == ["cin_plan"]
    plan_id = client.get("/api/v1/plans", params={"child_id": ids["child"]}, headers=csc).json()[0]["id"]
    assert client.post(f"/api/v1/plans/{plan_id}/end", json={"end_on": "2025-03-01"}, headers=csc).status_code == 200
    assert _look_up(client, gp, CHILD["nhs_number"])["held"] is False


def test_looked_after_child_is_flagged_to_the_children_in_care_team(client, login, db) -> None:  # type: ignore[no-untyped-def]
    _, ids = _people(client, login)
    crew = login("para.one", agency="ambulance")
    answer = _look_up(client, crew, CARED["nhs_number"])
    assert [f["kind"] for f in answer["flags"]] == ["looked_after"]
    (duty,) = _duties(db, ids["cared"])
    assert duty.recipient_team == answer["flags"][0]["contact"]["team"] and "in care" in duty.recipient_team


def test_unborn_child_on_a_plan_is_flagged_on_the_mothers_nhs_number(client, login, db) -> None:  # type: ignore[no-untyped-def]
    csc, ids = _people(client, login)
    _plan(client, csc, ids["unborn"])
    midwife = login("mw.one", agency="midwifery")
    answer = _look_up(client, midwife, MOTHER["nhs_number"])
    assert answer["held"] is True and answer["person_id"] == ids["mother"]
    assert [(f["kind"], f["person_id"]) for f in answer["flags"]] == [("unborn_cp_plan", ids["unborn"])]
    (duty,) = _duties(db, ids["unborn"])
    assert duty.recipient_team == "sw.one"
    recorded = client.get(f"/api/v1/events/{duty.event_id}", headers=csc).json()
    assert {s["role"] for s in recorded["subjects"]} == {"mother", "unborn"}
    assert recorded["payload"] == {"setting": "maternity", "flags": ["unborn_cp_plan"]}


def test_nothing_held_is_a_clear_answer_and_still_audited(client, login, db) -> None:  # type: ignore[no-untyped-def]
    _, ids = _people(client, login)
    ed = login("ed.nurse", agency="hospital")
    known = _look_up(client, ed, STRANGER["nhs_number"])
    unknown = _look_up(client, ed, nhs(406))
    for answer in (known, unknown):
        assert answer["held"] is False and answer["flags"] == [] and "No flag held" in answer["message"]
    assert unknown["person_id"] is None and _duties(db, ids["stranger"]) == []
    entries = list(db.execute(select(AuditEntry).where(AuditEntry.action == "flag_lookup")).scalars())
    db.expunge_all()
    db.rollback()
    assert {(e.object_id, e.detail["nhs_number"], e.detail["held"]) for e in entries} == {
        (ids["stranger"], STRANGER["nhs_number"], False),
        (None, nhs(406), False),
    }
    assert all(e.actor == "ed.nurse" and e.agency == "hospital" for e in entries)


def test_an_invalid_nhs_number_is_refused(client, login) -> None:  # type: ignore[no-untyped-def]
    ed = login("ed.nurse", agency="hospital")
    response = client.get("/api/v1/flags", params={"nhs_number": "1234567890"}, headers=ed)
    assert response.status_code == 422


def test_the_last_25_look_ups_are_shown_newest_first(client, login) -> None:  # type: ignore[no-untyped-def]
    csc, ids = _people(client, login)
    _plan(client, csc, ids["child"])
    ed, crew = login("ed.nurse", agency="hospital"), login("para.one", agency="ambulance")
    for _ in range(26):
        _look_up(client, ed, CHILD["nhs_number"])
    _look_up(client, crew, CHILD["nhs_number"])
    answer = _look_up(client, ed, CHILD["nhs_number"])
    accesses = answer["accesses"]
    assert len(accesses) == 25
    assert accesses[0]["who"] == "para.one" and accesses[0]["setting"] == "ambulance"
    assert all(a["who"] == "ed.nurse" and a["held"] for a in accesses[1:])
    history = client.get(f"/api/v1/flags/{ids['child']}/accesses", headers=csc)
    assert history.status_code == 200 and history.json()[0]["who"] == "ed.nurse" and len(history.json()) == 25


def test_roles_outside_unscheduled_care_are_refused(client, login) -> None:  # type: ignore[no-untyped-def]
    for username, agency, role in [
        ("pc.one", "police", "practitioner"),
        ("teacher", "education", "practitioner"),
        ("hv.one", "health_visiting", "practitioner"),
        ("sw.two", "csc", "practitioner"),
        ("rev.one", "panel", "reviewer"),
        ("ed.admin", "hospital", "admin"),
    ]:
        headers = login(username, agency=agency, role=role)
        assert client.get("/api/v1/flags", params={"nhs_number": nhs(401)}, headers=headers).status_code == 403
    ed = login("ed.nurse", agency="hospital")
    assert client.get(f"/api/v1/flags/{'x' * 36}/accesses", headers=ed).status_code == 403
