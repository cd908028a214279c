"""S1: eighteen police DA incidents across three partners, then a baby's death.

Foundation: every record arrives through the API as its agency sends it, exactly once; the
mother's 18 police records resolve to one person; the chronology of records is complete.
"""

from __future__ import annotations

from tests.scenarios.replay import events_of, person_of, records, replay

INCIDENTS = [f"S1-POL-{n:03d}" for n in range(1, 19)]


def test_s1_mother_resolves_across_all_18_police_records(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s1")
    csc = login("csc.worker", agency="csc")
    mother = {person_of(client, csc, ids[ref], "victim") for ref in INCIDENTS}
    assert len(mother) == 1
    mothers_events = events_of(client, csc, mother.pop())
    incidents = [e for e in mothers_events if e["type"] == "police.domestic_abuse_incident"]
    assert sorted(e["source_ref"] for e in incidents) == INCIDENTS
    partners = {person_of(client, csc, ids[ref], "perpetrator") for ref in INCIDENTS}
    assert len(partners) == 3


def test_s1_health_records_of_the_baby_join_on_nhs_number(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s1")
    hv = login("hv.nurse", agency="health_visiting")
    baby_refs = ["S1-HOSP-002", "S1-HV-002", "S1-HV-003"]
    babies = {person_of(client, hv, ids[ref], "child") for ref in baby_refs}
    assert len(babies) == 1
    types = [e["type"] for e in events_of(client, hv, babies.pop())]
    assert types[0] == "child.death"
    assert "ambulance.call" in types


def test_s1_replayed_twice_stores_each_record_once(client, login) -> None:  # type: ignore[no-untyped-def]
    replay(client, login, "s1")
    admin = login("loader", agency="panel", role="admin")
    again = client.post("/api/v1/events", json=records("s1"), headers=admin).json()
    assert again["accepted"] == 0
    assert again["duplicates"] == len(records("s1"))
