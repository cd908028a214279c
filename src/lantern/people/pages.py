"""Person search and the person page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from lantern.access import service as access_service
from lantern.common.errors import NotFound
from lantern.deps import DbDep, PageUser
from lantern.people import flows
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
    events = flows.person_events(db=db, actor=actor, person_id=person_id)
    if person is None or events is None:
        raise NotFound(f"no person {person_id}")
    return page(request, "people/detail.html", user=user, person=person, events=events)
