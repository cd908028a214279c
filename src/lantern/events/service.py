"""Storing canonical events idempotently, and reading them back."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lantern.access import visibility
from lantern.access.records import ask
from lantern.access.vocabulary import AGENCIES
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.common import clock
from lantern.common.errors import Forbidden, InvalidInput
from lantern.db.portable import Bindings, insert_new, insert_rows, session_bindings
from lantern.db.types import new_id
from lantern.duties.facts import WrittenEvent
from lantern.events.batch import NewEvent
from lantern.events.models import Event, EventSubject
from lantern.events.schemas import EventIn, EventRead, RecordResult, SubjectRead
from lantern.events.vocabulary import EVENT_TYPES
from lantern.family import service as family_service
from lantern.identity import service as identity_service
from lantern.identity.service import SubjectRecord
from lantern.plans import watch as plans_watch
from lantern.register import watch as register_watch
from lantern.reviews import watch as reviews_watch

EVENT_COLUMNS = (
    "id",
    "received_at",
    "received_by",
    "source_agency",
    "source_ref",
    "type",
    "occurred_at",
    "recorded_at",
    "location",
    "summary",
    "narrative",
    "payload",
)
SUBJECT_COLUMNS = ("event_id", "person_id", "role", "position", "record")


class PreparedSubject(NamedTuple):
    """A subject of a validated event: role, the person as sent (JSON text), and who to resolve."""

    role: str
    record: Any
    identity: SubjectRecord


class PreparedEvent(NamedTuple):
    """A validated event as bound row values, so that it can be built in another process."""

    record_index: int  # position in the submission, or line in the file
    values: tuple[Any, ...]  # EVENT_COLUMNS from source_agency on
    subjects: tuple[PreparedSubject, ...]


def prepare(index: int, event: EventIn, bind: Bindings) -> PreparedEvent:
    """Convert a validated event into the values that `store_prepared` writes."""
    occurred_at = bind.time(event.occurred_at)
    location = event.location.model_dump(exclude_none=True) if event.location else None
    values = (
        event.source_agency,
        event.source_ref,
        event.type,
        occurred_at,
        bind.time(event.recorded_at),
        bind.json(location),
        event.summary,
        event.narrative,
        bind.json(event.payload),
    )
    subjects = tuple(
        PreparedSubject(
            subject.role,
            subject.person.model_dump_json(exclude_none=True),  # what bind.json would make of model_dump
            identity_service.subject_record(subject.person, event.source_agency, occurred_at, bind),
        )
        for subject in event.subjects
    )
    return PreparedEvent(index, values, subjects)


def store(*, db: Session, events: Sequence[tuple[int, EventIn]], actor: Actor) -> list[RecordResult]:
    """Store validated events in the caller's transaction; a known (agency, ref) is a duplicate.

    Subjects of new events are resolved to people; one audit entry records the batch.
    """
    bind = session_bindings(db)
    prepared = [prepare(index, event, bind) for index, event in events]
    return [
        RecordResult(
            index=event.record_index,
            source_ref=event.values[1],
            status="duplicate" if event_id is None else "accepted",
            event_id=event_id,
        )
        for event, event_id in zip(prepared, store_prepared(db=db, events=prepared, actor=actor).ids, strict=True)
    ]


class StoredEvent(NamedTuple):
    """A new event as a batch wrote it: its id, its values, and the person each subject was resolved to."""

    id: str
    event: PreparedEvent
    person_ids: tuple[str, ...]


class StoredBatch(NamedTuple):
    ids: list[str | None]  # per prepared event: the new event's id, or None for a duplicate
    new: list[StoredEvent]


def store_prepared(*, db: Session, events: Sequence[PreparedEvent], actor: Actor) -> StoredBatch:
    """`store` for prepared events."""
    received = (session_bindings(db).time(clock.now()), actor.name)
    ids: list[str | None] = []
    rows, seen = [], set()
    for event in events:
        key = event.values[:2]
        if key in seen:
            ids.append(None)
        else:
            seen.add(key)
            ids.append(new_id())
            rows.append((ids[-1], *received, *event.values))
    inserted = insert_new(db, Event.__table__, EVENT_COLUMNS, rows, ("source_agency", "source_ref"), "id")
    ids = [event_id if event_id in inserted else None for event_id in ids]
    new_events = [(event_id, event) for event_id, event in zip(ids, events, strict=True) if event_id is not None]
    people = _store_subjects(db, new_events)
    stored = [StoredEvent(*new, person_ids) for new, person_ids in zip(new_events, people, strict=True)]
    _watch(db, [NewEvent(new.id, new.event.values[2], new.person_ids) for new in stored])
    if new_events:
        audit.record(
            db=db,
            actor=actor,
            action="ingest",
            object_type="event_batch",
            detail={"accepted": len(new_events), "refs": [f"{e.values[0]}/{e.values[1]}" for _, e in new_events]},
        )
    return StoredBatch(ids, stored)


def written_for_duties(stored: Sequence[StoredEvent], types: Collection[str]) -> list[WrittenEvent]:
    """What `duties.creation.facts_for` reads of each new event of these types, decoded from the values
    just written instead of read back (ADR 54)."""
    return [_written(new) for new in stored if new.event.values[2] in types]


def _written(new: StoredEvent) -> WrittenEvent:
    agency, ref, event_type, occurred_at, _, location, summary, _, payload = new.event.values
    columns = (new.id, event_type, agency, ref, _unbound_time(occurred_at), summary)
    subjects = zip(new.person_ids, new.event.subjects, strict=True)
    return WrittenEvent(
        (*columns, orjson.loads(location), orjson.loads(payload)),
        [(person_id, subject.role, orjson.loads(subject.record)) for person_id, subject in subjects],
    )


def _unbound_time(value: str | datetime) -> datetime:
    """A UTC time as `Bindings.time` sent it: naive, or on SQLite as SQLAlchemy's text."""
    return (value if isinstance(value, datetime) else datetime.fromisoformat(value)).replace(tzinfo=UTC)


