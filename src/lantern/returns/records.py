"""What Lantern holds about each child known to children's social care, read once for a return.

A return reads across domains in bulk, so, like the flag look-up (interop.flags), it reads the
event, plan and casework tables directly rather than one person at a time through their services.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.casework import conferences
from lantern.casework.models import Case, ConferenceRecord
from lantern.casework.rules import local_day
from lantern.events.models import Event, EventSubject
from lantern.people.models import Person, PersonAddress, PersonIdentifier
from lantern.plans.models import Plan
from lantern.returns import codes

CHILD_ROLES = (*conferences.CHILD_ROLES, "patient")  # a death is recorded about a patient too
TYPES = ("csc.referral", "csc.assessment", "csc.strategy_discussion", "child.death", "csc.adoption")


@dataclass(frozen=True)
class Record:
    """One agency record about the child, on its day in England."""

    event_id: str
    type: str
    on: date
    source_ref: str
    payload: dict[str, Any]


@dataclass
class Child:
    """A child with a referral to children's social care, and everything a return can use."""

    person: Person
    csc_local_id: str | None = None
    records: list[Record] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    conferences: list[ConferenceRecord] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    addresses: list[PersonAddress] = field(default_factory=list)

    def of(self, type_: str) -> list[Record]:
        """The child's records of one type, oldest first."""
        return [r for r in self.records if r.type == type_]


def load(*, db: Session) -> list[Child]:
    """Every child named as a child in a CSC referral, with their records, plans, conferences,
    cases and addresses; initial conferences owed are scheduled first, as every conference read does."""
    conferences.schedule(db=db)
    rows = db.execute(
        select(Event, EventSubject.person_id)
        .join(EventSubject, EventSubject.event_id == Event.id)
        .where(Event.type.in_(TYPES), EventSubject.role.in_(CHILD_ROLES))
        .order_by(Event.occurred_at, Event.id)
    ).all()
    by_person: dict[str, list[Record]] = defaultdict(list)
    for event, person_id in rows:
        record = Record(event.id, event.type, local_day(event.occurred_at), event.source_ref, event.payload or {})
        if record not in by_person[person_id]:
            by_person[person_id].append(record)
    referred = sorted(p for p, records in by_person.items() if any(r.type == "csc.referral" for r in records))
    people = db.scalars(select(Person).where(Person.id.in_(referred), Person.merged_into.is_(None))).all()
    children = {p.id: Child(person=p, records=by_person[p.id]) for p in people}
    _attach(children, db.scalars(select(Plan).where(Plan.child_id.in_(children))), "plans", "child_id")
    conference_rows = db.scalars(select(ConferenceRecord).where(ConferenceRecord.person_id.in_(children)))
    _attach(children, conference_rows, "conferences", "person_id")
    _attach(children, db.scalars(select(Case).where(Case.person_id.in_(children))), "cases", "person_id")
    _attach(children, db.scalars(select(PersonAddress).where(PersonAddress.person_id.in_(children))), "addresses")
    local_ids = db.execute(
        select(PersonIdentifier.person_id, PersonIdentifier.value).where(
            PersonIdentifier.person_id.in_(children), PersonIdentifier.scheme == "local:csc"
        )
    ).all()
    for person_id, value in sorted(local_ids):
        children[person_id].csc_local_id = children[person_id].csc_local_id or value
    return [children[p] for p in sorted(children)]


def _attach(children: dict[str, Child], rows: Iterable[Any], name: str, column: str = "person_id") -> None:
    for row in rows:
        getattr(children[getattr(row, column)], name).append(row)


def _referrers(*, db: Session, refs: Iterable[str]) -> dict[str, tuple[str, str]]:
    """(agency, type) of the record each referrer reference names, where exactly one agency's record has it."""
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    wanted = sorted(set(refs))
    if wanted:
        stmt = select(Event.source_ref, Event.source_agency, Event.type).where(
            Event.source_ref.in_(wanted), Event.source_agency != "csc"
        )
        for ref, agency, type_ in db.execute(stmt):
            found[ref].add((agency, type_))
    return {ref: next(iter(hits)) for ref, hits in found.items() if len(hits) == 1}


def referral_sources(*, db: Session, children: Iterable[Child]) -> dict[str, str]:
    """The census ReferralSource code of every CSC referral, by the referral's event id: the agency
    (or record type) of the record its `referrer_ref` names; "10" (unknown) when it names none."""
    referrals = [r for child in children for r in child.of("csc.referral")]
    found = _referrers(db=db, refs=[r.payload["referrer_ref"] for r in referrals if r.payload.get("referrer_ref")])
    sources = {}
    for referral in referrals:
        agency, type_ = found.get(referral.payload.get("referrer_ref") or "", ("", ""))
        sources[referral.event_id] = codes.SOURCE_FROM_EVENT_TYPE.get(type_) or codes.SOURCE_FROM_AGENCY.get(
            agency, codes.SOURCE_UNKNOWN
        )
    return sources
