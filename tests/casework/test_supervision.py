"""Supervision through the API on both backends: the required interval per worker (default 4 weeks,
a worker's own, 2 weeks with a complex case), overdue computed per worker from the day after the
due day, the team report with open actions from supervision; managers only."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.casework.helpers import Login, at, child, staff


def _setting(client: TestClient, mgr: dict[str, str], worker: str, **body: Any) -> None:
    body = {"supervisor": "mgr.lee", **body}
    response = client.put(f"/api/v1/casework/supervision/workers/{worker}", json=body, headers=mgr)
    assert response.status_code == 200, response.text


def _supervise(client: TestClient, mgr: dict[str, str], worker: str, held_on: str, **extra: Any) -> Any:
    body = {"worker": worker, "held_on": held_on, **extra}
    return client.post("/api/v1/casework/supervision", json=body, headers=mgr)


def test_supervision_overdue_is_computed_per_worker(client: TestClient, login: Login) -> None:
    at("2026-11-24T12:00:00+00:00")
    users = staff(login)
    mgr = users["mgr"]
    person_id = child(client, mgr)
    case = client.post(
        "/api/v1/casework/cases",
        json={"person_id": person_id, "manager": "mgr.lee", "worker": "sw.ben", "is_complex": True},
        headers=mgr,
    ).json()
    _setting(client, mgr, "sw.ann", started_on="2026-09-01")  # the default 28 days
    _setting(client, mgr, "sw.ben", started_on="2026-09-01", frequency_days=21)  # own 21, but a complex case: 14
    _setting(client, mgr, "sw.cat", started_on="2026-11-01")  # never supervised yet
    assert _supervise(client, mgr, "sw.ann", "2026-10-20").status_code == 201  # due 17 Nov: 7 days overdue
    held = _supervise(
        client, mgr, "sw.ben", "2026-11-10",
        decisions=[{"case_id": case["id"], "decision": "Step up visits to weekly."}],
        actions=[{"description": "Book the review conference", "owner": "sw.ben", "due_on": "2026-11-20",
                  "case_id": case["id"]}],
    )  # fmt: skip
    assert held.status_code == 201, held.text
    assert held.json()["decisions"][0]["decision"] == "Step up visits to weekly."

    report = client.get("/api/v1/casework/supervision/report", headers=mgr).json()
    lines = {w["worker"]: w for w in report["workers"]}
    assert set(lines) == {"sw.ann", "sw.ben", "sw.cat"}
    ann, ben, cat = lines["sw.ann"], lines["sw.ben"], lines["sw.cat"]
    assert (ann["frequency_days"], ann["due_on"], ann["is_overdue"], ann["days_overdue"]) == (28, "2026-11-17", True, 7)
    assert not ann["frequency_met"]
    assert (ben["frequency_days"], ben["frequency_source"], ben["due_on"]) == (14, "complex case", "2026-11-24")
    assert not ben["is_overdue"]  # due today: overdue from tomorrow
    assert (cat["last_held_on"], cat["due_on"], cat["is_overdue"]) == (None, "2026-11-29", False)
    assert report["workers"][0]["worker"] == "sw.ann"  # the overdue first
    assert [(a["owner"], a["is_overdue"]) for a in report["open_actions"]] == [("sw.ben", True)]

    at("2026-11-25T09:00:00+00:00")
    report = client.get("/api/v1/casework/supervision/report", headers=mgr).json()
    assert {w["worker"] for w in report["workers"] if w["is_overdue"]} == {"sw.ann", "sw.ben"}
    assert _supervise(client, mgr, "sw.ann", "2026-11-25").status_code == 201
    report = client.get("/api/v1/casework/supervision/report", headers=mgr).json()
    assert {w["worker"] for w in report["workers"] if w["is_overdue"]} == {"sw.ben"}

    action_id = report["open_actions"][0]["id"]
    assert client.post(f"/api/v1/casework/actions/{action_id}/done", headers=users["ben"]).status_code == 200
    assert client.get("/api/v1/casework/supervision/report", headers=mgr).json()["open_actions"] == []


def test_supervision_is_for_managers_and_recorded_once_held(client: TestClient, login: Login) -> None:
    at("2026-11-24T12:00:00+00:00")
    users = staff(login)
    assert client.get("/api/v1/casework/supervision/report", headers=users["ann"]).status_code == 403
    assert _supervise(client, users["ann"], "sw.ben", "2026-11-20").status_code == 403
    assert _supervise(client, users["mgr"], "sw.ann", "2026-11-25").status_code == 422
