"""The chronology of a person or their family, and significance set by practitioners."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from lantern.access import service as access_service
from lantern.chronology import flows
from lantern.chronology.entries import Filters
from lantern.chronology.schemas import ChronologyRead, Level, SignificanceIn
from lantern.deps import ApiUser, DbDep
from lantern.family.api import end_of

router = APIRouter(tags=["chronology"])


def filters_from(
    agency: list[str], type_: list[str], person: str | None, since: date | None, until: date | None, minimum: Level
) -> Filters:
    """Filters from query parameters; what was asked is kept for the export header."""
    agency, type_ = [a for a in agency if a], [t for t in type_ if t]  # "All" in a form sends an empty value
    return Filters(
        agencies=frozenset(agency),
        types=frozenset(type_),
        person_id=person or None,
        since=end_of(since).replace(hour=0, minute=0, second=0, microsecond=0) if since else None,
        until=end_of(until) if until else None,
        minimum=minimum,
        asked={
            "agency": ", ".join(agency),
            "type": ", ".join(type_),
            "person": person or "",
            "from": since.isoformat() if since else "",
            "to": until.isoformat() if until else "",
            "significance": "" if minimum == "routine" else f"{minimum} or more",
        },
    )


@router.get(
    "/api/v1/people/{person_id}/chronology", response_class=Response, responses={200: {"model": ChronologyRead}}
)
def get_chronology(
    person_id: str,
    db: DbDep,
    user: ApiUser,
    scope: Literal["person", "family"] = "person",
    agency: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI copies defaults
    type: Annotated[list[str], Query()] = [],  # noqa: B006, A002
    person: str | None = None,
    since: Annotated[date | None, Query(alias="from")] = None,
    until: Annotated[date | None, Query(alias="to")] = None,
    significance: Level = "routine",
    page: Annotated[int | None, Query(ge=1, description="one page of 100 entries; all of them if left out")] = None,
) -> Response:
    """Every record about the person (scope=family: their whole network), oldest first, each in
    plain English (`plain`) with the agency's own words (`original`), who recorded it, when, and
    with whom it was shared. Filters: agency, type, person, from, to, significance (minimum).
    `page`: only that page of 100 entries (`count` still counts them all; `pages` says how many)."""
    filters = filters_from(agency, type, person, since, until, significance)
    chronology = flows.read(
        db=db, actor=access_service.actor_for(user), person_id=person_id, scope=scope, filters=filters, page=page
    )
    return Response(chronology.to_json(), media_type="application/json")


@router.post("/api/v1/events/{event_id}/significance", status_code=204)
def set_significance(event_id: str, body: SignificanceIn, db: DbDep, user: ApiUser) -> Response:
    """Set how significant a record is (overrides the rules), with the reason."""
    actor = access_service.actor_for(user)
    flows.set_significance(db=db, actor=actor, event_id=event_id, level=body.level, reason=body.reason)
    return Response(status_code=204)
