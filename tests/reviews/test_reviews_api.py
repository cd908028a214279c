"""Reviews through the API: opened by hand for serious harm (S5: an infant's fractures), who may
open and read them, findings tagged with learning themes, the themes dashboard and its CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient

from lantern.common import clock
from tests.scenarios.replay import person_of, records, replay


def _riley(client: TestClient, login: Callable[..., dict[str, str]]) -> dict[str, Any]:
    """S5 replayed; Riley's fracture finding; a CSC manager and a partnership reviewer."""
    ids = replay(client, login, "s5")
    manager = login("csc.manager", agency="csc", role="manager")
    riley = person_of(client, manager, ids["S5-CSC-005"], "child")
    return {
        "ids": ids,
        "riley": riley,
        "manager": manager,
        "reviewer": login("panel.reviewer", agency="panel", role="reviewer"),
        "practitioner": login("csc.worker", agency="csc"),
    }


def _open(client: TestClient, s5: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    body = {
        "child_id": s5["riley"],
        "event_id": s5["ids"]["S5-RAD-002"],
        "kind": "serious_harm",
        "reason": "Multiple fractures of different ages in a non-mobile infant",
    }
    return client.post("/api/v1/reviews", json=body, headers=headers or s5["manager"])


def test_csc_manager_opens_a_review_for_serious_harm_by_hand(client, login) -> None:  # type: ignore[no-untyped-def]
    s5 = _riley(client, login)
    response = _open(client, s5)
    assert response.status_code == 201, response.text
    review = response.json()
    assert review["kind"] == "serious_harm" and review["child_name"].startswith("Riley")
    assert {d["title"] for d in review["deadlines"]} == {
        "Notify the Child Safeguarding Practice Review Panel",
        "Complete the rapid review",
    }
    [snap] = review["snapshots"]
    content = client.get(f"/api/v1/reviews/{review['id']}/snapshots/{snap['id']}", headers=s5["reviewer"]).json()
    refs = [e["source_ref"] for e in content["content"]["chronology"]]
    assert "S5-RAD-002" in refs and "S5-CSC-005" not in refs  # the strategy discussion came after the finding


def test_practitioners_may_not_open_or_read_reviews(client, login) -> None:  # type: ignore[no-untyped-def]
    s5 = _riley(client, login)
    assert _open(client, s5, s5["practitioner"]).status_code == 403
    review = _open(client, s5).json()
    assert client.get(f"/api/v1/reviews/{review['id']}", headers=s5["practitioner"]).status_code == 403
    assert client.get("/api/v1/reviews/themes", headers=s5["practitioner"]).status_code == 403


def test_a_review_must_cite_a_record_naming_the_child_once(client, login) -> None:  # type: ignore[no-untyped-def]
    s5 = _riley(client, login)
    body = {"child_id": s5["riley"], "event_id": s5["ids"]["S5-POL-001"], "reason": "x"}
    assert client.post("/api/v1/reviews", json=body, headers=s5["manager"]).status_code == 422
    assert _open(client, s5).status_code == 201
    assert _open(client, s5).status_code == 409


def test_findings_take_themes_from_the_controlled_list(client, login) -> None:  # type: ignore[no-untyped-def]
    s5 = _riley(client, login)
    review = _open(client, s5).json()
    url = f"/api/v1/reviews/{review['id']}/findings"
    bad = client.post(url, json={"text": "x", "themes": ["bad luck"], "agencies": ["csc"]}, headers=s5["reviewer"])
    assert bad.status_code == 422 and "bad luck" in bad.text
    body = {
        "text": "Weight not plotted on a growth chart",
        "themes": ["growth_not_plotted"],
        "agencies": ["health_visiting"],
    }
    assert client.post(url, json=body, headers=s5["practitioner"]).status_code == 403
    made = client.post(url, json=body, headers=s5["reviewer"])
    assert made.status_code == 201, made.text
    assert made.json()["theme_labels"] == ["Growth not plotted"]
    shown = client.get(f"/api/v1/reviews/{review['id']}", headers=s5["reviewer"]).json()
    assert [f["text"] for f in shown["findings"]] == ["Weight not plotted on a growth chart"]


def test_dashboard_counts_recurring_themes_across_reviews_and_exports_csv(client, login) -> None:  # type: ignore[no-untyped-def]
    s5 = _riley(client, login)
    riley_review = _open(client, s5).json()
    ids = replay_s4_death(client, login)
    reviews = client.get("/api/v1/reviews", headers=s5["reviewer"]).json()
    jacob_review = next(r for r in reviews if r["trigger_event_id"] == ids["S4-HOSP-004"])
    for review, agencies in ((riley_review, ["csc"]), (jacob_review, ["csc", "health_visiting"])):
        body = {"text": "Supervision was infrequent", "themes": ["supervision"], "agencies": agencies}
        assert client.post(f"/api/v1/reviews/{review['id']}/findings", json=body, headers=s5["reviewer"]).is_success
    body = {"text": "Handover delayed", "themes": ["handover"], "agencies": ["csc"]}
    client.post(f"/api/v1/reviews/{jacob_review['id']}/findings", json=body, headers=s5["reviewer"])
    board = client.get("/api/v1/reviews/themes", headers=s5["reviewer"]).json()
    first = board["themes"][0]
    assert (first["theme"], first["reviews"], first["findings"]) == ("supervision", 2, 2)
    assert first["by_period"] == {"2022 Q3": 1, "2023 Q2": 1}
    assert first["by_agency"] == {"csc": 2, "health_visiting": 1}
    exported = client.get("/api/v1/reviews/themes.csv", params={"by": "year"}, headers=s5["reviewer"])
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert rows[0]["theme"] == "supervision" and rows[0]["2022"] == "1" and rows[0]["2023"] == "1"
    assert rows[1]["theme"] == "handover" and rows[1]["agency: Children's social care"] == "1"


def replay_s4_death(client: TestClient, login: Callable[..., dict[str, str]]) -> dict[str, str]:
    """S4 replayed by its own senders, the clock at the morning of the death (the review opens then)."""
    clock.set_clock(lambda: datetime(2022, 9, 9, 6, 0, tzinfo=UTC))
    tokens: dict[str, dict[str, str]] = {}
    ids = {}
    for record in records("s4"):
        agency = record["source_agency"]
        tokens[agency] = tokens.get(agency) or login(f"{agency}.s4", agency=agency)
        response = client.post("/api/v1/events", json=record, headers=tokens[agency])
        assert response.status_code == 201, response.text
        ids[record["source_ref"]] = response.json()["results"][0]["event_id"]
    return ids


def test_snapshot_times_carry_an_offset_and_are_not_in_the_future(client, login) -> None:  # type: ignore[no-untyped-def]
    s5 = _riley(client, login)
    review = _open(client, s5).json()
    url = f"/api/v1/reviews/{review['id']}/snapshots"
    for refused in ("2023-04-04T12:00:00", "2999-01-01T00:00:00+00:00", "0001-01-01T00:00:00+00:00"):
        assert client.post(url, json={"as_at": refused}, headers=s5["reviewer"]).status_code == 422, refused
    taken = client.post(url, json={"as_at": "2023-04-04T12:00:00+01:00"}, headers=s5["reviewer"])
    assert taken.status_code == 201, taken.text
    snap = client.get(f"{url}/{taken.json()['id']}", headers=s5["reviewer"]).json()
    refs = {e["source_ref"] for e in snap["content"]["chronology"]}
    assert "S5-HOSP-003" in refs and "S5-RAD-001" not in refs  # the ED visit at 10:40, not the X-ray at 13:00
