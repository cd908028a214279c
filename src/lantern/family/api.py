"""The family network: who is around a child on a date, what changed, relationships by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from fastapi import APIRouter, Response

from lantern.access import service as access_service
from lantern.deps import ApiUser, DbDep
from lantern.family import flows
from lantern.family.schemas import NetworkChange, NetworkRead, RelationshipIn

router = APIRouter(prefix="/api/v1/people", tags=["family"])


def end_of(day: date) -> datetime:
    """The last moment of a day, so that a network "on" a date includes that day's records."""
    return datetime.combine(day, time.max, tzinfo=UTC)


@router.get("/{person_id}/network", response_model=NetworkRead)
def get_network(person_id: str, db: DbDep, user: ApiUser, on: date | None = None) -> NetworkRead:
    """Everyone linked to the person (on a date, or ever), with relation, dates and evidence."""
    return flows.read(db=db, actor=access_service.actor_for(user), person_id=person_id, on=end_of(on) if on else None)


@router.get("/{person_id}/network/changes", response_model=NetworkChange)
def get_network_changes(person_id: str, since: date, until: date, db: DbDep, user: ApiUser) -> NetworkChange:
    """Who joined or left the network, or moved in or out, between two dates."""
    actor = access_service.actor_for(user)
    return flows.changes(
        db=db,
        actor=actor,
        person_id=person_id,
        since=end_of(since),
        until=end_of(until),
    )


@router.post("/{person_id}/relationships", status_code=201)
def add_relationship(person_id: str, body: RelationshipIn, db: DbDep, user: ApiUser) -> Response:
    """Record by hand that `body.person_id` is the `relation` of this person (audited)."""
    flows.record_relationship(db=db, actor=access_service.actor_for(user), person_id=person_id, relationship=body)
    return Response(status_code=201)
