"""Households: who was recorded at the same address. The seed of the family network domain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from lantern.people.models import Person, PersonAddress


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
