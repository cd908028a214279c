"""S4 end to end: Jacob's death, as the hospital records it, opens the serious-incident review in the
same request. The review keeps a snapshot of the record as it stood, owes the national panel
notification in 5 working days and the rapid review in 15, and tells the staff who worked on the
case what is happening and who to talk to, while their access stays exactly as it was."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from lantern.common import clock
from tests.conftest import PASSWORD
from tests.scenarios.replay import person_of, records, run_scheduler

HOME = {"line1": "Room 5, Harbourlight House", "line2": "12 Cliffe Walk", "town": "Scarborough", "postcode": "YO11 2PX"}
JACOB_DOB = "2022-08-04"
LATER = {
    "source_agency": "police",
    "source_ref": "S4-POL-900",
    "type": "police.arrest",
    "occurred_at": "2022-09-09T11:00:00+01:00",
    "subjects": [
        {"role": "suspect", "person": {"given_name": "Carl", "family_name": "HEBDEN", "date_of_birth": "1988-05-19"}},
        {
            "role": "child",
            "person": {"given_name": "Jacob", "family_name": "Kettlewell", "date_of_birth": "2022-08-04"},
        },
    ],
    "summary": "Mother's partner arrested on suspicion of causing the death of a child (overlay)",
    "payload": {"offence": "causing or allowing the death of a child", "outcome": "released under investigation"},
}


class Case:
    """The S4 replay with the clock at each record's time, as it happened."""

    def __init__(self, client: TestClient, login: Callable[..., dict[str, str]]) -> None:
        self.client, self.login = client, login
        self.tokens: dict[str, dict[str, str]] = {}
        self.ids: dict[str, str] = {}

    def at(self, when: str) -> None:
        moment = datetime.fromisoformat(when)
        clock.set_clock(lambda: moment.astimezone(UTC))

    def post(self, record: dict[str, Any], minutes_later: int = 20) -> dict[str, Any]:
        when = datetime.fromisoformat(record.get("recorded_at") or record["occurred_at"])
        self.at((when + timedelta(minutes=minutes_later)).isoformat())
        agency = record["source_agency"]
        if agency not in self.tokens:
            self.tokens[agency] = self.login(f"{agency}.sender", agency=agency)
        response = self.client.post("/api/v1/events", json=record, headers=self.tokens[agency])
        assert response.status_code == 201, response.text
        self.ids[record["source_ref"]] = response.json()["results"][0]["event_id"]
        return dict(response.json())

    def until(self, last_ref: str) -> list[dict[str, Any]]:
        rest = records("s4")
        while rest:
            record = rest.pop(0)
            self.post(record)
            if record["source_ref"] == last_ref:
                break
        return rest


def _token(client: TestClient, username: str) -> dict[str, str]:
    """Bearer headers for a user made earlier."""
    response = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _worked_case(client: TestClient, login: Callable[..., dict[str, str]]) -> tuple[Case, dict[str, Any]]:
    """Replay to the conference; the plan is made; staff read the record; the rest up to the death."""
    case = Case(client, login)
    rest = case.until("S4-CSC-007")
    worker = login("priya.holroyd", agency="csc")
    login("martin.quayle", agency="csc", role="manager")
    hv = login("hv.nadia", agency="health_visiting")
    login("bystander.sam", agency="csc")  # never touches Jacob's record
    jacob = person_of(client, worker, case.ids["S4-CSC-007"], "child")
    body = {
        "child_id": jacob,
        "kind": "cp",
        "category": "emotional",
        "lead_professional": "priya.holroyd",
        "manager": "martin.quayle",
        "home_address": HOME,
        "conditions": [{"kind": "report_overnight_stays"}],
        "start_on": "2022-08-10",
    }
    assert client.post("/api/v1/plans", json=body, headers=worker).status_code == 201
    case.at("2022-08-20T09:00:00+01:00")
    assert client.get(f"/api/v1/people/{jacob}/chronology", headers=hv).status_code == 200
    for record in rest:
        case.post(record)
    return case, {"jacob": jacob, "worker": worker, "hv": hv}


