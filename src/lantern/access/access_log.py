"""Who has looked at this child: every audit entry about a person, their records and their duties,
with who, their agency and role, when, and what they saw (issue 10, item 3)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.access import policy
from lantern.access.models import User
from lantern.audit import service as audit
from lantern.audit.models import AuditEntry
from lantern.audit.service import Actor
from lantern.common.errors import Forbidden
from lantern.duties import service as duties_service
from lantern.events import service as events_service
from lantern.people import service as people_service

LIMIT = 1000
ALL = 1_000_000  # every record and duty of the person, not a page of them
_DOING = {
    "read": "Looked at",
    "search": "Searched for",
    "export": "Exported",
    "record": "Recorded",
    "write": "Changed",
    "merge": "Merged",
    "unmerge": "Undid a merge of",
    "acknowledge": "Acknowledged",
    "action": "Recorded an action on",
}
_THINGS = {"person": "the person's record", "event": "an agency record", "duty": "a duty about them"}


class AccessEntryRead(BaseModel):
    """One look at, or change to, the person's records."""

    seq: int
    at: datetime
    username: str
    full_name: str | None
    agency: str | None
    role: str
    action: str
    object_type: str
    object_id: str | None
    what: str
    reason: str | None


class AccessLogRead(BaseModel):
    """Who has looked at one person's records, newest first."""

    person_id: str
    name: str
    entries: list[AccessEntryRead]


def read(*, db: Session, actor: Actor, person_id: str, limit: int = LIMIT) -> AccessLogRead:
    """The newest entries about the person, for CSC managers, partnership reviewers and auditors; audited."""
    if not (policy.can(actor, "access_log:read") or policy.can(actor, "audit:read")):
        raise Forbidden(f"{actor.role} of {actor.agency or 'no agency'} may not see who has looked at a record")
    person = people_service.require(db=db, person_id=person_id)
    events = events_service.for_person(db=db, person_id=person_id, limit=ALL)
    duties = duties_service.list_duties(db=db, person_id=person_id, limit=ALL)
    objects = {"person": [person_id], "event": [e.id for e in events], "duty": [d.id for d in duties]}
    entries = audit.about(db=db, objects=objects, limit=limit)
    users = _users(db, {e.actor_id for e in entries if e.actor_id})
    audit.record(
        db=db, actor=actor, action="read", object_type="person", object_id=person_id, detail={"view": "access log"}
    )
    name = " ".join(n for n in (person.given_name, person.family_name) if n) or "(no name recorded)"
    return AccessLogRead(
        person_id=person_id, name=name, entries=[_read(entry, users.get(entry.actor_id or "")) for entry in entries]
    )


def _users(db: Session, ids: set[str]) -> dict[str, User]:
    if not ids:
        return {}
    return {u.id: u for u in db.execute(select(User).where(User.id.in_(ids))).scalars()}


def _read(entry: AuditEntry, user: User | None) -> AccessEntryRead:
    return AccessEntryRead(
        seq=entry.seq,
        at=entry.at,
        username=entry.actor,
        full_name=user.full_name if user else None,
        agency=entry.agency,
        role=user.role if user else "system",  # the audit entry keeps the agency; the role is the user's now
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        what=describe(entry.action, entry.object_type, entry.detail),
        reason=entry.reason,
    )


def describe(action: str, object_type: str, detail: dict[str, Any]) -> str:
    """What was done, in plain English: "Looked at the person's record (chronology, 12 entries)"."""
    words = f"{_DOING.get(action, action.replace('_', ' ').capitalize())} {_THINGS.get(object_type, object_type)}"
    shown = [str(detail["view"])] if detail.get("view") else []
    for key, label in (("entries", "entries"), ("events", "records"), ("duties", "duties")):
        if isinstance(detail.get(key), int):
            shown.append(f"{detail[key]} {label}")
    if detail.get("event_id"):
        shown.append("one agency record")
    return f"{words} ({', '.join(shown)})" if shown else words
