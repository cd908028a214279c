"""Assessments API: growth on UK-WHO with NG75 concerns; injuries on a body map; children's disclosures;
DASH risk checklists."""

from __future__ import annotations

from fastapi import APIRouter, status

from lantern.access import service as access_service
from lantern.assessments.dash import service as dash_service
from lantern.assessments.disclosures import service as disclosures_service
from lantern.assessments.growth import service as growth_service
from lantern.assessments.growth.views import as_read
from lantern.assessments.injuries import service as injuries_service
from lantern.assessments.schemas import (
    CalloutRead,
    ChecklistRead,
    DashIn,
    DashRead,
    DisclosureIn,
    DisclosuresRead,
    GrowthRead,
    InjuriesRead,
    InjuryIn,
    MeasurementIn,
    Recorded,
)
from lantern.deps import ApiUser, DbDep

router = APIRouter(prefix="/api/v1/assessments", tags=["assessments"])


@router.get("/growth/{person_id}", response_model=GrowthRead)
def get_growth(person_id: str, db: DbDep, user: ApiUser) -> GrowthRead:
    """Every measurement of the child from any agency, with UK-WHO centile and SDS, and NG75 concerns."""
    return as_read(growth_service.read(db=db, actor=access_service.actor_for(user), person_id=person_id))


@router.post("/growth/{person_id}", response_model=Recorded, status_code=status.HTTP_201_CREATED)
def record_measurement(person_id: str, body: MeasurementIn, db: DbDep, user: ApiUser) -> Recorded:
    """Record a measurement taken by your agency (health agencies); it joins the event stream."""
    event_id = growth_service.record(
        db=db,
        actor=access_service.actor_for(user),
        person_id=person_id,
        measured_on=body.measured_on,
        values=body.model_dump(include={"weight_kg", "length_cm", "head_circumference_cm"}),
        gestation=(body.birth_gestation_weeks, body.birth_gestation_days),
    )
    return Recorded(event_id=event_id)


@router.get("/injuries/{person_id}", response_model=InjuriesRead)
def get_injuries(person_id: str, db: DbDep, user: ApiUser) -> InjuriesRead:
    """Every agency's injury records of the child on one body map, with the bruising rule's reasons."""
    _, injuries = injuries_service.read(db=db, actor=access_service.actor_for(user), person_id=person_id)
    return InjuriesRead(person_id=person_id, injuries=injuries)


@router.post("/injuries/{person_id}", response_model=Recorded, status_code=status.HTTP_201_CREATED)
def record_injury(person_id: str, body: InjuryIn, db: DbDep, user: ApiUser) -> Recorded:
    """Record an injury your agency saw; the bruising rule's duties are raised in the same request."""
    injury = body.model_dump(exclude={"seen_on"})
    event_id = injuries_service.record(
        db=db, actor=access_service.actor_for(user), person_id=person_id, seen_on=body.seen_on, injury=injury
    )
    return Recorded(event_id=event_id)


@router.get("/disclosures/{person_id}", response_model=DisclosuresRead)
def get_disclosures(person_id: str, db: DbDep, user: ApiUser) -> DisclosuresRead:
    """Every agency's record of what the child disclosed, with the child's age then and the referral owed."""
    found = disclosures_service.read(db=db, actor=access_service.actor_for(user), person_id=person_id)
    return DisclosuresRead(person_id=person_id, age_today=found.age_today, disclosures=found.items)


@router.post("/disclosures/{person_id}", response_model=Recorded, status_code=status.HTTP_201_CREATED)
def record_disclosure(person_id: str, body: DisclosureIn, db: DbDep, user: ApiUser) -> Recorded:
    """Record what a child told your agency; under 18 the referral duty is raised in the same request."""
    event_id = disclosures_service.record(
        db=db,
        actor=access_service.actor_for(user),
        person_id=person_id,
        disclosed_on=body.disclosed_on,
        disclosure=body.model_dump(exclude={"disclosed_on"}),
    )
    return Recorded(event_id=event_id)


@router.get("/dash/{person_id}", response_model=DashRead)
def get_dash(person_id: str, db: DbDep, user: ApiUser) -> DashRead:
    """The person's DASH checklists as the victim, with the MARAC criteria each meets, and the call-outs."""
    found = dash_service.read(db=db, actor=access_service.actor_for(user), person_id=person_id)
    checklists = [
        ChecklistRead(
            **{k: v for k, v in c.__dict__.items() if k != "risk"},
            yes_count=c.risk.yes_count,
            high_risk=c.risk.high,
            escalation=c.risk.escalation,
        )
        for c in found.checklists
    ]
    callouts = [CalloutRead(**c.__dict__) for c in found.callouts]
    return DashRead(person_id=person_id, checklists=checklists, callouts_12_months=callouts)


@router.post("/dash/{person_id}", response_model=Recorded, status_code=status.HTTP_201_CREATED)
def record_dash(person_id: str, body: DashIn, db: DbDep, user: ApiUser) -> Recorded:
    """Record a checklist with the person as the victim; a MARAC referral owed is raised in the same request."""
    event_id = dash_service.record(
        db=db,
        actor=access_service.actor_for(user),
        person_id=person_id,
        assessed_on=body.assessed_on,
        checklist=body.model_dump(exclude={"assessed_on"}),
    )
    return Recorded(event_id=event_id)
