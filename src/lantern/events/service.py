"""Storing canonical events idempotently, and reading them back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.common import clock
from lantern.db.portable import insert_new, insert_rows
from lantern.db.types import new_id
from lantern.events.models import Event, EventSubject
from lantern.events.schemas import EventIn, EventRead, RecordResult, SubjectRead
from lantern.events.vocabulary import EVENT_TYPES
from lantern.identity import service as identity_service
from lantern.identity.service import SubjectRecord


def store(*, db: Session, events: Sequence[tuple[int, EventIn]], actor: Actor) -> list[RecordResult]:
    """Store validated events in the caller's transaction; a known (agency, ref) is a duplicate.

    Subjects of new events are resolved to people; one audit entry records the batch.
    """
    received_at = clock.now()
    rows, results, seen = [], [], set()
    for index, event in events:
        key = (event.source_agency, event.source_ref)
        result = RecordResult(index=index, source_ref=event.source_ref, status="duplicate")
        if key not in seen:
            seen.add(key)
            result.event_id = new_id()
            rows.append(_event_row(result.event_id, event, received_at, actor))
        results.append(result)
    inserted = insert_new(db, Event.__table__, rows, ["source_agency", "source_ref"], "id")
    new_events = []
    for result, (_, event) in zip(results, events, strict=True):
        if result.event_id in inserted:
            result.status = "accepted"
            new_events.append((result.event_id, event))
        else:
            result.event_id = None
    _store_subjects(db, new_events)
    if new_events:
        audit.record(
            db=db,
            actor=actor,
            action="ingest",
            object_type="event_batch",
            detail={"accepted": len(new_events), "refs": [f"{e.source_agency}/{e.source_ref}" for _, e in new_events]},
        )
    return results


def _event_row(event_id: str, event: EventIn, received_at: Any, actor: Actor) -> dict[str, Any]:
    return {
        "id": event_id,
        "source_agency": event.source_agency,
        "source_ref": event.source_ref,
        "type": event.type,
        "occurred_at": event.occurred_at,
        "recorded_at": event.recorded_at,
        "received_at": received_at,
        "received_by": actor.name,
        "location": event.location.model_dump(exclude_none=True) if event.location else None,
        "summary": event.summary,
        "narrative": event.narrative,
        "payload": event.payload,
    }


def _store_subjects(db: Session, new_events: list[tuple[str, EventIn]]) -> None:
    records = [
        SubjectRecord(person=subject.person, agency=event.source_agency, seen_at=event.occurred_at)
        for _, event in new_events
        for subject in event.subjects
    ]
    person_ids = iter(identity_service.resolve_people(db=db, records=records))
    rows = [
        {
            "event_id": event_id,
            "person_id": next(person_ids),
            "role": subject.role,
            "position": position,
            "record": subject.person.model_dump(mode="json", exclude_none=True),
        }
        for event_id, event in new_events
        for position, subject in enumerate(event.subjects)
    ]
    insert_rows(db, EventSubject.__table__, rows)


def for_person(*, db: Session, person_id: str, limit: int = 500) -> list[Event]:
    """Events naming the person, most recent first."""
    stmt = (
        select(Event)
        .join(EventSubject, EventSubject.event_id == Event.id)
        .where(EventSubject.person_id == person_id)
        .order_by(Event.occurred_at.desc())
        .distinct()
        .limit(limit)
    )
    return list(db.execute(stmt).scalars())


def subjects_of(*, db: Session, event_ids: Sequence[str]) -> dict[str, list[EventSubject]]:
    """The subjects of each event, in the order the agency listed them."""
    grouped: dict[str, list[EventSubject]] = {event_id: [] for event_id in event_ids}
    if event_ids:
        stmt = select(EventSubject).where(EventSubject.event_id.in_(event_ids)).order_by(EventSubject.position)
        for subject in db.execute(stmt).scalars():
            grouped[subject.event_id].append(subject)
    return grouped


def count(*, db: Session) -> int:
    """How many events are stored."""
    return db.execute(select(func.count()).select_from(Event)).scalar_one()


def as_read(event: Event, subjects: list[EventSubject]) -> EventRead:
    """The API shape of a stored event."""
    return EventRead(
        id=event.id,
        source_agency=event.source_agency,
        source_ref=event.source_ref,
        type=event.type,
        type_label=EVENT_TYPES[event.type].label,
        occurred_at=event.occurred_at,
        recorded_at=event.recorded_at,
        received_at=event.received_at,
        location=event.location,
        summary=event.summary,
        narrative=event.narrative,
        payload=event.payload,
        subjects=[SubjectRead(person_id=s.person_id, role=s.role, record=s.record) for s in subjects],
    )


def read(*, db: Session, event_id: str, actor: Actor) -> EventRead | None:
    """One event with its subjects; the read is audited against each subject."""
    event = db.get(Event, event_id)
    if event is None:
        return None
    subjects = subjects_of(db=db, event_ids=[event_id])[event_id]
    for person_id in {s.person_id for s in subjects}:
        audit.record(
            db=db, actor=actor, action="read", object_type="person", object_id=person_id, detail={"event_id": event_id}
        )
    return as_read(event, subjects)
