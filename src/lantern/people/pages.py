"""Person search and the person page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lantern.access import policy
from lantern.access import service as access_service
from lantern.common.errors import NotFound
from lantern.deps import DbDep, PageUser
from lantern.people import flows
from lantern.web.csrf import check_csrf
from lantern.web.render import page

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/people", response_class=HTMLResponse)
def search_page(request: Request, db: DbDep, user: PageUser, q: str = "") -> Response:
    """Search by name, NHS number or PNC id; HTMX refreshes only the results."""
    results = flows.search(db=db, actor=access_service.actor_for(user), text=q[:100]) if q.strip() else []
    return page(request, "people/search.html", user=user, q=q, results=results)


@router.get("/people/{person_id}", response_class=HTMLResponse)
def person_page(request: Request, person_id: str, db: DbDep, user: PageUser) -> Response:
    """A person: who they are across agencies, and every event naming them."""
    actor = access_service.actor_for(user)
    person = flows.read_person(db=db, actor=actor, person_id=person_id)
    record = flows.record_view(db=db, actor=actor, person_id=person_id)
    if person is None or record is None:
        raise NotFound(f"no person {person_id}")
    sees_log = policy.can(actor, "access_log:read") or policy.can(actor, "audit:read")
    return page(
        request, "people/detail.html", user=user, person=person, events=record.events, withheld=record.withheld,
        emergency=record.emergency, sees_access_log=sees_log,
    )  # fmt: skip


@router.post("/people/{person_id}/break-glass")
def break_glass(
    request: Request,
    person_id: str,
    db: DbDep,
    user: PageUser,
    csrf_token: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
) -> Response:
    """Open the person's whole record in an emergency, then show it."""
    check_csrf(request, csrf_token)
    flows.break_glass(db=db, actor=access_service.actor_for(user), person_id=person_id, reason=reason)
    return RedirectResponse(f"/people/{person_id}", status_code=303)
