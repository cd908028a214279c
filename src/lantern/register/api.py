"""The register API: entries, an officer's caseload, addresses, household alerts, disclosure requests."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from lantern.access import service as access_service
from lantern.common import clock
from lantern.deps import ApiUser, DbDep
from lantern.register import disclosure, flows
from lantern.register.models import DisclosureRequest
from lantern.register.schemas import AddressNotice, AlertRead, EntryIn, EntryRead, EntryUpdate

router = APIRouter(prefix="/api/v1/register", tags=["register"])


@router.get("", response_model=list[EntryRead])
def list_entries(db: DbDep, user: ApiUser, officer: str | None = None) -> list[EntryRead]:
    """The register (police, probation, CSC caseworkers); `officer` gives one officer's caseload."""
    return flows.entries(db=db, actor=access_service.actor_for(user), officer=officer)


@router.post("", response_model=EntryRead, status_code=201)
def register(body: EntryIn, db: DbDep, user: ApiUser) -> EntryRead:
    """Register a person by hand (police and probation)."""
    return flows.register(db=db, actor=access_service.actor_for(user), entry_in=body)


@router.get("/address-checks")
def address_checks(db: DbDep, user: ApiUser) -> list[dict[str, Any]]:
    """Addresses seen in agencies' records but not notified by the person, oldest first."""
    pairs = flows.address_checks(db=db, actor=access_service.actor_for(user))
    return [{"entry_id": e.id, "name": e.name, "officer": e.managing_officer, **a.model_dump()} for e, a in pairs]


@router.get("/alerts", response_model=list[AlertRead])
def list_alerts(db: DbDep, user: ApiUser, person_id: str | None = None) -> list[AlertRead]:
    """Household alerts: about a person (the action for anyone doing casework) or all (register readers)."""
    return flows.alerts(db=db, actor=access_service.actor_for(user), person_id=person_id)


@router.get("/disclosures")
def list_disclosures(db: DbDep, user: ApiUser, open_only: bool = False) -> list[dict[str, Any]]:
    """Disclosure requests, the soonest due first (police)."""
    found = disclosure.list_requests(db=db, actor=access_service.actor_for(user), open_only=open_only)
    return [_disclosure(r) for r in found]


@router.post("/disclosures", status_code=201)
def receive_disclosure(body: disclosure.RequestIn, db: DbDep, user: ApiUser) -> dict[str, Any]:
    """Record a request under the CSODS or DVDS pattern; the register is checked at once."""
    return _disclosure(disclosure.receive(db=db, request_in=body, actor=access_service.actor_for(user)))


@router.get("/disclosures/{request_id}")
def get_disclosure(request_id: str, db: DbDep, user: ApiUser) -> dict[str, Any]:
    """One request with its checks, decision and disclosure."""
    return _disclosure(disclosure.read(db=db, actor=access_service.actor_for(user), request_id=request_id))


@router.post("/disclosures/{request_id}/checks")
def add_check(request_id: str, body: disclosure.CheckIn, db: DbDep, user: ApiUser) -> dict[str, Any]:
    """Record a check and its finding."""
    actor = access_service.actor_for(user)
    return _disclosure(disclosure.add_check(db=db, request_id=request_id, check=body, actor=actor))


@router.post("/disclosures/{request_id}/decision")
def decide(request_id: str, body: disclosure.DecisionIn, db: DbDep, user: ApiUser) -> dict[str, Any]:
    """Decide to disclose or not, with the reason."""
    actor = access_service.actor_for(user)
    return _disclosure(disclosure.decide(db=db, request_id=request_id, decision=body, actor=actor))


@router.post("/disclosures/{request_id}/disclosure")
def record_disclosure(request_id: str, body: disclosure.DisclosedIn, db: DbDep, user: ApiUser) -> dict[str, Any]:
    """Record what was disclosed to whom."""
    actor = access_service.actor_for(user)
    return _disclosure(disclosure.record_disclosure(db=db, request_id=request_id, disclosed=body, actor=actor))


@router.get("/{entry_id}", response_model=EntryRead)
def get_entry(entry_id: str, db: DbDep, user: ApiUser) -> EntryRead:
    """One registration with offences, monitoring and addresses."""
    return flows.entry(db=db, actor=access_service.actor_for(user), entry_id=entry_id)


@router.patch("/{entry_id}", response_model=EntryRead)
def update_entry(entry_id: str, body: EntryUpdate, db: DbDep, user: ApiUser) -> EntryRead:
    """Change the status or the managing officer."""
    return flows.update(db=db, actor=access_service.actor_for(user), entry_id=entry_id, change=body)


@router.post("/{entry_id}/addresses", response_model=EntryRead)
def notify_address(entry_id: str, body: AddressNotice, db: DbDep, user: ApiUser) -> EntryRead:
    """Record an address the registered person notified."""
    return flows.notify_address(db=db, actor=access_service.actor_for(user), entry_id=entry_id, notice=body)


@router.get("/{entry_id}/alerts", response_model=list[AlertRead])
def entry_alerts(entry_id: str, db: DbDep, user: ApiUser) -> list[AlertRead]:
    """One registration's household alerts, with explanation and match evidence."""
    return flows.alerts(db=db, actor=access_service.actor_for(user), entry_id=entry_id)


def _disclosure(request: DisclosureRequest) -> dict[str, Any]:
    fields = {c.name: getattr(request, c.name) for c in DisclosureRequest.__table__.columns}
    return {**fields, "timeliness": disclosure.timeliness(request, clock.now())}
