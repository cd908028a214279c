"""A small family known to children's social care, for the returns tests (census year 2026)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.casework.helpers import Login, child_record, first_subject, record
from tests.factories import event, nhs, person


def family(client: TestClient, login: Login) -> dict[str, Any]:
    """Lily: referred by the police, assessed, a strategy discussion, an ICPC, a CP plan for neglect.
    Tom: referred after the census year ends."""
    csc, police = login("sw.ann", agency="csc", role="manager"), login("pc.ray", agency="police")
    lily = person("Lily", "Hart", nhs_number=nhs(401), date_of_birth="2021-05-01", sex="female", local_id="CSC123")
    incident = event(
        agency="police",
        type_="police.domestic_abuse_incident",
        ref="INC-9",
        occurred_at="2025-05-30T22:00:00+00:00",
        subjects=[{"role": "child_present", "person": lily}],
    )
    assert client.post("/api/v1/events", json=incident, headers=police).status_code in (200, 201)
    referral = record(
        client, csc, "csc.referral", lily, "2025-06-02T10:00:00+00:00", referrer_ref="INC-9", category="neglect"
    )
    child_id = first_subject(client, csc, referral)
    record(client, csc, "csc.assessment", lily, "2025-06-20T10:00:00+00:00", category="4A, 3A")
    record(client, csc, "csc.strategy_discussion", lily, "2025-06-23T10:00:00+00:00")
    found = client.get(
        "/api/v1/casework/conferences", params={"person_id": child_id, "since": "2025-01-01"}, headers=csc
    ).json()
    conference = found[0]
    held = {"held_on": "2025-07-10", "outcome": "child_protection_plan"}
    assert client.patch(f"/api/v1/casework/conferences/{conference['id']}", json=held, headers=csc).status_code == 200
    plan = {"child_id": child_id, "kind": "cp", "category": "neglect", "lead_professional": "sw.ann",
            "manager": "sw.ann", "home_address": {"line1": "1 Elm Road", "postcode": "OX14 3AB"},
            "start_on": "2025-07-10"}  # fmt: skip
    response = client.post("/api/v1/plans", json=plan, headers=csc)
    assert response.status_code == 201, response.text
    tom = child_record(402, "Tom", "Late", born="2020-01-01")
    late = first_subject(client, csc, record(client, csc, "csc.referral", tom, "2026-05-01T10:00:00+00:00"))
    return {"lily": child_id, "tom": late, "plan": response.json()["id"], "conference": conference["id"]}  # fmt: skip
