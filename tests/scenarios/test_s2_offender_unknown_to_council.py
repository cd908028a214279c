"""S2: a father convicted of cruelty to an earlier son, then a new family elsewhere."""

from __future__ import annotations

from tests.scenarios.replay import events_of, person_of, replay, run_scheduler


def test_s2_conviction_is_held_with_its_details(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s2")
    police = login("police.ppu", agency="police")
    conviction = client.get(f"/api/v1/events/{ids['S2-POL-002']}", headers=police).json()
    assert conviction["payload"]["victim_is_child"] is True
    assert conviction["payload"]["victim_age_years"] == 0
    assert conviction["payload"]["sentence_months"] == 12


def test_s2_gp_change_without_record_transfer_is_recorded(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s2")
    gp = login("gp.doc", agency="gp")
    registration = client.get(f"/api/v1/events/{ids['S2-GP-005']}", headers=gp).json()
    assert registration["payload"]["records_transferred"] is False
    mother = person_of(client, gp, ids["S2-GP-001"], "patient")
    mothers = [e["source_ref"] for e in events_of(client, gp, mother)]
    assert {"S2-GP-001", "S2-GP-003", "S2-GP-004", "S2-GP-007"} <= set(mothers)


def test_s2_father_variant_spelling_is_kept(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s2")
    csc = login("csc.worker", agency="csc")
    booking = client.get(f"/api/v1/events/{ids['S2-MW-001']}", headers=csc).json()
    father = next(s for s in booking["subjects"] if s["role"] == "father")
    assert father["record"]["family_name"] == "Thackery"


def test_s2_housing_application_asks_police_and_csc_to_check_each_adult(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s2")
    reviewer = login("panel.reviewer", agency="panel", role="reviewer")
    checks = [d for d in client.get("/api/v1/duties", headers=reviewer).json() if d["event_id"] == ids["S2-HSG-001"]]
    assert {d["rule_code"] for d in checks} == {"housing-application-police-check", "housing-application-csc-check"}
    adults = {d["person_id"] for d in checks}
    assert len(adults) == 2
    assert all(d["recipient_agency"] in {"police", "csc"} for d in checks)


def test_s2_gp_move_without_records_is_chased(client, login, settings) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s2")
    run_scheduler(settings)
    gp = login("gp.doc", agency="gp")
    chased = [d for d in client.get("/api/v1/duties", headers=gp).json() if d["rule_code"] == "gp-record-transfer"]
    assert {d["event_id"] for d in chased} == {ids["S2-GP-005"], ids["S2-GP-006"]}
    assert {d["status"] for d in chased} == {"escalated"}
