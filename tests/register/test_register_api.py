"""The register through the API (both backends): registration, addresses over a bank holiday, the
watch's dedup and re-raise, disclosure requests, and refusals on every route for school and GP users."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from lantern.common import clock
from lantern.register import api as register_api
from lantern.register import pages as register_pages
from tests.conftest import PASSWORD
from tests.factories import event, nhs, person
from tests.scenarios.replay import person_of, run_scheduler

OFFENDER = person("Dean", "Hollis", date_of_birth="1988-05-05", pnc_id="12/345678A")
CHILD_A = person("Mia", "Rowe", date_of_birth="2021-02-02", nhs_number=nhs(201))
CHILD_B = person("Leo", "Rowe", date_of_birth="2025-07-01", nhs_number=nhs(202))
MOTHER = person("Kim", "Rowe", date_of_birth="1995-03-03", nhs_number=nhs(203))
HOME = {"line1": "4 Quarry Lane", "town": "Leeds", "postcode": "LS6 2AB"}


def _post(client: TestClient, headers: dict, record: dict) -> str:
    response = client.post("/api/v1/events", json=record, headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["results"][0]["event_id"])


def _conviction(client: TestClient, police: dict) -> str:
    return _post(
        client,
        police,
        event(
            agency="police",
            type_="police.conviction",
            ref="CONV-1",
            occurred_at="2024-01-10T10:00:00+00:00",
            summary="Convicted: s.47 assault on a child.",
            subjects=[
                {"role": "offender", "person": {**OFFENDER, "address": HOME}},
                {"role": "victim", "person": person("Ava", "Hollis", date_of_birth="2019-01-01")},
            ],
            payload={
                "offence_code": "OAPA1861-S47",
                "offence_description": "ABH",
                "victim_is_child": True,
                "victim_age_years": 5,
                "victim_relationship": "stepdaughter",
                "sentence_months": 8,
            },
        ),
    )


def _gp_visit(client: TestClient, gp: dict, ref: str, children: list[dict], at: str) -> str:
    subjects = [{"role": "patient", "person": c} for c in children]
    subjects += [{"role": "father", "person": OFFENDER}, {"role": "mother", "person": MOTHER}]
    return _post(client, gp, event(agency="gp", ref=ref, occurred_at=at, subjects=subjects))


def test_conviction_with_a_child_victim_registers_with_monitoring(client, login) -> None:  # type: ignore[no-untyped-def]
    police = login("pc", agency="police")
    conviction = _conviction(client, police)
    [entry] = client.get("/api/v1/register", headers=police).json()
    assert entry["person_id"] == person_of(client, police, conviction, "offender")
    assert (entry["monitoring_years"], entry["monitoring_ends_on"]) == (10, "2034-01-09")
    assert entry["offences"][0]["statute"] == "Offences Against the Person Act 1861, section 47"
    assert [a["notification"] for a in entry["addresses"]] == ["notified"]


def test_household_alert_is_deduplicated_and_re_raised_when_the_household_changes(client, login) -> None:  # type: ignore[no-untyped-def]
    police, gp = login("pc", agency="police"), login("gp", agency="gp")
    _conviction(client, police)
    _gp_visit(client, gp, "GP-1", [CHILD_A], "2025-03-01T10:00:00+00:00")
    _gp_visit(client, gp, "GP-2", [CHILD_A], "2025-04-01T10:00:00+00:00")
    alerts = client.get("/api/v1/register/alerts", headers=police).json()
    assert len(alerts) == 1 and len(alerts[0]["event_ids"]) == 2  # the second visit is the same household
    _gp_visit(client, gp, "GP-3", [CHILD_A, CHILD_B], "2025-08-01T10:00:00+00:00")
    alerts = client.get("/api/v1/register/alerts", headers=police).json()
    assert [a["status"] for a in alerts] == ["open", "superseded"]
    assert alerts[0]["replaces_id"] == alerts[1]["id"] and "Leo Rowe" in {m["name"] for m in alerts[0]["household"]}
    csc = login("mash", agency="csc")
    to_csc = [d for d in client.get("/api/v1/duties", headers=csc).json() if d["rule_code"].startswith("register")]
    assert len(to_csc) == 2 and all(d["recipient_agency"] == "csc" for d in to_csc)


def test_unnotified_move_over_a_bank_holiday_goes_overdue_then_to_the_officer(client, login, settings) -> None:  # type: ignore[no-untyped-def]
    police, housing = login("pc", agency="police"), login("hsg", agency="housing")
    _conviction(client, police)
    entry_id = client.get("/api/v1/register", headers=police).json()[0]["id"]
    client.patch(f"/api/v1/register/{entry_id}", json={"managing_officer": "pc"}, headers=police)
    new_home = {"line1": "9 Mill Row", "town": "Leeds", "postcode": "LS7 1AA"}
    _post(
        client,
        housing,
        event(  # Friday before the August bank holiday
            agency="housing",
            type_="housing.application",
            ref="H-1",
            occurred_at="2025-08-22T10:00:00+01:00",
            subjects=[{"role": "applicant", "person": {**OFFENDER, "address": new_home}}],
            summary="Application.",
            payload={"household_size": 1},
        ),
    )
    [check] = client.get("/api/v1/register/address-checks", headers=police).json()
    assert check["postcode"] == "LS7 1AA" and check["officer"] == "pc"
    [duty] = [d for d in client.get("/api/v1/duties", headers=police).json() if d["id"] == check["duty_id"]]
    assert duty["due_at"].startswith("2025-08-28")  # Tue, Wed, Thu after the bank holiday Monday
    assert duty["escalate_to"] == "managing officer pc"
    run_scheduler(settings)
    notice = {"address": new_home, "moved_in_on": "2025-08-22", "notified_at": "2025-09-01T09:00:00+00:00"}
    entry = client.post(f"/api/v1/register/{entry_id}/addresses", json=notice, headers=police).json()
    assert {a["postcode"]: a["notification"] for a in entry["addresses"]}["LS7 1AA"] == "notified late"
    [duty] = [d for d in client.get("/api/v1/duties", headers=police).json() if d["id"] == check["duty_id"]]
    assert duty["status"] == "acknowledged" and duty["is_late"]


def test_registration_by_hand_is_for_police_and_probation(client, login) -> None:  # type: ignore[no-untyped-def]
    gp = login("gp", agency="gp")
    visit = _post(client, gp, event(agency="gp", subjects=[{"role": "patient", "person": OFFENDER}]))
    offender = person_of(client, gp, visit, "patient")
    body = {
        "person_id": offender,
        "conviction_on": "2023-05-01",
        "sentence_months": 36,
        "offences": [{"code": "CYPA1933-S1(1)", "victim_age_years": 2}],
        "address": HOME,
    }
    assert client.post("/api/v1/register", json=body, headers=gp).status_code == 403
    csc = login("sw", agency="csc")
    assert client.post("/api/v1/register", json=body, headers=csc).status_code == 403
    probation = login("po", agency="probation")
    created = client.post("/api/v1/register", json=body, headers=probation)
    assert created.status_code == 201, created.text
    assert created.json()["monitoring_years"] is None and created.json()["managing_agency"] == "probation"
    assert client.get(f"/api/v1/register/{created.json()['id']}", headers=csc).status_code == 200
    unknown = {**body, "offences": [{"code": "NOPE"}]}
    assert client.post("/api/v1/register", json=unknown, headers=probation).status_code == 422


def test_disclosure_request_checks_decision_and_what_was_disclosed(client, login) -> None:  # type: ignore[no-untyped-def]
    police = login("pc", agency="police")
    conviction = _conviction(client, police)
    offender = person_of(client, police, conviction, "offender")
    asked = {
        "scheme": "csods",
        "route": "right_to_ask",
        "subject_person_id": offender,
        "subject_name": "Dean Hollis",
        "requester_name": "Kim Rowe",
        "requester_relation": "mother of Mia",
        "reason": "New partner.",
    }
    request = client.post("/api/v1/register/disclosures", json=asked, headers=police).json()
    assert request["checks"][0]["finding"].startswith("on the register") and request["timeliness"] == "on time"
    path = f"/api/v1/register/disclosures/{request['id']}"
    no = {"disclosed_to": "Kim Rowe", "disclosed_what": "x"}
    assert client.post(f"{path}/disclosure", json=no, headers=police).status_code == 422  # no decision yet
    client.post(f"{path}/checks", json={"check": "PNC", "finding": "conviction 2024"}, headers=police)
    client.post(f"{path}/decision", json={"decision": "disclose", "reason": "risk to Mia"}, headers=police)
    said = {"disclosed_to": "Kim Rowe (mother)", "disclosed_what": "A conviction for assaulting a child."}
    done = client.post(f"{path}/disclosure", json=said, headers=police).json()
    assert (done["status"], done["disclosed_to"], done["timeliness"]) == (
        "disclosed",
        "Kim Rowe (mother)",
        "done on time",
    )
    gp = login("gp", agency="gp")
    assert client.get(path, headers=gp).status_code == 403


def _page_session(client: TestClient, make_user, username: str, agency: str) -> None:  # type: ignore[no-untyped-def]
    make_user(username, agency)
    client.get("/login")
    token = client.cookies.get("lantern_csrf")
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})


def test_school_and_gp_users_cannot_read_offence_details_on_any_route(client, login, make_user) -> None:  # type: ignore[no-untyped-def]
    police, gp = login("pc", agency="police"), login("gp.doc", agency="gp")
    _conviction(client, police)
    _gp_visit(client, gp, "GP-1", [CHILD_A], "2025-03-01T10:00:00+00:00")
    entry_id = client.get("/api/v1/register", headers=police).json()[0]["id"]
    child = person_of(
        client, gp, client.get("/api/v1/register/alerts", headers=police).json()[0]["trigger_event_id"], "patient"
    )
    request = client.post(
        "/api/v1/register/disclosures",
        headers=police,
        json={
            "scheme": "dvds",
            "route": "right_to_know",
            "subject_name": "Dean Hollis",
            "requester_name": "MASH",
            "requester_relation": "agency",
            "reason": "x",
        },
    ).json()
    ids = {"entry_id": entry_id, "request_id": request["id"]}
    routes = [r for r in [*register_api.router.routes, *register_pages.router.routes] if isinstance(r, APIRoute)]
    register_routes = [r.path.format(**ids) for r in routes if "GET" in r.methods]
    assert len(register_routes) >= 10
    school = login("dsl", agency="education")
    for headers in (school, gp):
        for path in register_routes:
            if path.startswith("/api/"):
                response = client.get(path, headers=headers)
                assert response.status_code == 403, path
        shown = client.get(f"/api/v1/register/alerts?person_id={child}", headers=headers)
        assert shown.status_code == 200 and shown.json()[0]["explanation"] is None
        assert "assault" not in shown.text.lower() and "S47" not in shown.text
        duties = client.get(f"/api/v1/duties?person_id={child}", headers=headers).json()
        assert all(d["content"] is None for d in duties if d["rule_code"].startswith("register"))
    for username, agency in (("dsl.page", "education"), ("gp.page", "gp")):
        client.cookies.clear()
        _page_session(client, make_user, username, agency)
        for path in (p for p in register_routes if not p.startswith("/api/")):
            assert client.get(path).status_code == 403, path
        page = client.get(f"/register/alerts?person_id={child}")
        assert page.status_code == 200 and "Contact the police public protection unit" in page.text
        assert "assault" not in page.text.lower()


def test_expired_registration_is_not_watched(client, login) -> None:  # type: ignore[no-untyped-def]
    clock.set_clock(lambda: datetime(2026, 1, 1, tzinfo=UTC))
    police, gp = login("pc", agency="police"), login("gp", agency="gp")
    _post(
        client,
        police,
        event(
            agency="police",
            type_="police.conviction",
            ref="OLD-1",
            occurred_at="2010-01-10T10:00:00+00:00",
            summary="Convicted.",
            subjects=[{"role": "offender", "person": OFFENDER}],
            payload={"offence_description": "cruelty", "victim_is_child": True, "sentence_months": 0},
        ),
    )  # five years' monitoring: ended 9 January 2015
    _gp_visit(client, gp, "GP-9", [CHILD_A], "2025-03-01T10:00:00+00:00")
    [entry] = client.get("/api/v1/register", headers=police).json()
    assert entry["status"] == "expired"
    assert client.get("/api/v1/register/alerts", headers=police).json() == []


def test_a_merge_by_hand_that_puts_a_household_on_his_record_alerts_at_once(client, login) -> None:  # type: ignore[no-untyped-def]
    police, gp, csc = login("pc", agency="police"), login("doc", agency="gp"), login("sw", agency="csc")
    offender = person_of(client, police, _conviction(client, police), "offender")
    alias = person("Deano", "Marsh", date_of_birth="1990-09-09", local_id="GP-77")  # nothing the model could join
    visit = _post(
        client,
        gp,
        event(
            agency="gp",
            ref="ALIAS-1",
            subjects=[{"role": "father", "person": alias}, {"role": "patient", "person": CHILD_A}],
        ),
    )
    known_as = person_of(client, gp, visit, "father")
    assert known_as != offender
    assert client.get("/api/v1/register/alerts", headers=police).json() == []
    merged = client.post(
        "/api/v1/identity/merges",
        json={"kept_id": offender, "merged_id": known_as, "reason": "PPU confirmed the alias"},
        headers=csc,
    )
    assert merged.status_code == 201, merged.text
    [alert] = client.get("/api/v1/register/alerts", headers=police).json()
    assert alert["trigger_event_id"] == visit
