"""Interop API: the CP-IS-style flag look-up, and FHIR Bundles in and out."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Body, Response

from lantern.access import policy
from lantern.access import service as access_service
from lantern.deps import ApiUser, DbDep, SettingsDep
from lantern.interop import flags
from lantern.interop.fhir import export as fhir_export
from lantern.interop.fhir import imports as fhir_imports
from lantern.interop.schemas import AccessRead, FlagAnswer, ImportReport

router = APIRouter(prefix="/api/v1", tags=["interop"])
FHIR_JSON = "application/fhir+json"


@router.get("/flags", response_model=FlagAnswer)
def flag_lookup(nhs_number: str, db: DbDep, user: ApiUser, setting: str | None = None) -> FlagAnswer:
    """Is the child (or a pregnant woman's unborn child) on a plan or looked after? Unscheduled care only;
    audited, and the responsible team is told the child attended."""
    return flags.lookup(db=db, actor=access_service.actor_for(user), nhs_number=nhs_number, setting=setting)


@router.get("/flags/{person_id}/accesses", response_model=list[AccessRead])
def flag_accesses(person_id: str, db: DbDep, user: ApiUser) -> list[AccessRead]:
    """The last 25 look-ups of a child's flag (children's social care)."""
    return flags.history(db=db, actor=access_service.actor_for(user), person_id=person_id)


@router.get("/fhir/Bundle/family/{person_id}")
def fhir_family(person_id: str, db: DbDep, user: ApiUser) -> Response:
    """A person's family as a FHIR R4 (UK Core) Bundle: Patients, RelatedPersons, growth, Flags; audited."""
    bundle = fhir_export.export_family(db=db, actor=access_service.actor_for(user), person_id=person_id)
    return Response(orjson.dumps(bundle), media_type=FHIR_JSON)


@router.post("/fhir/Bundle", response_model=ImportReport, responses={201: {"model": ImportReport}})
def fhir_import(
    response: Response, db: DbDep, user: ApiUser, settings: SettingsDep, bundle: Annotated[dict[str, Any], Body()]
) -> ImportReport:
    """Import a FHIR Bundle as the signed-in user's agency; one result per entry, rejections with their path
    (201 when anything was taken, as for POST /api/v1/events)."""
    actor = access_service.actor_for(user)
    policy.require(actor, "event:write")
    report = fhir_imports.import_bundle(db=db, actor=actor, bundle=bundle, max_bytes=settings.max_event_bytes)
    response.status_code = 201 if report.accepted else 200
    return report
