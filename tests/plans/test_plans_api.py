"""Plans through the API (both backends): who may make them, each condition broken by an agency's
record, breaches by hand, stay notices, ended plans, overdue actions and audited reads."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.audit.models import AuditEntry
from lantern.duties.models import Duty
from tests.factories import event, nhs, person
from tests.scenarios.replay import person_of

CHILD = person("Mia", "Rowe", date_of_birth="2024-02-02", nhs_number=nhs(301))
MOTHER = person("Kim", "Rowe", date_of_birth="1995-03-03", nhs_number=nhs(302))
FATHER = person("Dean", "Hollis", date_of_birth="1988-05-05", pnc_id="12/345678A")
LODGER = person("Carl", "Bent", date_of_birth="1980-01-01", pnc_id="14/222222B")
HOME = {"line1": "4 Quarry Lane", "town": "Leeds", "postcode": "LS6 2AB"}


def _post(client: TestClient, headers: dict[str, str], record: dict[str, Any]) -> str:
    response = client.post("/api/v1/events", json=record, headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["results"][0]["event_id"])


def _family(client: TestClient, login: Any) -> tuple[dict[str, str], dict[str, str]]:
    """The people, from a referral and a police record; returns the worker's headers and the ids."""
    csc, police = login("sw.one", agency="csc"), login("pc.one", agency="police")
    login("tm.one", agency="csc", role="manager")
    referral = _post(
        client,
        csc,
        event(
            agency="csc",
            type_="csc.referral",
            ref="REF-1",
            occurred_at="2025-01-05T10:00:00+00:00",
            subjects=[
                {"role": "child", "person": {**CHILD, "address": HOME}},
                {"role": "mother", "person": {**MOTHER, "address": HOME}},
                {"role": "father", "person": FATHER},
            ],
        ),
    )
    arrest = _post(
        client,
        police,
        event(
            agency="police",
            type_="police.arrest",
            ref="ARR-1",
            occurred_at="2025-01-06T10:00:00+00:00",
            subjects=[{"role": "suspect", "person": LODGER}],
            payload={"offence": "theft"},
        ),
    )
    ids = {
        "child": person_of(client, csc, referral, "child"),
        "mother": person_of(client, csc, referral, "mother"),
        "father": person_of(client, csc, referral, "father"),
        "lodger": person_of(client, csc, arrest, "suspect"),
    }
    return csc, ids


def _body(ids: dict[str, str]) -> dict[str, Any]:
    """What every plan needs: the child, kind, category, lead professional, manager, home and start."""
    return {
        "child_id": ids["child"],
        "kind": "cp",
        "category": "neglect",
        "lead_professional": "sw.one",
        "manager": "tm.one",
        "home_address": HOME,
        "start_on": "2025-02-01",
    }


def _plan(client: TestClient, csc: dict[str, str], ids: dict[str, str], **change: Any) -> dict[str, Any]:
    """The family's plan (core group, outcomes, four conditions, two actions) with any change, made."""
    body = {
        **_body(ids),
        "core_group": [{"name": "Kim Rowe", "role": "mother", "person_id": ids["mother"]}],
        "outcomes": ["Mia is brought to every appointment"],
        "conditions": [
            {"kind": "report_overnight_stays"},
            {"kind": "no_unsupervised_contact", "person_id": ids["father"]},
            {"kind": "not_to_live_at_address", "person_id": ids["lodger"]},
            {"kind": "attend_health_appointments"},
        ],
        "actions": [
            {"description": "Home visit", "owner": "sw.one", "due_on": "2025-02-01"},
            {"description": "Parenting course", "owner": "Kim Rowe", "due_on": "2099-01-01"},
        ],
        **change,
    }
    response = client.post("/api/v1/plans", json=body, headers=csc)
    assert response.status_code == 201, response.text
    return dict(response.json())


