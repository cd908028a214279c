"""People: creation from agency records, names and addresses over time, search and lookup."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from lantern.db.portable import insert_ignoring_conflicts, insert_rows, upsert_seen_range
from lantern.people import rules
from lantern.people.models import Person, PersonAddress, PersonIdentifier, PersonName
from lantern.people.schemas import PersonIn

CHUNK = 5000


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def new_person_row(person_id: str, person: PersonIn, seen_at: datetime) -> dict[str, Any]:
    """The row for a person first seen in this record."""
    return {
        "id": person_id,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": person.date_of_birth,
        "sex": person.sex,
        "nhs_number": person.nhs_number,
        "created_at": seen_at,
    }


def add_people(*, db: Session, rows: list[dict[str, Any]], identifiers: list[dict[str, Any]]) -> None:
    """Insert new people and the identifiers that now point to them."""
    insert_rows(db, Person.__table__, rows)
    insert_rows(db, PersonIdentifier.__table__, identifiers)


def identifier_owners(*, db: Session, keys: list[str]) -> Iterator[tuple[str, str]]:
    """(identifier key, person id) for each key already known."""
    for chunk in _chunks(keys):
        stmt = select(PersonIdentifier.key, PersonIdentifier.person_id).where(PersonIdentifier.key.in_(chunk))
        yield from db.execute(stmt).tuples()


def nhs_numbers(*, db: Session, person_ids: list[str]) -> Iterator[tuple[str, str | None]]:
    """(person id, NHS number or None) for each person."""
    for chunk in _chunks(person_ids):
        yield from db.execute(select(Person.id, Person.nhs_number).where(Person.id.in_(chunk))).tuples()


def record_names_and_addresses(*, db: Session, sightings: Sequence[tuple[str, PersonIn, str, datetime]]) -> None:
    """Keep every name a person was recorded under and every address, with first/last seen."""
    names: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    addresses: dict[tuple[str, str, str], dict[str, Any]] = {}
    for person_id, person, agency, seen_at in sightings:
        given, family = (person.given_name or "").lower(), (person.family_name or "").lower()
        if given or family:
            names.setdefault(
                (person_id, given, family, agency),
                {
                    "person_id": person_id,
                    "given_name": person.given_name,
                    "family_name": person.family_name,
                    "other_names": person.other_names,
                    "given_lower": given,
                    "family_lower": family,
                    "source_agency": agency,
                    "first_seen_at": seen_at,
                },
            )
        address = person.address
        if address is not None and address.postcode:
            key = (person_id, address.postcode, (address.line1 or "").lower())
            row = addresses.get(key)
            if row is None:
                addresses[key] = {
                    "person_id": person_id,
                    "line1": address.line1,
                    "line1_lower": key[2],
                    "line2": address.line2,
                    "town": address.town,
                    "postcode": address.postcode,
                    "uprn": address.uprn,
                    "first_seen_at": seen_at,
                    "last_seen_at": seen_at,
                }
            else:
                row["first_seen_at"] = min(row["first_seen_at"], seen_at)
                row["last_seen_at"] = max(row["last_seen_at"], seen_at)
    insert_ignoring_conflicts(
        db, PersonName.__table__, list(names.values()), ["person_id", "given_lower", "family_lower", "source_agency"]
    )
    upsert_seen_range(db, PersonAddress.__table__, list(addresses.values()), ["person_id", "postcode", "line1_lower"])


def get(*, db: Session, person_id: str) -> Person | None:
    """The person, or None."""
    return db.get(Person, person_id)


def details(*, db: Session, person_id: str) -> dict[str, list[Any]]:
    """Names, identifiers and addresses held for a person."""
    return {
        "names": list(
            db.execute(
                select(PersonName).where(PersonName.person_id == person_id).order_by(PersonName.first_seen_at)
            ).scalars()
        ),
        "identifiers": list(
            db.execute(
                select(PersonIdentifier)
                .where(PersonIdentifier.person_id == person_id)
                .order_by(PersonIdentifier.scheme)
            ).scalars()
        ),
        "addresses": list(
            db.execute(
                select(PersonAddress)
                .where(PersonAddress.person_id == person_id)
                .order_by(PersonAddress.last_seen_at.desc())
            ).scalars()
        ),
    }


def search(*, db: Session, text: str, limit: int = 50) -> list[Person]:
    """People matching an NHS number, PNC id, or name words (prefix match on any recorded name)."""
    text = text.strip()
    if not text:
        return []
    digits = rules.normalise_nhs_number(text)
    if digits.isdigit() and len(digits) == 10:
        return _by_identifier(db, f"nhs:{digits}")
    if (pnc := rules.normalise_pnc_id(text)) is not None:
        return _by_identifier(db, f"pnc:{pnc}")
    stmt = select(PersonName.person_id).distinct()
    for word in text.lower().replace(",", " ").split()[:4]:
        stmt = stmt.where(
            or_(
                PersonName.family_lower.startswith(word, autoescape=True),
                PersonName.given_lower.startswith(word, autoescape=True),
            )
        )
    ids = select(stmt.limit(limit).subquery().c.person_id)
    people = db.execute(select(Person).where(Person.id.in_(ids))).scalars()
    return sorted(people, key=lambda p: ((p.family_name or "").lower(), (p.given_name or "").lower()))


def _by_identifier(db: Session, key: str) -> list[Person]:
    stmt = (
        select(Person)
        .join(PersonIdentifier, PersonIdentifier.person_id == Person.id)
        .where(PersonIdentifier.key == key)
    )
    return list(db.execute(stmt).scalars())


def count(*, db: Session) -> int:
    """How many people Lantern holds."""
    return db.execute(select(func.count()).select_from(Person)).scalar_one()
