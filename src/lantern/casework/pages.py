"""Casework pages: my cases, a case and its handover form, the handover the receiving worker
acknowledges, the conference calendar, the team supervision report, standing meetings."""

from __future__ import annotations

from itertools import groupby
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lantern.access import policy
from lantern.access import service as access_service
from lantern.casework import conferences, handover, meetings, rules, service, supervision
from lantern.casework.schemas import AcknowledgementIn, ConferenceRead, HandoverIn, Section
from lantern.common import clock
from lantern.common.errors import InvalidInput
from lantern.deps import DbDep, PageUser
from lantern.web.csrf import check_csrf
from lantern.web.render import page

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/casework/cases", response_class=HTMLResponse)
def my_cases_page(request: Request, db: DbDep, user: PageUser) -> Response:
    """My allocated cases with their next dates, handovers waiting, and (managers) the team's cases."""
    actor = access_service.actor_for(user)
    mine = service.list_cases(db=db, actor=actor, worker=user.username)
    team = service.list_cases(db=db, actor=actor, manager=user.username) if user.role == "manager" else []
    report = supervision.team_report(db=db, actor=actor) if policy.can(actor, "supervision:manage") else None
    return page(
        request, "casework/my_cases.html", user=user, mine=mine, team=team, report=report,
        waiting=handover.waiting_for(db=db, worker=user.username), sections=rules.HANDOVER_SECTIONS,
    )  # fmt: skip


@router.get("/casework/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: str, db: DbDep, user: PageUser) -> Response:
    """One case: the worker and manager, the handovers, and the form to hand it over (prefilled)."""
    shown = service.read(db=db, actor=access_service.actor_for(user), case_id=case_id)
    case = service.get(db=db, case_id=case_id)
    return page(
        request, "casework/case.html", user=user, case=shown, handovers=handover.of_case(db=db, case_id=case_id),
        prefill=handover.prefill(db, case), sections=rules.HANDOVER_SECTIONS,
    )  # fmt: skip


@router.post("/casework/cases/{case_id}/handovers")
async def send_handover(request: Request, case_id: str, db: DbDep, user: PageUser) -> Response:
    """Send the handover from the case page, then show it."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    checklist: dict[Section, str] = {key: str(form.get(key) or "") for key in rules.HANDOVER_SECTIONS}  # type: ignore[misc]
    body = HandoverIn(to_worker=str(form.get("to_worker") or "").strip(), checklist=checklist,
                      note=str(form.get("note") or "") or None)  # fmt: skip
    sent = handover.send(db=db, actor=access_service.actor_for(user), case_id=case_id, handover_in=body)
    return RedirectResponse(f"/casework/handovers/{sent.id}", status_code=303)


@router.get("/casework/handovers/{handover_id}", response_class=HTMLResponse)
def handover_page(request: Request, handover_id: str, db: DbDep, user: PageUser) -> Response:
    """A handover: the checklist, and for the receiving worker the acknowledgement of each section."""
    return _handover(request, db, user, handover_id, errors=[])


def _handover(request: Request, db: DbDep, user: PageUser, handover_id: str, errors: list[str]) -> Response:
    shown = handover.read(db=db, actor=access_service.actor_for(user), handover_id=handover_id)
    case = service.as_reads(db, [service.get(db=db, case_id=shown.case_id)])[0]
    return page(
        request, "casework/handover.html", status_code=422 if errors else 200, user=user, handover=shown, case=case,
        sections=rules.HANDOVER_SECTIONS, errors=errors,
    )  # fmt: skip


@router.post("/casework/handovers/{handover_id}/acknowledge")
def acknowledge(
    request: Request,
    handover_id: str,
    db: DbDep,
    user: PageUser,
    csrf_token: Annotated[str, Form()],
    confirmed: Annotated[list[Section] | None, Form()] = None,
    note: Annotated[str, Form()] = "",
) -> Response:
    """The receiving worker acknowledges; a section left unconfirmed shows the form again with the reason."""
    check_csrf(request, csrf_token)
    ack = AcknowledgementIn(confirmed=confirmed or [], note=note or None)
    try:
        handover.acknowledge(db=db, actor=access_service.actor_for(user), handover_id=handover_id, ack=ack)
    except InvalidInput as exc:
        return _handover(request, db, user, handover_id, errors=[str(e["msg"]) for e in exc.errors])
    return RedirectResponse("/casework/cases", status_code=303)


@router.get("/casework/conferences", response_class=HTMLResponse)
def conference_calendar(request: Request, db: DbDep, user: PageUser) -> Response:
    """Conferences by month: due, set, held; overdue ones flagged."""
    shown = conferences.calendar(db=db, actor=access_service.actor_for(user))
    months = [(month, list(rows)) for month, rows in groupby(shown, key=_month)]
    today = rules.local_day(clock.now())
    return page(request, "casework/conferences.html", user=user, months=months, today=today,
                overdue=[c for c in shown if c.is_overdue], outcomes=rules.CONFERENCE_OUTCOMES)  # fmt: skip


def _month(conference: ConferenceRead) -> str:
    day = conference.held_on or (rules.local_day(conference.scheduled_for) if conference.scheduled_for else None)
    return f"{day or conference.due_on:%B %Y}"


@router.get("/casework/supervision", response_class=HTMLResponse)
def supervision_report(request: Request, db: DbDep, user: PageUser) -> Response:
    """The team supervision report: frequency met or overdue per worker, open actions from supervision."""
    report = supervision.team_report(db=db, actor=access_service.actor_for(user))
    return page(request, "casework/supervision.html", user=user, report=report)


@router.get("/casework/meetings", response_class=HTMLResponse)
def meetings_page(request: Request, db: DbDep, user: PageUser) -> Response:
    """Standing multi-agency meetings, their next sittings and past sittings."""
    actor = access_service.actor_for(user)
    series = meetings.list_series(db=db, actor=actor)
    sittings = {s.id: meetings.sittings_of(db=db, actor=actor, series_id=s.id)[:10] for s in series}
    return page(request, "casework/meetings.html", user=user, series=series, sittings=sittings)


@router.post("/casework/meetings/{series_id}/sittings")
def open_sitting(
    request: Request, series_id: str, db: DbDep, user: PageUser, csrf_token: Annotated[str, Form()]
) -> Response:
    """Open today's (or the next) sitting."""
    check_csrf(request, csrf_token)
    sitting = meetings.open_sitting(db=db, actor=access_service.actor_for(user), series_id=series_id)
    return RedirectResponse(f"/casework/sittings/{sitting.id}", status_code=303)


@router.get("/casework/sittings/{sitting_id}", response_class=HTMLResponse)
def sitting_page(request: Request, sitting_id: str, db: DbDep, user: PageUser) -> Response:
    """A sitting: agenda (alerts and overdue duties since the last), attendance by agency, actions log."""
    shown = meetings.read(db=db, actor=access_service.actor_for(user), sitting_id=sitting_id)
    series = meetings.get_series(db=db, actor=access_service.actor_for(user), series_id=shown.series_id)
    return page(request, "casework/sitting.html", user=user, sitting=shown, series=series)
