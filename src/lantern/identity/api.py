"""Identity resolution API: the review queue, merges and how a person is known."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from lantern.access import service as access_service
from lantern.deps import ApiUser, DbDep, RowId
from lantern.identity import flows, review

router = APIRouter(prefix="/api/v1/identity", tags=["identity"])


class DecisionIn(BaseModel):
    verdict: Literal["link", "keep_apart"]
    note: str = Field(default="", max_length=2000)


class MergeIn(BaseModel):
    kept_id: str
    merged_id: str
    reason: str = Field(min_length=3, max_length=2000)


class UndoIn(BaseModel):
    reason: str = Field(min_length=3, max_length=2000)


@router.get("/reviews")
def list_reviews(db: DbDep, user: ApiUser) -> list[dict[str, Any]]:
    """Pairs waiting for a decision, most likely matches first."""
    return [review.as_dict(item) for item in flows.open_reviews(db=db, actor=access_service.actor_for(user))]


@router.get("/reviews/{review_id}")
def get_review(review_id: RowId, db: DbDep, user: ApiUser) -> dict[str, Any]:
    """One pair with both people's records and the match-weight explanation."""
    shown = flows.review_item(db=db, actor=access_service.actor_for(user), review_id=review_id)
    return {
        **review.as_dict(shown["item"]),
        "new_records": [flows.record_dict(r) for r in shown["new"]["records"]],
        "known_records": [flows.record_dict(r) for r in shown["known"]["records"]],
    }


@router.post("/reviews/{review_id}/decision")
def decide_review(review_id: RowId, body: DecisionIn, db: DbDep, user: ApiUser) -> dict[str, Any]:
    """Link the pair (merge) or keep them apart."""
    item = flows.decide(
        db=db, actor=access_service.actor_for(user), review_id=review_id, verdict=body.verdict, note=body.note
    )
    return review.as_dict(item)


@router.post("/merges", status_code=201)
def merge_people(body: MergeIn, db: DbDep, user: ApiUser) -> dict[str, int]:
    """Merge two people by hand (refused across different NHS numbers)."""
    actor = access_service.actor_for(user)
    return {
        "merge_id": flows.merge_people(
            db=db, actor=actor, kept_id=body.kept_id, merged_id=body.merged_id, reason=body.reason
        )
    }


@router.post("/merges/{merge_id}/undo")
def undo_merge(merge_id: RowId, body: UndoIn, db: DbDep, user: ApiUser) -> dict[str, str]:
    """Undo a merge: every moved record goes back to the person it came from."""
    flows.undo_merge(db=db, actor=access_service.actor_for(user), merge_id=merge_id, reason=body.reason)
    return {"status": "undone"}


@router.get("/people/{person_id}")
def known_as(person_id: str, db: DbDep, user: ApiUser) -> dict[str, Any]:
    """How each agency knows the person, why each record belongs, and the merges."""
    shown = flows.known_as(db=db, actor=access_service.actor_for(user), person_id=person_id)
    return shown
