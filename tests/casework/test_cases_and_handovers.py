"""Allocation and handover through the API on both backends: the worker changes only when the
receiving worker acknowledges every section; an unallocated case owes its manager an allocation,
flagged after 1 working day (across Christmas); the chronology shows each change of worker."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.casework.helpers import Login, at, child, first_subject, staff
from tests.factories import event, person

ALL = ["risks", "plan_conditions", "open_actions", "family_network", "upcoming_dates"]


def _open(client: TestClient, headers: dict[str, str], person_id: str, **extra: Any) -> dict[str, Any]:
    body = {"person_id": person_id, "manager": "mgr.lee", **extra}
    response = client.post("/api/v1/casework/cases", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def _case(client: TestClient, headers: dict[str, str], case_id: str) -> dict[str, Any]:
    return dict(client.get(f"/api/v1/casework/cases/{case_id}", headers=headers).json())


def _allocation_entries(client: TestClient, headers: dict[str, str], person_id: str) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/people/{person_id}/chronology", headers=headers)
    assert response.status_code == 200, response.text
    return [e for e in response.json()["entries"] if e["type"] == "csc.allocation"]


def test_handover_cannot_be_completed_without_the_receiving_workers_acknowledgement(
    client: TestClient, login: Login
) -> None:
    at("2026-11-24T10:00:00+00:00")
    users = staff(login)
    person_id = child(client, users["mgr"])
    case = _open(client, users["mgr"], person_id, worker="sw.ann")
    assert case["worker"] == "sw.ann" and not case["is_unallocated_overdue"]

    direct = client.patch(f"/api/v1/casework/cases/{case['id']}", json={"worker": "sw.ben"}, headers=users["mgr"])
    assert direct.status_code == 409 and "acknowledges a handover" in direct.json()["detail"]

    sent = client.post(
        f"/api/v1/casework/cases/{case['id']}/handovers",
        json={
            "to_worker": "sw.ben",
            "checklist": {"plan_conditions": "Parents tell the social worker of any overnight stay."},
        },
        headers=users["ann"],
    )
    assert sent.status_code == 201, sent.text
    handover = sent.json()
    assert set(handover["checklist"]) == set(ALL) and handover["status"] == "sent"
    assert "overnight stay" in handover["checklist"]["plan_conditions"]
    assert _case(client, users["ann"], case["id"])["worker"] == "sw.ann"

    url = f"/api/v1/casework/handovers/{handover['id']}/acknowledge"
    by_sender = client.post(url, json={"confirmed": ALL}, headers=users["ann"])
    assert by_sender.status_code == 403 and "sw.ben" in by_sender.json()["detail"]
    partial = client.post(url, json={"confirmed": ["risks", "open_actions", "family_network"]}, headers=users["ben"])
    assert partial.status_code == 422
    assert "not confirmed: Plan conditions, Upcoming dates" in partial.json()["detail"][0]["msg"]
    assert _case(client, users["ben"], case["id"])["worker"] == "sw.ann"
    assert client.get("/api/v1/casework/cases", params={"worker": "sw.ben"}, headers=users["ben"]).json() == []

    done = client.post(url, json={"confirmed": ALL, "note": "Read with Ann."}, headers=users["ben"])
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "acknowledged" and done.json()["event_id"]
    assert _case(client, users["ben"], case["id"])["worker"] == "sw.ben"
    assert client.post(url, json={"confirmed": ALL}, headers=users["ben"]).status_code == 409

    entries = _allocation_entries(client, users["ben"], person_id)
    assert len(entries) == 2  # the first allocation and the handover
    assert any("changed from sw.ann to sw.ben" in e["plain"] and "acknowledged" in e["plain"] for e in entries)


def test_a_second_handover_waits_for_the_first(client: TestClient, login: Login) -> None:
    users = staff(login)
    case = _open(client, users["mgr"], child(client, users["mgr"]), worker="sw.ann")
    url = f"/api/v1/casework/cases/{case['id']}/handovers"
    first = client.post(url, json={"to_worker": "sw.ben"}, headers=users["ann"]).json()
    assert client.post(url, json={"to_worker": "sw.cat"}, headers=users["ann"]).status_code == 409
    assert client.post(url, json={"to_worker": "sw.ann"}, headers=users["mgr"]).status_code == 422  # holds it already
    withdrawn = client.post(f"/api/v1/casework/handovers/{first['id']}/withdraw", headers=users["ann"])
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert client.post(url, json={"to_worker": "sw.cat"}, headers=users["ann"]).status_code == 201


def test_unallocated_case_is_flagged_after_one_working_day_and_owed_by_the_manager(
    client: TestClient, login: Login
) -> None:
    users = staff(login)
    person_id = child(client, users["mgr"])
    at("2026-12-24T15:00:00+00:00")  # Christmas Eve afternoon: 25 and 28 December are bank holidays
    case = _open(client, users["mgr"], person_id)
    assert case["worker"] is None and case["allocation_due_at"].startswith("2026-12-29T23:59:59")
    duties = client.get("/api/v1/duties", params={"person_id": person_id}, headers=users["mgr"]).json()
    owed = [d for d in duties if d["rule_code"] == "casework-allocation"]
    assert len(owed) == 1 and owed[0]["recipient_agency"] == "csc" and "mgr.lee" in owed[0]["reason"]

    at("2026-12-29T20:00:00+00:00")
    assert not _case(client, users["mgr"], case["id"])["is_unallocated_overdue"]
    at("2026-12-30T09:00:00+00:00")
    team = client.get("/api/v1/casework/cases", params={"manager": "mgr.lee"}, headers=users["mgr"]).json()
    assert [c["is_unallocated_overdue"] for c in team] == [True]

    sent = client.post(
        f"/api/v1/casework/cases/{case['id']}/handovers", json={"to_worker": "sw.cat"}, headers=users["mgr"]
    )
    assert sent.status_code == 201 and sent.json()["from_worker"] is None
    ack = client.post(f"/api/v1/casework/handovers/{sent.json()['id']}/acknowledge", json={"confirmed": ALL},
                      headers=users["cat"])  # fmt: skip
    assert ack.status_code == 200, ack.text
    now = _case(client, users["cat"], case["id"])
    assert now["worker"] == "sw.cat" and not now["is_unallocated_overdue"] and now["allocation_duty_id"] is None
    duties = client.get("/api/v1/duties", params={"person_id": person_id}, headers=users["mgr"]).json()
    assert [d["status"] for d in duties if d["id"] == owed[0]["id"]] == ["actioned"]
    plain = [e["plain"] for e in _allocation_entries(client, users["cat"], person_id)]
    assert any("without an allocated social worker" in p for p in plain)
    assert any("sw.cat was allocated" in p for p in plain)


def test_only_childrens_social_care_reads_and_changes_cases(client: TestClient, login: Login) -> None:
    users = staff(login)
    police = login("pc.dale", agency="police")
    person_id = child(client, users["mgr"])
    assert client.get("/api/v1/casework/cases", headers=police).status_code == 403
    refused = client.post("/api/v1/casework/cases", json={"person_id": person_id, "manager": "x"}, headers=police)
    assert refused.status_code == 403
    _open(client, users["mgr"], person_id, worker="sw.ann")
    again = client.post(
        "/api/v1/casework/cases", json={"person_id": person_id, "manager": "mgr.lee"}, headers=users["mgr"]
    )
    assert again.status_code == 409


def test_handover_checklist_is_prefilled_with_the_childs_plan_and_duties(client: TestClient, login: Login) -> None:
    at("2026-11-24T10:00:00+00:00")
    users = staff(login)
    person_id = child(client, users["mgr"], occurred_at="2026-11-23T10:00:00+00:00")
    plan = {
        "child_id": person_id, "kind": "cp", "category": "neglect", "lead_professional": "sw.ann",
        "manager": "mgr.lee", "home_address": {"line1": "4 Elm Road", "town": "York", "postcode": "YO1 7HH"},
        "start_on": "2026-11-20", "conditions": [{"kind": "report_overnight_stays"}],
        "actions": [{"description": "Health visitor to visit weekly", "owner": "HV Rose", "due_on": "2026-12-01"}],
    }  # fmt: skip
    created = client.post("/api/v1/plans", json=plan, headers=users["mgr"])
    assert created.status_code == 201, created.text
    case = _open(client, users["mgr"], person_id, worker="sw.ann")
    sent = client.post(f"/api/v1/casework/cases/{case['id']}/handovers", json={"to_worker": "sw.ben"},
                       headers=users["ann"]).json()  # fmt: skip
    checklist = sent["checklist"]
    assert "overnight stay" in checklist["plan_conditions"] and ": kept" in checklist["plan_conditions"]
    assert "Health visitor to visit weekly" in checklist["open_actions"]
    assert "Decide what happens to a referral" in checklist["open_actions"]  # the child's open duty


def test_a_case_follows_the_child_through_a_merge(client: TestClient, login: Login) -> None:
    users = staff(login)
    kept = child(client, users["mgr"])
    other = {"role": "child", "person": person("Lola", "Quill", date_of_birth="2021-02-03")}
    body = event(agency="csc", type_="csc.referral", occurred_at="2026-10-02T10:00:00+00:00", subjects=[other])
    event_id = client.post("/api/v1/events", json=body, headers=users["mgr"]).json()["results"][0]["event_id"]
    merged = first_subject(client, users["mgr"], event_id)
    assert merged != kept
    case = _open(client, users["mgr"], merged, worker="sw.ann")
    done = client.post("/api/v1/identity/merges", json={"kept_id": kept, "merged_id": merged, "reason": "same child"},
                       headers=users["mgr"])  # fmt: skip
    assert done.status_code in (200, 201), done.text
    assert _case(client, users["mgr"], case["id"])["person_id"] == kept


def test_a_worker_leaving_makes_the_case_unallocated_and_closing_it_ends_the_duty(
    client: TestClient, login: Login
) -> None:
    users = staff(login)
    person_id = child(client, users["mgr"])
    case = _open(client, users["mgr"], person_id, worker="sw.ann")
    url = f"/api/v1/casework/cases/{case['id']}"
    assert client.patch(url, json={"unallocate": True}, headers=users["ben"]).status_code == 403
    left = client.patch(url, json={"unallocate": True}, headers=users["mgr"]).json()
    assert left["worker"] is None and left["allocation_due_at"] and left["allocation_duty_id"]
    plain = [e["plain"] for e in _allocation_entries(client, users["mgr"], person_id)]
    assert any("(sw.ann no longer holds it)" in p for p in plain)
    closed = client.patch(url, json={"status": "closed"}, headers=users["mgr"]).json()
    assert closed["status"] == "closed" and not closed["is_unallocated_overdue"]
    duties = client.get("/api/v1/duties", params={"person_id": person_id}, headers=users["mgr"]).json()
    assert [d["status"] for d in duties if d["id"] == left["allocation_duty_id"]] == ["actioned"]
