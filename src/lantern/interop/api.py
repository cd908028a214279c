"""Interop API: the CP-IS-style flag look-up, and FHIR Bundles in and out."""

from __future__ import annotations

from fastapi import APIRouter

from lantern.access import service as access_service
from lantern.deps import ApiUser, DbDep
from lantern.interop import flags
from lantern.interop.schemas import AccessRead, FlagAnswer

router = APIRouter(prefix="/api/v1", tags=["interop"])


@router.get("/flags", response_model=FlagAnswer)
def flag_lookup(nhs_number: str, db: DbDep, user: ApiUser, setting: str | None = None) -> FlagAnswer:
    """Is the child (or a pregnant woman's unborn child) on a plan or looked after? Unscheduled care only;
    audited, and the responsible team is told the child attended."""
    return flags.lookup(db=db, actor=access_service.actor_for(user), nhs_number=nhs_number, setting=setting)


@router.get("/flags/{person_id}/accesses", response_model=list[AccessRead])
def flag_accesses(person_id: str, db: DbDep, user: ApiUser) -> list[AccessRead]:
    """The last 25 look-ups of a child's flag (children's social care)."""
    return flags.history(db=db, actor=access_service.actor_for(user), person_id=person_id)

