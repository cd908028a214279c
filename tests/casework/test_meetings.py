"""Standing multi-agency meetings through the API on both backends: twice weekly by default; a
sitting's agenda lists the duties gone overdue since the last sitting (new) and before (carried
over); attendance by agency and an actions log; any agency's caseworkers take part."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.casework.helpers import Login, at, child, staff
from tests.scenarios.replay import replay


def test_sitting_agenda_attendance_and_actions(client: TestClient, login: Login) -> None:
    users = staff(login)
    mgr, police = users["mgr"], login("pc.dale", agency="police")
    at("2027-03-22T09:00:00+00:00")  # Monday
    series = client.post("/api/v1/casework/meetings", json={"title": "Infant injury meeting",
                         "agencies": ["csc", "police", "health_visiting"]}, headers=police)  # fmt: skip
    assert series.status_code == 201, series.text
    assert series.json()["weekdays"] == [1, 4]  # Tuesday and Friday
    assert [s[:10] for s in series.json()["next_sittings"]] == ["2027-03-23", "2027-03-30", "2027-04-02"]

    person_id = child(client, mgr, occurred_at="2027-03-01T10:00:00+00:00")
    client.post("/api/v1/casework/cases", json={"person_id": person_id, "manager": "mgr.lee"}, headers=mgr)
    at("2027-03-23T09:30:00+00:00")  # allocation due by the end of Tuesday 23rd: not yet overdue
    first = client.post(f"/api/v1/casework/meetings/{series.json()['id']}/sittings", headers=police)
    assert first.status_code == 201, first.text
    duties = [(i["title"], i["is_new"]) for i in first.json()["agenda"] if i["kind"] == "duty"]
    assert duties == [("Decide what happens to a referral within one working day", False)]  # overdue before
    closed = client.patch(f"/api/v1/casework/sittings/{first.json()['id']}", json={"close": True}, headers=police)
    assert closed.json()["status"] == "closed"

    at("2027-03-30T09:30:00+00:00")  # next Tuesday, after Easter
    second = client.post(f"/api/v1/casework/meetings/{series.json()['id']}/sittings", headers=mgr).json()
    assert second["since"].startswith("2027-03-23")
    duties = [(i["title"], i["is_new"], i["person_id"]) for i in second["agenda"] if i["kind"] == "duty"]
    assert duties == [
        ("Decide what happens to a referral within one working day", False, person_id),
        ("Allocate a social worker to this case", True, person_id),
    ]
    change = {
        "attendance": [{"agency": "police", "name": "DC Shaw"}, {"agency": "csc", "name": "Lee (team manager)"}],
        "notes": "Case to be allocated today.",
        "actions": [{"description": "Allocate a social worker", "owner": "mgr.lee", "due_on": "2027-03-30"}],
    }
    updated = client.patch(f"/api/v1/casework/sittings/{second['id']}", json=change, headers=police)
    assert updated.status_code == 200, updated.text
    body = updated.json()
    assert [a["agency"] for a in body["attendance"]] == ["police", "csc"]
    assert [(a["owner"], a["status"], a["is_overdue"]) for a in body["actions"]] == [("mgr.lee", "open", False)]
    bad = client.patch(f"/api/v1/casework/sittings/{second['id']}", json={"attendance": [{"agency": "nasa",
                       "name": "x"}]}, headers=police)  # fmt: skip
    assert bad.status_code == 422
    school = login("dsl.kim", agency="education", role="reviewer")
    assert client.get(f"/api/v1/casework/sittings/{second['id']}", headers=school).status_code == 403


def test_agenda_lists_pattern_alerts_about_children_in_records_since_the_last_sitting(
    client: TestClient, login: Login
) -> None:
    police = login("pc.dale", agency="police")
    series = client.post("/api/v1/casework/meetings", json={"title": "Daily risk meeting"}, headers=police).json()
    replay(client, login, "s1")  # accumulating domestic abuse around a child
    sitting = client.post(f"/api/v1/casework/meetings/{series['id']}/sittings", headers=police)
    assert sitting.status_code == 201, sitting.text
    alerts = [i for i in sitting.json()["agenda"] if i["kind"] == "alert"]
    assert alerts and all(a["is_new"] and a["person_id"] and a["name"] for a in alerts)
