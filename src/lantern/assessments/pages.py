"""Assessment pages: a child's growth chart with the NG75 concerns and a form to record a measurement."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lantern.access import service as access_service
from lantern.assessments.growth import chart
from lantern.assessments.growth import service as growth_service
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
