"""Identity use cases for the API and pages: each checks the policy, audits reads and commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from lantern.access import policy
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.identity import merge, review
from lantern.identity.models import MatchReview, PersonMerge, PersonRecord
from lantern.people import service as people_service
from lantern.plans import watch as plans_watch
from lantern.register import watch as register_watch


def open_reviews(*, db: Session, actor: Actor) -> list[MatchReview]:
    """The review queue."""
    policy.require(actor, "identity:review")
    return review.open_items(db)


def review_item(*, db: Session, actor: Actor, review_id: int) -> dict[str, Any]:
    """One pair side by side with the explanation; a read of both people's records, audited."""
    policy.require(actor, "identity:review")
    item = review.get(db, review_id)
    sides = {side: _side(db, person_id) for side, person_id in (("new", item.person_id), ("known", item.candidate_id))}
    for person_id in (item.person_id, item.candidate_id):
        audit.record(
            db=db, actor=actor, action="read", object_type="person", object_id=person_id, detail={"review": review_id}
        )
    return {"item": item, **sides}


def _side(db: Session, person_id: str) -> dict[str, Any]:
    person = people_service.require(db=db, person_id=person_id)
    return {"person": person, "records": review.records_of(db, person_id)}


def decide(*, db: Session, actor: Actor, review_id: int, verdict: review.Verdict, note: str) -> MatchReview:
    """Link or keep apart."""
    policy.require(actor, "identity:review")
    item = review.decide(db, review_id=review_id, verdict=verdict, actor=actor, note=note)
    if verdict == "link":
        register_watch.after_merge(db=db, person_id=item.candidate_id)
        plans_watch.after_merge(db=db, person_id=item.candidate_id)
    return item


def merge_people(*, db: Session, actor: Actor, kept_id: str, merged_id: str, reason: str) -> int:
    """Merge two people by hand; the merge id (for undoing)."""
    policy.require(actor, "identity:review")
    record = merge.merge(db, kept_id=kept_id, merged_id=merged_id, actor=actor, reason=reason)
    register_watch.after_merge(db=db, person_id=kept_id)
    plans_watch.after_merge(db=db, person_id=kept_id)
    return record.id


def undo_merge(*, db: Session, actor: Actor, merge_id: int, reason: str) -> None:
    """Undo a merge exactly."""
    policy.require(actor, "identity:review")
    merge.unmerge(db, merge_id=merge_id, actor=actor, reason=reason)


def known_as(*, db: Session, actor: Actor, person_id: str) -> dict[str, Any]:
    """Every agency's record of the person, why each belongs, and the merges; audited."""
    policy.require(actor, "person:read")
    people_service.require(db=db, person_id=person_id)
    records = review.records_of(db, person_id)
    merges = merge.merges_of(db, person_id)
    audit.record(
        db=db, actor=actor, action="read", object_type="person", object_id=person_id, detail={"known_as": True}
    )
    return {"records": [record_dict(r) for r in records], "merges": [merge_dict(m) for m in merges]}


def record_dict(record: PersonRecord) -> dict[str, Any]:
    """The API shape of one agency's record of a person, with why it belongs."""
    return {
        "id": record.id,
        "source_agency": record.source_agency,
        "given_name": record.given_name,
        "family_name": record.family_name,
        "date_of_birth": record.dob,
        "postcode": record.postcode,
        "address_line1": record.address_line1,
        "nhs_number": record.nhs_number,
        "identifier": record.identifier,
        "linked_by": record.linked_by,
        "match_probability": record.match_probability,
        "evidence": record.evidence,
        "first_seen_at": record.first_seen_at.isoformat(),
    }


def merge_dict(record: PersonMerge) -> dict[str, Any]:
    """The API shape of a merge."""
    return {
        "id": record.id,
        "kept_id": record.kept_id,
        "merged_id": record.merged_id,
        "decided_by": record.decided_by,
        "decided_at": record.decided_at.isoformat(),
        "reason": record.reason,
        "rows_moved": sum(len(rows) for rows in record.moved.values()),
        "undone_at": record.undone_at.isoformat() if record.undone_at else None,
        "undone_by": record.undone_by,
    }
