"""Serious-incident reviews: opened on a child's death (at ingestion) or by hand for serious harm,
with the panel notification and rapid review owed as duties, a snapshot of the record, notices to
staff involved; read, further snapshots, findings tagged with learning themes."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.access import policy
from lantern.access.vocabulary import AGENCIES
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.common import clock
from lantern.common.errors import Conflict, InvalidInput, NotFound
from lantern.db.rows import found
from lantern.db.types import new_id
from lantern.duties import service as duties_service
from lantern.events import service as events_service
from lantern.events.models import Event
from lantern.events.vocabulary import EVENT_TYPES
from lantern.reviews import rules, snapshot, staff
from lantern.reviews.models import Review, ReviewFinding, ReviewSnapshot, ReviewUpdate
from lantern.reviews.schemas import FindingIn, ReviewIn, UpdateIn
from lantern.reviews.snapshot import REVIEWS

PARTNERSHIP = "panel"
PARTNERSHIP_TEAM = "Safeguarding partnership business unit"


def open_for_death(*, db: Session, event: Event) -> Review | None:
    """Open the review of a child's death recorded in `event`, unless the child already has an open
    review of their death (police, hospital and ambulance may each send a record of it)."""
    subjects = events_service.subjects_of(db=db, event_ids=[event.id])[event.id]
    child_id = rules.child_of([(s.person_id, s.role) for s in subjects])
    if child_id is None:
        return None
    if _death_review_open(db, child_id):
        return None
    reason = f"{EVENT_TYPES[event.type].label} recorded by {AGENCIES[event.source_agency]}: {event.summary}"
    return _open(db, child_id=child_id, event=event, kind="death", reason=reason, actor=REVIEWS, as_at=None)


def open_review(*, db: Session, review_in: ReviewIn, actor: Actor) -> Review:
    """Open a review by hand (CSC managers, partnership reviewers), citing the record of the incident."""
    policy.require(actor, "review:write")
    event = found(db, Event, review_in.event_id, "record")
    named = {s.person_id for s in events_service.subjects_of(db=db, event_ids=[event.id])[event.id]}
    if review_in.child_id not in named:
        raise InvalidInput([{"loc": ["child_id"], "msg": "the record of the incident does not name this child"}])
    if db.execute(select(Review.id).where(Review.trigger_event_id == event.id)).first() is not None:
        raise Conflict("a review of this incident is already open")
    if review_in.kind == "death" and _death_review_open(db, review_in.child_id):
        raise Conflict("a review of this child's death is already open")
    if review_in.snapshot_at is not None and review_in.snapshot_at > clock.now():
        raise InvalidInput([{"loc": ["snapshot_at"], "msg": "a snapshot cannot be of the future"}])
    return _open(
        db,
        child_id=review_in.child_id,
        event=event,
        kind=review_in.kind,
        reason=review_in.reason,
        actor=actor,
        as_at=review_in.snapshot_at,
    )


def _death_review_open(db: Session, child_id: str) -> bool:
    held = select(Review.id).where(Review.child_id == child_id, Review.kind == "death", Review.status == "open")
    return db.execute(held).first() is not None


def _open(
    db: Session, *, child_id: str, event: Event, kind: str, reason: str, actor: Actor, as_at: datetime | None
) -> Review:
    review = Review(
        id=new_id(),
        child_id=child_id,
        kind=kind,
        status="open",
        trigger_event_id=event.id,
        incident_at=event.occurred_at,
        aware_at=clock.now(),
        opened_by=actor.name,
        reason=reason,
    )
    db.add(review)
    db.flush()
    review.panel_duty_id, review.rapid_review_duty_id = _duties(db, review)
    snapshot.take(db=db, review=review, as_at=as_at or review.incident_at, actor=actor)
    told = staff.notify(db=db, review=review)
    detail = {"person_id": child_id, "kind": kind, "event_id": event.id, "staff_told": len(told)}
    audit.record(db=db, actor=actor, action="open", object_type="review", object_id=review.id, detail=detail)
    return review


def _duties(db: Session, review: Review) -> tuple[str, str]:
    """The panel notification (5 working days) and the rapid review (15), to the partnership."""
    due = rules.panel_notification_due(review.aware_at)
    kind = rules.KINDS[review.kind].lower()
    notify = duties_service.DirectDuty(
        rule_code="review-panel-notification",
        title="Notify the Child Safeguarding Practice Review Panel",
        event_id=review.trigger_event_id,
        person_id=review.child_id,
        from_agency="csc",
        recipient_agency=PARTNERSHIP,
        recipient_team=PARTNERSHIP_TEAM,
        content={"review_id": review.id, "kind": review.kind},
        reason=(
            f"Serious child safeguarding incident ({kind}): the local authority notifies the national panel "
            "within 5 working days of becoming aware (Working Together 2023, chapter 5)."
        ),
        due_at=due,
        escalate_at=rules.escalate_at(due),
        escalate_to="Safeguarding partnership manager",
    )
    rapid_due = rules.rapid_review_due(review.aware_at)
    rapid = replace(
        notify,
        rule_code="review-rapid-review",
        title="Complete the rapid review",
        from_agency=PARTNERSHIP,
        reason=(
            f"Serious child safeguarding incident ({kind}): the safeguarding partners complete a rapid review "
            "within 15 working days of becoming aware (Working Together 2023, chapter 5)."
        ),
        due_at=rapid_due,
        escalate_at=rules.escalate_at(rapid_due),
    )
    return duties_service.raise_duty(db=db, duty=notify), duties_service.raise_duty(db=db, duty=rapid)


def get(*, db: Session, review_id: str, actor: Actor) -> Review:
    """The review (review readers), or NotFound; audited as a read of the child's record."""
    policy.require(actor, "review:read")
    review = found(db, Review, review_id, "review")
    detail = {"review_id": review.id}
    audit.record(db=db, actor=actor, action="read", object_type="person", object_id=review.child_id, detail=detail)
    return review


