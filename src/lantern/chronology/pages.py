"""Chronology pages: the merged chronology with filters and the original-wording toggle, its
exports, setting a record's significance, and the administrator's glossary page."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lantern.access import policy
from lantern.access import service as access_service
from lantern.chronology import exports, flows, glossary, service
from lantern.chronology.api import filters_from
from lantern.chronology.rules import LEVELS
from lantern.chronology.schemas import Level
from lantern.deps import DbDep, PageUser
from lantern.events.vocabulary import EVENT_TYPES
from lantern.family.pages import parse_day
from lantern.web.csrf import check_csrf
from lantern.web.render import page

router = APIRouter(tags=["pages"], include_in_schema=False)


def _read(
    request: Request, db: DbDep, user: PageUser, person_id: str, scope: str, since: str, until: str, page: int | None
) -> flows.Chronology:
    params = request.query_params
    minimum = params.get("significance", "routine")
    filters = filters_from(
        params.getlist("agency"),
        params.getlist("type"),
        params.get("person") or None,
        parse_day(since),
        parse_day(until),
        minimum if minimum in LEVELS else "routine",  # type: ignore[arg-type]
    )
    chosen: flows.Scope = "family" if scope == "family" else "person"
    actor = access_service.actor_for(user)
    return flows.read(db=db, actor=actor, person_id=person_id, scope=chosen, filters=filters, page=page)


@router.get("/people/{person_id}/chronology", response_class=HTMLResponse)
def chronology_page(
    request: Request,
    person_id: str,
    db: DbDep,
    user: PageUser,
    scope: str = "person",
    since: Annotated[str, Query(alias="from")] = "",
    until: Annotated[str, Query(alias="to")] = "",
    original: bool = False,
    page_number: Annotated[int, Query(alias="page", ge=1)] = 1,
) -> Response:
    """Every agency's records in time order, in plain English, a page at a time; filters; original
    wording on request."""
    chronology = _read(request, db, user, person_id, scope, since, until, page_number)
    return page(
        request,
        "chronology/page.html",
        user=user,
        chronology=chronology,
        params=request.query_params,
        original=original,
        since=since,
        until=until,
        event_types=EVENT_TYPES,
        levels=LEVELS,
        shared_text=exports.shared_text,
        query=_without(request, "page"),
        page_size=flows.PAGE_SIZE,
    )


@router.get("/people/{person_id}/chronology/export.{fmt}")
def chronology_export(
    request: Request,
    person_id: str,
    fmt: str,
    db: DbDep,
    user: PageUser,
    scope: str = "person",
    since: Annotated[str, Query(alias="from")] = "",
    until: Annotated[str, Query(alias="to")] = "",
) -> Response:
    """The chronology as shown (same filters) as CSV, Markdown or PDF, for a case review."""
    if fmt not in exports.MEDIA_TYPES:
        return Response("export as csv, md or pdf", status_code=404)
    chronology = _read(request, db, user, person_id, scope, since, until, None)
    headers = {"Content-Disposition": f'attachment; filename="{exports.file_name(chronology, fmt)}"'}
    return Response(exports.render(chronology, fmt), media_type=exports.MEDIA_TYPES[fmt], headers=headers)


def _without(request: Request, name: str) -> str:
    """The query string less one parameter (the page links and exports add their own)."""
    return urlencode([(key, value) for key, value in request.query_params.multi_items() if key != name])


@router.post("/people/{person_id}/chronology/significance")
def set_significance(
    request: Request,
    person_id: str,
    db: DbDep,
    user: PageUser,
    csrf_token: Annotated[str, Form()],
    event_id: Annotated[str, Form()],
    level: Annotated[Level, Form()],
    reason: Annotated[str, Form()],
) -> Response:
    """Set a record's significance from the chronology page, then return to it."""
    check_csrf(request, csrf_token)
    flows.set_significance(db=db, actor=access_service.actor_for(user), event_id=event_id, level=level, reason=reason)
    return RedirectResponse(f"/people/{person_id}/chronology#e-{event_id}", status_code=303)


@router.get("/admin/glossary", response_class=HTMLResponse)
def glossary_page(request: Request, db: DbDep, user: PageUser) -> Response:
    """The glossary: shipped terms and the administrator's own, and a form to add or change one."""
    policy.require(access_service.actor_for(user), "glossary:manage")
    added = {t.term: t for t in service.admin_terms(db=db)}
    terms = {**glossary.shipped_terms(), **{term: row.plain for term, row in added.items()}}
    return page(request, "chronology/glossary.html", user=user, terms=sorted(terms.items()), added=added)


@router.post("/admin/glossary")
def save_term(
    request: Request,
    db: DbDep,
    user: PageUser,
    csrf_token: Annotated[str, Form()],
    term: Annotated[str, Form()],
    plain: Annotated[str, Form()] = "",
) -> Response:
    """Add, change or (with an empty meaning) remove an administrator's term."""
    check_csrf(request, csrf_token)
    flows.save_term(db=db, actor=access_service.actor_for(user), term=term, plain=plain)
    return RedirectResponse("/admin/glossary", status_code=303)
