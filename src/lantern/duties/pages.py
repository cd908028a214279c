"""Pages: my agency's duty inbox, and the "not passed on" view for a person."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from lantern.access import policy
from lantern.access import service as access_service
from lantern.access.vocabulary import AGENCIES
from lantern.deps import DbDep, PageUser
from lantern.duties import flows, reports, service
from lantern.people import service as people_service
from lantern.web.csrf import check_csrf
from lantern.web.render import page

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/duties", response_class=HTMLResponse)
def inbox(request: Request, db: DbDep, user: PageUser, status: str = "open") -> Response:
    """Duties to and from my agency: overdue and escalated first, then the soonest due."""
    actor = access_service.actor_for(user)
    statuses = service.STATUS_FILTERS.get(status)
    duties = flows.list_for(db=db, actor=actor, person_id=None, statuses=statuses)
    duties.sort(key=lambda d: (d.status not in {"escalated", "overdue"}, d.due_at))
    return page(
        request,
        "duties/inbox.html",
        user=user,
        duties=duties,
        status=status,
        filters=["open", "overdue", "acknowledged", "pending", "delivered"],
    )


@router.get("/duties/board", response_class=HTMLResponse)
def team_board(request: Request, db: DbDep, user: PageUser) -> Response:
    """The team's duty board: escalated, overdue, due today."""
    policy.require(access_service.actor_for(user), "duty:read")
    return page(request, "duties/board.html", user=user, board=reports.board(db=db, agency=user.agency))


@router.get("/duties/compliance", response_class=HTMLResponse)
def compliance_report(request: Request, db: DbDep, user: PageUser, agency: str | None = None) -> Response:
    """Percentage of duties met on time, by duty and month, with a chart (managers and reviewers)."""
    actor = access_service.actor_for(user)
    policy.require(actor, "duty:report")
    chosen = agency if agency in AGENCIES and actor.role == "reviewer" else user.agency
    report = reports.compliance(db=db, agency=chosen)
    return page(
        request,
        "duties/compliance.html",
        user=user,
        report=report,
        agency=chosen,
        chart=Markup(reports.bar_chart_svg(report.by_month)),
    )


@router.get("/people/{person_id}/duties", response_class=HTMLResponse)
def person_duties(request: Request, person_id: str, db: DbDep, user: PageUser) -> Response:
    """Every duty that was owed about this person, and what became of it."""
    person = people_service.require(db=db, person_id=person_id)
    duties = flows.list_for(
        db=db, actor=access_service.actor_for(user), person_id=person_id, statuses=None, with_history=True
    )
    return page(request, "duties/person.html", user=user, person=person, duties=duties)


@router.post("/duties/{duty_id}/acknowledge")
def acknowledge(
    request: Request,
    duty_id: str,
    db: DbDep,
    user: PageUser,
    csrf_token: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
) -> Response:
    """Acknowledge from the inbox."""
    check_csrf(request, csrf_token)
    service.acknowledge(db=db, duty_id=duty_id, actor=access_service.actor_for(user), note=note or None)
    return RedirectResponse("/duties", status_code=303)