def store_known(*, db: Session, event: EventIn, person_ids: Sequence[str], actor: Actor) -> str:
    """Store one event recorded in Lantern about people it already knows (an assessment form): each
    subject is the given person, not resolved again from the names. A known (agency, ref) is refused."""
    bind = session_bindings(db)
    prepared = prepare(0, event, bind)
    event_id = new_id()
    row = (event_id, bind.time(clock.now()), actor.name, *prepared.values)
    if not insert_new(db, Event.__table__, EVENT_COLUMNS, [row], ("source_agency", "source_ref"), "id"):
        raise InvalidInput([{"loc": ["source_ref"], "msg": f"{event.source_ref} is already stored"}])
    subjects = zip(prepared.subjects, person_ids, strict=True)
    rows = [(event_id, person_id, s.role, position, s.record) for position, (s, person_id) in enumerate(subjects)]
    insert_rows(db, EventSubject.__table__, SUBJECT_COLUMNS, rows)
    family_service.note_links(db=db, records=[(event.type, prepared.values[3], [(row[1], row[2]) for row in rows])])
    _watch(db, [NewEvent(event_id, event.type, tuple(person_ids))])
    detail = {"ref": f"{event.source_agency}/{event.source_ref}", "type": event.type, "people": list(person_ids)}
    audit.record(db=db, actor=actor, action="record", object_type="event", object_id=event_id, detail=detail)
    return event_id


def _watch(db: Session, events: list[NewEvent]) -> None:
    """The register, plan and death watches, told who each new event names (nothing read back)."""
    register_watch.on_batch(db=db, events=events)
    plans_watch.on_batch(db=db, events=events)
    reviews_watch.on_batch(db=db, events=events)


def _store_subjects(db: Session, new_events: list[tuple[str, PreparedEvent]]) -> list[tuple[str, ...]]:
    """Resolve and write each event's subjects; the person ids of each event's subjects."""
    records = [subject.identity for _, event in new_events for subject in event.subjects]
    person_ids = iter(identity_service.resolve_people(db=db, records=records))
    rows, named = [], []
    for event_id, event in new_events:
        people = [(next(person_ids), subject.role) for subject in event.subjects]
        rows += [
            (event_id, person_id, role, position, subject.record)
            for position, ((person_id, role), subject) in enumerate(zip(people, event.subjects, strict=True))
        ]
        named.append((event.values[2], event.values[3], people))  # type and bound time
    insert_rows(db, EventSubject.__table__, SUBJECT_COLUMNS, rows)
    family_service.note_links(db=db, records=named)
    return [tuple(person_id for person_id, _ in people) for _, _, people in named]


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


def about_person(*, db: Session, person_id: str, types: Sequence[str], roles: Sequence[str]) -> list[Event]:
    """Events of these types naming the person in one of these roles, oldest first."""
    stmt = (
        select(Event)
        .join(EventSubject, EventSubject.event_id == Event.id)
        .where(EventSubject.person_id == person_id, EventSubject.role.in_(roles), Event.type.in_(types))
        .order_by(Event.occurred_at)
        .distinct()
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
    """One event with its subjects, as the access matrix lets the actor read it (in full, or as a
    notice); refused, naming only whom to ask, when it lets them read none of it. Audited against
    each subject."""
    event = db.get(Event, event_id)
    if event is None:
        return None
    subjects = subjects_of(db=db, event_ids=[event_id])[event_id]
    people = sorted({s.person_id for s in subjects})
    decision = visibility.decide_event(db, actor, event.type, event.source_agency, people)
    for person_id in people:
        detail = {"event_id": event_id, "access": decision}
        audit.record(db=db, actor=actor, action="read", object_type="person", object_id=person_id, detail=detail)
    if decision == "withheld":
        raise Forbidden(f"This record is held by {AGENCIES.get(event.source_agency)}: ask {ask(event.source_agency)}.")
    shown = as_read(event, subjects)
    return as_notice(shown) if decision == "notice" else shown


def as_notice(event: EventRead) -> EventRead:
    """A record shown only as a notice: that it exists, when, who it names and whom to ask; none of its
    narrative, payload, place or the agency's record of each person."""
    text = visibility.notice_text(event.type, event.source_agency, event.occurred_at, event.type_label)
    subjects = [SubjectRead(person_id=s.person_id, role=s.role, record={}) for s in event.subjects]
    return event.model_copy(
        update={"summary": text, "narrative": None, "payload": {}, "location": None, "subjects": subjects}
    )
