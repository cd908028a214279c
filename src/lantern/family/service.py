"""The family network's writes and shared helpers: the link summary kept as records arrive,
households by address, relationships recorded by hand, names as people write them. The network
itself is read in `network.py`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, insert, select
from sqlalchemy.orm import Session, aliased

from lantern.audit.service import Actor
from lantern.common import clock
from lantern.common.errors import InvalidInput, NotFound
from lantern.db.types import new_id
from lantern.family import rules
from lantern.family.links import pairs_in
from lantern.family.models import LinkSummary, Relationship
from lantern.family.schemas import RelationshipIn
from lantern.people.models import Person, PersonAddress

SUMMARY_COLUMNS = ("person_id", "other_id", "role", "other_role", "event_type", "first_at", "last_at", "records")
SUMMARY_CHUNK = 2_000


def note_links(*, db: Session, event_ids: Sequence[str]) -> None:
    """Add who is named with whom in these newly stored records to the link summary, so that a
    network is read from a few summary rows per pair instead of every record (docs/decisions.md).

    Set-based: one INSERT ... SELECT per 2,000 records, grouped per pair, roles and type."""
    for start in range(0, len(event_ids), SUMMARY_CHUNK):
        chunk = event_ids[start : start + SUMMARY_CHUNK]
        db.execute(insert(LinkSummary).from_select(SUMMARY_COLUMNS, pairs_in(chunk)))


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
