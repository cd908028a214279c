"""Identity resolution through the public API: links, reviews, merges and their undoing."""

from __future__ import annotations

from datetime import date

from sqlalchemy.dialects import sqlite

from lantern.config import get_settings
from lantern.db.portable import bindings
from lantern.identity import service as identity_service
from lantern.people.schemas import PersonIn
from tests.factories import event, nhs
from tests.scenarios.replay import person_of, replay

HOME = {"line1": "12 Mill Lane", "town": "Didcot", "postcode": "OX11 7AB"}


def _patient(given: str, family: str, number: int | None, **extra: object) -> dict[str, object]:
    person: dict[str, object] = {"given_name": given, "family_name": family, "date_of_birth": "2021-04-21"}
    person.update({"address": HOME, "sex": "male", **extra})
    if number is not None:
        person["nhs_number"] = nhs(number)
    return person


def _post(client, headers, *records) -> list[str]:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/events", json=list(records), headers=headers)
    assert response.status_code == 201, response.text
    return [r["event_id"] for r in response.json()["results"]]


def _post_twins(client, loader, freddie: int, oliver: int) -> list[str]:  # type: ignore[no-untyped-def]
    """ED attendances of twins: same birth date, surname and address, their own NHS numbers."""
    return _post(
        client,
        loader,
        *(
            event(
                agency="hospital",
                type_="hospital.ed_attendance",
                subjects=[{"role": "patient", "person": _patient(given, "Moorcroft", number)}],
            )
            for given, number in (("Freddie", freddie), ("Oliver", oliver))
        ),
    )


def test_variant_records_from_two_agencies_are_one_person(client, login) -> None:  # type: ignore[no-untyped-def]
    loader = login("loader", agency="panel", role="admin")
    health, police = _post(
        client,
        loader,
        event(agency="gp", subjects=[{"role": "patient", "person": _patient("Jayden", "Smith", 301)}]),
        event(
            agency="police",
            type_="police.arrest",
            payload={"offence": "assault"},
            subjects=[{"role": "suspect", "person": _patient("Jay", "SMYTH", None, local_id="NOM-1")}],
        ),
    )
    worker = login("sam", agency="csc")
    assert person_of(client, worker, health, "patient") == person_of(client, worker, police, "suspect")
    known = client.get(f"/api/v1/identity/people/{person_of(client, worker, police, 'suspect')}", headers=worker)
    records = known.json()["records"]
    assert {r["source_agency"] for r in records} == {"gp", "police"}
    by_model = next(r for r in records if r["linked_by"] == "model")
    sentences = [c["sentence"] for c in by_model["evidence"]["explanation"]]
    assert any(s.startswith("Given name: a nickname or short form") for s in sentences)
    assert by_model["match_probability"] >= 0.99


def test_twins_with_their_own_nhs_numbers_are_never_joined(client, login) -> None:  # type: ignore[no-untyped-def]
    loader = login("loader", agency="panel", role="admin")
    freddie, oliver = _post_twins(client, loader, 311, 312)
    worker = login("sam", agency="csc")
    assert person_of(client, worker, freddie, "patient") != person_of(client, worker, oliver, "patient")
    queue = client.get("/api/v1/identity/reviews", headers=worker).json()
    assert len(queue) == 1
    assert "NHS" in queue[0]["reason"]


def test_review_refuses_a_link_across_nhs_numbers_then_keeps_twins_apart(client, login) -> None:  # type: ignore[no-untyped-def]
    loader = login("loader", agency="panel", role="admin")
    first, second = _post_twins(client, loader, 321, 323)
    worker = login("sam", agency="csc")
    a, b = person_of(client, worker, first, "patient"), person_of(client, worker, second, "patient")
    item = client.get("/api/v1/identity/reviews", headers=worker).json()[0]
    shown = client.get(f"/api/v1/identity/reviews/{item['id']}", headers=worker).json()
    assert {r["given_name"] for r in shown["new_records"] + shown["known_records"]} == {"freddie", "oliver"}
    decided = client.post(
        f"/api/v1/identity/reviews/{item['id']}/decision", json={"verdict": "link", "note": "test"}, headers=worker
    )
    # Different NHS numbers: the merge is refused even by hand, and the pair stays open.
    assert decided.status_code == 422
    assert "different NHS numbers" in decided.text
    kept_apart = client.post(
        f"/api/v1/identity/reviews/{item['id']}/decision",
        json={"verdict": "keep_apart", "note": "twins"},
        headers=worker,
    )
    assert kept_apart.json()["status"] == "kept_apart"
    assert client.get("/api/v1/identity/reviews", headers=worker).json() == []
    assert person_of(client, worker, first, "patient") == a and person_of(client, worker, second, "patient") == b


