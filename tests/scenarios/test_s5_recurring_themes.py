"""S5: a teenage mother, a baby discharged despite the records, weights never plotted."""

from __future__ import annotations

from tests.scenarios.replay import events_of, person_of, replay


def test_s5_every_weight_is_held_on_one_baby(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s5")
    hv = login("hv.nurse", agency="health_visiting")
    baby = person_of(client, hv, ids["S5-HV-001"], "child")
    weights = [
        e["payload"]["weight_grams"]
        for e in reversed(events_of(client, hv, baby))
        if e["type"] == "health_visitor.contact" and "weight_grams" in e["payload"]
    ]
    assert weights == [3700, 4010, 4370, 4630, 4780]


def test_s5_teenage_disclosure_is_recorded_as_a_disclosure(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s5")
    school = login("school.dsl", agency="education")
    concern = client.get(f"/api/v1/events/{ids['S5-EDU-001']}", headers=school).json()
    assert concern["payload"]["is_disclosure"] is True
