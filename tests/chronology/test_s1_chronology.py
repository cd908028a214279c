"""S1 through the public API: the family chronology lists all 18 DA incidents across the
mother's partners in plain English, the jargon lint finds nothing, and the accumulation alert
fires naming the incidents.

What the scenario links today (exact identifiers only): the baby's health records join on his NHS
number; his mother's health records join on hers; her 18 police records join on her police id.
Her police and health records are different people until identity resolution merges them, so
the family chronology reaches the police records through the household: the police recorded the
mother and Ricky Danvers at the baby's address (9 Hobnail Green) while he lived there.
"""

from __future__ import annotations

from tests.chronology.helpers import INCIDENTS, baby_of_s1
from tests.scenarios.replay import records, replay


def test_s1_family_chronology_lists_all_18_incidents_in_plain_english(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s1")
    csc = login("csc.worker", agency="csc")
    baby = baby_of_s1(client, csc, ids)
    body = client.get(f"/api/v1/people/{baby}/chronology?scope=family", headers=csc).json()
    incidents = [e for e in body["entries"] if e["type"] == "police.domestic_abuse_incident"]
    assert sorted(e["source_ref"] for e in incidents) == INCIDENTS
    assert body["unexplained"] == []
    assert all("NFA" not in e["plain"] and "DASH" not in e["plain"] for e in incidents)
    assert any("NFA" in e["original"] for e in incidents)
    first = next(e for e in incidents if e["source_ref"] == "S1-POL-001")
    assert first["plain"].startswith("Police attended a domestic abuse incident")
    assert "no further action" in first["plain"].lower()
    times = [e["occurred_at"] for e in body["entries"]]
    assert times == sorted(times)
    # Filters: police's incidents of one year, the dates inclusive.
    year = incidents[len(incidents) // 2]["occurred_at"][:4]
    police = f"/api/v1/people/{baby}/chronology?scope=family&agency=police&type=police.domestic_abuse_incident"
    within = client.get(f"{police}&from={year}-01-01&to={year}-12-31", headers=csc).json()
    expected = sorted(e["source_ref"] for e in incidents if e["occurred_at"].startswith(year))
    assert sorted(e["source_ref"] for e in within["entries"]) == expected
    assert within["count"] == len(expected) > 0
    assert [e["occurred_at"] for e in within["entries"]] == sorted(e["occurred_at"] for e in within["entries"])


def test_s1_person_scope_shows_only_the_babys_own_records(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s1")
    csc = login("csc.worker", agency="csc")
    baby = baby_of_s1(client, csc, ids)
    body = client.get(f"/api/v1/people/{baby}/chronology", headers=csc).json()
    assert {e["type"] for e in body["entries"]} >= {"birth.notification", "child.death"}
    # Only the incidents at which the baby himself was recorded (the police record of him is
    # joined to his health record by identity resolution), not all 18 of the family's.
    baby_incidents = {
        r["source_ref"]
        for r in records("s1")
        if r["type"] == "police.domestic_abuse_incident"
        and any(s["person"]["given_name"] == "Mason" for s in r["subjects"])
    }
    shown = {e["source_ref"] for e in body["entries"] if e["type"] == "police.domestic_abuse_incident"}
    assert shown == baby_incidents and 0 < len(shown) < 18


def test_s1_accumulation_alert_fires_across_the_mothers_partners(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s1")
    csc = login("csc.worker", agency="csc")
    baby = baby_of_s1(client, csc, ids)
    alerts = client.get(f"/api/v1/alerts?person_id={baby}", headers=csc).json()
    across = [a for a in alerts if a["rule_code"] == "da-accumulation" and "3 different partners" in a["explanation"]]
    assert len(across) == 1
    assert sorted(across[0]["event_ids"]) == sorted(ids[ref] for ref in INCIDENTS)
    assert all(ref in across[0]["explanation"] for ref in INCIDENTS)
    again = client.get(f"/api/v1/alerts?person_id={baby}", headers=csc).json()
    assert len(again) == len(alerts)  # stored once, not raised again