def _family_on_a_plan(client: TestClient, login: Any) -> tuple[dict[str, str], dict[str, str], dict[str, Any]]:
    """The family, and the child's plan with its four conditions; the worker's headers, the ids, the plan."""
    csc, ids = _family(client, login)
    return csc, ids, _plan(client, csc, ids)


def _statuses(client: TestClient, csc: dict[str, str], plan_id: str) -> dict[str, str]:
    shown = client.get(f"/api/v1/plans/{plan_id}", headers=csc).json()
    return {c["kind"]: c["status"] for c in shown["conditions"]}


def _alerted(db: Session, event_id: str) -> set[str]:
    found = db.execute(
        select(Duty.recipient_team).where(Duty.event_id == event_id, Duty.rule_code.like("plan-breach-%"))
    )
    teams = set(found.scalars())
    db.rollback()
    return teams


def test_only_childrens_social_care_makes_plans_and_the_plan_is_checked(client, login) -> None:  # type: ignore[no-untyped-def]
    csc, ids = _family(client, login)
    police = login("pc.two", agency="police")
    assert client.post("/api/v1/plans", json={**_body(ids)}, headers=police).status_code == 403
    assert client.post("/api/v1/plans", json={**_body(ids), "category": None}, headers=csc).status_code == 422
    no_person = {**_body(ids), "conditions": [{"kind": "no_unsupervised_contact"}]}
    assert client.post("/api/v1/plans", json=no_person, headers=csc).status_code == 422
    assert client.post("/api/v1/plans", json={**_body(ids), "child_id": "nobody"}, headers=csc).status_code == 422
    reviewer = login("rev.one", agency="panel", role="reviewer")
    plan = _plan(client, csc, ids)
    assert client.get(f"/api/v1/plans/{plan['id']}", headers=reviewer).status_code == 200
    assert client.post("/api/v1/plans", json=_body(ids), headers=reviewer).status_code == 403


def test_a_new_plan_keeps_every_condition_and_shows_overdue_actions(client, login) -> None:  # type: ignore[no-untyped-def]
    csc, ids, plan = _family_on_a_plan(client, login)
    assert {c["status"] for c in plan["conditions"]} == {"kept"}
    assert {a["description"]: a["is_overdue"] for a in plan["actions"]} == {
        "Home visit": True,
        "Parenting course": False,
    }
    action = next(a for a in plan["actions"] if a["description"] == "Home visit")
    done = client.post(
        f"/api/v1/plans/{plan['id']}/actions/{action['id']}/done", json={"done_on": "2025-02-03"}, headers=csc
    )
    assert done.status_code == 200 and done.json()["is_overdue"] is False
    added = client.post(
        f"/api/v1/plans/{plan['id']}/actions",
        json={"description": "Core group", "owner": "sw.one", "due_on": "2025-03-01"},
        headers=csc,
    )
    assert added.status_code == 201 and added.json()["is_overdue"] is True
    shown = client.get(f"/api/v1/plans/{plan['id']}", headers=csc).json()
    assert {a["description"]: a["is_overdue"] for a in shown["actions"]}["Core group"] is True


def test_a_health_contact_naming_the_child_with_the_father_alerts_lead_and_manager(client, login, db) -> None:  # type: ignore[no-untyped-def]
    csc, ids, plan = _family_on_a_plan(client, login)
    hv = login("hv.one", agency="health_visiting")
    visit = _post(
        client,
        hv,
        event(
            agency="health_visiting",
            type_="health_visitor.contact",
            occurred_at="2025-03-01T11:00:00+00:00",
            subjects=[{"role": "child", "person": CHILD}, {"role": "father", "person": FATHER}],
        ),
    )
    assert _alerted(db, visit) == {"sw.one", "tm.one"}
    statuses = _statuses(client, csc, plan["id"])
    assert statuses["no_unsupervised_contact"] == "breached"
    assert statuses["report_overnight_stays"] == statuses["attend_health_appointments"] == "kept"


