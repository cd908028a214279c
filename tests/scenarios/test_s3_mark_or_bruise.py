"""S3: a "mark" to one professional, a "bruise" to another, fractures found by radiology."""

from __future__ import annotations

from tests.scenarios.replay import events_of, person_of, replay


def test_s3_mark_and_bruise_records_are_on_one_child(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s3")
    hv = login("hv.nurse", agency="health_visiting")
    baby = person_of(client, hv, ids["S3-HV-002"], "child")
    refs = {e["source_ref"] for e in events_of(client, hv, baby)}
    assert {"S3-HV-002", "S3-GP-001", "S3-RAD-001", "S3-RAD-002"} <= refs


def test_s3_radiology_findings_are_fractures(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s3")
    csc = login("csc.worker", agency="csc")
    findings = [
        client.get(f"/api/v1/events/{ids[r]}", headers=csc).json()["payload"]["finding"]
        for r in ("S3-RAD-001", "S3-RAD-002")
    ]
    assert findings == ["fracture", "healing_fracture"]
