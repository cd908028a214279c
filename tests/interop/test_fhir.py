"""FHIR Bundles (both backends): a family exported, imported into a fresh database and exported again
keeps its people, identifiers, relationships and growth observations; a bad entry is rejected with its
path while the rest is taken; the export holds only what the reader may read, and is audited."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text

from lantern.audit.models import AuditEntry
from lantern.config import Settings
from lantern.main import create_app
from tests.conftest import PASSWORD
from tests.factories import event, nhs, person
from tests.scenarios.replay import person_of

CHILD = person("Mia", "Rowe", date_of_birth="2024-02-02", sex="female", nhs_number=nhs(421))
MOTHER = person("Kim", "Rowe", date_of_birth="1995-03-03", sex="female", nhs_number=nhs(422))
FATHER = person("Dean", "Hollis", date_of_birth="1988-05-05", sex="male", nhs_number=nhs(423))
SISTER = person("Ella", "Rowe", date_of_birth="2019-09-09", sex="female", nhs_number=nhs(424))
HOME = {"line1": "4 Quarry Lane", "town": "Leeds", "postcode": "LS6 2AB"}
NHS = "https://fhir.nhs.uk/Id/nhs-number"


def _post(client: TestClient, headers: dict[str, str], record: dict[str, Any]) -> str:
    response = client.post("/api/v1/events", json=record, headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["results"][0]["event_id"])


def _family(client: TestClient, login: Any) -> tuple[dict[str, str], str]:
    """Mia, her parents and sister from CSC referrals; her growth from the health visitor; a plan."""
    csc, hv = login("sw.one", agency="csc"), login("hv.one", agency="health_visiting")
    first = _post(client, csc, event(agency="csc", type_="csc.referral", ref="REF-1", subjects=[
        {"role": "child", "person": {**CHILD, "address": HOME}},
        {"role": "mother", "person": {**MOTHER, "address": HOME}},
        {"role": "father", "person": FATHER},
    ]))  # fmt: skip
    _post(client, csc, event(agency="csc", type_="csc.referral", ref="REF-2", subjects=[
        {"role": "child", "person": SISTER},
        {"role": "mother", "person": {**MOTHER, "address": HOME}},
    ]))  # fmt: skip
    for ref, when, payload in [
        ("GM-1", "2024-02-12T10:30:00+00:00", {"weight_grams": 3650, "length_cm": 51.5, "head_circumference_cm": 35.1,
                                               "birth_gestation_weeks": 38, "birth_gestation_days": 3}),
        ("GM-2", "2024-05-02T11:00:00+00:00", {"weight_grams": 5900, "length_cm": 60.2}),
    ]:  # fmt: skip
        _post(client, hv, event(agency="health_visiting", type_="growth.measurement", ref=ref, occurred_at=when,
                                subjects=[{"role": "patient", "person": CHILD}], payload=payload))  # fmt: skip
    child = person_of(client, csc, first, "child")
    login("tm.one", agency="csc", role="manager")
    plan = {"child_id": child, "kind": "cp", "category": "neglect", "lead_professional": "sw.one", "manager": "tm.one",
            "home_address": HOME, "start_on": "2025-02-01"}  # fmt: skip
    assert client.post("/api/v1/plans", json=plan, headers=csc).status_code == 201
    return hv, child


def _export(client: TestClient, headers: dict[str, str], person_id: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/fhir/Bundle/family/{person_id}", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/fhir+json")
    return dict(response.json())


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _nhs(resource: dict[str, Any]) -> str:
    return next(i["value"] for i in resource.get("identifier", []) if i["system"] == NHS)


def _content(bundle: dict[str, Any]) -> dict[str, Any]:
    """What must survive a round trip, free of Lantern's own ids and the times it first saw things."""
    ids = {f"Patient/{p['id']}": _nhs(p) for p in _resources(bundle, "Patient")}

    def who(resource: dict[str, Any]) -> Any:
        return (
            [i for i in resource.get("identifier", []) if i["system"] == NHS],
            resource.get("name"), resource.get("gender"), resource.get("birthDate"),
            [{k: v for k, v in a.items() if k != "period"} for a in resource.get("address", [])],
        )  # fmt: skip

    return {
        "people": sorted(map(repr, (who(p) for p in _resources(bundle, "Patient")))),
        "relationships": sorted(
            (_nhs(r), ids[r["patient"]["reference"]], repr(r["relationship"]), repr(who(r)))
            for r in _resources(bundle, "RelatedPerson")
        ),
        "observations": sorted(
            (ids[o["subject"]["reference"]], repr(o["code"]), repr(o["valueQuantity"]), o["effectiveDateTime"])
            for o in _resources(bundle, "Observation")
        ),
    }


