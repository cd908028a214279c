"""The family network's writes and shared helpers: the link summary kept as records arrive,
households by address, relationships recorded by hand, names as people write them. The network
itself is read in `network.py`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from lantern.audit.service import Actor
from lantern.common import clock
from lantern.common.errors import InvalidInput, NotFound
from lantern.db.portable import insert_rows
from lantern.db.types import new_id
from lantern.family import rules
from lantern.family.models import LinkSummary, Relationship
from lantern.family.schemas import RelationshipIn
from lantern.people.models import Person, PersonAddress

SUMMARY_COLUMNS = ("person_id", "other_id", "role", "other_role", "event_type", "first_at", "last_at", "records")
# A newly stored record as the link summary reads it: type, bound time, and (person id, role) per subject.
NamedRecord = tuple[str, Any, Sequence[tuple[str, str]]]


def note_links(*, db: Session, records: Iterable[NamedRecord]) -> None:
    """Add who is named with whom in these newly stored records to the link summary, so that a
    network is read from a few summary rows per pair instead of every record (docs/decisions.md).

    The rows are grouped here per pair, roles and type from what the caller has just written, and
    inserted in bulk: the same rows as a join of the records' subjects would give (a test holds
    them equal), without that join, which PostgreSQL planned badly while a bulk load outran its
    statistics (0.4-2.5 s per 2,000 records; ADR 53). Bound times order like the times."""
    summary: dict[tuple[str, str, str, str, str], list[Any]] = {}
    for event_type, at, named in records:
        for person_id, role in named:
            for other_id, other_role in named:
                if other_id == person_id:
                    continue
                key = (person_id, other_id, role, other_role, event_type)
                row = summary.get(key)
                if row is None:
                    summary[key] = [*key, at, at, 1]
                else:
                    row[5], row[6], row[7] = min(row[5], at), max(row[6], at), row[7] + 1
    insert_rows(db, LinkSummary.__table__, SUMMARY_COLUMNS, list(summary.values()))


@dataclass(frozen=True)
class Resident:
    """A person recorded at an address, with their date of birth if known."""

    person_id: str
    given_name: str | None
    family_name: str | None
    date_of_birth: date | None


def co_residents(*, db: Session, person_id: str, on: datetime) -> list[Resident]:
    """Others recorded at any address where the person was recorded around `on`.

    An address counts when its recorded span (first to last seen) includes `on` or ends
    within a year before it: agencies record addresses only when they meet people.
    """
    mine, theirs = aliased(PersonAddress), aliased(PersonAddress)
    year_before = on.replace(year=on.year - 1)
    stmt = (
        select(Person.id, Person.given_name, Person.family_name, Person.date_of_birth)
        .join(theirs, theirs.person_id == Person.id)
        .join(mine, and_(mine.postcode == theirs.postcode, mine.line1_lower == theirs.line1_lower))
        .where(mine.person_id == person_id, theirs.person_id != person_id)
        .where(mine.last_seen_at >= year_before, theirs.last_seen_at >= year_before)
        .where(mine.first_seen_at <= on, theirs.first_seen_at <= on)
        .distinct()
    )
    return [Resident(*row) for row in db.execute(stmt)]


def display_name(given: str | None, family: str | None) -> str:
    """A name as people write it: police systems record family names in capitals."""
    words = " ".join(w for w in (given, family) if w)
    if not words:
        return "(no name recorded)"
    return " ".join(w.title() if w.isupper() and len(w) > 1 else w for w in words.split())


def record_relationship(
    *, db: Session, about_person_id: str, relationship: RelationshipIn, actor: Actor
) -> Relationship:
    """Record that `relationship.person_id` is the `relation` of the person (e.g. a grandparent)."""
    if relationship.relation not in rules.rulebook().relations:
        known = ", ".join(sorted(rules.rulebook().relations))
        raise InvalidInput([{"loc": ["relation"], "msg": f"unknown relation; one of {known}"}])
    if relationship.person_id == about_person_id:
        raise InvalidInput([{"loc": ["person_id"], "msg": "a person cannot be related to themselves"}])
    for person_id in (about_person_id, relationship.person_id):
        if db.get(Person, person_id) is None:
            raise NotFound(f"no person {person_id}")
    row = Relationship(
        id=new_id(),
        person_id=relationship.person_id,
        related_person_id=about_person_id,
        relation=relationship.relation,
        from_on=relationship.from_on,
        to_on=relationship.to_on,
        note=relationship.note,
        recorded_by=actor.name,
        recorded_agency=actor.agency,
        recorded_at=clock.now(),
    )
    db.add(row)
    db.flush()
    return row
