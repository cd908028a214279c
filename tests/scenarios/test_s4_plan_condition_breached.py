"""S4: a baby on a plan; a night-time ambulance call at an address unknown to the plan."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.scenarios.replay import replay


def test_s4_night_ambulance_call_is_at_the_new_partners_address(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s4")
    csc = login("csc.worker", agency="csc")
    call = client.get(f"/api/v1/events/{ids['S4-AMB-001']}", headers=csc).json()
    local = datetime.fromisoformat(call["occurred_at"]).astimezone(ZoneInfo("Europe/London"))
    assert local.hour in range(1, 6)  # at night
    assert call["location"]["postcode"] == "YO12 7HJ"
    assert "partner" in {s["role"] for s in call["subjects"]}


def test_s4_plan_conference_is_held(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s4")
    csc = login("csc.worker", agency="csc")
    conference = client.get(f"/api/v1/events/{ids['S4-CSC-007']}", headers=csc).json()
    assert conference["type"] == "csc.conference"
    assert "child protection plan" in conference["payload"]["decision"].lower()
