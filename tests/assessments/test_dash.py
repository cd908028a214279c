"""DASH through the API on both backends, on S1's victim: the MARAC duty at 13/14 "yes", the
professional-judgement override (refused without a reason), and escalation at the 3-in-12-months
boundary, counted from the police's three incidents of 2023 (25 March, 8 July, 18 November)."""

from __future__ import annotations

from typing import Any

import pytest

from lantern.assessments.dash.rules import QUESTIONS
from tests.scenarios.replay import person_of, replay


def _checklist(on: str, yes: int, **extra: object) -> dict[str, object]:
    answers = {code: "yes" if i < yes else "no" for i, code in enumerate(QUESTIONS)}
    return {"assessed_on": on, "assessor": "IDVA", "answers": answers, **extra}


def _marac_duties(client, login, person: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    police = login("pol.marac", agency="police")
    duties = client.get("/api/v1/duties", params={"person_id": person}, headers=police).json()
    return [d for d in duties if d["rule_code"] == "dash-marac-referral"]


@pytest.fixture
def shannon(client, login) -> tuple[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s1")
    idva = login("csc.idva", agency="csc")
    return person_of(client, idva, ids["S1-POL-018"], "victim"), idva


@pytest.mark.parametrize(("yes", "referred"), [(13, False), (14, True)])
def test_marac_referral_at_14_yes(client, login, shannon, yes: int, referred: bool) -> None:  # type: ignore[no-untyped-def]
    person, idva = shannon
    body = _checklist("2025-01-10", yes)  # no call-outs in the year before
    assert client.post(f"/api/v1/assessments/dash/{person}", json=body, headers=idva).status_code == 201
    found = client.get(f"/api/v1/assessments/dash/{person}", headers=idva).json()["checklists"]
    assert (found[0]["yes_count"], found[0]["high_risk"], found[0]["police_callouts_12_months"]) == (yes, referred, 0)
    raised = _marac_duties(client, login, person)
    assert len(raised) == (1 if referred else 0)
    if referred:
        assert raised[0]["recipient_agency"] == "police"
        assert "14 of 27 answered yes" in raised[0]["content"]["dash"]["why"]


def test_professional_judgement_needs_a_reason_and_refers(client, login, shannon) -> None:  # type: ignore[no-untyped-def]
    person, idva = shannon
    bare = _checklist("2025-01-10", 4, professional_judgement=True)
    assert client.post(f"/api/v1/assessments/dash/{person}", json=bare, headers=idva).status_code == 422
    reasoned = _checklist("2025-01-10", 4, professional_judgement=True, judgement_reason="new threats to the baby")
    assert client.post(f"/api/v1/assessments/dash/{person}", json=reasoned, headers=idva).status_code == 201
    raised = _marac_duties(client, login, person)
    assert len(raised) == 1 and "new threats to the baby" in raised[0]["content"]["dash"]["why"]


@pytest.mark.parametrize(("on", "callouts"), [("2024-03-25", 3), ("2024-03-26", 2)])
def test_escalation_at_three_callouts_in_twelve_months(client, login, shannon, on: str, callouts: int) -> None:  # type: ignore[no-untyped-def]
    person, idva = shannon
    assert client.post(f"/api/v1/assessments/dash/{person}", json=_checklist(on, 5), headers=idva).status_code == 201
    found = client.get(f"/api/v1/assessments/dash/{person}", headers=idva).json()["checklists"][0]
    assert (found["police_callouts_12_months"], found["escalation"], found["high_risk"]) == (
        callouts,
        callouts >= 3,
        False,
    )
    raised = _marac_duties(client, login, person)
    assert len(raised) == (1 if callouts >= 3 else 0)
    if raised:
        assert "police called out 3 times in the past 12 months" in raised[0]["content"]["dash"]["why"]
    chronology = client.get(f"/api/v1/people/{person}/chronology?type=dash.assessment", headers=idva).json()
    (entry,) = chronology["entries"]  # DASH reads as the glossary's "domestic abuse risk checklist"
    assert "A domestic abuse risk checklist was completed with Shannon" in entry["plain"]
    assert f"Police call-outs in the past 12 months: {callouts}." in entry["plain"]


def test_an_unanswered_question_is_refused(client, login, shannon) -> None:  # type: ignore[no-untyped-def]
    person, idva = shannon
    body = _checklist("2025-01-10", 14)
    del body["answers"]["injury"]  # type: ignore[attr-defined]
    assert client.post(f"/api/v1/assessments/dash/{person}", json=body, headers=idva).status_code == 422
    reader = login("panel.reader", agency="panel", role="reviewer")
    assert client.get(f"/api/v1/assessments/dash/{person}", headers=reader).status_code == 200
    assert (
        client.post(f"/api/v1/assessments/dash/{person}", json=_checklist("2025-01-10", 14), headers=reader).status_code
        == 403
    )
