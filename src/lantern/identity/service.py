"""Which person is this? Until probabilistic linkage lands, exact strong identifiers only.

`resolve_people` is the single entry point that ingestion uses; the Splink-based matcher will
replace its body, not its callers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from lantern.db.portable import Bindings, Row
from lantern.db.types import new_id
from lantern.people import service as people_service
from lantern.people.schemas import PersonIn
from lantern.people.service import Sighting

IdentifierKey = tuple[str, str, str]  # (key, scheme, value)


class SubjectRecord(NamedTuple):
    """A person as one agency named them in one event, ready to resolve and store."""

    keys: tuple[IdentifierKey, ...]  # strong identifiers, strongest first
    nhs_number: str | None
    sighting: Sighting
    seen_at: Any  # when the event occurred, bound for the database (orders like the time)


def subject_record(person: PersonIn, agency: str, seen_at: Any, bind: Bindings) -> SubjectRecord:
    """The record of `person` as `agency` named them in an event that occurred at bound time `seen_at`."""
    return SubjectRecord(
        identifier_keys(person, agency), person.nhs_number, people_service.sighting(person, agency, bind), seen_at
    )


def identifier_keys(person: PersonIn, agency: str) -> tuple[IdentifierKey, ...]:
    """(key, scheme, value) for each strong identifier, strongest first."""
    keys = []
    if person.nhs_number:
        keys.append((f"nhs:{person.nhs_number}", "nhs", person.nhs_number))
    if person.pnc_id:
        keys.append((f"pnc:{person.pnc_id}", "pnc", person.pnc_id))
    if person.local_id:
        scheme = f"local:{agency}"
        keys.append((f"{scheme}:{person.local_id}", scheme, person.local_id))
    return tuple(keys)


def resolve_people(*, db: Session, records: Sequence[SubjectRecord]) -> list[str]:
    """Return a person id for each record, creating people and identifiers as needed.

    A record joins the person found by its strongest known identifier, unless that person
    holds a different NHS number (conflicting strong identifiers never merge).
    """
    owner = _existing_owners(db, {key for record in records for key, _, _ in record.keys})
    nhs_of = _nhs_numbers(db, set(owner.values()))
    new_people: list[Row] = []
    new_identifiers: list[Row] = []
    person_ids = []
    for record in records:
        person_id = _match(record.keys, owner, nhs_of, record.nhs_number)
        if person_id is None:
            person_id = new_id()
            new_people.append((person_id, record.seen_at, *record.sighting.details))
            nhs_of[person_id] = record.nhs_number
        for key, scheme, value in record.keys:
            if key not in owner:
                owner[key] = person_id
                new_identifiers.append((key, scheme, value, person_id, record.seen_at))
        person_ids.append(person_id)
    people_service.add_people(db=db, rows=new_people, identifiers=new_identifiers)
    people_service.record_names_and_addresses(
        db=db, sightings=[(pid, r.sighting, r.seen_at) for pid, r in zip(person_ids, records, strict=True)]
    )
    return person_ids


def _match(
    keys: Sequence[IdentifierKey],
    owner: dict[str, str],
    nhs_of: dict[str, str | None],
    nhs_number: str | None,
) -> str | None:
    for key, _, _ in keys:
        person_id = owner.get(key)
        if person_id is None:
            continue
        held = nhs_of.get(person_id)
        if nhs_number and held and held != nhs_number:
            continue
        return person_id
    return None


def _existing_owners(db: Session, keys: Iterable[str]) -> dict[str, str]:
    return dict(people_service.identifier_owners(db=db, keys=list(keys)))


def _nhs_numbers(db: Session, person_ids: set[str]) -> dict[str, str | None]:
    return dict(people_service.nhs_numbers(db=db, person_ids=list(person_ids)))
