"""Assessment pages: a child's growth chart with the NG75 concerns, the body map of injuries, and a
child's disclosures, and DASH risk checklists, each with a form to record one."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from lantern.access import service as access_service
from lantern.assessments.dash import rules as dash_rules
from lantern.assessments.dash import service as dash_service
from lantern.assessments.disclosures import rules as disclosure_rules
from lantern.assessments.disclosures import service as disclosures_service
from lantern.assessments.growth import chart
from lantern.assessments.growth import service as growth_service
from lantern.assessments.injuries import service as injuries_service
from lantern.assessments.injuries.vocabulary import MOBILITY, REGIONS, TERMS
from lantern.common.errors import InvalidInput
from lantern.deps import DbDep, PageUser
from lantern.events.vocabulary import EVENT_TYPES
from lantern.web.csrf import check_csrf
from lantern.web.render import page

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/people/{person_id}/growth", response_class=HTMLResponse)
def growth_page(request: Request, person_id: str, db: DbDep, user: PageUser) -> Response:
    """The UK-WHO charts (weight, length, head), the measurements with centiles, and any NG75 concern."""
    growth = growth_service.read(db=db, actor=access_service.actor_for(user), person_id=person_id)
    flagged = {event_id for c in growth.concerns for event_id in c.event_ids}
    charts = [
        chart.build(kind, growth.child.sex, plotted, flagged)
        for kind, plotted in growth.plotted.items()
        if growth.child and (plotted or kind == "weight")
    ]
    can_record = user.agency in EVENT_TYPES["growth.measurement"].agencies
    return page(request, "assessments/growth.html", user=user, growth=growth, charts=charts, can_record=can_record)


@router.post("/people/{person_id}/growth")
def record_measurement(
    request: Request,
    person_id: str,
    db: DbDep,
    user: PageUser,
    csrf_token: Annotated[str, Form()],
    measured_on: Annotated[date, Form()],
    weight_kg: Annotated[str, Form()] = "",
    length_cm: Annotated[str, Form()] = "",
    head_circumference_cm: Annotated[str, Form()] = "",
) -> Response:
    """Record a measurement from the growth page, then show the chart again."""
    check_csrf(request, csrf_token)
    values = {"weight_kg": weight_kg, "length_cm": length_cm, "head_circumference_cm": head_circumference_cm}
    growth_service.record(
        db=db,
        actor=access_service.actor_for(user),
        person_id=person_id,
        measured_on=measured_on,
        values={name: _number(name, text) for name, text in values.items()},
    )
    return RedirectResponse(f"/people/{person_id}/growth", status_code=303)


@router.get("/people/{person_id}/injuries", response_class=HTMLResponse)
def injuries_page(request: Request, person_id: str, db: DbDep, user: PageUser) -> Response:
    """The body map (front and back) with every recorded injury, the vocabulary, and the bruising rule."""
    name, injuries = injuries_service.read(db=db, actor=access_service.actor_for(user), person_id=person_id)
    return page(
        request, "assessments/injuries.html", user=user, person_id=person_id, name=name, injuries=injuries,
        marked={i.region for i in injuries}, can_record=user.agency in EVENT_TYPES["injury.observation"].agencies,
        terms=TERMS, regions=REGIONS, mobility=MOBILITY,
    )  # fmt: skip


@router.post("/people/{person_id}/injuries")
def record_injury(
    request: Request,
    person_id: str,
    db: DbDep,
    user: PageUser,
    csrf_token: Annotated[str, Form()],
    seen_on: Annotated[date, Form()],
    term: Annotated[str, Form()],
    region: Annotated[str, Form()],
    seen_by: Annotated[str, Form()],
    size_cm: Annotated[str, Form()] = "",
    colour: Annotated[str, Form()] = "",
    explanation_given: Annotated[str, Form()] = "",
    mobility: Annotated[str, Form()] = "",
    patterned: Annotated[bool, Form()] = False,
) -> Response:
    """Record an injury from the body map, then show the map again."""
    check_csrf(request, csrf_token)
    injury = {
        "term": term, "region": region, "seen_by": seen_by, "size_cm": _number("size_cm", size_cm),
        "colour": colour, "explanation_given": explanation_given, "mobility": mobility, "patterned": patterned,
    }  # fmt: skip
    actor = access_service.actor_for(user)
    injuries_service.record(db=db, actor=actor, person_id=person_id, seen_on=seen_on, injury=injury)
    return RedirectResponse(f"/people/{person_id}/injuries", status_code=303)


@router.get("/people/{person_id}/disclosures", response_class=HTMLResponse)
def disclosures_page(request: Request, person_id: str, db: DbDep, user: PageUser) -> Response:
    """What the child disclosed and the referral each is owed, with the form that says, in plain words,
    that a 14 to 17-year-old's disclosure is referred as any child's."""
    found = disclosures_service.read(db=db, actor=access_service.actor_for(user), person_id=person_id)
    can_record = user.agency in EVENT_TYPES["child.disclosure"].agencies
    return page(
        request, "assessments/disclosures.html", user=user, found=found, can_record=can_record,
        concerns=disclosure_rules.CONCERNS, labels=disclosure_rules.LABELS,
    )  # fmt: skip


@router.post("/people/{person_id}/disclosures")
def record_disclosure(
    request: Request,
    person_id: str,
    db: DbDep,
    user: PageUser,
    csrf_token: Annotated[str, Form()],
    disclosed_on: Annotated[date, Form()],
    account: Annotated[str, Form()],
    heard_by: Annotated[str, Form()],
    concerns: Annotated[list[str] | None, Form()] = None,
    asked_not_to_tell: Annotated[bool, Form()] = False,
    action_taken: Annotated[str, Form()] = "",
) -> Response:
    """Record a disclosure from the page, then show the disclosures again."""
    check_csrf(request, csrf_token)
    disclosure = {
        "concerns": concerns or [], "account": account, "heard_by": heard_by,
        "asked_not_to_tell": asked_not_to_tell, "action_taken": action_taken,
    }  # fmt: skip
    actor = access_service.actor_for(user)
    disclosures_service.record(
        db=db, actor=actor, person_id=person_id, disclosed_on=disclosed_on, disclosure=disclosure
    )
    return RedirectResponse(f"/people/{person_id}/disclosures", status_code=303)


@router.get("/people/{person_id}/dash", response_class=HTMLResponse)
def dash_page(request: Request, person_id: str, db: DbDep, user: PageUser) -> Response:
    """The person's DASH checklists with the MARAC criteria met, the police call-outs, and the 27 questions."""
    found = dash_service.read(db=db, actor=access_service.actor_for(user), person_id=person_id)
    can_record = user.agency in EVENT_TYPES["dash.assessment"].agencies
    return page(
        request, "assessments/dash.html", user=user, found=found, can_record=can_record, questions=dash_rules.QUESTIONS,
        threshold=dash_rules.HIGH_RISK_YES, escalation_at=dash_rules.ESCALATION_CALLOUTS,
    )  # fmt: skip


