"""Duties: list (by person, status), acknowledge, record the action taken."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter

from lantern.access import service as access_service
from lantern.deps import ApiUser, DbDep
from lantern.duties import flows, service
from lantern.duties.schemas import DutyNote, DutyRead

router = APIRouter(prefix="/api/v1/duties", tags=["duties"])
StatusFilter = Literal["pending", "delivered", "acknowledged", "overdue", "escalated", "open"]


@router.get("", response_model=list[DutyRead])
def list_duties(
    db: DbDep, user: ApiUser, person_id: str | None = None, status: StatusFilter | None = None
) -> list[DutyRead]:
    """Duties about a person, or to and from your agency; filter by status."""
    statuses = service.STATUS_FILTERS[status] if status else None
    return flows.list_for(
        db=db, actor=access_service.actor_for(user), person_id=person_id, statuses=statuses, with_history=True
    )


@router.post("/{duty_id}/acknowledge", response_model=DutyRead)
def acknowledge(duty_id: str, body: DutyNote, db: DbDep, user: ApiUser) -> DutyRead:
    """Confirm, as a named person of the receiving agency, that the information has arrived."""
    actor = access_service.actor_for(user)
    return flows.as_read(service.acknowledge(db=db, duty_id=duty_id, actor=actor, note=body.note or None), actor)


@router.post("/{duty_id}/action", response_model=DutyRead)
def record_action(duty_id: str, body: DutyNote, db: DbDep, user: ApiUser) -> DutyRead:
    """Record what was done with the information (closes the duty)."""
    actor = access_service.actor_for(user)
    return flows.as_read(service.record_action(db=db, duty_id=duty_id, actor=actor, note=body.note), actor)
