"""S2 replayed through the API: the father's conviction registers him; the booking and the housing
application that name him as "Thackery" alert CSC and the managing officer before the birth."""

from __future__ import annotations

from tests.scenarios.replay import person_of, records


def _ingest(client, login, until: str | None = None) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """S2 sent as one batch (as `lantern ingest` stores a file), up to (not including) `until`."""
    batch = []
    for record in records("s2"):
        if record["source_ref"] == until:
            break
        batch.append(record)
    admin = login("loader", agency="police", role="admin")
    response = client.post("/api/v1/events", json=batch, headers=admin)
    assert response.status_code == 201, response.text
    return {r["source_ref"]: r["event_id"] for r in response.json()["results"]}


def test_s2_conviction_registers_the_father(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = _ingest(client, login)
    police = login("police.ppu", agency="police")
    father = person_of(client, police, ids["S2-POL-002"], "offender")
    [entry] = client.get("/api/v1/register", headers=police).json()
    assert entry["person_id"] == father
    assert entry["offences"][0]["code"] == "CYPA1933-S1(1)"
    assert entry["offences"][0]["statute"].startswith("Children and Young Persons Act 1933")
    assert (entry["offences"][0]["victim_age_years"], entry["offences"][0]["victim_relationship"]) == (0, "son")
    assert (entry["monitoring_years"], entry["monitoring_ends_on"]) == (10, "2026-06-16")
    assert "Jason Thackery" in entry["aliases"]
    addresses = {a["postcode"]: a["notification"] for a in entry["addresses"]}
    assert addresses["LN2 5RS"] == "notified" and addresses["NN8 4QD"] == "notified"  # police, probation records
    assert addresses["NN3 6RW"] == "overdue"  # the booking and housing application: never notified


def test_s2_alert_before_the_birth_names_the_record_and_evidence(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = _ingest(client, login, until="S2-HOSP-001")
    police = login("police.ppu", agency="police")
    csc = login("csc.worker", agency="csc")
    alerts = client.get("/api/v1/register/alerts", headers=police).json()
    pregnancy = next(a for a in alerts if a["kind"] == "pregnancy")
    assert pregnancy["trigger_event_id"] == ids["S2-MW-001"]
    assert "Thackery" in pregnancy["explanation"] and "S2-MW-001" in pregnancy["explanation"]
    assert any("linkage model" in line for line in pregnancy["evidence"])
    assert ids["S2-HSG-001"] in pregnancy["event_ids"]  # the housing application: same household, no second alert
    duties = client.get("/api/v1/duties?status=open", headers=csc).json()
    to_csc = [d for d in duties if d["rule_code"] == "register-household-alert-csc"]
    assert [d["content"]["alert_id"] for d in to_csc] == [pregnancy["id"]]
    officer = client.get("/api/v1/duties?status=open", headers=police).json()
    assert pregnancy["id"] in {d["content"]["alert_id"] for d in officer if d["rule_code"].startswith("register-house")}
    # ... and the pre-birth assessment is triggered: children's social care owes one about the mother.
    [pre_birth] = [d for d in duties if d["rule_code"] == "register-pre-birth-assessment"]
    assert pre_birth["content"]["alert_id"] == pregnancy["id"]
    mother = client.get(f"/api/v1/people/{pre_birth['person_id']}", headers=csc).json()
    assert (mother["given_name"], mother["family_name"]) == ("Chelsea", "Moorcroft")
    assert "offence" not in str(pre_birth["content"]).lower()


def test_s2_alert_is_re_raised_when_the_household_grows(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = _ingest(client, login)
    police = login("police.ppu", agency="police")
    alerts = client.get("/api/v1/register/alerts", headers=police).json()
    open_alerts = [a for a in alerts if a["status"] == "open"]
    assert len(open_alerts) == 1  # one household, the latest picture of it
    assert {a["status"] for a in alerts if a["kind"] == "pregnancy"} == {"superseded"}
    assert open_alerts[0]["replaces_id"] in {a["id"] for a in alerts}
    assert ids["S2-MW-001"] in open_alerts[0]["event_ids"]  # the household's history goes with it
    names = {m["name"] for m in open_alerts[0]["household"]}
    assert {"Oliver Moorcroft", "Freddie Moorcroft"} <= names
    assert ids["S2-HOSP-003"] in {e for a in alerts for e in a["event_ids"]}


def test_s2_health_visitor_sees_the_action_not_the_offence(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = _ingest(client, login)
    hv = login("hv.nurse", agency="health_visiting")
    mother = person_of(client, hv, ids["S2-MW-001"], "mother")
    [shown] = [
        a for a in client.get(f"/api/v1/register/alerts?person_id={mother}", headers=hv).json() if a["status"] == "open"
    ]
    assert shown["action"].startswith("Contact the police public protection unit")
    assert shown["explanation"] is None and shown["evidence"] is None and shown["entry_id"] is None
    assert "cruelty" not in str(shown).lower()
