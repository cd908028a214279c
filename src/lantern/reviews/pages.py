"""Review pages: reviews and my review notices, a review (deadlines, snapshots, staff told, findings
with a form to record one), a snapshot with its JSON export, opening a review by hand, and the
learning themes dashboard with its CSV."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from lantern.access import policy
from lantern.access import service as access_service
from lantern.common.errors import InvalidInput
from lantern.common.workdays import LONDON
from lantern.deps import DbDep, PageUser
from lantern.reviews import rules, service, views
from lantern.reviews.schemas import FindingIn, ReviewIn, SnapshotIn, UpdateIn
from lantern.web.csrf import check_csrf
from lantern.web.render import TEMPLATES, page

router = APIRouter(tags=["pages"], include_in_schema=False)
By = Literal["quarter", "year"]


@router.get("/reviews", response_class=HTMLResponse)
def reviews_page(request: Request, db: DbDep, user: PageUser) -> Response:
    """My review notices; for review readers, every review."""
    actor = access_service.actor_for(user)
    can_read = policy.can(actor, "review:read")
    shown = [views.review_read(db, r) for r in service.list_(db=db, actor=actor)] if can_read else []
    notices = views.notices(db=db, actor=actor)
    return page(request, "reviews/list.html", user=user, reviews=shown, notices=notices, can_read=can_read)


@router.get("/reviews/notices/panel", response_class=HTMLResponse)
def notices_panel(request: Request, db: DbDep, user: PageUser) -> Response:
    """The home page's panel of my review notices (an HTMX fragment; empty when there are none)."""
    notices = views.notices(db=db, actor=access_service.actor_for(user))
    return TEMPLATES.TemplateResponse(request, "reviews/_notices.html", {"notices": notices, "user": user})


@router.get("/reviews/themes", response_class=HTMLResponse)
def themes_page(request: Request, db: DbDep, user: PageUser, by: By = "quarter") -> Response:
    """Recurring learning themes across reviews and agencies, per quarter or year."""
    board = views.dashboard(db=db, actor=access_service.actor_for(user), by=by)
    return page(request, "reviews/themes.html", user=user, board=board)


@router.get("/reviews/themes.csv")
def themes_csv(db: DbDep, user: PageUser, by: By = "quarter") -> Response:
    """The themes dashboard as CSV."""
    board = views.dashboard(db=db, actor=access_service.actor_for(user), by=by)
    headers = {"Content-Disposition": f'attachment; filename="learning-themes-by-{by}.csv"'}
    return Response(views.dashboard_csv(board), media_type="text/csv", headers=headers)


@router.get("/reviews/new", response_class=HTMLResponse)
def new_review_page(request: Request, user: PageUser, child_id: str = "", event_id: str = "") -> Response:
    """The form to open a review by hand, citing the record of the incident."""
    form = {"child_id": child_id, "event_id": event_id}
    return page(request, "reviews/new.html", user=user, form=form, errors=[], kinds=rules.KINDS)


@router.post("/reviews/new", response_class=HTMLResponse)
def open_review(
    request: Request,
    db: DbDep,
    user: PageUser,
    csrf_token: Annotated[str, Form()],
    child_id: Annotated[str, Form()] = "",
    event_id: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "serious_harm",
    reason: Annotated[str, Form()] = "",
) -> Response:
    """Open the review, then show it; a form with mistakes is shown again with them."""
    check_csrf(request, csrf_token)
    form = {"child_id": child_id, "event_id": event_id, "kind": kind, "reason": reason}
    try:
        review = service.open_review(
            db=db, review_in=ReviewIn.model_validate(form), actor=access_service.actor_for(user)
        )
    except (ValidationError, InvalidInput) as exc:
        errors = _errors(exc)
        return page(request, "reviews/new.html", 422, user=user, form=form, errors=errors, kinds=rules.KINDS)
    return RedirectResponse(f"/reviews/{review.id}", status_code=303)


@router.get("/reviews/{review_id}", response_class=HTMLResponse)
def review_page(request: Request, review_id: str, db: DbDep, user: PageUser) -> Response:
    """The review: deadlines, snapshots, staff told, findings and the form to record one."""
    review = views.review_read(db, service.get(db=db, review_id=review_id, actor=access_service.actor_for(user)))
    return page(request, "reviews/review.html", user=user, review=review, **_choices(), errors=[])


