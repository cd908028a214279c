"""The family network through the API and its service, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from lantern.audit.models import AuditEntry
from lantern.family import network
from tests.chronology.helpers import baby_of_s1
from tests.scenarios.replay import person_of, replay


def test_s1_baby_network_has_parents_household_and_the_mothers_past_partners(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s1")
    csc = login("csc.worker", agency="csc")
    baby = baby_of_s1(client, csc, ids)
    members = client.get(f"/api/v1/people/{baby}/network", headers=csc).json()["members"]
    relations = {(m["name"], m["relation"]) for m in members}
    assert ("Shannon Ashworth-Cole", "parent") in relations
    assert {"Dean Pryor", "Connor Whitlock"} <= {m["name"] for m in members if m["via_person_id"]}
    histories = client.get(f"/api/v1/people/{baby}/network", headers=csc).json()["histories"]
    assert max(len(items) for items in histories.values()) >= 18


def test_network_on_a_date_and_what_changed(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s4")
    csc = login("csc.worker", agency="csc")
    baby = person_of(client, csc, ids["S4-HOSP-001"], "child")
    before = client.get(f"/api/v1/people/{baby}/network?on=2022-08-20", headers=csc).json()["members"]
    assert "Carl Hebden" not in {m["name"] for m in before}
    change = client.get(f"/api/v1/people/{baby}/network/changes?since=2022-08-20&until=2022-09-09", headers=csc).json()
    assert "Carl Hebden" in {m["name"] for m in change["joined"]}
    alerts = client.get(f"/api/v1/alerts?person_id={baby}", headers=csc).json()
    assert any(a["rule_code"] == "new-adult-infant" and "Carl Hebden" in a["explanation"] for a in alerts)


def test_relationship_recorded_by_hand_appears_and_is_audited(client, login, db) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s5")
    csc = login("csc.worker", agency="csc")
    riley = person_of(client, csc, ids["S5-HOSP-001"], "child")
    donna = person_of(client, csc, ids["S5-CSC-001"], "mother")
    body = {"person_id": donna, "relation": "grandparent", "note": "maternal grandmother"}
    assert client.post(f"/api/v1/people/{riley}/relationships", json=body, headers=csc).status_code == 201
    members = client.get(f"/api/v1/people/{riley}/network", headers=csc).json()["members"]
    assert any(
        m["person_id"] == donna and m["relation"] == "grandparent" and "by hand" in m["sources"] for m in members
    )
    writes = db.execute(select(AuditEntry).where(AuditEntry.action == "write", AuditEntry.object_id == riley)).scalars()
    assert [w.detail["relation"] for w in writes] == ["grandparent"]
    assert network.build(db, riley).members[donna].relation == "grandparent"


def test_administrators_and_unknown_relations_are_refused(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s5")
    admin = login("admin", agency="panel", role="admin")
    csc = login("csc.worker", agency="csc")
    riley = person_of(client, csc, ids["S5-HOSP-001"], "child")
    assert client.get(f"/api/v1/people/{riley}/chronology", headers=admin).status_code == 403
    assert client.get(f"/api/v1/people/{riley}/network", headers=admin).status_code == 403
    wrong = {"person_id": riley, "relation": "cousin"}
    assert client.post(f"/api/v1/people/{riley}/relationships", json=wrong, headers=csc).status_code == 422