def list_(*, db: Session, actor: Actor, child_id: str | None = None) -> list[Review]:
    """Reviews, the latest incident first (of one child when given)."""
    policy.require(actor, "review:read")
    stmt = select(Review).order_by(Review.incident_at.desc())
    if child_id is not None:
        stmt = stmt.where(Review.child_id == child_id)
    return list(db.execute(stmt).scalars())


def snapshots(*, db: Session, review_id: str) -> list[ReviewSnapshot]:
    """The review's snapshots, in the order they were taken."""
    stmt = select(ReviewSnapshot).where(ReviewSnapshot.review_id == review_id).order_by(ReviewSnapshot.taken_at)
    return list(db.execute(stmt).scalars())


def take_snapshot(*, db: Session, review_id: str, as_at: datetime, actor: Actor) -> ReviewSnapshot:
    """Another snapshot of the record as it stood at `as_at` (not in the future)."""
    policy.require(actor, "review:write")
    if as_at > clock.now():
        raise InvalidInput([{"loc": ["as_at"], "msg": "a snapshot cannot be of the future"}])
    review = get(db=db, review_id=review_id, actor=actor)
    return snapshot.take(db=db, review=review, as_at=as_at, actor=actor)


def read_snapshot(*, db: Session, review_id: str, snapshot_id: str, actor: Actor) -> ReviewSnapshot:
    """One snapshot of the review (review readers); audited as a read of the child's record."""
    review = get(db=db, review_id=review_id, actor=actor)
    found = db.get(ReviewSnapshot, snapshot_id)
    if found is None or found.review_id != review.id:
        raise NotFound(f"no snapshot {snapshot_id} of review {review_id}")
    return found


def record_finding(*, db: Session, review_id: str, finding_in: FindingIn, actor: Actor) -> ReviewFinding:
    """A reviewer's finding with its learning themes and the agencies concerned."""
    policy.require(actor, "review:write")
    errors: list[dict[str, object]] = []
    if unknown := rules.unknown_themes(finding_in.themes):
        errors.append({"loc": ["themes"], "msg": f"not on the list of learning themes: {', '.join(unknown)}"})
    if unknown := [a for a in finding_in.agencies if a not in AGENCIES]:
        errors.append({"loc": ["agencies"], "msg": f"unknown agencies: {', '.join(unknown)}"})
    if errors:
        raise InvalidInput(errors)
    review = get(db=db, review_id=review_id, actor=actor)
    finding = ReviewFinding(
        id=new_id(),
        review_id=review.id,
        text=finding_in.text,
        themes=list(dict.fromkeys(finding_in.themes)),
        agencies=list(dict.fromkeys(finding_in.agencies)),
        recorded_by=actor.name,
        recorded_agency=actor.agency or "",
        recorded_at=clock.now(),
    )
    db.add(finding)
    db.flush()
    detail = {"finding_id": finding.id, "themes": finding.themes, "agencies": finding.agencies}
    audit.record(db=db, actor=actor, action="finding", object_type="review", object_id=review.id, detail=detail)
    return finding


def findings(*, db: Session, review_id: str) -> list[ReviewFinding]:
    """The review's findings in the order recorded."""
    stmt = select(ReviewFinding).where(ReviewFinding.review_id == review_id).order_by(ReviewFinding.recorded_at)
    return list(db.execute(stmt).scalars())


def tagged(*, db: Session, actor: Actor) -> list[rules.Tagged]:
    """Every finding as the themes dashboard counts it."""
    policy.require(actor, "review:read")
    stmt = select(ReviewFinding, Review.incident_at).join(Review, Review.id == ReviewFinding.review_id)
    return [
        rules.Tagged(f.review_id, incident_at, tuple(f.themes), tuple(f.agencies))
        for f, incident_at in db.execute(stmt).all()
    ]


def post_update(*, db: Session, review_id: str, update_in: UpdateIn, actor: Actor) -> ReviewUpdate:
    """Tell every member of staff involved what is happening now (shown on their notices)."""
    policy.require(actor, "review:write")
    review = get(db=db, review_id=review_id, actor=actor)
    update = ReviewUpdate(
        id=new_id(), review_id=review.id, message=update_in.message, posted_by=actor.name, posted_at=clock.now()
    )
    db.add(update)
    db.flush()
    audit.record(db=db, actor=actor, action="update", object_type="review", object_id=review.id)
    return update


def updates(*, db: Session, review_ids: list[str]) -> dict[str, list[ReviewUpdate]]:
    """The updates of each review, newest first."""
    grouped: dict[str, list[ReviewUpdate]] = {r: [] for r in review_ids}
    stmt = select(ReviewUpdate).where(ReviewUpdate.review_id.in_(review_ids)).order_by(ReviewUpdate.posted_at.desc())
    for update in db.execute(stmt).scalars():
        grouped[update.review_id].append(update)
    return grouped
