"""Pre-birth assessment through the API: S2's assessment prefilled from other agencies, refused for
sign-off with blank background questions, "not known" owed as a duty, a manager's sign-off, versions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from lantern.assessments.prebirth import rules
from lantern.audit import service as audit
from tests.scenarios.replay import person_of, records

API = "/api/v1/assessments/prebirth"
Login = Callable[..., dict[str, str]]


def replay_until(client: TestClient, login: Login, name: str, last_ref: str) -> dict[str, str]:
    """POST the scenario's records up to and including `last_ref`, as each agency sends them."""
    ids: dict[str, str] = {}
    tokens: dict[str, dict[str, str]] = {}
    for record in records(name):
        agency = record["source_agency"]
        headers = tokens.get(agency) or tokens.setdefault(agency, login(f"{agency}.sender", agency=agency))
        response = client.post("/api/v1/events", json=record, headers=headers)
        assert response.status_code == 201, response.text
        ids[record["source_ref"]] = response.json()["results"][0]["event_id"]
        if record["source_ref"] == last_ref:
            return ids
    raise AssertionError(f"{last_ref} not in {name}")


def started(client: TestClient, login: Login) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """S2 up to the referral that decided on a pre-birth assessment; the social worker starts it."""
    ids = replay_until(client, login, "s2", "S2-GP-007")
    worker = login("csc.worker", agency="csc")
    mother = person_of(client, worker, ids["S2-MW-001"], "mother")
    response = client.post(API, json={"mother_id": mother}, headers=worker)
    assert response.status_code == 201, response.text
    return response.json(), ids, worker


def question(assessment: dict[str, Any], key: str) -> dict[str, Any]:
    return next(q for q in assessment["questions"] if q["key"] == key)


def answer_everything(assessment: dict[str, Any], not_known: dict[str, Any] | None = None) -> dict[str, Any]:
    """Answers for every blank question ("no", or the plan in words), and any "not known" given."""
    answers: dict[str, Any] = {}
    for q in assessment["questions"]:
        if q["key"] == "baby.first_weeks_plan":
            answers[q["key"]] = {"answer": "yes", "detail": "Both parents at home; health visitor weekly."}
        elif q["answer"] is None:
            answers[q["key"]] = {"answer": "no"}
    return {**answers, **(not_known or {})}


def action_due(days: int = 10) -> dict[str, Any]:
    return {
        "description": "Ask Lincolnshire children's services for the father's previous child's records",
        "owner": "A. Okafor, social worker",
        "owner_agency": "csc",
        "due_on": (date.today() + timedelta(days=days)).isoformat(),
    }


def test_s2_prefills_the_fathers_conviction_and_the_mothers_self_harm(client, login) -> None:  # type: ignore[no-untyped-def]
    assessment, ids, _ = started(client, login)
    slots = {p["slot"]: p for p in assessment["people"]}
    assert set(slots) == {"mother", "father"}
    assert slots["father"]["name"].lower() == "jason thackeray"  # the booking's "Thackery", resolved
    conviction = question(assessment, "father.convictions")
    assert conviction["answer"] == "yes" and conviction["prefilled"]
    assert "cruelty to a child" in conviction["detail"]
    assert [s["event_id"] for s in conviction["sources"]] == [ids["S2-POL-002"]]
    assert question(assessment, "father.previous_children")["answer"] == "yes"
    assert "son" in question(assessment, "father.previous_children")["detail"]
    mental_health = question(assessment, "mother.mental_health")
    assert mental_health["answer"] == "yes"
    assert "overdose" in mental_health["detail"]
    assert {ids["S2-GP-001"], ids["S2-GP-003"]} <= {s["event_id"] for s in mental_health["sources"]}
    # His own GP record of self-harm counts; the booking and referral name him, but the history in them is hers.
    assert [s["event_id"] for s in question(assessment, "father.mental_health")["sources"]] == [ids["S2-GP-002"]]
    assert question(assessment, "mother.under_20")["answer"] == "no"  # 24 when the twins are due
    assert assessment["expected_on"] == "2021-05-04"