def test_a_housing_application_placing_the_lodger_at_home_breaks_the_address_condition(client, login, db) -> None:  # type: ignore[no-untyped-def]
    csc, ids, plan = _family_on_a_plan(client, login)
    housing = login("hs.one", agency="housing")
    application = _post(
        client,
        housing,
        event(
            agency="housing",
            type_="housing.application",
            occurred_at="2025-03-02T11:00:00+00:00",
            subjects=[{"role": "applicant", "person": {**LODGER, "address": HOME}}],
        ),
    )
    assert _alerted(db, application) == {"sw.one", "tm.one"}
    assert _statuses(client, csc, plan["id"])["not_to_live_at_address"] == "breached"


def test_a_child_not_brought_to_the_gp_breaks_the_health_condition(client, login, db) -> None:  # type: ignore[no-untyped-def]
    csc, ids, plan = _family_on_a_plan(client, login)
    gp = login("gp.one", agency="gp")
    missed = _post(
        client,
        gp,
        event(
            occurred_at="2025-03-03T09:00:00+00:00",
            payload={"was_not_brought": True},
            subjects=[{"role": "patient", "person": CHILD}],
        ),
    )
    attended = _post(
        client, gp, event(occurred_at="2025-03-10T09:00:00+00:00", subjects=[{"role": "patient", "person": CHILD}])
    )
    assert _alerted(db, missed) == {"sw.one", "tm.one"}
    assert _alerted(db, attended) == set()
    assert _statuses(client, csc, plan["id"])["attend_health_appointments"] == "breached"


def test_a_night_call_away_from_home_breaks_the_overnight_condition_unless_the_stay_was_told(client, login, db) -> None:  # type: ignore[no-untyped-def]
    csc, ids, plan = _family_on_a_plan(client, login)
    nan = {"line1": "9 Mill Row", "town": "Leeds", "postcode": "LS7 1AA"}
    told = {"address": nan, "with_whom": "grandmother", "from_on": "2025-03-04", "to_on": "2025-03-05"}
    assert client.post(f"/api/v1/plans/{plan['id']}/stay-notices", json=told, headers=csc).status_code == 201
    amb = login("amb.one", agency="ambulance")
    call = event(
        agency="ambulance", type_="ambulance.call", location=nan, subjects=[{"role": "patient", "person": CHILD}]
    )
    at_nans = _post(client, amb, {**call, "occurred_at": "2025-03-05T02:00:00+00:00"})
    assert _alerted(db, at_nans) == set()
    untold = _post(client, amb, {**call, "source_ref": "AMB-2", "occurred_at": "2025-03-12T02:00:00+00:00"})
    same_night = _post(client, amb, {**call, "source_ref": "AMB-3", "occurred_at": "2025-03-12T03:00:00+00:00"})
    assert _alerted(db, untold) == {"sw.one", "tm.one"}
    assert _alerted(db, same_night) == set()  # joins the night's breach
    overnight = next(
        c
        for c in client.get(f"/api/v1/plans/{plan['id']}", headers=csc).json()["conditions"]
        if c["kind"] == "report_overnight_stays"
    )
    assert [[e["source_ref"] for e in b["evidence"]] for b in overnight["breaches"]] == [["AMB-2", "AMB-3"]]


def test_a_breach_recorded_by_hand_alerts_and_shows_on_the_childs_record(client, login, db) -> None:  # type: ignore[no-untyped-def]
    csc, ids, plan = _family_on_a_plan(client, login)
    contact = next(c for c in plan["conditions"] if c["kind"] == "no_unsupervised_contact")
    hv = login("hv.two", agency="health_visiting")
    body = {"condition_id": contact["id"], "account": "Father alone with Mia at the flat when I called."}
    response = client.post(f"/api/v1/plans/{plan['id']}/breaches", json=body, headers=hv)
    assert response.status_code == 201, response.text
    breach = response.json()
    assert breach["source"] == "by_hand" and breach["recorded_by"] == "hv.two"
    assert _alerted(db, breach["evidence"][0]["event_id"]) == {"sw.one", "tm.one"}
    chronology = client.get(f"/api/v1/people/{ids['child']}/chronology", headers=csc).json()
    entry = next(e for e in chronology["entries"] if e["type"] == "plan.breach_observed")
    assert entry["significance"] == "significant"
    assert "no unsupervised contact with the named person" in entry["plain"]
    assert "Father alone with Mia" in entry["plain"]
    other = {"condition_id": "not-a-condition", "account": "x"}
    assert client.post(f"/api/v1/plans/{plan['id']}/breaches", json=other, headers=hv).status_code == 422


