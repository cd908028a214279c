"""Reviews as the API and pages show them: a review, a snapshot, a notice, the themes dashboard, CSV."""

from __future__ import annotations

import csv
import io

from sqlalchemy.orm import Session

from lantern.access.vocabulary import AGENCIES
from lantern.audit.service import Actor
from lantern.common.workdays import LONDON
from lantern.duties import service as duties_service
from lantern.family.service import display_name
from lantern.people import service as people_service
from lantern.reviews import rules, service, snapshot, staff
from lantern.reviews.models import Review, ReviewFinding, ReviewNotice, ReviewSnapshot, ReviewUpdate
from lantern.reviews.schemas import (
    ContactRead,
    DashboardRead,
    DeadlineRead,
    FindingRead,
    NoticeRead,
    ReviewRead,
    SnapshotRead,
    SnapshotSummary,
    StaffRead,
    ThemeCountRead,
    UpdateRead,
)


def child_name(db: Session, child_id: str) -> str:
    """The child's name as Lantern holds it now."""
    person = people_service.get(db=db, person_id=child_id)
    return display_name(person.given_name, person.family_name) if person else child_id


def review_read(db: Session, review: Review) -> ReviewRead:
    """The review with its deadlines, snapshots, staff told and findings."""
    owed = {review.panel_duty_id, review.rapid_review_duty_id}
    deadlines = [d for d in duties_service.list_duties(db=db, person_id=review.child_id) if d.id in owed]
    return ReviewRead(
        **{k: getattr(review, k) for k in ("id", "child_id", "kind", "status", "trigger_event_id", "reason")},
        **{k: getattr(review, k) for k in ("incident_at", "aware_at", "opened_by")},
        child_name=child_name(db, review.child_id),
        kind_label=rules.KINDS[review.kind],
        deadlines=[DeadlineRead(duty_id=d.id, title=d.title, due_at=d.due_at, status=d.status) for d in deadlines],
        snapshots=[summary(s) for s in service.snapshots(db=db, review_id=review.id)],
        staff=[
            StaffRead(
                username=n.username,
                agency=n.agency,
                involvement=n.involvement,
                notified_at=n.notified_at,
                seen_at=n.seen_at,
            )
            for n in staff.of_review(db=db, review_id=review.id)
        ],
        updates=[update_read(u) for u in service.updates(db=db, review_ids=[review.id])[review.id]],
        findings=[finding_read(f) for f in service.findings(db=db, review_id=review.id)],
    )


def update_read(update: ReviewUpdate) -> UpdateRead:
    """An update to the staff involved."""
    return UpdateRead(message=update.message, posted_by=update.posted_by, posted_at=update.posted_at)


def summary(snap: ReviewSnapshot) -> SnapshotSummary:
    """A snapshot without its content."""
    return SnapshotSummary(
        id=snap.id, as_at=snap.as_at, taken_at=snap.taken_at, taken_by=snap.taken_by, digest=snap.digest
    )


def snapshot_read(snap: ReviewSnapshot) -> SnapshotRead:
    """A snapshot with its content, checked against its digest."""
    return SnapshotRead(
        **summary(snap).model_dump(),
        review_id=snap.review_id,
        is_intact=snapshot.digest(snap.content) == snap.digest,
        content=snap.content,
    )


def finding_read(finding: ReviewFinding) -> FindingRead:
    """A finding with its theme labels."""
    labels = rules.themes()
    return FindingRead(
        id=finding.id,
        text=finding.text,
        themes=finding.themes,
        theme_labels=[labels.get(t, t) for t in finding.themes],
        agencies=finding.agencies,
        recorded_by=finding.recorded_by,
        recorded_at=finding.recorded_at,
    )


def notices(*, db: Session, actor: Actor) -> list[NoticeRead]:
    """The signed-in user's review notices, each with what is happening and who to talk to."""
    found = staff.for_user(db=db, actor=actor)
    posted = service.updates(db=db, review_ids=[r.id for _, r in found])
    return [notice_read(db, n, r, posted[r.id]) for n, r in found]


def notice_read(db: Session, notice: ReviewNotice, review: Review, posted: list[ReviewUpdate]) -> NoticeRead:
    """One notice in plain English (seed 003: staff were left in the dark and felt blamed)."""
    name = child_name(db, review.child_id)
    what = "the death of" if review.kind == "death" else "serious harm to"
    panel = rules.panel_notification_due(review.aware_at).astimezone(LONDON)
    rapid = rules.rapid_review_due(review.aware_at).astimezone(LONDON)
    message = (
        f"The safeguarding partnership has opened a review after {what} {name}. You are told because you "
        "worked on this child's record. A review looks at how agencies worked together, to learn; it is not "
        "a disciplinary process and it does not decide blame. Your access to the record has not changed. "
        "A read-only snapshot of the record as it stood is kept for the review, so nothing you recorded will "
        f"be lost or altered. The national panel is told by {panel:%-d %B %Y} and a rapid review is completed "
        f"by {rapid:%-d %B %Y}; a reviewer may ask to talk with you. The people below can support you now."
    )
    return NoticeRead(
        review_id=review.id,
        child_name=name,
        kind_label=rules.KINDS[review.kind],
        incident_at=review.incident_at,
        opened_at=review.aware_at,
        message=message,
        involvement=notice.involvement,
        updates=[update_read(u) for u in posted],
        contacts=[ContactRead(**vars(c)) for c in rules.support_contacts(notice.agency)],
        notified_at=notice.notified_at,
        seen_at=notice.seen_at,
    )


def dashboard(*, db: Session, actor: Actor, by: rules.Period) -> DashboardRead:
    """Recurring learning themes across reviews and agencies, per quarter or year."""
    counts = rules.theme_counts(service.tagged(db=db, actor=actor), by)
    labels = rules.themes()
    return DashboardRead(
        by=by,
        periods=sorted({p for c in counts for p in c.by_period}),
        agencies=sorted({a for c in counts for a in c.by_agency}),
        themes=[ThemeCountRead(label=labels.get(c.theme, c.theme), **vars(c)) for c in counts],
    )


def dashboard_csv(board: DashboardRead) -> str:
    """The dashboard as CSV: one row per theme, a column per period and per agency."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["theme", "label", "reviews", "findings", *board.periods, *(f"agency: {AGENCIES[a]}" for a in board.agencies)]
    )
    for t in board.themes:
        periods = [t.by_period.get(p, 0) for p in board.periods]
        writer.writerow(
            [t.theme, t.label, t.reviews, t.findings, *periods, *(t.by_agency.get(a, 0) for a in board.agencies)]
        )
    return out.getvalue()
