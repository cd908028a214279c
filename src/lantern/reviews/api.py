"""The reviews API: open by hand, read, snapshots (JSON export), findings, staff notices, themes."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import Response

from lantern.access import service as access_service
from lantern.deps import ApiUser, DbDep
from lantern.reviews import service, views
from lantern.reviews.schemas import (
    DashboardRead,
    FindingIn,
    FindingRead,
    NoticeRead,
    ReviewIn,
    ReviewRead,
    SnapshotIn,
    SnapshotRead,
    SnapshotSummary,
    UpdateIn,
    UpdateRead,
)

router = APIRouter(prefix="/api/v1/reviews", tags=["reviews"])


@router.get("", response_model=list[ReviewRead])
def list_reviews(db: DbDep, user: ApiUser, child_id: str | None = None) -> list[ReviewRead]:
    """Serious-incident reviews, the latest incident first (partnership reviewers, CSC managers)."""
    return [
        views.review_read(db, r) for r in service.list_(db=db, actor=access_service.actor_for(user), child_id=child_id)
    ]


@router.post("", response_model=ReviewRead, status_code=201)
def open_review(body: ReviewIn, db: DbDep, user: ApiUser) -> ReviewRead:
    """Open a review by hand for serious harm, citing the record of the incident."""
    return views.review_read(db, service.open_review(db=db, review_in=body, actor=access_service.actor_for(user)))


@router.get("/notices", response_model=list[NoticeRead])
def my_notices(db: DbDep, user: ApiUser) -> list[NoticeRead]:
    """The signed-in user's review notices: what is happening, why them, who to talk to."""
    return views.notices(db=db, actor=access_service.actor_for(user))


@router.get("/themes", response_model=DashboardRead)
def themes(db: DbDep, user: ApiUser, by: Literal["quarter", "year"] = "quarter") -> DashboardRead:
    """Recurring learning themes across reviews and agencies, per quarter or year."""
    return views.dashboard(db=db, actor=access_service.actor_for(user), by=by)


@router.get("/themes.csv")
def themes_csv(db: DbDep, user: ApiUser, by: Literal["quarter", "year"] = "quarter") -> Response:
    """The themes dashboard as CSV."""
    board = views.dashboard(db=db, actor=access_service.actor_for(user), by=by)
    headers = {"Content-Disposition": f'attachment; filename="learning-themes-by-{by}.csv"'}
    return Response(views.dashboard_csv(board), media_type="text/csv", headers=headers)


@router.get("/{review_id}", response_model=ReviewRead)
def get_review(review_id: str, db: DbDep, user: ApiUser) -> ReviewRead:
    """One review: deadlines, snapshots, staff told, findings."""
    return views.review_read(db, service.get(db=db, review_id=review_id, actor=access_service.actor_for(user)))


@router.post("/{review_id}/snapshots", response_model=SnapshotSummary, status_code=201)
def take_snapshot(review_id: str, body: SnapshotIn, db: DbDep, user: ApiUser) -> SnapshotSummary:
    """Another snapshot of the record as it stood at a chosen time."""
    taken = service.take_snapshot(db=db, review_id=review_id, as_at=body.as_at, actor=access_service.actor_for(user))
    return views.summary(taken)


@router.get("/{review_id}/snapshots/{snapshot_id}", response_model=SnapshotRead)
def get_snapshot(review_id: str, snapshot_id: str, db: DbDep, user: ApiUser) -> SnapshotRead:
    """A snapshot with the whole record as it stood (the JSON export)."""
    actor = access_service.actor_for(user)
    return views.snapshot_read(service.read_snapshot(db=db, review_id=review_id, snapshot_id=snapshot_id, actor=actor))


@router.post("/{review_id}/findings", response_model=FindingRead, status_code=201)
def record_finding(review_id: str, body: FindingIn, db: DbDep, user: ApiUser) -> FindingRead:
    """Record a finding tagged with learning themes and the agencies concerned."""
    actor = access_service.actor_for(user)
    return views.finding_read(service.record_finding(db=db, review_id=review_id, finding_in=body, actor=actor))


@router.post("/{review_id}/updates", response_model=UpdateRead, status_code=201)
def post_update(review_id: str, body: UpdateIn, db: DbDep, user: ApiUser) -> UpdateRead:
    """Tell the staff involved what is happening now; shown on each of their notices."""
    actor = access_service.actor_for(user)
    return views.update_read(service.post_update(db=db, review_id=review_id, update_in=body, actor=actor))
