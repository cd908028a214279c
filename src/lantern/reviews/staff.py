"""Staff involved in a child's record, told of a review with named support, their access unchanged.

Seed 003: after a baby's death staff files were "locked down", staff were "left in the dark" and
felt "somehow to blame". Here nobody loses access; everyone who read, wrote, recorded or
acknowledged anything about the child, or leads or manages the child's plan, gets a notice saying
what is happening, why them, and who to talk to.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.access import service as access_service
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.common import clock
from lantern.db.engine import writing
from lantern.db.types import new_id
from lantern.duties import service as duties_service
from lantern.events import service as events_service
from lantern.plans import service as plans_service
from lantern.reviews import rules
from lantern.reviews.models import Review, ReviewNotice
from lantern.reviews.rules import Touch
from lantern.reviews.snapshot import REVIEWS

_WHAT = {"read": "read the child's record", "write": "wrote to the child's record"}
NOT_TOLD = frozenset({"admin"})  # administrators do not read records
REVIEWING_AGENCY = "panel"  # the partnership's own reviewers are doing the review, not subject to it


def touches(*, db: Session, child_id: str) -> Iterator[Touch]:
    """Everything staff did with the child's record: audited reads and writes, records sent,
    duties acknowledged, the plan led or managed."""
    for entry in audit.for_object(db=db, object_type="person", object_id=child_id, limit=100_000):
        if entry.actor_id is not None:
            yield Touch(entry.actor, _WHAT.get(entry.action, f"{entry.action} (the child's record)"), entry.at)
    for event in events_service.for_person(db=db, person_id=child_id, limit=100_000):
        yield Touch(event.received_by, "sent a record about the child", event.received_at)
    for duty in duties_service.list_duties(db=db, person_id=child_id, limit=100_000):
        if duty.acknowledged_by:
            yield Touch(duty.acknowledged_by, "acknowledged a duty about the child", duty.acknowledged_at)
    for plan in plans_service.list_(db=db, actor=REVIEWS, child_id=child_id):
        yield Touch(plan.lead_professional, "leads the child's plan", None)
        if plan.manager:
            yield Touch(plan.manager, "manages the child's plan", None)


def notify(*, db: Session, review: Review) -> list[ReviewNotice]:
    """A notice for each active member of staff involved up to the review's opening (once each)."""
    involved = rules.involvement(touches(db=db, child_id=review.child_id), review.aware_at)
    told = set(db.execute(select(ReviewNotice.user_id).where(ReviewNotice.review_id == review.id)).scalars())
    notices = []
    for user in access_service.list_users(db=db):
        if user.username not in involved or user.id in told or not user.is_active:
            continue
        if user.role in NOT_TOLD or user.agency == REVIEWING_AGENCY:
            continue
        notice = ReviewNotice(
            id=new_id(),
            review_id=review.id,
            user_id=user.id,
            username=user.username,
            agency=user.agency,
            involvement=involved[user.username],
            notified_at=clock.now(),
            seen_at=None,
        )
        db.add(notice)
        notices.append(notice)
    db.flush()
    return notices


def for_user(*, db: Session, actor: Actor) -> list[tuple[ReviewNotice, Review]]:
    """The signed-in user's own notices, newest first; the first sight of each is recorded."""
    stmt = (
        select(ReviewNotice, Review)
        .join(Review, Review.id == ReviewNotice.review_id)
        .where(ReviewNotice.user_id == actor.id)
        .order_by(ReviewNotice.notified_at.desc())
    )
    found = [(notice, review) for notice, review in db.execute(stmt).all()]
    unseen = [notice for notice, _ in found if notice.seen_at is None]
    if unseen:
        with writing(db):  # shown on a page that only reads
            for notice in unseen:
                notice.seen_at = clock.now()
                audit.record(db=db, actor=actor, action="seen", object_type="review_notice", object_id=notice.id)
            db.flush()
    return found


def of_review(*, db: Session, review_id: str) -> list[ReviewNotice]:
    """Everyone told of a review, by agency then name."""
    stmt = select(ReviewNotice).where(ReviewNotice.review_id == review_id)
    return list(db.execute(stmt.order_by(ReviewNotice.agency, ReviewNotice.username)).scalars())
