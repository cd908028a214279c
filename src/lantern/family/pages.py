"""The network page: a diagram and a table, on any date, what changed between two dates, and a
form to record a relationship by hand."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from lantern.access import service as access_service
from lantern.deps import DbDep, PageUser
from lantern.family import diagram, flows, rules
from lantern.family.api import end_of
from lantern.family.schemas import RelationshipIn
from lantern.web.csrf import check_csrf
from lantern.web.render import page

router = APIRouter(tags=["pages"], include_in_schema=False)


def parse_day(value: str) -> date | None:
    """A date from a form field; an empty or malformed field means no date (the page says so)."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@router.get("/people/{person_id}/network", response_class=HTMLResponse)
def network_page(
    request: Request,
    person_id: str,
    db: DbDep,
    user: PageUser,
    on: str = "",
    since: str = "",
    until: str = "",
) -> Response:
    """Who lives with, cares for and is in contact with the person; history of each adult."""
    actor = access_service.actor_for(user)
    day, first, last = parse_day(on), parse_day(since), parse_day(until)
    network = flows.read(db=db, actor=actor, person_id=person_id, on=end_of(day) if day else None)
    change = None
    if first and last:
        change = flows.changes(db=db, actor=actor, person_id=person_id, since=end_of(first), until=end_of(last))
    return page(
        request,
        "family/network.html",
        user=user,
        network=network,
        diagram=Markup(diagram.svg(network.name, network.members)),
        names={m.person_id: m.name for m in network.members},
        on=day,
        since=first,
        until=last,
        change=change,
        relations=rules.rulebook().relations,
    )


@router.post("/people/{person_id}/relationships")
def add_relationship(
    request: Request,
    person_id: str,
    db: DbDep,
    user: PageUser,
    csrf_token: Annotated[str, Form()],
    other_person_id: Annotated[str, Form()],
    relation: Annotated[str, Form()],
    from_on: Annotated[date | None, Form()] = None,
    note: Annotated[str, Form()] = "",
) -> Response:
    """Record a relationship from the network page, then show the page again."""
    check_csrf(request, csrf_token)
    body = RelationshipIn(person_id=other_person_id, relation=relation, from_on=from_on, note=note or None)
    flows.record_relationship(db=db, actor=access_service.actor_for(user), person_id=person_id, relationship=body)
    return RedirectResponse(f"/people/{person_id}/network", status_code=303)
