"""The casework API: cases and handovers, supervision and the team report, conferences, standing meetings."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter

from lantern.access import service as access_service
from lantern.casework import conferences, handover, meetings, rules, service, supervision
from lantern.casework.schemas import (
    AcknowledgementIn,
    ActionRead,
    CaseIn,
    CaseRead,
    CaseUpdate,
    ConferenceRead,
    ConferenceUpdate,
    HandoverIn,
    HandoverRead,
    SeriesIn,
    SeriesRead,
    SittingRead,
    SittingUpdate,
    SupervisionIn,
    SupervisionRead,
    TeamReport,
    WorkerSettingIn,
    WorkerSupervision,
)
from lantern.common import clock
from lantern.deps import ApiUser, DbDep

router = APIRouter(prefix="/api/v1/casework", tags=["casework"])


@router.get("/cases", response_model=list[CaseRead])
def list_cases(
    db: DbDep, user: ApiUser, worker: str | None = None, manager: str | None = None, person_id: str | None = None
) -> list[CaseRead]:
    """Open cases: a worker's (`worker`), a manager's team's (`manager`) or a child's (`person_id`)."""
    actor = access_service.actor_for(user)
    return service.list_cases(db=db, actor=actor, worker=worker, manager=manager, person_id=person_id)


@router.post("/cases", response_model=CaseRead, status_code=201)
def open_case(body: CaseIn, db: DbDep, user: ApiUser) -> CaseRead:
    """Open a case about a child, allocated or not (an unallocated case owes the manager an allocation)."""
    case = service.open_case(db=db, actor=access_service.actor_for(user), case_in=body)
    return service.as_reads(db, [case])[0]


@router.get("/cases/{case_id}", response_model=CaseRead)
def get_case(case_id: str, db: DbDep, user: ApiUser) -> CaseRead:
    """One case with its allocation flag and next dates."""
    return service.read(db=db, actor=access_service.actor_for(user), case_id=case_id)


@router.patch("/cases/{case_id}", response_model=CaseRead)
def update_case(case_id: str, body: CaseUpdate, db: DbDep, user: ApiUser) -> CaseRead:
    """A manager's change; a new worker is refused (409): the worker changes through a handover."""
    case = service.update(db=db, actor=access_service.actor_for(user), case_id=case_id, change=body)
    return service.as_reads(db, [case])[0]


@router.get("/cases/{case_id}/handovers", response_model=list[HandoverRead])
def list_handovers(case_id: str, db: DbDep, user: ApiUser) -> list[HandoverRead]:
    """A case's handovers, oldest first."""
    service.read(db=db, actor=access_service.actor_for(user), case_id=case_id)
    return [HandoverRead.model_validate(h) for h in handover.of_case(db=db, case_id=case_id)]


@router.post("/cases/{case_id}/handovers", response_model=HandoverRead, status_code=201)
def send_handover(case_id: str, body: HandoverIn, db: DbDep, user: ApiUser) -> HandoverRead:
    """Send the case to a receiving worker with the checklist (prefilled where not given)."""
    sent = handover.send(db=db, actor=access_service.actor_for(user), case_id=case_id, handover_in=body)
    return HandoverRead.model_validate(sent)


@router.get("/handovers/{handover_id}", response_model=HandoverRead)
def get_handover(handover_id: str, db: DbDep, user: ApiUser) -> HandoverRead:
    """One handover and its checklist."""
    return HandoverRead.model_validate(
        handover.read(db=db, actor=access_service.actor_for(user), handover_id=handover_id)
    )


@router.post("/handovers/{handover_id}/acknowledge", response_model=HandoverRead)
def acknowledge_handover(handover_id: str, body: AcknowledgementIn, db: DbDep, user: ApiUser) -> HandoverRead:
    """The receiving worker confirms every section; only then does the case become theirs (else 422/403/409)."""
    actor = access_service.actor_for(user)
    return HandoverRead.model_validate(handover.acknowledge(db=db, actor=actor, handover_id=handover_id, ack=body))


@router.post("/handovers/{handover_id}/withdraw", response_model=HandoverRead)
def withdraw_handover(handover_id: str, db: DbDep, user: ApiUser) -> HandoverRead:
    """Withdraw a handover still waiting for acknowledgement."""
    actor = access_service.actor_for(user)
    return HandoverRead.model_validate(handover.withdraw(db=db, actor=actor, handover_id=handover_id))


