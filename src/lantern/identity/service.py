"""Which person is this? Until probabilistic linkage lands, exact strong identifiers only.

`resolve_people` is the single entry point that ingestion uses; the Splink-based matcher will
replace its body, not its callers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from lantern.db.types import new_id
from lantern.people import service as people_service
from lantern.people.schemas import PersonIn


@dataclass(frozen=True)
class SubjectRecord:
    """A person as one agency named them in one event."""

    person: PersonIn
    agency: str
    seen_at: datetime


def identifier_keys(record: SubjectRecord) -> list[tuple[str, str, str]]:
    """(key, scheme, value) for each strong identifier, strongest first."""
    person = record.person
    keys = []
    if person.nhs_number:
        keys.append((f"nhs:{person.nhs_number}", "nhs", person.nhs_number))
    if person.pnc_id:
        keys.append((f"pnc:{person.pnc_id}", "pnc", person.pnc_id))
    if person.local_id:
        scheme = f"local:{record.agency}"
        keys.append((f"{scheme}:{person.local_id}", scheme, person.local_id))
    return keys


def resolve_people(*, db: Session, records: Sequence[SubjectRecord]) -> list[str]:
    """Return a person id for each record, creating people and identifiers as needed.

    A record joins the person found by its strongest known identifier, unless that person
    holds a different NHS number (conflicting strong identifiers never merge).
    """
    all_keys = {key for record in records for key, _, _ in identifier_keys(record)}
    owner = _existing_owners(db, all_keys)
    nhs_of = _nhs_numbers(db, set(owner.values()))
    new_people, new_identifiers, person_ids = [], [], []
    for record in records:
        keys = identifier_keys(record)
        person_id = _match(keys, owner, nhs_of, record.person.nhs_number)
        if person_id is None:
            person_id = new_id()
            new_people.append(people_service.new_person_row(person_id, record.person, record.seen_at))
            nhs_of[person_id] = record.person.nhs_number
        for key, scheme, value in keys:
            if key not in owner:
                owner[key] = person_id
                new_identifiers.append(
                    {
                        "key": key,
                        "scheme": scheme,
                        "value": value,
                        "person_id": person_id,
                        "first_seen_at": record.seen_at,
                    }
                )
        person_ids.append(person_id)
    people_service.add_people(db=db, rows=new_people, identifiers=new_identifiers)
    people_service.record_names_and_addresses(
        db=db, sightings=[(pid, r.person, r.agency, r.seen_at) for pid, r in zip(person_ids, records, strict=True)]
    )
    return person_ids


def _match(
    keys: list[tuple[str, str, str]],
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
