"""The record as it stood: the child's family network, the family chronology, the duties about
them and the child's plans, at a chosen time, kept as JSON that never changes.

Read through each domain's own functions (their reads are audited as the review process's); what
was recorded after the chosen time is left out: records written up later, people first seen later,
duties raised later (and each duty's status as it was then), plans started later, breaches,
household-member tasks and stay notices noted later.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy.orm import Session

from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.chronology import flows as chronology_flows
from lantern.chronology.entries import Filters
from lantern.common import clock
from lantern.common.workdays import LONDON
from lantern.db.types import new_id
from lantern.duties import service as duties_service
from lantern.family import flows as family_flows
from lantern.family import network
from lantern.family.service import display_name
from lantern.plans import service as plans_service
from lantern.reviews import rules
from lantern.reviews.models import Review, ReviewSnapshot

# The review process reads the record for a snapshot as a partnership reviewer would.
REVIEWS = Actor(id=None, name="reviews", agency="panel", role="reviewer")


def take(*, db: Session, review: Review, as_at: datetime, actor: Actor) -> ReviewSnapshot:
    """Build and keep the snapshot of the review's child as at `as_at`; audited against the review."""
    content = build(db=db, child_id=review.child_id, as_at=as_at)
    snap = ReviewSnapshot(
        id=new_id(),
        review_id=review.id,
        as_at=as_at,
        taken_at=clock.now(),
        taken_by=actor.name,
        content=content,
        digest=digest(content),
    )
    db.add(snap)
    db.flush()
    detail = {"snapshot_id": snap.id, "as_at": as_at.isoformat(), "entries": len(content["chronology"])}
    audit.record(db=db, actor=actor, action="snapshot", object_type="review", object_id=review.id, detail=detail)
    return snap


def digest(content: dict[str, Any]) -> str:
    """SHA-256 of the content's canonical JSON (sorted keys)."""
    return hashlib.sha256(orjson.dumps(content, option=orjson.OPT_SORT_KEYS)).hexdigest()


def build(*, db: Session, child_id: str, as_at: datetime) -> dict[str, Any]:
    """The snapshot's content: child, network, chronology, duties and plans as at `as_at`."""
    built = network.build(db, child_id)
    members = [m for m in built.members_on(None) if m.first_seen <= as_at]
    chronology = chronology_flows.read(
        db=db, actor=REVIEWS, person_id=child_id, scope="family", filters=Filters(until=as_at), page=None
    )
    entries = rules.as_of((orjson.loads(shown) for shown in chronology.listing.shown), as_at)
    person = built.person
    return {
        "as_at": as_at.isoformat(),
        "child": {
            "person_id": child_id,
            "name": display_name(person.given_name, person.family_name) if person else child_id,
            "date_of_birth": person.date_of_birth.isoformat() if person and person.date_of_birth else None,
        },
        "network": [family_flows.as_read(built, m, as_at).model_dump(mode="json") for m in members],
        "chronology": [_shared_as_at(e, as_at) for e in entries],
        "duties": _duties(db, [child_id, *(m.person_id for m in members)], as_at),
        "plans": _plans(db, child_id, as_at),
    }


def _shared_as_at(entry: dict[str, Any], as_at: datetime) -> dict[str, Any]:
    """With whom a record had been shared by `as_at`, and whether they had acknowledged it then."""
    shared = []
    for item in entry.get("shared", []):
        if item.get("shared_at") and datetime.fromisoformat(item["shared_at"]) > as_at:
            continue
        acknowledged = item.get("acknowledged_at")
        if acknowledged and datetime.fromisoformat(acknowledged) > as_at:
            item = item | {"acknowledged_at": None, "status": "not yet acknowledged"}
        shared.append(item)
    return entry | {"shared": shared}


def _duties(db: Session, person_ids: list[str], as_at: datetime) -> list[dict[str, Any]]:
    """Duties about these people raised by `as_at`, each with its status then."""
    raised = [
        d
        for person_id in dict.fromkeys(person_ids)
        for d in duties_service.list_duties(db=db, person_id=person_id, limit=10_000)
        if d.created_at <= as_at
    ]
    history = duties_service.transitions(db=db, duty_ids=[d.id for d in raised])
    shown = []
    for d in sorted(raised, key=lambda d: (d.created_at, d.id)):
        acknowledged = d.acknowledged_at if d.acknowledged_at and d.acknowledged_at <= as_at else None
        shown.append(
            {
                "duty_id": d.id,
                "person_id": d.person_id,
                "title": d.title,
                "rule_code": d.rule_code,
                "event_id": d.event_id,
                "from_agency": d.from_agency,
                "recipient_agency": d.recipient_agency,
                "recipient_team": d.recipient_team,
                "reason": d.reason,
                "created_at": d.created_at.isoformat(),
                "due_at": d.due_at.isoformat(),
                "status": rules.status_at([(t.at, t.to_status) for t in history[d.id]], as_at) or d.status,
                "acknowledged_at": acknowledged.isoformat() if acknowledged else None,
                "acknowledged_by": d.acknowledged_by if acknowledged else None,
            }
        )
    return shown


def _plans(db: Session, child_id: str, as_at: datetime) -> list[dict[str, Any]]:
    """The child's plans started by `as_at`, with what had been noted against them by then."""
    day = as_at.astimezone(LONDON).date()
    shown = []
    for plan in plans_service.list_(db=db, actor=REVIEWS, child_id=child_id):
        if plan.start_on > day:
            continue
        read = plans_service.read(db=db, plan_id=plan.id, actor=REVIEWS).model_dump(mode="json")
        for condition in read["conditions"]:
            condition["breaches"] = [b for b in condition["breaches"] if _by(b["detected_at"], as_at)]
            condition["status"] = "breached" if condition["breaches"] else "kept"
        read["tasks"] = [t for t in read["tasks"] if _by(t.get("raised_at"), as_at)]
        if read.get("end_on") and read["end_on"] > day.isoformat():
            read["end_on"], read["status"] = None, "active"
        shown.append(read)
    return shown


def _by(value: str | None, as_at: datetime) -> bool:
    return value is None or datetime.fromisoformat(value) <= as_at
