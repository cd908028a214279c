"""Identity pages: the review queue, one pair side by side, and how a person is known."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lantern.access import service as access_service
from lantern.deps import DbDep, PageUser
from lantern.identity import flows
from lantern.web.csrf import check_csrf
from lantern.web.render import page

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/identity/reviews", response_class=HTMLResponse)
def reviews_page(request: Request, db: DbDep, user: PageUser) -> Response:
    """Pairs the model was unsure about."""
    items = flows.open_reviews(db=db, actor=access_service.actor_for(user))
    return page(request, "identity/reviews.html", user=user, items=items)


@router.get("/identity/reviews/{review_id}", response_class=HTMLResponse)
def review_page(request: Request, review_id: int, db: DbDep, user: PageUser) -> Response:
    """Both people side by side, with what agreed and how much each agreement counted."""
    shown = flows.review_item(db=db, actor=access_service.actor_for(user), review_id=review_id)
    return page(request, "identity/review.html", user=user, **shown)


@router.post("/identity/reviews/{review_id}")
def decide(
    request: Request,
    review_id: int,
    db: DbDep,
    user: PageUser,
    csrf_token: Annotated[str, Form()],
    verdict: Annotated[Literal["link", "keep_apart"], Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Record the decision and go back to the queue."""
    check_csrf(request, csrf_token)
    flows.decide(db=db, actor=access_service.actor_for(user), review_id=review_id, verdict=verdict, note=note)
    return RedirectResponse("/identity/reviews", status_code=303)


@router.get("/people/{person_id}/identity", response_class=HTMLResponse)
def known_as_page(request: Request, person_id: str, db: DbDep, user: PageUser) -> Response:
    """Every agency's record of the person and the evidence that joins them."""
    shown = flows.known_as(db=db, actor=access_service.actor_for(user), person_id=person_id)
    return page(request, "identity/known_as.html", user=user, person_id=person_id, **shown)


@router.post("/identity/merges/{merge_id}/undo")
def undo(
    request: Request,
    merge_id: int,
    db: DbDep,
    user: PageUser,
    csrf_token: Annotated[str, Form()],
    person_id: Annotated[str, Form()],
    reason: Annotated[str, Form(min_length=3, max_length=2000)],
) -> Response:
    """Undo a merge from the person's identity page."""
    check_csrf(request, csrf_token)
    flows.undo_merge(db=db, actor=access_service.actor_for(user), merge_id=merge_id, reason=reason)
    return RedirectResponse(f"/people/{person_id}/identity", status_code=303)
