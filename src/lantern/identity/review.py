"""The review queue: pairs the model was unsure about, decided by a person."""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.common import clock
from lantern.common.errors import InvalidInput
from lantern.db.rows import found
from lantern.identity import matching, merge
from lantern.identity.models import MatchReview, PersonRecord

Verdict = Literal["link", "keep_apart"]


def queue(db: Session, *, person_id: str, decision: matching.Decision) -> None:
    """Put a new person and the known person they may be on the queue (once per pair)."""
    assert decision.person_id is not None and decision.score is not None
    known = db.execute(
        select(MatchReview.id).where(MatchReview.person_id == person_id, MatchReview.candidate_id == decision.person_id)
    ).first()
    if known is not None:
        return
    db.add(
        MatchReview(
            person_id=person_id,
            candidate_id=decision.person_id,
            match_probability=decision.score.match_probability,
            match_weight=decision.score.match_weight,
            explanation=matching.explanation(decision.score),
            reason=decision.reason,
            status="open",
            created_at=clock.now(),
        )
    )


def open_items(db: Session, *, limit: int = 200) -> list[MatchReview]:
    """Undecided pairs, most likely matches first."""
    stmt = (
        select(MatchReview)
        .where(MatchReview.status == "open")
        .order_by(MatchReview.match_probability.desc(), MatchReview.id)
        .limit(limit)
    )
    return list(db.execute(stmt).scalars())


def get(db: Session, review_id: int) -> MatchReview:
    return found(db, MatchReview, review_id, "review item")


def records_of(db: Session, person_id: str) -> list[PersonRecord]:
    """How each agency has known the person (their distinct records), oldest first."""
    stmt = select(PersonRecord).where(PersonRecord.person_id == person_id).order_by(PersonRecord.first_seen_at)
    return list(db.execute(stmt).scalars())


def decide(db: Session, *, review_id: int, verdict: Verdict, actor: Actor, note: str) -> MatchReview:
    """Settle a pair: link (merge the newer person into the known one) or keep apart."""
    item = get(db, review_id)
    if item.status != "open":
        raise InvalidInput([{"loc": ["review"], "msg": f"this pair was already decided ({item.status})"}])
    if verdict == "link":
        merge.merge(
            db,
            kept_id=item.candidate_id,
            merged_id=item.person_id,
            actor=actor,
            reason=note or "linked on review",
            probability=item.match_probability,
        )
    item.status = "linked" if verdict == "link" else "kept_apart"
    item.decided_by, item.decided_at, item.note = actor.name, clock.now(), note
    audit.record(
        db=db,
        actor=actor,
        action=f"review:{verdict}",
        object_type="person",
        object_id=item.candidate_id,
        detail={"review_id": item.id, "other": item.person_id, "note": note},
    )
    return item


def as_dict(item: MatchReview) -> dict[str, Any]:
    """The API shape of a review item."""
    return {
        "id": item.id,
        "person_id": item.person_id,
        "candidate_id": item.candidate_id,
        "match_probability": round(item.match_probability, 4),
        "match_weight": round(item.match_weight, 2),
        "reason": item.reason,
        "status": item.status,
        "explanation": item.explanation,
        "decided_by": item.decided_by,
        "decided_at": item.decided_at.isoformat() if item.decided_at else None,
        "note": item.note,
    }
