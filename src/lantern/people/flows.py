"""Reading people's records: each use case checks the policy and audits the read."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from lantern.access import policy, visibility
from lantern.access.records import Viewer
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.events import service as events_service
from lantern.events.schemas import EventRead
from lantern.people import service
from lantern.people.schemas import AddressRead, IdentifierRead, NameRead, PersonRead, PersonSummary


def search(*, db: Session, actor: Actor, text: str) -> list[PersonSummary]:
    """Search people; the query and the number of hits are audited."""
    policy.require(actor, "person:read")
    people = service.search(db=db, text=text)
    audit.record(
        db=db,
        actor=actor,
        action="search",
        object_type="person",
        detail={"query": text, "hits": [p.id for p in people]},
    )
    return [PersonSummary.model_validate(p, from_attributes=True) for p in people]


def read_person(*, db: Session, actor: Actor, person_id: str) -> PersonRead | None:
    """A person with names, identifiers and addresses; the read is audited."""
    policy.require(actor, "person:read")
    person = service.get(db=db, person_id=person_id)
    if person is None:
        return None
    held = service.details(db=db, person_id=person_id)
    audit.record(db=db, actor=actor, action="read", object_type="person", object_id=person_id)
    return PersonRead(
        id=person.id,
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
        sex=person.sex,
        nhs_number=person.nhs_number,
        created_at=person.created_at,
        names=[NameRead.model_validate(n, from_attributes=True) for n in held["names"]],
        identifiers=[IdentifierRead.model_validate(i, from_attributes=True) for i in held["identifiers"]],
        addresses=[AddressRead.model_validate(a, from_attributes=True) for a in held["addresses"]],
    )


def person_events(*, db: Session, actor: Actor, person_id: str) -> list[EventRead] | None:
    """Events naming the person that the actor may read (others' as notices where the access matrix
    says so), newest first; audited as a read of the person's record."""
    policy.require(actor, "event:read")
    if service.get(db=db, person_id=person_id) is None:
        return None
    return _readable_events(db, actor, person_id, visibility.viewer_for(db, actor, person_id))


def _readable_events(db: Session, actor: Actor, person_id: str, viewer: Viewer) -> list[EventRead]:
    events = events_service.for_person(db=db, person_id=person_id)
    decided = [(e, viewer.decide(e.type, e.source_agency)) for e in events]
    readable = [(e, decision) for e, decision in decided if decision != "withheld"]
    subjects = events_service.subjects_of(db=db, event_ids=[e.id for e, _ in readable])
    detail = {"events": len(readable), "withheld": len(events) - len(readable)}
    audit.record(db=db, actor=actor, action="read", object_type="person", object_id=person_id, detail=detail)
    shown = [(events_service.as_read(e, subjects[e.id]), decision) for e, decision in readable]
    return [events_service.as_notice(read) if decision == "notice" else read for read, decision in shown]


@dataclass(frozen=True)
class RecordView:
    """What the person page shows of the record: the events the actor may read, what exists that they
    cannot read (by agency), and whether they read it under an emergency opening."""

    events: list[EventRead]
    withheld: list[visibility.Withheld]
    emergency: bool


def record_view(*, db: Session, actor: Actor, person_id: str) -> RecordView | None:
    """The person's record as the actor may read it, their relationship to the person worked out once."""
    policy.require(actor, "event:read")
    if service.get(db=db, person_id=person_id) is None:
        return None
    viewer = visibility.viewer_for(db, actor, person_id)
    events = _readable_events(db, actor, person_id, viewer)
    return RecordView(events, visibility.withheld(db, viewer, [person_id]), viewer.break_glass)


def break_glass(*, db: Session, actor: Actor, person_id: str, reason: str) -> None:
    """Open the person's whole record in an emergency (see access.visibility)."""
    visibility.open_break_glass(db=db, actor=actor, person_id=person_id, reason=reason)