def test_records_before_the_plan_naming_nobody_on_it_or_after_it_ended_break_nothing(client, login, db) -> None:  # type: ignore[no-untyped-def]
    csc, ids, plan = _family_on_a_plan(client, login)
    hv = login("hv.three", agency="health_visiting")
    visit = event(
        agency="health_visiting",
        type_="health_visitor.contact",
        subjects=[{"role": "child", "person": CHILD}, {"role": "father", "person": FATHER}],
    )
    before = _post(client, hv, {**visit, "occurred_at": "2025-01-20T10:00:00+00:00"})
    stranger = _post(
        client,
        hv,
        event(
            agency="health_visiting",
            type_="health_visitor.contact",
            subjects=[{"role": "child", "person": person("Zed", "Other", nhs_number=nhs(399))}],
        ),
    )
    ended = client.post(f"/api/v1/plans/{plan['id']}/end", json={"end_on": "2025-04-01"}, headers=csc)
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    after = _post(client, hv, {**visit, "source_ref": "HV-AFTER", "occurred_at": "2025-04-02T10:00:00+00:00"})
    assert _alerted(db, before) == _alerted(db, stranger) == _alerted(db, after) == set()
    assert set(_statuses(client, csc, plan["id"]).values()) == {"kept"}


def test_reading_a_plan_is_audited_as_a_read_of_the_childs_record(client, login, db) -> None:  # type: ignore[no-untyped-def]
    csc, ids, plan = _family_on_a_plan(client, login)
    client.get(f"/api/v1/plans/{plan['id']}", headers=csc)
    reads = db.execute(
        select(AuditEntry).where(AuditEntry.object_type == "plan", AuditEntry.action == "read")
    ).scalars()
    assert {(r.object_id, (r.detail or {}).get("person_id")) for r in reads} == {(plan["id"], ids["child"])}
    db.rollback()


def _night_call_naming_a_duplicate(client: TestClient, login: Any) -> str:
    """A night call naming the child as a record identity resolution does not join to her."""
    amb = login("amb.dup", agency="ambulance")
    duplicate = {"given_name": "Miah", "family_name": "Rowe-Bent", "local_id": "AMB-CHILD-9"}
    away = {"line1": "2 Far Lane", "town": "York", "postcode": "YO1 7AA"}
    call = event(agency="ambulance", type_="ambulance.call", ref="AMB-DUP", occurred_at="2025-03-08T01:30:00+00:00",
                 location=away, subjects=[{"role": "patient", "person": {**duplicate, "address": away}}])  # fmt: skip
    return person_of(client, login("csc.reader", agency="csc"), _post(client, amb, call), "patient")


def test_a_merge_brings_a_duplicates_night_call_under_the_plan(client, login, db) -> None:  # type: ignore[no-untyped-def]
    csc, ids, plan = _family_on_a_plan(client, login)
    duplicate = _night_call_naming_a_duplicate(client, login)
    assert duplicate != ids["child"]
    assert _statuses(client, csc, plan["id"])["report_overnight_stays"] == "kept"
    merged = client.post(
        "/api/v1/identity/merges",
        json={"kept_id": ids["child"], "merged_id": duplicate, "reason": "same child, confirmed by the crew"},
        headers=csc,
    )
    assert merged.status_code in (200, 201), merged.text
    assert _statuses(client, csc, plan["id"])["report_overnight_stays"] == "breached"


