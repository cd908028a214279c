"""Injuries through the API on both backends. S3: a midwife's "mark" and a GP's "bruise" on a
3-week-old's cheek are one injury type on the body map; the bruising rule raises its duties."""

from __future__ import annotations

from tests.scenarios.replay import person_of, replay


def _injury(term: str, seen_on: str, seen_by: str) -> dict[str, object]:
    return {
        "seen_on": seen_on,
        "term": term,
        "region": "cheek_left",
        "size_cm": 1.0,
        "colour": "red/purple",
        "seen_by": seen_by,
        "explanation_given": "scratch from a sleepsuit popper",
        "mobility": "non_mobile",
    }


def test_s3_mark_and_bruise_are_one_injury_type_and_the_rule_fires(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s3")
    midwife = login("mw.midwife", agency="midwifery")
    gp = login("gp.doctor", agency="gp")
    theo = person_of(client, gp, ids["S3-GP-001"], "patient")
    for who, term, day, seen_by in (
        (midwife, "mark", "2019-04-23", "Community midwife"),
        (gp, "bruise", "2019-04-25", "GP"),
    ):
        response = client.post(f"/api/v1/assessments/injuries/{theo}", json=_injury(term, day, seen_by), headers=who)
        assert response.status_code == 201, response.text
    injuries = client.get(f"/api/v1/assessments/injuries/{theo}", headers=gp).json()["injuries"]
    assert [(i["term"], i["injury_type"], i["region"]) for i in injuries] == [
        ("mark", "bruise", "cheek_left"),
        ("bruise", "bruise", "cheek_left"),
    ]
    reasons = injuries[0]["rule_reasons"]
    assert any("not independently mobile" in r for r in reasons)
    assert any("a cheek" in r for r in reasons) and any("4.99 months" in r for r in reasons)
    csc = login("csc.worker", agency="csc")
    duties = client.get("/api/v1/duties", params={"person_id": theo}, headers=csc).json()
    raised = [d for d in duties if d["rule_code"].startswith("injury-bruising")]
    assert {d["rule_code"] for d in raised} == {"injury-bruising-to-csc", "injury-bruising-cp-medical"}
    assert len(raised) == 4  # one of each for the midwife's record and for the GP's
    to_csc = [d for d in raised if d["recipient_agency"] == "csc"]  # content only for the two agencies
    assert all("bruising rule fires" in d["content"]["bruising_rule"] for d in to_csc)


def test_an_injury_outside_the_vocabulary_is_refused_and_a_graze_raises_no_duty(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s3")
    gp = login("gp.doctor", agency="gp")
    theo = person_of(client, gp, ids["S3-GP-001"], "patient")
    wrong = {**_injury("blemish", "2019-04-25", "GP")}
    assert client.post(f"/api/v1/assessments/injuries/{theo}", json=wrong, headers=gp).status_code == 422
    graze = _injury("abrasion", "2019-04-25", "GP")
    assert client.post(f"/api/v1/assessments/injuries/{theo}", json=graze, headers=gp).status_code == 201
    injuries = client.get(f"/api/v1/assessments/injuries/{theo}", headers=gp).json()["injuries"]
    assert injuries[0]["rule_reasons"] == []
    chronology = client.get(f"/api/v1/people/{theo}/chronology", headers=gp).json()
    assert any("was seen with an abrasion on the left cheek" in e["plain"] for e in chronology["entries"])
