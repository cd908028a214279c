"""Who has looked at this child: every audited look at their records, for the roles allowed to ask."""

from __future__ import annotations

import pytest

from tests.factories import event, nhs, person

CHILD = person("Lily", "Harper", nhs_number=nhs(401), date_of_birth="2023-02-01")
MOTHER = person("Jade", "Harper", date_of_birth="1999-05-05", address={"line1": "4 Mill Lane", "postcode": "OX11 7AB"})


def seed(client, login) -> str:  # type: ignore[no-untyped-def]
    """A child named in a domestic abuse incident and a CSC assessment; returns the child's person id."""
    loader = login("loader", agency="panel", role="admin")
    records = [
        event(
            agency="police",
            type_="police.domestic_abuse_incident",
            summary="Neighbours heard shouting; child present.",
            occurred_at="2025-03-01T22:00:00Z",
            subjects=[{"role": "victim", "person": MOTHER}, {"role": "child_present", "person": CHILD}],
        ),
        event(
            agency="csc",
            type_="csc.assessment",
            summary="Single assessment started.",
            occurred_at="2025-03-05T10:00:00Z",
            subjects=[{"role": "child", "person": CHILD}, {"role": "mother", "person": MOTHER}],
            payload={"reason": "domestic abuse"},
        ),
    ]
    assert client.post("/api/v1/events", json=records, headers=loader).status_code == 201, "seed"
    found = client.get("/api/v1/people", params={"q": nhs(401)}, headers=login("finder", agency="csc")).json()
    return str(found[0]["id"])


def test_access_log_lists_who_looked_with_agency_role_and_what(client, login) -> None:  # type: ignore[no-untyped-def]
    child = seed(client, login)
    gp = login("dr_patel", agency="gp")
    client.get(f"/api/v1/people/{child}", headers=gp)
    client.get(f"/api/v1/people/{child}/chronology", headers=gp)
    manager = login("meg", agency="csc", role="manager")
    body = client.get(f"/api/v1/people/{child}/access-log", headers=manager).json()
    looks = [(e["username"], e["agency"], e["role"]) for e in body["entries"]]
    assert ("dr_patel", "gp", "practitioner") in looks
    assert body["name"] == "Lily Harper"
    whats = [e["what"] for e in body["entries"] if e["username"] == "dr_patel"]
    assert any("chronology" in w for w in whats)
    seqs = [e["seq"] for e in body["entries"]]
    assert seqs == sorted(seqs, reverse=True)


def test_reading_the_access_log_is_itself_audited(client, login) -> None:  # type: ignore[no-untyped-def]
    child = seed(client, login)
    reviewer = login("rev", agency="panel", role="reviewer")
    first = client.get(f"/api/v1/people/{child}/access-log", headers=reviewer).json()
    assert not any(e["what"].endswith("(access log)") for e in first["entries"])
    second = client.get(f"/api/v1/people/{child}/access-log", headers=reviewer).json()
    assert second["entries"][0]["username"] == "rev" and second["entries"][0]["what"].endswith("(access log)")


@pytest.mark.parametrize(("agency", "role"), [("csc", "manager"), ("panel", "reviewer"), ("police", "admin")])
def test_access_log_is_allowed_for_managers_reviewers_and_auditors(client, login, agency, role) -> None:  # type: ignore[no-untyped-def]
    child = seed(client, login)
    assert client.get(f"/api/v1/people/{child}/access-log", headers=login("asker", agency, role)).status_code == 200


@pytest.mark.parametrize(
    ("agency", "role"),
    [("csc", "practitioner"), ("police", "manager"), ("gp", "reviewer"), ("health_visiting", "practitioner")],
)
def test_access_log_is_refused_to_others_without_saying_whether_the_person_exists(client, login, agency, role) -> None:  # type: ignore[no-untyped-def]
    child = seed(client, login)
    headers = login("asker", agency, role)
    real = client.get(f"/api/v1/people/{child}/access-log", headers=headers)
    missing = client.get("/api/v1/people/no-such-person/access-log", headers=headers)
    assert real.status_code == missing.status_code == 403
    assert real.json() == missing.json()
    assert "Lily" not in real.text


def test_access_log_page_shows_the_table_and_refuses_others(client, login, make_user) -> None:  # type: ignore[no-untyped-def]
    child = seed(client, login)
    client.get(f"/api/v1/people/{child}", headers=login("dr_patel", agency="gp"))
    make_user("meg", "csc", "manager")
    make_user("pat", "csc", "practitioner")
    for username, status in [("pat", 403), ("meg", 200)]:
        client.cookies.clear()
        client.get("/login")
        data = {
            "username": username,
            "password": "correct-horse-9-battery",
            "csrf_token": client.cookies.get("lantern_csrf"),
        }
        assert client.post("/login", data=data, follow_redirects=False).status_code == 303
        page = client.get(f"/people/{child}/access-log")
        assert page.status_code == status
    assert "Who has looked at this record" in page.text and "Dr_Patel" in page.text
