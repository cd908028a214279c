"""Register pages: the register, an officer's caseload, address checks, one entry, household alerts."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from lantern.access import service as access_service
from lantern.deps import DbDep, PageUser
from lantern.register import flows
from lantern.web.render import page

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/register", response_class=HTMLResponse)
def register_page(request: Request, db: DbDep, user: PageUser) -> Response:
    """Everyone on the register, with status and monitoring end."""
    listed = flows.entries(db=db, actor=access_service.actor_for(user))
    return page(
        request,
        "register/list.html",
        user=user,
        entries=listed,
        heading="Register of violent offenders against children",
    )


@router.get("/register/caseload", response_class=HTMLResponse)
def caseload_page(request: Request, db: DbDep, user: PageUser) -> Response:
    """The registrations I manage."""
    listed = flows.entries(db=db, actor=access_service.actor_for(user), officer=user.username)
    return page(request, "register/list.html", user=user, entries=listed, heading="My caseload")


@router.get("/register/address-checks", response_class=HTMLResponse)
def address_checks_page(request: Request, db: DbDep, user: PageUser) -> Response:
    """Addresses seen in other agencies' records that the person has not notified: due and overdue."""
    pairs = flows.address_checks(db=db, actor=access_service.actor_for(user))
    return page(request, "register/address_checks.html", user=user, pairs=pairs)


@router.get("/register/alerts", response_class=HTMLResponse)
def alerts_page(request: Request, db: DbDep, user: PageUser, person_id: str | None = None) -> Response:
    """Household alerts: about one person (the action only, unless you may read the register) or all."""
    shown = flows.alerts(db=db, actor=access_service.actor_for(user), person_id=person_id)
    return page(request, "register/alerts.html", user=user, alerts=shown, person_id=person_id)


@router.get("/register/{entry_id}", response_class=HTMLResponse)
def entry_page(request: Request, entry_id: str, db: DbDep, user: PageUser) -> Response:
    """One registration: offences, monitoring, addresses and household alerts."""
    actor = access_service.actor_for(user)
    shown = flows.entry(db=db, actor=actor, entry_id=entry_id)
    return page(
        request,
        "register/entry.html",
        user=user,
        entry=shown,
        alerts=flows.alerts(db=db, actor=actor, entry_id=entry_id),
    )
