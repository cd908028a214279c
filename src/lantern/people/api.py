"""People: search, one person, their events."""

from __future__ import annotations

from fastapi import APIRouter, Query

from lantern.access import service as access_service
from lantern.common.errors import NotFound
from lantern.deps import ApiUser, DbDep
from lantern.events.schemas import EventRead
from lantern.people import flows
from lantern.people.schemas import PersonRead, PersonSummary

router = APIRouter(prefix="/api/v1/people", tags=["people"])


@router.get("", response_model=list[PersonSummary])
def search_people(db: DbDep, user: ApiUser, q: str = Query(min_length=1, max_length=100)) -> list[PersonSummary]:
    """Find people by name words, NHS number or PNC id."""
    return flows.search(db=db, actor=access_service.actor_for(user), text=q)


@router.get("/{person_id}", response_model=PersonRead)
def get_person(person_id: str, db: DbDep, user: ApiUser) -> PersonRead:
    """One person with every name, identifier and address recorded for them."""
    person = flows.read_person(db=db, actor=access_service.actor_for(user), person_id=person_id)
    if person is None:
        raise NotFound(f"no person {person_id}")
    return person


@router.get("/{person_id}/events", response_model=list[EventRead])
def get_person_events(person_id: str, db: DbDep, user: ApiUser) -> list[EventRead]:
    """Every event naming the person, most recent first."""
    events = flows.person_events(db=db, actor=access_service.actor_for(user), person_id=person_id)
    if events is None:
        raise NotFound(f"no person {person_id}")
    return events
