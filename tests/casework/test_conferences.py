"""Conferences through the API on both backends: the initial conference scheduled on read from a
strategy discussion, due on the 15th working day across Christmas and New Year; overdue from the
next day; held with a plan, the first review within 3 months and then 6; invitations and attendance."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.casework.helpers import Login, at, child_record, first_subject, record, staff
from tests.factories import event


def _calendar(client: TestClient, headers: dict[str, str], person_id: str | None = None) -> list[dict[str, Any]]:
    params = {"person_id": person_id} if person_id else {}
    response = client.get("/api/v1/casework/conferences", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json())


def test_initial_conference_due_15_working_days_after_the_strategy_discussion_across_christmas(
    client: TestClient, login: Login
) -> None:
    at("2027-01-07T20:00:00+00:00")
    mgr = staff(login)["mgr"]
    strategy = record(client, mgr, "csc.strategy_discussion", child_record(311), "2026-12-14T11:00:00+00:00")
    person_id = first_subject(client, mgr, strategy)
    found = _calendar(client, mgr)
    assert len(found) == 1
    initial = found[0]
    assert (initial["kind"], initial["due_on"], initial["strategy_event_id"]) == ("initial", "2027-01-07", strategy)
    assert not initial["is_overdue"] and "15 working days" in initial["due_rule"]
    assert len(_calendar(client, mgr)) == 1  # scheduled once

    at("2027-01-08T09:00:00+00:00")
    assert _calendar(client, mgr)[0]["is_overdue"]
    cases = client.get("/api/v1/casework/conferences", params={"person_id": person_id}, headers=mgr).json()
    assert [c["is_overdue"] for c in cases] == [True]


def test_held_on_a_plan_schedules_reviews_at_3_then_6_months(client: TestClient, login: Login) -> None:
    at("2027-01-07T20:00:00+00:00")
    mgr = staff(login)["mgr"]
    strategy = record(client, mgr, "csc.strategy_discussion", child_record(312), "2026-12-14T11:00:00+00:00")
    initial = _calendar(client, mgr)[0]
    url = f"/api/v1/casework/conferences/{initial['id']}"
    late = client.patch(url, json={"scheduled_for": "2027-01-08T10:00:00+00:00"}, headers=mgr).json()
    assert late["is_scheduled_late"]
    assert client.patch(url, json={"held_on": "2027-01-07"}, headers=mgr).status_code == 422  # no outcome
    invited = [{"agency": "health_visiting", "name": "HV Rose", "attended": True},
               {"agency": "police", "name": "DC Shaw", "attended": False}]  # fmt: skip
    held = client.patch(
        url,
        json={"held_on": "2027-01-07", "outcome": "child_protection_plan", "invitations": invited,
              "decisions": "Child protection plan, category neglect.", "minutes": "Minutes of the conference."},
        headers=mgr,
    )  # fmt: skip
    assert held.status_code == 200, held.text
    assert held.json()["status"] == "held" and held.json()["invitations"][1]["attended"] is False
    person_id = held.json()["person_id"]
    duties = client.get("/api/v1/duties", params={"person_id": person_id}, headers=mgr).json()
    assert [d["status"] for d in duties if d["rule_code"] == "strategy-to-icpc"] == ["acknowledged"]
    chronology = client.get(f"/api/v1/people/{person_id}/chronology", headers=mgr).json()["entries"]
    assert [e["event_id"] for e in chronology if e["type"] == "csc.conference"] == [held.json()["held_event_id"]]
    assert client.patch(url, json={"held_on": "2027-01-07", "outcome": "no_plan"}, headers=mgr).status_code == 409

    # A later strategy discussion while the child is on a plan does not start a second initial conference.
    record(client, mgr, "csc.strategy_discussion", child_record(312), "2027-01-07T12:00:00+00:00")
    rows = _calendar(client, mgr, first_subject(client, mgr, strategy))
    assert [(c["kind"], c["status"], c["due_on"]) for c in rows] == [
        ("initial", "held", "2027-01-07"),
        ("review", "due", "2027-04-07"),
    ]
    assert "3 months of the initial conference" in rows[1]["due_rule"]

    at("2027-04-07T18:00:00+00:00")
    review = client.patch(f"/api/v1/casework/conferences/{rows[1]['id']}",
                          json={"held_on": "2027-04-07", "outcome": "child_protection_plan"}, headers=mgr)  # fmt: skip
    assert review.status_code == 200
    later = [c for c in _calendar(client, mgr) if c["status"] == "due"]
    assert [(c["kind"], c["due_on"]) for c in later] == [("review", "2027-10-07")]
    assert "6 months" in later[0]["due_rule"]


def test_a_cancelled_conference_is_not_overdue(client: TestClient, login: Login) -> None:
    at("2027-03-31T12:00:00+00:00")
    users = staff(login)
    record(client, users["mgr"], "csc.strategy_discussion", child_record(313), "2027-03-05T11:00:00+00:00")
    initial = _calendar(client, users["mgr"])[0]
    assert initial["due_on"] == "2027-03-30" and initial["is_overdue"]  # across Good Friday and Easter Monday
    police = login("pc.dale", agency="police")
    assert client.get("/api/v1/casework/conferences", headers=police).status_code == 403
    reason = {"cancel_reason": "Section 47 enquiries found no continuing risk of significant harm."}
    cancelled = client.patch(f"/api/v1/casework/conferences/{initial['id']}", json=reason, headers=users["ann"])
    assert cancelled.status_code == 200
    assert (cancelled.json()["status"], cancelled.json()["is_overdue"]) == ("cancelled", False)


def test_csc_record_of_the_conference_marks_it_held_and_the_worker_confirms_the_outcome(
    client: TestClient, login: Login
) -> None:
    at("2022-09-01T12:00:00+00:00")  # S4: strategy discussion, then CSC's record of the conference
    mgr = staff(login)["mgr"]
    record(client, mgr, "csc.strategy_discussion", child_record(314), "2022-07-25T10:00:00+01:00")
    early = record(client, mgr, "csc.conference", child_record(314), "2022-07-20T10:00:00+01:00")  # before: not it
    held_by = record(client, mgr, "csc.conference", child_record(314), "2022-08-10T10:00:00+01:00",
                     decision="child protection plan", category="emotional abuse")  # fmt: skip
    initial = _calendar(client, mgr)[0]
    assert (initial["kind"], initial["due_on"], initial["status"]) == ("initial", "2022-08-15", "held")
    assert (initial["held_on"], initial["held_event_id"], initial["outcome"]) == ("2022-08-10", held_by, None)
    assert initial["held_event_id"] != early and not initial["is_overdue"]
    assert initial["decisions"].endswith("child protection plan; emotional abuse")
    assert [c["kind"] for c in _calendar(client, mgr)] == ["initial"]  # no review until the outcome is confirmed
    confirmed = client.patch(f"/api/v1/casework/conferences/{initial['id']}",
                             json={"outcome": "child_protection_plan"}, headers=mgr)  # fmt: skip
    assert confirmed.status_code == 200, confirmed.text
    review = [c for c in _calendar(client, mgr) if c["kind"] == "review"]
    assert [(c["due_on"], c["status"]) for c in review] == [("2022-11-10", "due")]


def test_each_child_named_in_a_strategy_discussion_is_owed_a_conference(client: TestClient, login: Login) -> None:
    at("2027-01-04T12:00:00+00:00")
    mgr = staff(login)["mgr"]
    body = event(
        agency="csc", type_="csc.strategy_discussion", occurred_at="2026-12-14T11:00:00+00:00", summary="Twins.",
        subjects=[{"role": "child", "person": child_record(315, "Ava")},
                  {"role": "child", "person": child_record(316, "Isla")}],
    )  # fmt: skip
    assert client.post("/api/v1/events", json=body, headers=mgr).status_code in (200, 201)
    rows = _calendar(client, mgr)
    assert sorted(c["name"] for c in rows) == ["Ava Hart", "Isla Hart"]
    assert {c["due_on"] for c in rows} == {"2027-01-07"}


def test_my_cases_shows_the_conference_owed_without_the_calendar_being_read(client: TestClient, login: Login) -> None:
    at("2026-12-15T12:00:00+00:00")
    users = staff(login)
    strategy = record(client, users["mgr"], "csc.strategy_discussion", child_record(317), "2026-12-14T11:00:00+00:00")
    body = {"person_id": first_subject(client, users["mgr"], strategy), "manager": "mgr.lee", "worker": "sw.ann"}
    assert client.post("/api/v1/casework/cases", json=body, headers=users["mgr"]).status_code == 201
    mine = client.get("/api/v1/casework/cases", params={"worker": "sw.ann"}, headers=users["ann"]).json()
    assert [(c["next"]["conference_kind"], c["next"]["conference_due_on"]) for c in mine] == [("initial", "2027-01-07")]
