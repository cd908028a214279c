"""Disclosures through the API on both backends: the referral duty at the age boundaries 13/14 and
17/18 (18 on the birthday, a day the engine's 365.25-day years would still call 17), and S5's
15-year-old who told her form tutor of a suicide pact, as a child's disclosure."""

from __future__ import annotations

import pytest

from tests.scenarios.replay import person_of, replay

DISCLOSED_ON = "2023-03-01"


def _pupil(client, school, born_on: str, n: int) -> str:  # type: ignore[no-untyped-def]
    record = {
        "source_agency": "education",
        "source_ref": f"T-EDU-{n}",
        "type": "school.concern",
        "occurred_at": "2023-01-10T10:00:00+00:00",
        "subjects": [
            {
                "person": {
                    "given_name": f"Pupil{n}",
                    "family_name": "Boundary",
                    "date_of_birth": born_on,
                    "local_id": f"ED-T{n}",
                },
                "role": "pupil",
            },
        ],  # fmt: skip
        "summary": "Attendance below 90%.",
        "payload": {"category": "attendance"},
    }
    response = client.post("/api/v1/events", json=record, headers=school)
    assert response.status_code == 201, response.text
    return person_of(client, school, response.json()["results"][0]["event_id"], "pupil")


def _disclose(concerns: list[str], **extra: object) -> dict[str, object]:
    return {"disclosed_on": DISCLOSED_ON, "concerns": concerns, "account": "said it happens at home",
            "heard_by": "Form tutor", **extra}  # fmt: skip


@pytest.mark.parametrize(
    ("born_on", "age", "referred"),
    [("2009-03-02", 13, True), ("2009-03-01", 14, True), ("2005-03-02", 17, True), ("2005-03-01", 18, False)],
)
def test_referral_duty_at_the_age_boundaries(client, login, born_on: str, age: int, referred: bool) -> None:  # type: ignore[no-untyped-def]
    school = login("edu.teacher", agency="education")
    pupil = _pupil(client, school, born_on, age)
    response = client.post(f"/api/v1/assessments/disclosures/{pupil}", json=_disclose(["abuse"]), headers=school)
    assert response.status_code == 201, response.text
    found = client.get(f"/api/v1/assessments/disclosures/{pupil}", headers=school).json()["disclosures"]
    assert [d["age_years"] for d in found] == [age]
    assert bool(found[0]["referral"]) is referred
    csc = login("csc.worker", agency="csc")
    duties = client.get("/api/v1/duties", params={"person_id": pupil}, headers=csc).json()
    raised = [d for d in duties if d["rule_code"] == "disclosure-to-csc"]
    assert len(raised) == (1 if referred else 0)
    if referred:
        assert raised[0]["recipient_agency"] == "csc"
        assert f"aged {age}" in raised[0]["content"]["disclosure"]["why"]


def test_s5_a_fifteen_year_olds_suicide_pact_is_a_childs_disclosure(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s5")
    school = login("edu.teacher", agency="education")
    ellie = person_of(client, school, ids["S5-EDU-001"], "pupil")
    body = {"disclosed_on": "2023-02-09", "concerns": ["suicidal_plans", "self_harm"], "heard_by": "Form tutor",
            "account": "she and a friend have made a pact to end their lives at the weekend",
            "asked_not_to_tell": True, "action_taken": "Mum phoned; school nurse"}  # fmt: skip
    assert client.post(f"/api/v1/assessments/disclosures/{ellie}", json=body, headers=school).status_code == 201
    found = client.get(f"/api/v1/assessments/disclosures/{ellie}", headers=school).json()["disclosures"]
    assert found[0]["age_years"] == 15
    assert "still a child" in found[0]["referral"] and "but refer" in found[0]["referral"]
    csc = login("csc.worker", agency="csc")
    duties = client.get("/api/v1/duties", params={"person_id": ellie}, headers=csc).json()
    assert [d["rule_code"] for d in duties].count("disclosure-to-csc") == 1
    chronology = client.get(f"/api/v1/people/{ellie}/chronology", headers=school).json()
    assert any("told Form tutor of suicidal plans and self-harm" in e["plain"] for e in chronology["entries"])


def test_no_concern_is_refused_and_reading_needs_assessment_read(client, login) -> None:  # type: ignore[no-untyped-def]
    school = login("edu.teacher", agency="education")
    pupil = _pupil(client, school, "2009-03-01", 1)
    assert (
        client.post(f"/api/v1/assessments/disclosures/{pupil}", json=_disclose([]), headers=school).status_code == 422
    )
    wrong = client.post(f"/api/v1/assessments/disclosures/{pupil}", json=_disclose(["bullying"]), headers=school)
    assert wrong.status_code == 422
    reader = login("panel.reader", agency="panel", role="reviewer")
    assert (
        client.post(f"/api/v1/assessments/disclosures/{pupil}", json=_disclose(["abuse"]), headers=reader).status_code
        == 403
    )