def test_s2_sign_off_is_refused_while_background_questions_are_blank(client, login) -> None:  # type: ignore[no-untyped-def]
    assessment, _, worker = started(client, login)
    response = client.post(f"{API}/{assessment['id']}/submit", json={"base_version": 1}, headers=worker)
    assert response.status_code == 422
    gaps = {e["loc"][1]: e["msg"] for e in response.json()["detail"]}
    assert "father.drugs_alcohol" in gaps and gaps["father.drugs_alcohol"].endswith("not answered")
    assert "father.convictions" not in gaps  # prefilled from the police record
    assert "baby.first_weeks_plan" in gaps
    assert client.get(f"{API}/{assessment['id']}", headers=worker).json()["status"] == "draft"


def test_not_known_needs_a_reason_and_an_action_with_owner_and_due_date(client, login) -> None:  # type: ignore[no-untyped-def]
    assessment, _, worker = started(client, login)
    bare = answer_everything(assessment, {"father.care_history": {"answer": "not_known"}})
    saved = client.patch(f"{API}/{assessment['id']}", json={"base_version": 1, "answers": bare}, headers=worker)
    assert saved.status_code == 200, saved.text
    assert saved.json()["problems"] == [
        "Jason Thackeray (father): Their own care history — 'not known' needs the reason it is not known"
    ]
    past = {"answer": "not_known", "reason": "He would not say", "action": action_due(days=-1)}
    saved = client.patch(
        f"{API}/{assessment['id']}", json={"base_version": 2, "answers": {"father.care_history": past}}, headers=worker
    )
    assert "due date has passed" in saved.json()["problems"][0]
    refused = client.post(f"{API}/{assessment['id']}/submit", json={"base_version": 3}, headers=worker)
    assert refused.status_code == 422


def test_submit_owes_each_not_known_as_a_duty_and_a_manager_signs_off(client, login) -> None:  # type: ignore[no-untyped-def]
    assessment, _, worker = started(client, login)
    unknown = {"answer": "not_known", "reason": "He has not been seen", "action": action_due()}
    answers = answer_everything(assessment, {"father.care_history": unknown})
    assert (
        client.patch(f"{API}/{assessment['id']}", json={"base_version": 1, "answers": answers}, headers=worker).json()[
            "problems"
        ]
        == []
    )
    submitted = client.post(f"{API}/{assessment['id']}/submit", json={"base_version": 2}, headers=worker)
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "submitted"

    duties = client.get("/api/v1/duties", headers=worker).json()
    owed = [d for d in duties if d["rule_code"] == "prebirth-not-known:father.care_history"]
    assert len(owed) == 1
    assert owed[0]["recipient_team"] == "A. Okafor, social worker"
    assert owed[0]["due_at"].startswith(action_due()["due_on"])

    assert (
        client.post(f"{API}/{assessment['id']}/sign-off", json={"decision": "approve"}, headers=worker).status_code
        == 403
    )
    manager = login("csc.manager", agency="csc", role="manager")
    signed = client.post(f"{API}/{assessment['id']}/sign-off", json={"decision": "approve"}, headers=manager).json()
    assert signed["status"] == "signed_off" and signed["signed_off_by"]
    assert [v["status"] for v in signed["versions"]] == ["draft", "draft", "submitted", "signed_off"]
    first = client.get(f"{API}/{assessment['id']}/versions/1", headers=worker).json()
    assert question(first, "father.drugs_alcohol")["answer"] is None  # version 1 kept as saved
    late = client.patch(f"{API}/{assessment['id']}", json={"base_version": 4, "answers": {}}, headers=worker)
    assert late.status_code == 409

    mother = assessment["mother_id"]
    chronology = client.get(f"/api/v1/people/{mother}/events", headers=worker).json()
    recorded = [e for e in chronology if e["type"] == "csc.prebirth_assessment"]
    assert {e["payload"]["status"] for e in recorded} == {"submitted", "signed_off"}
    signed_event = next(e for e in recorded if e["payload"]["status"] == "signed_off")
    assert any("convictions" in c for c in signed_event["payload"]["concerns"])
    assert signed_event["payload"]["not_known"] == ["Jason Thackeray: their own care history"]