@pytest.fixture
def fresh_client(
    backend: str, settings: Settings, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[TestClient]:
    """A second, empty Lantern on its own freshly migrated database."""
    if backend == "sqlite":
        path = tmp_path / "fresh.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        cluster = request.getfixturevalue("pg_cluster")
        engine = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f"CREATE DATABASE fresh_{id(tmp_path)} TEMPLATE lantern_template"))
        engine.dispose()
        url = cluster.url(f"fresh_{id(tmp_path)}")
    app = create_app(settings.model_copy(update={"database_url": url}))
    with TestClient(app) as fresh:
        yield fresh
    app.state.engine.dispose()


def _login(client: TestClient, username: str, agency: str) -> dict[str, str]:
    from lantern.access import service as access_service
    from lantern.audit.service import SYSTEM

    with client.app.state.session_factory.begin() as db:  # type: ignore[attr-defined]
        access_service.create_user(db=db, username=username, password=PASSWORD, agency=agency, role="practitioner",
                                   full_name=username.title(), actor=SYSTEM)  # fmt: skip
    response = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_a_family_round_trips_through_a_bundle_into_a_fresh_database(client, login, fresh_client) -> None:  # type: ignore[no-untyped-def]
    hv, child = _family(client, login)
    first = _export(client, hv, child)
    assert {r["resourceType"] for r in (e["resource"] for e in first["entry"])} == {
        "Patient", "RelatedPerson", "Encounter", "Observation", "Flag",
    }  # fmt: skip
    codes = {_nhs(r): r["relationship"][0]["coding"][0]["code"] for r in _resources(first, "RelatedPerson")}
    assert codes == {MOTHER["nhs_number"]: "MTH", FATHER["nhs_number"]: "FTH", SISTER["nhs_number"]: "SIB"}
    weights = [
        o["valueQuantity"] for o in _resources(first, "Observation") if o["code"]["coding"][0]["code"] == "29463-7"
    ]
    assert {w["value"] for w in weights} == {3650, 5900} and {w["code"] for w in weights} == {"g"}
    (flag,) = _resources(first, "Flag")
    assert flag["code"]["coding"][0]["code"] == "cp_plan" and flag["meta"]["profile"][0].endswith("UKCore-Flag")

    importer = _login(fresh_client, "hv.one", "health_visiting")
    imported = fresh_client.post("/api/v1/fhir/Bundle", json=first, headers=importer)
    assert imported.status_code == 201, imported.text
    report = imported.json()
    assert report["rejected"] == 0 and {r["status"] for r in report["results"]} == {"used", "accepted", "ignored"}
    again = fresh_client.post("/api/v1/fhir/Bundle", json=first, headers=importer).json()
    assert again["duplicates"] == 6 and again["rejected"] == 0  # the six Observations of the two measurements

    found = fresh_client.get("/api/v1/people", params={"q": CHILD["nhs_number"]}, headers=importer).json()
    second = _export(fresh_client, importer, found[0]["id"])
    assert _content(second) == _content(first)