def test_merge_by_hand_and_undo_put_every_event_back(client, login) -> None:  # type: ignore[no-untyped-def]
    loader = login("loader", agency="panel", role="admin")
    ids = _post(
        client,
        loader,
        event(agency="gp", subjects=[{"role": "patient", "person": _patient("Kim", "Lowe", 331)}]),
        event(
            agency="education",
            type_="school.concern",
            summary="Tired in class.",
            subjects=[
                {"role": "pupil", "person": {"given_name": "Kimberley", "family_name": "Price", "local_id": "E1"}}
            ],
        ),
    )
    worker = login("sam", agency="csc")
    kept, merged = person_of(client, worker, ids[0], "patient"), person_of(client, worker, ids[1], "pupil")
    assert kept != merged
    assert _named_in_chronology(client, worker, merged) == {ids[1]: [merged]}  # its entry is written and kept
    made = client.post(
        "/api/v1/identity/merges",
        json={"kept_id": kept, "merged_id": merged, "reason": "same child, confirmed by school"},
        headers=worker,
    )
    assert made.status_code == 201, made.text
    assert person_of(client, worker, ids[1], "pupil") == kept
    events = client.get(f"/api/v1/people/{kept}/events", headers=worker).json()
    assert {e["id"] for e in events} == set(ids)
    assert _named_in_chronology(client, worker, kept) == {ids[0]: [kept], ids[1]: [kept]}  # kept entry written again
    undone = client.post(
        f"/api/v1/identity/merges/{made.json()['merge_id']}/undo", json={"reason": "wrong child"}, headers=worker
    )
    assert undone.status_code == 200, undone.text
    assert person_of(client, worker, ids[1], "pupil") == merged
    assert [e["id"] for e in client.get(f"/api/v1/people/{merged}/events", headers=worker).json()] == [ids[1]]
    history = client.get(f"/api/v1/identity/people/{kept}", headers=worker).json()["merges"]
    assert history[0]["undone_by"] == "sam" and history[0]["rows_moved"] >= 3
    assert _named_in_chronology(client, worker, merged) == {ids[1]: [merged]}
    assert _named_in_chronology(client, worker, kept) == {ids[0]: [kept]}


def _named_in_chronology(client, headers: dict[str, str], person_id: str) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Whom each entry of the person's chronology names, by record."""
    response = client.get(f"/api/v1/people/{person_id}/chronology", headers=headers)
    assert response.status_code == 200, response.text
    return {e["event_id"]: [p["person_id"] for p in e["people"]] for e in response.json()["entries"]}


def test_reviewers_and_administrators_cannot_decide_identity(client, login) -> None:  # type: ignore[no-untyped-def]
    for user, agency, role in (("panel", "panel", "reviewer"), ("admin2", "panel", "admin")):
        headers = login(user, agency=agency, role=role)
        assert client.get("/api/v1/identity/reviews", headers=headers).status_code == 403
        refused = client.post(
            "/api/v1/identity/merges", json={"kept_id": "a", "merged_id": "b", "reason": "xyz"}, headers=headers
        )
        assert refused.status_code == 403


def test_exact_matching_keeps_variant_records_apart(client, login, exact_matching) -> None:  # type: ignore[no-untyped-def]
    loader = login("loader", agency="panel", role="admin")
    health, police = _post(
        client,
        loader,
        event(agency="gp", subjects=[{"role": "patient", "person": _patient("Jayden", "Smith", 341)}]),
        event(
            agency="police",
            type_="police.arrest",
            payload={"offence": "assault"},
            subjects=[{"role": "suspect", "person": _patient("Jay", "SMYTH", None, local_id="NOM-9")}],
        ),
    )
    worker = login("sam", agency="csc")
    assert person_of(client, worker, health, "patient") != person_of(client, worker, police, "suspect")


def test_s1_mother_police_and_health_records_are_one_person(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s1")
    worker = login("sam", agency="csc")
    mother = person_of(client, worker, ids["S1-MW-001"], "mother")
    records = client.get(f"/api/v1/identity/people/{mother}", headers=worker).json()["records"]
    assert {"police", "midwifery", "hospital", "health_visiting"} <= {r["source_agency"] for r in records}
    incidents = [
        e
        for e in client.get(f"/api/v1/people/{mother}/events", headers=worker).json()
        if e["type"] == "police.domestic_abuse_incident"
    ]
    assert len(incidents) == 18


def test_s2_father_found_under_a_variant_name(client, login) -> None:  # type: ignore[no-untyped-def]
    ids = replay(client, login, "s2")
    worker = login("sam", agency="csc")
    offender = person_of(client, worker, ids["S2-POL-002"], "offender")
    names = {
        (r["given_name"], r["family_name"])
        for r in client.get(f"/api/v1/identity/people/{offender}", headers=worker).json()["records"]
    }
    assert ("jason", "thackery") in names and ("jason", "thackeray") in names
    # Record by record, the midwife's booking ("Thackery", no birth date) is the offender too.
    assert person_of(client, worker, ids["S2-MW-001"], "father") == offender


def test_the_fields_for_the_linkage_model_are_kept_only_when_it_matches(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """With exact matching nothing reads them, so the parsing process neither builds nor sends them."""
    person = PersonIn(given_name="Ruby", family_name="Hale", date_of_birth=date(2017, 3, 1), nhs_number=nhs(1))
    kept = {}
    for mode in ("probabilistic", "exact"):
        monkeypatch.setenv("LANTERN_MATCHING", mode)
        get_settings.cache_clear()
        kept[mode] = identity_service.subject_record(
            person, "gp", "2024-01-01 00:00:00.000000", bindings(sqlite.dialect())
        ).fields
    get_settings.cache_clear()
    assert kept["probabilistic"]["family_name"] and kept["exact"] == {}
