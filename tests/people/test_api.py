"""People: search, read, events; every read is audited."""

from __future__ import annotations

from sqlalchemy import select

from lantern.audit.models import AuditEntry
from tests.factories import event, nhs, person


def _seed(client, admin) -> None:  # type: ignore[no-untyped-def]
    child = person(
        "Lily",
        "Harper-Cole",
        nhs_number=nhs(401),
        date_of_birth="2023-02-01",
        address={"line1": "4 Mill Lane", "town": "Didcot", "postcode": "ox11 7ab"},
    )
    records = [
        event(
            agency="health_visiting",
            type_="health_visitor.contact",
            summary="New birth visit.",
            occurred_at="2023-02-14T10:00:00Z",
            subjects=[{"role": "child", "person": child}],
        ),
        event(
            agency="hospital",
            type_="hospital.ed_attendance",
            summary="Attended with a head bump.",
            occurred_at="2023-06-01T20:00:00Z",
            subjects=[
                {
                    "role": "patient",
                    "person": {
                        **child,
                        "family_name": "Cole",
                        "address": {"line1": "9 Station Road", "postcode": "OX11 8CD"},
                    },
                }
            ],
        ),
        event(
            agency="police",
            type_="police.arrest",
            summary="Arrested for assault.",
            payload={"offence": "assault"},
            subjects=[{"role": "suspect", "person": person("Dean", "Cole", pnc_id="05/123456A")}],
        ),
    ]
    assert client.post("/api/v1/events", json=records, headers=admin).status_code == 201


def test_search_by_name_nhs_and_pnc(client, login) -> None:  # type: ignore[no-untyped-def]
    _seed(client, login("loader", agency="panel", role="admin"))
    worker = login("sam", agency="csc")
    by_name = client.get("/api/v1/people", params={"q": "lily harp"}, headers=worker).json()
    assert [p["given_name"] for p in by_name] == ["Lily"]
    by_other_name = client.get("/api/v1/people", params={"q": "cole"}, headers=worker).json()
    assert {p["given_name"] for p in by_other_name} == {"Lily", "Dean"}
    by_nhs = client.get("/api/v1/people", params={"q": nhs(401)[:3] + " " + nhs(401)[3:]}, headers=worker).json()
    assert by_nhs[0]["id"] == by_name[0]["id"]
    by_pnc = client.get("/api/v1/people", params={"q": "05/123456a"}, headers=worker).json()
    assert by_pnc[0]["given_name"] == "Dean"


def test_person_shows_every_name_address_and_event(client, login) -> None:  # type: ignore[no-untyped-def]
    _seed(client, login("loader", agency="panel", role="admin"))
    worker = login("sam", agency="csc")
    person_id = client.get("/api/v1/people", params={"q": "lily"}, headers=worker).json()[0]["id"]
    body = client.get(f"/api/v1/people/{person_id}", headers=worker).json()
    assert {(n["family_name"], n["source_agency"]) for n in body["names"]} == {
        ("Harper-Cole", "health_visiting"),
        ("Cole", "hospital"),
    }
    assert [a["postcode"] for a in body["addresses"]] == ["OX11 8CD", "OX11 7AB"]
    events = client.get(f"/api/v1/people/{person_id}/events", headers=worker).json()
    assert [e["type"] for e in events] == ["hospital.ed_attendance", "health_visitor.contact"]


def test_reads_are_audited_with_who_and_what(client, login, db) -> None:  # type: ignore[no-untyped-def]
    _seed(client, login("loader", agency="panel", role="admin"))
    worker = login("sam", agency="csc")
    person_id = client.get("/api/v1/people", params={"q": "lily"}, headers=worker).json()[0]["id"]
    client.get(f"/api/v1/people/{person_id}", headers=worker)
    entries = db.execute(select(AuditEntry).where(AuditEntry.object_id == person_id)).scalars().all()
    assert [(e.actor, e.action) for e in entries] == [("sam", "read")]
    searches = db.execute(select(AuditEntry).where(AuditEntry.action == "search")).scalars().all()
    assert searches[0].detail["query"] == "lily"


def test_unknown_person_is_404(client, login) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/v1/people/nope", headers=login("sam")).status_code == 404


def test_admin_cannot_read_records(client, login) -> None:  # type: ignore[no-untyped-def]
    admin = login("root", agency="panel", role="admin")
    assert client.get("/api/v1/people", params={"q": "lily"}, headers=admin).status_code == 403