@router.post("/reviews/{review_id}/findings", response_class=HTMLResponse)
def record_finding(
    request: Request,
    review_id: str,
    db: DbDep,
    user: PageUser,
    csrf_token: Annotated[str, Form()],
    text: Annotated[str, Form()] = "",
    themes: Annotated[list[str] | None, Form()] = None,
    agencies: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Record a finding with its themes and agencies; mistakes are shown on the review page."""
    check_csrf(request, csrf_token)
    actor = access_service.actor_for(user)
    try:
        finding_in = FindingIn.model_validate({"text": text, "themes": themes or [], "agencies": agencies or []})
        service.record_finding(db=db, review_id=review_id, finding_in=finding_in, actor=actor)
    except (ValidationError, InvalidInput) as exc:
        review = views.review_read(db, service.get(db=db, review_id=review_id, actor=actor))
        return page(request, "reviews/review.html", 422, user=user, review=review, **_choices(), errors=_errors(exc))
    return RedirectResponse(f"/reviews/{review_id}#findings", status_code=303)


@router.post("/reviews/{review_id}/updates")
def post_update(
    request: Request,
    review_id: str,
    db: DbDep,
    user: PageUser,
    csrf_token: Annotated[str, Form()],
    message: Annotated[str, Form()] = "",
) -> Response:
    """Tell the staff involved what is happening now."""
    check_csrf(request, csrf_token)
    try:
        update_in = UpdateIn(message=message)
    except ValidationError as exc:
        raise InvalidInput([{"loc": ["message"], "msg": "say what is happening"}]) from exc
    service.post_update(db=db, review_id=review_id, update_in=update_in, actor=access_service.actor_for(user))
    return RedirectResponse(f"/reviews/{review_id}#staff", status_code=303)


@router.post("/reviews/{review_id}/snapshots")
def take_snapshot(
    request: Request,
    review_id: str,
    db: DbDep,
    user: PageUser,
    csrf_token: Annotated[str, Form()],
    as_at: Annotated[str, Form()] = "",
) -> Response:
    """Take another snapshot as at a chosen local date and time."""
    check_csrf(request, csrf_token)
    try:
        chosen = SnapshotIn(as_at=datetime.fromisoformat(as_at).replace(tzinfo=LONDON))
    except (ValueError, ValidationError) as exc:
        raise InvalidInput([{"loc": ["as_at"], "msg": "a date and time from 1900 on"}]) from exc
    actor = access_service.actor_for(user)
    taken = service.take_snapshot(db=db, review_id=review_id, as_at=chosen.as_at, actor=actor)
    return RedirectResponse(f"/reviews/{review_id}/snapshots/{taken.id}", status_code=303)


@router.get("/reviews/{review_id}/snapshots/{snapshot_id}.json")
def snapshot_json(review_id: str, snapshot_id: str, db: DbDep, user: PageUser) -> Response:
    """The snapshot as a JSON file."""
    actor = access_service.actor_for(user)
    snap = views.snapshot_read(service.read_snapshot(db=db, review_id=review_id, snapshot_id=snapshot_id, actor=actor))
    headers = {"Content-Disposition": f'attachment; filename="review-snapshot-{snapshot_id}.json"'}
    return Response(snap.model_dump_json(indent=2), media_type="application/json", headers=headers)


@router.get("/reviews/{review_id}/snapshots/{snapshot_id}", response_class=HTMLResponse)
def snapshot_page(request: Request, review_id: str, snapshot_id: str, db: DbDep, user: PageUser) -> Response:
    """The record as it stood: network, chronology, duties and plans (read-only)."""
    actor = access_service.actor_for(user)
    snap = views.snapshot_read(service.read_snapshot(db=db, review_id=review_id, snapshot_id=snapshot_id, actor=actor))
    return page(request, "reviews/snapshot.html", user=user, snap=snap, content=snap.content)


def _choices() -> dict[str, Any]:
    return {"themes": rules.themes()}


def _errors(exc: ValidationError | InvalidInput) -> list[str]:
    found: list[Any] = exc.errors() if isinstance(exc, ValidationError) else exc.errors
    return [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in found]
