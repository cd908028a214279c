"""Casework pages: my cases, a case and its handover form, the handover the receiving worker
acknowledges, the conference calendar, the team supervision report, standing meetings."""

from __future__ import annotations

from datetime import datetime
from itertools import groupby
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from lantern.access import policy
from lantern.access import service as access_service
from lantern.casework import conferences, handover, meetings, rules, service, supervision
from lantern.casework.schemas import (
    AcknowledgementIn,
    ConferenceRead,
    ConferenceUpdate,
    HandoverIn,
    Invitation,
    Section,
    SittingUpdate,
    SupervisionIn,
)
from lantern.common import clock, workdays
from lantern.common.errors import InvalidInput
from lantern.deps import DbDep, PageUser
from lantern.web.csrf import check_csrf
from lantern.web.render import page

router = APIRouter(tags=["pages"], include_in_schema=False)
_Model = TypeVar("_Model", bound=BaseModel)


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
        prefill=handover.prefill(db, access_service.actor_for(user), case), sections=rules.HANDOVER_SECTIONS,
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
    actor = access_service.actor_for(user)
    report = supervision.team_report(db=db, actor=actor)
    cases = service.list_cases(db=db, actor=actor, manager=user.username)
    today = rules.local_day(clock.now())
    return page(request, "casework/supervision.html", user=user, report=report, cases=cases, today=today)


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


@router.get("/casework/conferences/{conference_id}", response_class=HTMLResponse)
def conference_page(request: Request, conference_id: str, db: DbDep, user: PageUser) -> Response:
    """One conference: its due rule, the date and invitations, and the record of holding it."""
    shown = conferences.read(db=db, actor=access_service.actor_for(user), conference_id=conference_id)
    return page(request, "casework/conference.html", user=user, conference=shown, outcomes=rules.CONFERENCE_OUTCOMES,
                can_write=policy.can(access_service.actor_for(user), "case:write"))  # fmt: skip


@router.post("/casework/conferences/{conference_id}")
async def update_conference(request: Request, conference_id: str, db: DbDep, user: PageUser) -> Response:
    """Set the date and invitations, record the conference held (attendance, outcome, decisions,
    minutes), or cancel it, from the conference page."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    actor = access_service.actor_for(user)
    shown = conferences.read(db=db, actor=actor, conference_id=conference_id)
    change = _conference_change(form, shown)
    conferences.update(db=db, actor=actor, conference_id=conference_id, change=change)
    return RedirectResponse(f"/casework/conferences/{conference_id}", status_code=303)


def _conference_change(form: FormData, shown: ConferenceRead) -> ConferenceUpdate:
    """The form's fields as a change: invitations one per line, "agency: name"; attendance ticked."""
    text = {key: str(value).strip() for key, value in form.multi_items() if key != "attended"}
    attended = {str(v) for v in form.getlist("attended")}
    invitations = None
    if "invitations" in text:
        lines = [line.split(":", 1) for line in text["invitations"].splitlines() if ":" in line]
        invitations = [Invitation(agency=a.strip(), name=n.strip()) for a, n in lines]
    elif text.get("held_on"):
        invitations = [Invitation(agency=i["agency"], name=i["name"], attended=f"{i['agency']}:{i['name']}" in attended)
                       for i in shown.invitations]  # fmt: skip
    if text.get("scheduled_for"):  # a datetime-local field: the time in England
        local = datetime.fromisoformat(text["scheduled_for"])
        text["scheduled_for"] = (local if local.tzinfo else local.replace(tzinfo=workdays.LONDON)).isoformat()
    named = ("scheduled_for", "held_on", "outcome", "decisions", "minutes", "cancel_reason")
    return _validated(ConferenceUpdate, {"invitations": invitations, **{k: text.get(k) or None for k in named}})


def _validated(model: type[_Model], fields: dict[str, Any]) -> _Model:
    """A form's fields as the API model, refused as the API refuses them (422 naming the field)."""
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        raise InvalidInput([{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]) from exc


@router.post("/casework/supervision")
async def record_supervision(request: Request, db: DbDep, user: PageUser) -> Response:
    """Record a supervision from the team report: a decision per case discussed, and an action."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    text = {key: str(value).strip() for key, value in form.multi_items()}
    decisions = [{"case_id": key.removeprefix("decision-"), "decision": value}
                 for key, value in text.items() if key.startswith("decision-") and value]  # fmt: skip
    actions = [{"description": text["action"], "owner": text.get("action_owner") or text.get("worker", ""),
                "due_on": text.get("action_due_on")}] if text.get("action") else []  # fmt: skip
    fields = {"worker": text.get("worker"), "held_on": text.get("held_on"), "decisions": decisions, "actions": actions}
    body = _validated(SupervisionIn, {**fields, "notes": text.get("notes") or None})
    supervision.record(db=db, actor=access_service.actor_for(user), supervision_in=body)
    return RedirectResponse("/casework/supervision", status_code=303)


@router.post("/casework/sittings/{sitting_id}")
async def update_sitting(request: Request, sitting_id: str, db: DbDep, user: PageUser) -> Response:
    """Add an attendee, an action or notes to a sitting, or close it."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    actor = access_service.actor_for(user)
    shown = meetings.read(db=db, actor=actor, sitting_id=sitting_id)
    text = {key: str(value).strip() for key, value in form.multi_items()}
    attendance = None
    if text.get("attendee_name"):
        attendance = [*shown.attendance, {"agency": text.get("attendee_agency"), "name": text["attendee_name"]}]
    actions = [{"description": text["action"], "owner": text.get("action_owner"), "due_on": text.get("action_due_on")}
               ] if text.get("action") else []  # fmt: skip
    fields = {
        "attendance": attendance,
        "actions": actions,
        "notes": text.get("notes") or None,
        "close": "close" in text,
    }
    change = _validated(SittingUpdate, fields)
    meetings.update_sitting(db=db, actor=actor, sitting_id=sitting_id, change=change)
    return RedirectResponse(f"/casework/sittings/{sitting_id}", status_code=303)