@router.put("/supervision/workers/{worker}", response_model=WorkerSupervision)
def set_worker(worker: str, body: WorkerSettingIn, db: DbDep, user: ApiUser) -> WorkerSupervision:
    """Set a worker's supervisor and own supervision interval (managers)."""
    supervision.set_worker(db=db, actor=access_service.actor_for(user), worker=worker, setting_in=body)
    return supervision.worker_line(db, worker, rules.local_day(clock.now()))


@router.post("/supervision", response_model=SupervisionRead, status_code=201)
def record_supervision(body: SupervisionIn, db: DbDep, user: ApiUser) -> SupervisionRead:
    """Record a supervision held with a worker: decisions case by case, and actions (managers)."""
    row = supervision.record(db=db, actor=access_service.actor_for(user), supervision_in=body)
    return SupervisionRead.model_validate(row)


@router.get("/supervision/report", response_model=TeamReport)
def team_report(db: DbDep, user: ApiUser, manager: str | None = None) -> TeamReport:
    """The team report: each worker's frequency, met or overdue, and open actions from supervision."""
    return supervision.team_report(db=db, actor=access_service.actor_for(user), manager=manager)


@router.post("/actions/{action_id}/done", response_model=ActionRead)
def complete_action(action_id: str, db: DbDep, user: ApiUser) -> ActionRead:
    """Mark a supervision or meeting action done."""
    action = supervision.complete_action(db=db, actor=access_service.actor_for(user), action_id=action_id)
    return supervision.action_read(action, rules.local_day(clock.now()))


@router.get("/conferences", response_model=list[ConferenceRead])
def list_conferences(
    db: DbDep, user: ApiUser, person_id: str | None = None, since: date | None = None, until: date | None = None
) -> list[ConferenceRead]:
    """The conference calendar (initial conferences scheduled from strategy discussions on this read)."""
    actor = access_service.actor_for(user)
    return conferences.calendar(db=db, actor=actor, person_id=person_id, since=since, until=until)


@router.get("/conferences/{conference_id}", response_model=ConferenceRead)
def get_conference(conference_id: str, db: DbDep, user: ApiUser) -> ConferenceRead:
    """One conference with its due rule, invitations, attendance, decisions and minutes."""
    return conferences.read(db=db, actor=access_service.actor_for(user), conference_id=conference_id)


@router.patch("/conferences/{conference_id}", response_model=ConferenceRead)
def update_conference(conference_id: str, body: ConferenceUpdate, db: DbDep, user: ApiUser) -> ConferenceRead:
    """Set the date or invitations, record it held (the next review is scheduled on a plan), or cancel."""
    row = conferences.update(db=db, actor=access_service.actor_for(user), conference_id=conference_id, change=body)
    return conferences.as_reads(db, [row])[0]


@router.get("/meetings", response_model=list[SeriesRead])
def list_meetings(db: DbDep, user: ApiUser) -> list[SeriesRead]:
    """Standing multi-agency meetings and their next sittings."""
    return meetings.list_series(db=db, actor=access_service.actor_for(user))


@router.post("/meetings", response_model=SeriesRead, status_code=201)
def create_meeting(body: SeriesIn, db: DbDep, user: ApiUser) -> SeriesRead:
    """Set up a standing meeting (twice weekly by default)."""
    return meetings.series_read(meetings.create_series(db=db, actor=access_service.actor_for(user), series_in=body))


@router.post("/meetings/{series_id}/sittings", response_model=SittingRead, status_code=201)
def open_sitting(series_id: str, db: DbDep, user: ApiUser) -> SittingRead:
    """Open today's (or the next) sitting; its agenda covers the time since the last sitting."""
    actor = access_service.actor_for(user)
    sitting = meetings.open_sitting(db=db, actor=actor, series_id=series_id)
    return meetings.read(db=db, actor=actor, sitting_id=sitting.id)


@router.get("/sittings/{sitting_id}", response_model=SittingRead)
def get_sitting(sitting_id: str, db: DbDep, user: ApiUser) -> SittingRead:
    """A sitting: agenda, attendance by agency, actions."""
    return meetings.read(db=db, actor=access_service.actor_for(user), sitting_id=sitting_id)


@router.patch("/sittings/{sitting_id}", response_model=SittingRead)
def update_sitting(sitting_id: str, body: SittingUpdate, db: DbDep, user: ApiUser) -> SittingRead:
    """Record attendance, notes and actions; `close` keeps the agenda as it stood."""
    actor = access_service.actor_for(user)
    meetings.update_sitting(db=db, actor=actor, sitting_id=sitting_id, change=body)
    return meetings.read(db=db, actor=actor, sitting_id=sitting_id)