def test_returned_assessment_is_resubmitted_without_owing_the_action_twice(client, login) -> None:  # type: ignore[no-untyped-def]
    assessment, _, worker = started(client, login)
    manager = login("csc.manager", agency="csc", role="manager")
    unknown = {"answer": "not_known", "reason": "He has not been seen", "action": action_due()}
    answers = answer_everything(assessment, {"father.care_history": unknown})
    client.patch(f"{API}/{assessment['id']}", json={"base_version": 1, "answers": answers}, headers=worker)
    client.post(f"{API}/{assessment['id']}/submit", json={"base_version": 2}, headers=worker)
    no_note = client.post(f"{API}/{assessment['id']}/sign-off", json={"decision": "return"}, headers=manager)
    assert no_note.status_code == 422
    note = "Speak to the father about his son before this is signed off."
    returned = client.post(
        f"{API}/{assessment['id']}/sign-off", json={"decision": "return", "note": note}, headers=manager
    )
    assert returned.json()["status"] == "draft" and returned.json()["versions"][-1]["note"] == note
    again = client.post(f"{API}/{assessment['id']}/submit", json={"base_version": 4}, headers=worker)
    assert again.status_code == 200, again.text
    duties = client.get("/api/v1/duties", headers=worker).json()
    assert len([d for d in duties if d["rule_code"].startswith("prebirth-not-known")]) == 1


def test_stale_save_is_refused_and_only_csc_writes(client, login, db) -> None:  # type: ignore[no-untyped-def]
    assessment, _, worker = started(client, login)
    first = {"father.drugs_alcohol": {"answer": "no"}}
    saved = client.patch(f"{API}/{assessment['id']}", json={"base_version": 1, "answers": first}, headers=worker)
    assert saved.status_code == 200
    stale = client.patch(f"{API}/{assessment['id']}", json={"base_version": 1, "answers": first}, headers=worker)
    assert stale.status_code == 409 and "reload" in stale.json()["detail"]
    unknown_key = client.patch(
        f"{API}/{assessment['id']}", json={"base_version": 2, "answers": {"partner.convictions": {"answer": "no"}}},
        headers=worker,
    )  # fmt: skip
    assert unknown_key.status_code == 422
    gp = login("gp.doc", agency="gp")
    assert client.post(API, json={"mother_id": assessment["mother_id"]}, headers=gp).status_code == 403
    assert client.get(f"{API}/{assessment['id']}", headers=gp).status_code == 200  # health reads it
    trail = audit.for_object(db=db, object_type="person", object_id=assessment["mother_id"])
    assert {(e.actor, e.action) for e in trail if (e.detail or {}).get("view") == "prebirth"} >= {
        ("csc.worker", "create"),
        ("gp.doc", "read"),
    }


def test_under_20_at_the_due_date_boundary() -> None:
    due = date(2026, 5, 4)
    assert rules.under_20(date(2006, 5, 4), due) == "no"  # 20 on the day the baby is due
    assert rules.under_20(date(2006, 5, 5), due) == "yes"  # 20 the day after
    assert rules.under_20(None, due) is None


def test_records_suggest_only_the_persons_own_history() -> None:
    day = date(2020, 1, 1)
    own = rules.Record("e1", "gp.consultation", "patient", "gp", "GP-1", day, "Low mood, PHQ-9 17; sent home", {})
    theirs = rules.Record("e2", "csc.referral", "father", "csc", "CSC-1", day, "Mother: depression, overdose", {})
    found = rules.suggest([own, theirs])
    assert list(found) == ["mental_health"]
    assert [s.event_id for s in found["mental_health"].sources] == ["e1"]
    assert "(mentions low mood, phq-9)" in found["mental_health"].detail()


def test_every_question_must_be_answered_for_each_person() -> None:
    keys = rules.question_keys(["father", "mother"])
    assert keys[0] == "mother.previous_children" and keys[-1] == "baby.first_weeks_plan"
    assert len(keys) == 2 * len(rules.ADULT_QUESTIONS) + len(rules.BABY_QUESTIONS)
    today = date(2026, 11, 24)
    everything = {k: {"answer": "no"} for k in keys} | {"baby.first_weeks_plan": {"answer": "yes", "detail": "At home"}}
    people = {"mother": "A", "father": "B"}
    assert rules.problems(everything, people, today) == []
    yes_without_detail = everything | {"father.convictions": {"answer": "yes"}}
    assert [p.key for p in rules.problems(yes_without_detail, people, today)] == ["father.convictions"]
    action = {"description": "Ask", "owner": "Sam", "owner_agency": "csc", "due_on": "2026-11-24"}
    due_today = everything | {"mother.care_history": {"answer": "not_known", "reason": "Not asked", "action": action}}
    assert rules.problems(due_today, people, today) == []
    no_owner = everything | {
        "mother.care_history": {"answer": "not_known", "reason": "Not asked", "action": {**action, "owner": ""}}
    }
    assert "owner" in rules.problems(no_owner, people, today)[0].message