def test_an_invalid_resource_is_rejected_with_its_path_and_the_rest_is_taken(client, login) -> None:  # type: ignore[no-untyped-def]
    hv, child = _family(client, login)
    bundle = _export(client, hv, child)
    broken = copy.deepcopy(bundle)
    kinds = [e["resource"]["resourceType"] for e in broken["entry"]]
    patients = [(i, e["resource"]) for i, e in enumerate(broken["entry"]) if kinds[i] == "Patient"]
    sister = next(i for i, p in patients if _nhs(p) == SISTER["nhs_number"])
    broken["entry"][sister]["resource"]["birthDate"] = "2019-13-45"
    related = kinds.index("RelatedPerson")
    broken["entry"][related]["resource"]["identifier"][0]["value"] = "9990004212"
    weight = next(i for i, e in enumerate(broken["entry"]) if e["resource"]["resourceType"] == "Observation")
    broken["entry"][weight]["resource"]["valueQuantity"]["code"] = "[lb_av]"
    ed = login("ed.nurse", agency="hospital")
    report = client.post("/api/v1/fhir/Bundle", json=broken, headers=ed).json()
    rejected = {r["index"]: [e["loc"][0] for e in r["errors"]] for r in report["results"] if r["status"] == "rejected"}
    assert rejected == {
        sister: [f"entry[{sister}].resource.birthDate"],
        related: [f"entry[{related}].resource.identifier[0].value"],
        weight: [f"entry[{weight}].resource.valueQuantity.code"],
    }
    assert report["accepted"] > 0 and report["results"][0]["status"] == "used"


def test_a_bundle_that_is_not_a_bundle_is_refused(client, login) -> None:  # type: ignore[no-untyped-def]
    ed = login("ed.nurse", agency="hospital")
    response = client.post("/api/v1/fhir/Bundle", json={"resourceType": "Patient"}, headers=ed)
    assert response.status_code == 422


def test_the_export_holds_only_what_the_reader_may_read_and_is_audited(client, login, db) -> None:  # type: ignore[no-untyped-def]
    _, child = _family(client, login)
    teacher = login("teacher", agency="education")
    bundle = _export(client, teacher, child)
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert "Observation" not in kinds and "Encounter" not in kinds and "Flag" not in kinds
    assert "Patient" in kinds and "RelatedPerson" in kinds
    reads = db.execute(
        select(AuditEntry.actor, AuditEntry.detail).where(AuditEntry.object_id == child, AuditEntry.action == "read")
    ).all()
    assert ("teacher", "fhir export") in {(actor, detail.get("view")) for actor, detail in reads}
    db.rollback()
    admin = login("it.admin", agency="education", role="admin")
    assert client.get(f"/api/v1/fhir/Bundle/family/{child}", headers=admin).status_code == 403


def test_entries_lantern_cannot_take_are_each_rejected_with_their_path(client, login) -> None:  # type: ignore[no-untyped-def]
    hv = login("hv.one", agency="health_visiting")
    weight = {
        "resourceType": "Observation", "id": "w1", "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]},
        "subject": {"reference": "Patient/missing"}, "effectiveDateTime": "2024-05-02T11:00:00+00:00",
        "valueQuantity": {"value": 5.9, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"},
    }  # fmt: skip
    heart = {**weight, "id": "h1", "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]}}
    patient = {"resourceType": "Patient", "id": "p1", "birthDate": "2090-01-01",
               "identifier": [{"system": NHS, "value": nhs(425)}]}  # fmt: skip
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        "not an entry", {"resource": {"resourceType": "Medication", "id": "m1"}}, {"resource": weight},
        {"resource": heart}, {"resource": patient},
    ]}  # fmt: skip
    response = client.post("/api/v1/fhir/Bundle", json=bundle, headers=hv)
    assert response.status_code == 200, response.text  # nothing taken
    paths = {r["index"]: r["errors"][0]["loc"][0] for r in response.json()["results"]}
    assert paths == {
        0: "entry[0]",
        1: "entry[1].resource.resourceType",
        2: "entry[2].resource.subject.reference",
        3: "entry[3].resource.code",
        4: "entry[4].resource.birthDate",
    }