def test_the_plan_follows_the_child_through_a_merge(client, login) -> None:  # type: ignore[no-untyped-def]
    csc, ids, plan = _family_on_a_plan(client, login)
    duplicate = _night_call_naming_a_duplicate(client, login)
    merged = client.post(
        "/api/v1/identity/merges",
        json={"kept_id": duplicate, "merged_id": ids["child"], "reason": "same child"},
        headers=csc,
    )
    assert merged.status_code in (200, 201), merged.text
    found = client.get("/api/v1/plans", params={"child_id": duplicate}, headers=csc).json()
    assert [p["id"] for p in found] == [plan["id"]]
    assert {c["kind"]: c["status"] for c in found[0]["conditions"]}["report_overnight_stays"] == "breached"


def test_a_new_adult_with_the_child_breaks_the_new_adults_condition_once(client, login, db) -> None:  # type: ignore[no-untyped-def]
    csc, ids = _family(client, login)
    plan = _plan(client, csc, ids, conditions=[{"kind": "report_new_adults"}])
    gp = login("gp.new", agency="gp")
    stranger = person("Rex", "Stone", date_of_birth="1985-06-06", pnc_id="15/333333C")
    subjects = [{"role": "patient", "person": CHILD}, {"role": "household_member", "person": stranger}]
    first = _post(client, gp, event(occurred_at="2025-03-03T09:00:00+00:00", subjects=subjects))
    again = _post(client, gp, event(occurred_at="2025-03-20T09:00:00+00:00", subjects=subjects))
    assert _alerted(db, first) == {"sw.one", "tm.one"}
    assert _alerted(db, again) == set()  # the task is open: seen again, not told again
    shown = client.get(f"/api/v1/plans/{plan['id']}", headers=csc).json()
    assert [b["evidence"][0]["source_ref"] for b in shown["conditions"][0]["breaches"]] == [
        client.get(f"/api/v1/events/{first}", headers=csc).json()["source_ref"]
    ]
    assert [t["name"] for t in shown["tasks"]] == ["Rex Stone"]
    mother = _post(client, gp, event(occurred_at="2025-03-21T09:00:00+00:00", subjects=[
        {"role": "patient", "person": CHILD}, {"role": "mother", "person": MOTHER}]))  # fmt: skip
    assert _alerted(db, mother) == set()  # known around the child: no task, no breach


def test_a_plan_recorded_after_its_conference_checks_the_records_since(client, login, db) -> None:  # type: ignore[no-untyped-def]
    csc, ids = _family(client, login)
    amb = login("amb.early", agency="ambulance")
    away = {"line1": "9 Mill Row", "town": "Leeds", "postcode": "LS7 1AA"}
    visitor = person("Rex", "Stone", date_of_birth="1985-06-06", pnc_id="15/333333C")
    subjects = [{"role": "patient", "person": CHILD}, {"role": "visitor", "person": visitor}]
    call = event(agency="ambulance", type_="ambulance.call", location=away, subjects=subjects)
    before_start = _post(client, amb, {**call, "occurred_at": "2025-01-30T02:00:00+00:00"})
    after_start = _post(client, amb, {**call, "source_ref": "AMB-LATE", "occurred_at": "2025-02-03T02:00:00+00:00"})
    plan = _plan(client, csc, ids)  # starts 2025-02-01, recorded now
    overnight = next(c for c in plan["conditions"] if c["kind"] == "report_overnight_stays")
    assert overnight["status"] == "breached"
    assert [e["source_ref"] for b in overnight["breaches"] for e in b["evidence"]] == ["AMB-LATE"]
    assert _alerted(db, after_start) == {"sw.one", "tm.one"} and _alerted(db, before_start) == set()
    assert plan["tasks"] == []  # adults in records before the plan was recorded: the household it was made about
