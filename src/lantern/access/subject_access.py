"""Subject-access export: one JSON document of everything Lantern holds about a person (UK GDPR
Article 15; ICO "Right of access" guidance, 2023), for the data protection lead to review and redact.

The person, every record naming them with their role, duties about them, relationships and
assessments come from their domains' services. Everything else is found through the schema: every
row of every table with a foreign key to the person, and the rows that hang from those (a pre-birth
assessment's versions, a plan's conditions), so a table added later is exported without a change here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import FromClause, Table, select
from sqlalchemy.orm import Session

from lantern.access import policy
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.common import clock
from lantern.db.base import Base
from lantern.duties import service as duties_service
from lantern.events import service as events_service
from lantern.family.links import links_of
from lantern.people import service as people_service

ALL = 1_000_000
# ADR 23: assessments are events of these types (pre-birth assessments also have their own tables).
ASSESSMENT_TYPES = frozenset(
    {
        "growth.measurement",
        "injury.observation",
        "child.disclosure",
        "dash.assessment",
        "csc.assessment",
        "csc.prebirth_assessment",
    }
)
# Exported in their own sections, or (family_link) a summary of the records already exported.
COVERED = frozenset({"person", "person_name", "person_address", "person_identifier", "event_subject", "duty"})
SUMMARIES = frozenset({"family_link"})
NOTE = (
    "Everything Lantern holds about this person. Records also name other people: consider their "
    "information (and any exemption) before this is disclosed to the requester."
)


def export(*, db: Session, actor: Actor, person_id: str) -> dict[str, Any]:
    """The whole subject-access document for one person; audited as an export of their record."""
    policy.require(actor, "subject_access:export")
    person = people_service.require(db=db, person_id=person_id)
    events = _events(db, person_id)
    held = _held(db, person_id)
    document = {
        "subject_access": {
            "person_id": person_id,
            "generated_at": clock.now(),
            "generated_by": {"username": actor.name, "agency": actor.agency, "role": actor.role},
            "note": NOTE,
        },
        "person": _row(person.__table__, person) | _details(db, person_id),
        "events": events,
        "duties": _duties(db, person_id),
        "relationships": _relationships(db, person_id),
        "assessments": {
            "records": [e for e in events if e["type"] in ASSESSMENT_TYPES],
            "prebirth": held.pop("prebirth_assessment", []),
            "prebirth_versions": held.pop("prebirth_version", []),
        },
        "other_records": held,
    }
    counts = {"events": len(events), "tables": sorted(held)}
    detail = {"view": "subject access", **counts}
    audit.record(db=db, actor=actor, action="export", object_type="person", object_id=person_id, detail=detail)
    return to_jsonable_python(document)  # type: ignore[no-any-return]


def _details(db: Session, person_id: str) -> dict[str, Any]:
    held = people_service.details(db=db, person_id=person_id)
    return {kind: [_row(row.__table__, row) for row in rows] for kind, rows in held.items()}


def _events(db: Session, person_id: str) -> list[dict[str, Any]]:
    """Every record naming the person, oldest first, with the role(s) they are named in."""
    events = sorted(events_service.for_person(db=db, person_id=person_id, limit=ALL), key=lambda e: e.occurred_at)
    subjects = events_service.subjects_of(db=db, event_ids=[e.id for e in events])
    found = []
    for event in events:
        roles = sorted({s.role for s in subjects[event.id] if s.person_id == person_id})
        found.append({"roles": roles} | events_service.as_read(event, subjects[event.id]).model_dump())
    return found


def _duties(db: Session, person_id: str) -> list[dict[str, Any]]:
    duties = duties_service.list_duties(db=db, person_id=person_id, limit=ALL)
    history = duties_service.transitions(db=db, duty_ids=[d.id for d in duties])
    return [
        _row(duty.__table__, duty) | {"transitions": [_row(t.__table__, t) for t in history[duty.id]]}
        for duty in duties
    ]


def _relationships(db: Session, person_id: str) -> list[dict[str, Any]]:
    links = links_of(db, [person_id]).of[person_id]
    return [
        {
            "other_person_id": link.other,
            "relation": link.relation,
            "they_are_the_relation_of_this_person": not link.inverse,
            "first_seen": link.first_seen,
            "last_seen": link.last_seen,
            "sources": sorted(link.sources),
            "records": link.records,
        }
        for link in links.values()
    ]


def _held(db: Session, person_id: str) -> dict[str, list[dict[str, Any]]]:
    """Rows of every other table pointing at the person, then rows pointing at those rows."""
    held: dict[str, list[dict[str, Any]]] = {}
    first: dict[str, list[Any]] = {}
    for table in Base.metadata.sorted_tables:
        if table.name in COVERED | SUMMARIES:
            continue
        columns = [c for c in table.columns if any(fk.column.table.name == "person" for fk in c.foreign_keys)]
        if columns:
            rows = _select(db, table, [(c, [person_id]) for c in columns])
            if rows:
                held[table.name] = [_row(table, r) for r in rows]
                first[table.name] = rows
    for table in Base.metadata.sorted_tables:
        if table.name in held or table.name in COVERED:
            continue
        pairs = [
            (c, [getattr(r, fk.column.name) for r in first[fk.column.table.name]])
            for c in table.columns
            for fk in c.foreign_keys
            if fk.column.table.name in first
        ]
        rows = _select(db, table, pairs) if pairs else []
        if rows:
            held[table.name] = [_row(table, r) for r in rows]
    return held


def _select(db: Session, table: Table, pairs: Iterable[tuple[Any, list[Any]]]) -> list[Any]:
    """Rows where any of the columns holds one of its values, each row once."""
    found: dict[tuple[Any, ...], Any] = {}
    for column, values in pairs:
        for row in db.execute(select(table).where(column.in_(values))).all():
            found[tuple(getattr(row, key.key) for key in table.primary_key)] = row
    return list(found.values())


def _row(table: FromClause, row: Any) -> dict[str, Any]:
    return {c.name: getattr(row, c.key, None) for c in table.columns}
