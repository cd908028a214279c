"""People: creation from agency records, names and addresses over time, search and lookup."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from lantern.db.portable import Bindings, Row, insert_ignoring_conflicts, insert_rows, select_in, upsert_seen_range
from lantern.db.rows import found
from lantern.people import rules
from lantern.people.models import Person, PersonAddress, PersonIdentifier, PersonName
from lantern.people.schemas import PersonIn

PERSON_COLUMNS = ("id", "created_at", "given_name", "family_name", "date_of_birth", "sex", "nhs_number")
IDENTIFIER_COLUMNS = ("key", "scheme", "value", "person_id", "first_seen_at")
NAME_COLUMNS = (
    "person_id",
    "first_seen_at",
    "given_name",
    "family_name",
    "other_names",
    "given_lower",
    "family_lower",
    "source_agency",
)
ADDRESS_COLUMNS = (
    "person_id",
    "first_seen_at",
    "last_seen_at",
    "line1",
    "line1_lower",
    "line2",
    "town",
    "postcode",
    "uprn",
)


class Sighting(NamedTuple):
    """A person as one agency recorded them, as bound row values (person id and time come later)."""

    details: tuple[Any, ...]  # a new person's row after id and created_at (PERSON_COLUMNS)
    name: tuple[Any, ...] | None  # a name row after person_id and first_seen_at (NAME_COLUMNS)
    address: tuple[Any, ...] | None  # an address row after person_id and the seen range (ADDRESS_COLUMNS)


def sighting(person: PersonIn, agency: str, bind: Bindings) -> Sighting:
    """The rows that one agency's record of a person may add: the person, a name, an address."""
    details = (person.given_name, person.family_name, bind.date(person.date_of_birth), person.sex, person.nhs_number)
    return Sighting(details, _name(person, agency), _address(person))


def _name(person: PersonIn, agency: str) -> tuple[Any, ...] | None:
    given, family = (person.given_name or "").lower(), (person.family_name or "").lower()
    if not (given or family):
        return None
    return (person.given_name, person.family_name, person.other_names, given, family, agency)


def _address(person: PersonIn) -> tuple[Any, ...] | None:
    address = person.address
    if address is None or not address.postcode:
        return None
    return (address.line1, (address.line1 or "").lower(), address.line2, address.town, address.postcode, address.uprn)


def add_people(*, db: Session, rows: list[Row], identifiers: list[Row]) -> None:
    """Insert new people (PERSON_COLUMNS) and the identifiers (IDENTIFIER_COLUMNS) that now point to them."""
    insert_rows(db, Person.__table__, PERSON_COLUMNS, rows)
    insert_rows(db, PersonIdentifier.__table__, IDENTIFIER_COLUMNS, identifiers)


def identifier_owners(*, db: Session, keys: list[str]) -> list[tuple[str, str]]:
    """(identifier key, person id) for each key already known."""
    return select_in(db, PersonIdentifier.__table__, ["key", "person_id"], "key", keys)


def nhs_numbers(*, db: Session, person_ids: list[str]) -> list[tuple[str, str | None]]:
    """(person id, NHS number or None) for each person."""
    return select_in(db, Person.__table__, ["id", "nhs_number"], "id", person_ids)


def record_names_and_addresses(*, db: Session, sightings: Iterable[tuple[str, Sighting, Any]]) -> None:
    """Keep every name a person was recorded under and every address, with first/last seen.

    Each sighting is (person id, sighting, bound time); bound times order like the times.
    """
    names: dict[tuple[str, str, str, str], Row] = {}
    addresses: dict[tuple[str, str, str], list[Any]] = {}
    for person_id, seen, seen_at in sightings:
        if (name := seen.name) is not None:
            key = (person_id, name[3], name[4], name[5])
            if key not in names:
                names[key] = (person_id, seen_at, *name)
        if (address := seen.address) is not None:
            place = (person_id, address[4], address[1])
            row = addresses.get(place)
            if row is None:
                addresses[place] = [person_id, seen_at, seen_at, *address]
            else:
                row[1], row[2] = min(row[1], seen_at), max(row[2], seen_at)
    insert_ignoring_conflicts(
        db,
        PersonName.__table__,
        NAME_COLUMNS,
        list(names.values()),
        ["person_id", "given_lower", "family_lower", "source_agency"],
    )
    upsert_seen_range(
        db, PersonAddress.__table__, ADDRESS_COLUMNS, list(addresses.values()), ["person_id", "postcode", "line1_lower"]
    )


def get(*, db: Session, person_id: str) -> Person | None:
    """The person, or None."""
    return db.get(Person, person_id)


def require(*, db: Session, person_id: str) -> Person:
    """The person, or NotFound (a 404)."""
    return found(db, Person, person_id, "person")


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


def kept(redirect: Mapping[str, str], person_id: str) -> str:
    """The person a chain of merges (merged id -> kept id) ends at."""
    while person_id in redirect:
        person_id = redirect[person_id]
    return person_id