def test_s4_death_opens_the_review_with_the_panel_notification_due_in_5_working_days(client, login) -> None:  # type: ignore[no-untyped-def]
    case, who = _worked_case(client, login)
    reviewer = login("rhiannon.panel", agency="panel", role="reviewer")
    found = client.get("/api/v1/reviews", params={"child_id": who["jacob"]}, headers=reviewer).json()
    assert len(found) == 1
    review = found[0]
    assert review["kind"] == "death" and review["trigger_event_id"] == case.ids["S4-HOSP-004"]
    due = {d["title"]: datetime.fromisoformat(d["due_at"]) for d in review["deadlines"]}
    # Aware on Friday 9 September 2022: five working days run Mon 12 - Fri 16 September.
    assert due["Notify the Child Safeguarding Practice Review Panel"] == datetime(2022, 9, 16, 22, 59, 59, tzinfo=UTC)
    # Fifteen working days skip Monday 19 September 2022, the bank holiday of the Queen's state funeral.
    assert due["Complete the rapid review"] == datetime(2022, 10, 3, 22, 59, 59, tzinfo=UTC)
    duties = client.get("/api/v1/duties", params={"person_id": who["jacob"]}, headers=reviewer).json()
    panel = [d for d in duties if d["rule_code"] == "review-panel-notification"]
    assert len(panel) == 1 and panel[0]["recipient_agency"] == "panel"
    case.at("2022-09-17T09:00:00+01:00")  # Saturday, the notification not yet made
    run_scheduler(client.app.state.settings)
    shown = client.get(f"/api/v1/reviews/{review['id']}", headers=reviewer).json()
    statuses = [d["status"] for d in shown["deadlines"]]
    assert statuses == ["overdue", "delivered"]  # the notification, then the rapid review


def test_s4_a_second_record_of_the_death_opens_no_second_review(client, login) -> None:  # type: ignore[no-untyped-def]
    case, who = _worked_case(client, login)
    police = dict(records("s4")[-1], source_agency="police", source_ref="S4-POL-901")
    case.post(police)
    reviewer = login("rhiannon.panel", agency="panel", role="reviewer")
    assert len(client.get("/api/v1/reviews", params={"child_id": who["jacob"]}, headers=reviewer).json()) == 1
    by_hand = {"child_id": who["jacob"], "event_id": case.ids["S4-POL-901"], "kind": "death", "reason": "death"}
    assert client.post("/api/v1/reviews", json=by_hand, headers=reviewer).status_code == 409


def test_s4_snapshot_holds_the_record_as_it_stood_at_the_death(client, login) -> None:  # type: ignore[no-untyped-def]
    case, who = _worked_case(client, login)
    case.post(LATER)  # the partner's arrest, after the death
    reviewer = login("rhiannon.panel", agency="panel", role="reviewer")
    review = client.get("/api/v1/reviews", params={"child_id": who["jacob"]}, headers=reviewer).json()[0]
    first = review["snapshots"][0]
    assert datetime.fromisoformat(first["as_at"]) == datetime.fromisoformat("2022-09-09T05:31:00+01:00")
    snap = client.get(f"/api/v1/reviews/{review['id']}/snapshots/{first['id']}", headers=reviewer).json()
    assert snap["is_intact"]
    refs = {e["source_ref"] for e in snap["content"]["chronology"]}
    assert {"S4-CSC-007", "S4-AMB-001", "S4-HOSP-003", "S4-HOSP-004", "S4-POL-001"} <= refs
    assert "S4-POL-900" not in refs
    live = client.get(f"/api/v1/people/{who['jacob']}/chronology", headers=who["worker"]).json()
    assert "S4-POL-900" in {e["source_ref"] for e in live["entries"]}
    [plan] = snap["content"]["plans"]
    overnight = plan["conditions"][0]
    assert overnight["status"] == "breached"  # the night-time ambulance call, before the death
    names = {m["name"] for m in snap["content"]["network"]}
    assert "Amber Kettlewell" in names


