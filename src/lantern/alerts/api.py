"""Pattern alerts about a person."""

from __future__ import annotations

from fastapi import APIRouter

from lantern.access import service as access_service
from lantern.alerts import flows
from lantern.alerts.schemas import AlertRead
from lantern.deps import ApiUser, DbDep

router = APIRouter(prefix="/api/v1/alerts", tags=["alerts"])


@router.get("", response_model=list[AlertRead])
def list_alerts(person_id: str, db: DbDep, user: ApiUser) -> list[AlertRead]:
    """Explained alerts about a person: which pattern, which records, which threshold."""
    return flows.for_person(db=db, actor=access_service.actor_for(user), person_id=person_id)
