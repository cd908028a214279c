"""Emergency access (break-glass): opening a person's whole record with a reason, and the review of
each opening by the agency's Caldicott guardian / data protection lead (API and page)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from lantern.access import service as access_service
from lantern.access import visibility
from lantern.access.models import BreakGlass
from lantern.deps import ApiUser, DbDep, PageUser
from lantern.web.csrf import check_csrf
from lantern.web.render import page

api_router = APIRouter(prefix="/api/v1", tags=["access"])
page_router = APIRouter(tags=["pages"], include_in_schema=False)


class BreakGlassIn(BaseModel):
    reason: str = Field(min_length=10, max_length=2000)


class ReviewIn(BaseModel):
    outcome: Literal["justified", "not_justified"]
    note: str = Field(min_length=1, max_length=2000)


class BreakGlassRead(BaseModel):
    id: str
    username: str
    agency: str
    person_id: str
    reason: str
    opened_at: datetime
    expires_at: datetime
    reviewed_by: str | None
    reviewed_at: datetime | None
    review_outcome: str | None
    review_note: str | None


def _read(grant: BreakGlass) -> BreakGlassRead:
    return BreakGlassRead.model_validate(grant, from_attributes=True)


@api_router.post("/people/{person_id}/break-glass", response_model=BreakGlassRead, status_code=status.HTTP_201_CREATED)
def open_record(person_id: str, body: BreakGlassIn, db: DbDep, user: ApiUser) -> BreakGlassRead:
    """Open the person's whole record (all but sealed records) in an emergency, for 4 hours; audited
    and reported to your agency's Caldicott guardian for review."""
    actor = access_service.actor_for(user)
    return _read(visibility.open_break_glass(db=db, actor=actor, person_id=person_id, reason=body.reason))


@api_router.get("/access/break-glass", response_model=list[BreakGlassRead])
def queue(db: DbDep, user: ApiUser, include_reviewed: bool = False) -> list[BreakGlassRead]:
    """Your agency's emergency openings waiting for review (Caldicott guardian: administrators, managers)."""
    actor = access_service.actor_for(user)
    return [_read(g) for g in visibility.review_queue(db=db, actor=actor, include_reviewed=include_reviewed)]


@api_router.post("/access/break-glass/{grant_id}/review", response_model=BreakGlassRead)
def review(grant_id: str, body: ReviewIn, db: DbDep, user: ApiUser) -> BreakGlassRead:
    """Record whether an emergency opening was justified, and why."""
    actor = access_service.actor_for(user)
    return _read(visibility.review(db=db, actor=actor, grant_id=grant_id, outcome=body.outcome, note=body.note))


@page_router.get("/access/break-glass", response_class=HTMLResponse)
def queue_page(request: Request, db: DbDep, user: PageUser) -> Response:
    """Emergency openings by your agency: each with who, whose record, why and when; review each."""
    grants = visibility.review_queue(db=db, actor=access_service.actor_for(user), include_reviewed=True)
    return page(request, "access/break_glass.html", user=user, grants=grants)


@page_router.post("/access/break-glass/{grant_id}/review")
def review_page(
    request: Request,
    grant_id: str,
    db: DbDep,
    user: PageUser,
    csrf_token: Annotated[str, Form()],
    outcome: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    """Record the review from the page, then show the queue again."""
    check_csrf(request, csrf_token)
    visibility.review(db=db, actor=access_service.actor_for(user), grant_id=grant_id, outcome=outcome, note=note)
    return RedirectResponse("/access/break-glass", status_code=303)
