"""Subject-access export: everything held about a person in one JSON document, for admins; audited."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from lantern import cli
from lantern.audit.models import AuditEntry
from tests.access.test_access_log import seed


def _mother(client, login, child: str) -> str:  # type: ignore[no-untyped-def]
    events = client.get(f"/api/v1/people/{child}/events", headers=login("reader", agency="csc")).json()
    return str(next(s["person_id"] for s in events[0]["subjects"] if s["role"] in ("mother", "victim")))


def test_export_holds_person_events_with_roles_relationships_assessments_and_duties(client, login) -> None:  # type: ignore[no-untyped-def]
    child = seed(client, login)
    admin = login("dpo", agency="csc", role="admin")
    response = client.get(f"/api/v1/people/{child}/subject-access", headers=admin)
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    body = response.json()
    assert body["subject_access"]["person_id"] == child
    assert body["person"]["given_name"] == "Lily"
    assert {i["scheme"] for i in body["person"]["identifiers"]} >= {"nhs"}
    assert [(e["type"], e["roles"]) for e in body["events"]] == [
        ("police.domestic_abuse_incident", ["child_present"]),
        ("csc.assessment", ["child"]),
    ]
    assert [a["type"] for a in body["assessments"]["records"]] == ["csc.assessment"]
    mother = _mother(client, login, child)
    assert mother in {r["other_person_id"] for r in body["relationships"]}
    assert "police-da-to-csc" in {d["rule_code"] for d in body["duties"]}
    assert all(d["person_id"] == child and d["transitions"] for d in body["duties"])


def test_export_includes_rows_of_other_tables_about_the_person(client, login) -> None:  # type: ignore[no-untyped-def]
    child = seed(client, login)
    worker = login("pat", agency="csc")
    relationship = {"person_id": _mother(client, login, child), "relation": "grandparent", "note": "Nan"}
    assert client.post(f"/api/v1/people/{child}/relationships", json=relationship, headers=worker).status_code == 201
    body = client.get(f"/api/v1/people/{child}/subject-access", headers=login("dpo", "csc", "admin")).json()
    assert [r["note"] for r in body["other_records"]["family_relationship"]] == ["Nan"]  # recorded by hand
    assert "person_record" in body["other_records"]  # what each agency sent, as identity resolution keeps it


@pytest.mark.parametrize(("agency", "role"), [("csc", "manager"), ("panel", "reviewer"), ("csc", "practitioner")])
def test_export_is_refused_to_caseworkers_and_reviewers(client, login, agency, role) -> None:  # type: ignore[no-untyped-def]
    child = seed(client, login)
    response = client.get(f"/api/v1/people/{child}/subject-access", headers=login("asker", agency, role))
    assert response.status_code == 403 and "Lily" not in response.text


def test_export_is_audited(client, login, db) -> None:  # type: ignore[no-untyped-def]
    child = seed(client, login)
    client.get(f"/api/v1/people/{child}/subject-access", headers=login("dpo", "csc", "admin"))
    entry = db.execute(select(AuditEntry).where(AuditEntry.action == "export")).scalar_one()
    assert (entry.actor, entry.object_id, entry.detail["view"]) == ("dpo", child, "subject access")


def test_cli_writes_the_document_to_a_file(client, login, settings, tmp_path, monkeypatch, db) -> None:  # type: ignore[no-untyped-def]
    child = seed(client, login)
    monkeypatch.setattr(cli, "_settings", lambda: settings)
    out = tmp_path / "sar.json"
    result = CliRunner().invoke(cli.app, ["subject-access", child, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_bytes())["person"]["id"] == child
    assert CliRunner().invoke(cli.app, ["subject-access", "no-such-person", "--out", str(out)]).exit_code == 2
    actors = db.execute(select(AuditEntry.actor).where(AuditEntry.action == "export")).scalars().all()
    assert actors == ["cli:subject-access"]