async def _form(request: Request) -> FormData:
    """The posted form, read before a synchronous handler runs (the checklist's 27 fields are named by code)."""
    return await request.form()


@router.post("/people/{person_id}/dash")
def record_dash(
    request: Request, person_id: str, db: DbDep, user: PageUser, form: Annotated[FormData, Depends(_form)]
) -> Response:
    """Record a checklist from the page (one radio group per question, `q-<code>`), then show the page."""
    check_csrf(request, str(form.get("csrf_token", "")))
    checklist = {
        "assessor": str(form.get("assessor", "")),
        "answers": {code: str(form[f"q-{code}"]) for code in dash_rules.QUESTIONS if f"q-{code}" in form},
        "professional_judgement": form.get("professional_judgement") == "true",
        "judgement_reason": str(form.get("judgement_reason", "")).strip() or None,
    }
    try:
        assessed_on = date.fromisoformat(str(form.get("assessed_on", "")))
    except ValueError:
        raise InvalidInput([{"loc": ["assessed_on"], "msg": "enter the date of the assessment"}]) from None
    actor = access_service.actor_for(user)
    dash_service.record(db=db, actor=actor, person_id=person_id, assessed_on=assessed_on, checklist=checklist)
    return RedirectResponse(f"/people/{person_id}/dash", status_code=303)


def _number(name: str, text: str) -> float | None:
    if not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput([{"loc": [name], "msg": "enter a number"}]) from None
    if value <= 0:
        raise InvalidInput([{"loc": [name], "msg": "enter a number above zero"}])
    return value