def test_s4_a_snapshot_at_a_chosen_earlier_time_leaves_out_what_came_after(client, login) -> None:  # type: ignore[no-untyped-def]
    case, who = _worked_case(client, login)
    reviewer = login("rhiannon.panel", agency="panel", role="reviewer")
    review = client.get("/api/v1/reviews", params={"child_id": who["jacob"]}, headers=reviewer).json()[0]
    case.at("2022-09-12T10:00:00+01:00")
    body = {"as_at": "2022-09-09T04:30:00+01:00"}  # after the ambulance call, before the hospital
    taken = client.post(f"/api/v1/reviews/{review['id']}/snapshots", json=body, headers=reviewer)
    assert taken.status_code == 201, taken.text
    snap = client.get(f"/api/v1/reviews/{review['id']}/snapshots/{taken.json()['id']}", headers=reviewer).json()
    refs = {e["source_ref"] for e in snap["content"]["chronology"]}
    assert "S4-AMB-001" in refs
    assert not {"S4-HOSP-003", "S4-HOSP-004"} & refs
    statuses = {d["rule_code"]: d["status"] for d in snap["content"]["duties"]}
    assert "review-panel-notification" not in statuses  # the review's own duties came later


def test_s4_staff_keep_access_and_see_the_review_notice(client, login) -> None:  # type: ignore[no-untyped-def]
    case, who = _worked_case(client, login)
    case.at("2022-09-09T09:00:00+01:00")
    for headers in (who["worker"], who["hv"]):
        assert client.get(f"/api/v1/people/{who['jacob']}/chronology", headers=headers).status_code == 200
        assert client.get(f"/api/v1/people/{who['jacob']}/network", headers=headers).status_code == 200
        [notice] = client.get("/api/v1/reviews/notices", headers=headers).json()
        assert notice["child_name"] == "Jacob Kettlewell"
        assert "not a disciplinary process" in notice["message"]
        assert "access to the record has not changed" in notice["message"]
        assert any(c["name"] == "Safeguarding partnership business manager" for c in notice["contacts"])
    [priya] = client.get("/api/v1/reviews/notices", headers=who["worker"]).json()
    assert "leads the child's plan" in priya["involvement"]
    assert priya["contacts"][0]["name"] == "Principal social worker"  # her agency's own support first
    assert client.get("/api/v1/reviews/notices", headers=_token(client, "bystander.sam")).json() == []
    reviewer = login("rhiannon.panel", agency="panel", role="reviewer")
    review = client.get("/api/v1/reviews", params={"child_id": who["jacob"]}, headers=reviewer).json()[0]
    seen = {s["username"]: s["seen_at"] is not None for s in review["staff"]}
    assert seen["priya.holroyd"] and seen["hv.nadia"] and not seen["martin.quayle"]
    assert "bystander.sam" not in seen and "rhiannon.panel" not in seen
    update = {"message": "The rapid review meets on 26 September; your manager will say if you are asked."}
    assert client.post(f"/api/v1/reviews/{review['id']}/updates", json=update, headers=reviewer).status_code == 201
    assert client.post(f"/api/v1/reviews/{review['id']}/updates", json=update, headers=who["worker"]).status_code == 403
    [priya] = client.get("/api/v1/reviews/notices", headers=who["worker"]).json()
    assert [u["message"] for u in priya["updates"]] == [update["message"]]


def test_s4_review_is_for_partnership_reviewers_and_csc_managers(client, login) -> None:  # type: ignore[no-untyped-def]
    case, who = _worked_case(client, login)
    assert client.get("/api/v1/reviews", headers=who["worker"]).status_code == 403
    assert len(client.get("/api/v1/reviews", headers=_token(client, "martin.quayle")).json()) == 1
