"""Growth through the API on both backends: S5's weights on the UK-WHO chart raise the NG75
faltering-growth concern and alert; a measurement recorded in Lantern joins the chronology."""

from __future__ import annotations

from sqlalchemy import select

from lantern.audit.models import AuditEntry
from tests.scenarios.replay import person_of, replay


def test_s5_weights_fall_across_two_centile_spaces_and_raise_the_alert(client, login, db) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s5")
    hv = login("hv.nurse", agency="health_visiting")
    baby = person_of(client, hv, ids["S5-HV-001"], "child")
    growth = client.get(f"/api/v1/assessments/growth/{baby}", headers=hv).json()
    weights = [m for m in growth["measurements"] if m["kind"] == "weight"]
    assert [round(m["value"], 2) for m in weights] == [3.5, 3.7, 4.01, 4.37, 4.63, 4.78]
    assert round(weights[0]["centile"]) == 45 and round(weights[-1]["centile"]) == 3
    (concern,) = growth["concerns"]
    assert concern["code"] == "faltering_growth_centile_fall"
    assert concern["event_ids"] == [ids["S5-HOSP-001"], ids["S5-HV-006"]]
    assert "2 or more" in concern["threshold"]
    alerts = client.get("/api/v1/alerts", params={"person_id": baby}, headers=hv).json()
    assert "faltering_growth_centile_fall" in {a["rule_code"] for a in alerts}
    reads = db.execute(select(AuditEntry).where(AuditEntry.object_id == baby, AuditEntry.action == "read")).scalars()
    assert any(entry.detail.get("view") == "growth" for entry in reads)


def test_a_recorded_measurement_is_plotted_and_in_the_chronology(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s5")
    gp = login("gp.doctor", agency="gp")
    baby = person_of(client, gp, ids["S5-HV-001"], "child")
    body = {"measured_on": "2023-03-02", "weight_kg": 4.52, "length_cm": 57.0}
    response = client.post(f"/api/v1/assessments/growth/{baby}", json=body, headers=gp)
    assert response.status_code == 201, response.text
    event_id = response.json()["event_id"]
    growth = client.get(f"/api/v1/assessments/growth/{baby}", headers=gp).json()
    mine = [m for m in growth["measurements"] if m["event_id"] == event_id]
    assert {m["kind"] for m in mine} == {"weight", "height"}
    chronology = client.get(f"/api/v1/people/{baby}/chronology", headers=gp).json()
    entry = next(e for e in chronology["entries"] if e["event_id"] == event_id)
    assert "was measured for the growth chart: weight 4.52 kg, length 57.0 cm" in entry["plain"]


def test_only_health_agencies_record_and_reviewers_only_read(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s5")
    csc = login("csc.worker", agency="csc")
    baby = person_of(client, csc, ids["S5-HV-001"], "child")
    body = {"measured_on": "2023-03-02", "weight_kg": 4.52}
    assert client.post(f"/api/v1/assessments/growth/{baby}", json=body, headers=csc).status_code in (403, 422)
    reviewer = login("panel.reviewer", agency="panel", role="reviewer")
    assert client.get(f"/api/v1/assessments/growth/{baby}", headers=reviewer).status_code == 200
    assert client.post(f"/api/v1/assessments/growth/{baby}", json=body, headers=reviewer).status_code == 403
    empty = {"measured_on": "2023-03-02"}
    hv = login("hv.nurse", agency="health_visiting")
    assert client.post(f"/api/v1/assessments/growth/{baby}", json=empty, headers=hv).status_code == 422
