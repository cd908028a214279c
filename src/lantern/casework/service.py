"""Cases: opening, the allocated worker, the allocation duty when a case has none, and reads.

The worker changes only when a receiving worker acknowledges a handover (`handover.py`); every
change of worker is a `csc.allocation` record, so the child's chronology shows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.access import policy
from lantern.assessments.growth.service import subject_of
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.casework import rules
from lantern.casework.models import Case, ConferenceRecord, Handover
from lantern.casework.schemas import CaseIn, CaseRead, CaseUpdate, NextDates
from lantern.common import clock
from lantern.common.errors import Conflict, Forbidden, InvalidInput
from lantern.db.rows import found
from lantern.db.types import new_id
from lantern.duties import service as duties_service
from lantern.events import flows as events_flows
from lantern.family.service import display_name
from lantern.people import service as people_service
from lantern.people.models import Person

ALLOCATION_RULE = "casework-allocation"


def person_of(db: Session, person_id: str) -> Person:
    """The person, followed through merges to the record that holds them now, or NotFound."""
    person = people_service.require(db=db, person_id=person_id)
    while person.merged_into:
        person = people_service.get(db=db, person_id=person.merged_into) or person
    return person


def names_of(db: Session, person_ids: Sequence[str]) -> dict[str, str]:
    """Display names of people by id."""
    if not person_ids:
        return {}
    rows = db.execute(select(Person.id, Person.given_name, Person.family_name).where(Person.id.in_(set(person_ids))))
    return {pid: display_name(given, family) for pid, given, family in rows}


def open_case(*, db: Session, actor: Actor, case_in: CaseIn) -> Case:
    """Open a case about a child: allocated to the worker named, or unallocated with the allocation
    owed by the team manager within 1 working day (casework.toml)."""
    policy.require(actor, "case:write")
    person = person_of(db, case_in.person_id)
    found = db.execute(select(Case.id).where(Case.person_id == person.id, Case.status == "open")).first()
    if found is not None:
        raise Conflict(f"this child already has an open case ({found[0]})")
    now = clock.now()
    case = Case(
        id=new_id(),
        person_id=person.id,
        status="open",
        team=case_in.team,
        worker=case_in.worker or None,
        manager=case_in.manager,
        is_complex=case_in.is_complex,
        opened_at=now,
        opened_by=actor.name,
    )
    db.add(case)
    db.flush()
    if case.worker:
        case.allocated_at = now
        record_change(db, actor, case, "allocated", from_worker=None)
    else:
        _leave_unallocated(db, actor, case, from_worker=None)
    _audit(db, actor, "open", case)
    return case


def update(*, db: Session, actor: Actor, case_id: str, change: CaseUpdate) -> Case:
    """A manager's change: the case's manager, complexity, closing it, or leaving it unallocated when
    the worker has gone. Naming a new worker is refused: that takes an acknowledged handover."""
    policy.require(actor, "case:write")
    case = get(db=db, case_id=case_id)
    if change.worker is not None and change.worker != case.worker:
        raise Conflict(
            f"the allocated worker changes only when the receiving worker acknowledges a handover: send one "
            f"to {change.worker} (POST /api/v1/casework/cases/{case.id}/handovers)"
        )
    if actor.role != "manager" and actor.name != case.manager:
        raise Forbidden("only a manager can change a case")
    if change.manager:
        case.manager = change.manager
    if change.is_complex is not None:
        case.is_complex = change.is_complex
    if change.unallocate and case.worker:
        was, case.worker, case.allocated_at = case.worker, None, None
        _leave_unallocated(db, actor, case, from_worker=was)
    if change.status == "closed" and case.status == "open":
        case.status, case.closed_at = "closed", clock.now()
        _discharge(db, actor, case, "case closed")
    db.flush()
    _audit(db, actor, "update", case)
    return case


def _leave_unallocated(db: Session, actor: Actor, case: Case, *, from_worker: str | None) -> None:
    """The case has no worker from now: record it and owe the team manager an allocation."""
    case.unallocated_since = clock.now()
    event_id = record_change(db, actor, case, "unallocated", from_worker=from_worker)
    due = rules.allocation_due(case.unallocated_since)
    days = rules.config().unallocated_working_days
    duty = duties_service.DirectDuty(
        rule_code=ALLOCATION_RULE,
        title="Allocate a social worker to this case",
        event_id=event_id,
        person_id=case.person_id,
        from_agency="csc",
        recipient_agency="csc",
        recipient_team=f"{case.team} manager",
        content={"case_id": case.id, "manager": case.manager, "previous_worker": from_worker},
        reason=f"Every open case has an allocated worker. This case has had none since "
        f"{case.unallocated_since:%d %B %Y %H:%M} UTC; {case.manager} must allocate one within {days} working "
        f"day{'s' if days != 1 else ''} (casework.toml).",
        due_at=due,
        escalate_at=due + timedelta(hours=rules.config().escalate_after_hours),
        escalate_to="Service manager",
    )
    case.allocation_duty_id = duties_service.raise_duty(db=db, duty=duty)


def _discharge(db: Session, actor: Actor, case: Case, note: str) -> None:
    """Close the open allocation duty, if any (the worker's acknowledgement met it)."""
    if case.allocation_duty_id is None:
        return
    try:
        duties_service.record_action(db=db, duty_id=case.allocation_duty_id, actor=actor, note=note)
    except (InvalidInput, Forbidden):  # already met, or the actor is not children's social care
        pass
    case.allocation_duty_id = None


def allocate(db: Session, actor: Actor, case: Case, worker: str, handover: Handover) -> str:
    """Make `worker` the allocated worker (only from an acknowledged handover); return the event id."""
    was = case.worker
    case.worker, case.allocated_at, case.unallocated_since = worker, clock.now(), None
    _discharge(db, actor, case, f"allocated to {worker} (handover acknowledged)")
    change = "handover" if was else "allocated"
    return record_change(db, actor, case, change, from_worker=was, handover=handover)


def record_change(
    db: Session, actor: Actor, case: Case, change: str, *, from_worker: str | None, handover: Handover | None = None
) -> str:
    """Record a change of worker as a `csc.allocation` event about the child (chronology, duties)."""
    person = person_of(db, case.person_id)
    payload = {
        "change": change,
        "case_id": case.id,
        "from_worker": from_worker,
        "to_worker": case.worker,
        "manager": case.manager,
        "handover_id": handover.id if handover else None,
        "acknowledged_by": actor.name if handover else None,
    }
    summary = {
        "allocated": f"{case.worker} allocated as social worker.",
        "handover": f"Case handed over from {from_worker} to {case.worker}; acknowledged by {actor.name}.",
        "unallocated": "Case without an allocated social worker.",
    }[change]
    raw = {
        "source_agency": "csc",
        "source_ref": f"LANTERN-CASE-{new_id()}",
        "type": "csc.allocation",
        "occurred_at": clock.now().astimezone(UTC).isoformat(),
        "subjects": [{"person": subject_of(person), "role": "child"}],
        "summary": summary,
        "payload": {k: v for k, v in payload.items() if v is not None},
    }
    return events_flows.record_known(db=db, raw=raw, person_ids=[person.id], actor=actor)


def get(*, db: Session, case_id: str) -> Case:
    """One case, or NotFound."""
    return found(db, Case, case_id, "case")


def read(*, db: Session, actor: Actor, case_id: str) -> CaseRead:
    """One case as the page and API show it; the read is audited against the child."""
    policy.require(actor, "case:read")
    case = get(db=db, case_id=case_id)
    _schedule_conferences(db)
    audit_read_of_child(db, actor, case.person_id, view="case", case_id=case.id)
    return as_reads(db, [case])[0]


def audit_read_of_child(db: Session, actor: Actor, person_id: str, *, view: str, **ids: str) -> None:
    """Audit a read of a case, handover or conference against the child's record, naming the view."""
    detail = {"view": view, **ids}
    audit.record(db=db, actor=actor, action="read", object_type="person", object_id=person_id, detail=detail)


def list_cases(
    *,
    db: Session,
    actor: Actor,
    worker: str | None = None,
    manager: str | None = None,
    person_id: str | None = None,
    status: str | None = "open",
) -> list[CaseRead]:
    """Cases by worker, manager, child or status, the oldest opened first; audited as one read."""
    policy.require(actor, "case:read")
    stmt = select(Case).order_by(Case.opened_at)
    if worker is not None:
        stmt = stmt.where(Case.worker == worker)
    if manager is not None:
        stmt = stmt.where(Case.manager == manager)
    if person_id is not None:
        stmt = stmt.where(Case.person_id == person_id)
    if status is not None:
        stmt = stmt.where(Case.status == status)
    _schedule_conferences(db)
    cases = list(db.execute(stmt).scalars())
    if cases:
        detail = {"view": "cases", "person_ids": sorted({c.person_id for c in cases})}
        audit.record(db=db, actor=actor, action="read", object_type="casework_caseload", detail=detail)
    return as_reads(db, cases)


def _schedule_conferences(db: Session) -> None:
    """Conferences owed from strategy discussions, scheduled on read (ADR 31), so next dates are current."""
    from lantern.casework import conferences  # conferences reads cases' names: imported here, not at the top

    conferences.schedule(db=db)


def as_reads(db: Session, cases: Sequence[Case]) -> list[CaseRead]:
    """Cases with the child's name, the allocation flag and the next dates."""
    from lantern.casework import supervision  # supervision reads cases: imported here, not at the top

    now = clock.now()
    names = names_of(db, [c.person_id for c in cases])
    pending = _pending_handovers(db, [c.id for c in cases])
    conferences = _next_conferences(db, [c.person_id for c in cases])
    supervision_due = {w: supervision.due_on(db=db, worker=w) for w in {c.worker for c in cases if c.worker}}
    today = rules.local_day(now)
    reads = []
    for case in cases:
        conference = conferences.get(case.person_id)
        next_dates = NextDates(
            conference_due_on=conference.due_on if conference else None,
            conference_kind=conference.kind if conference else None,
            conference_overdue=bool(conference and rules.is_conference_overdue(conference.due_on, None, today)),
            supervision_due_on=supervision_due.get(case.worker or ""),
        )
        since = case.unallocated_since
        reads.append(
            CaseRead(
                id=case.id,
                person_id=case.person_id,
                name=names.get(case.person_id, case.person_id),
                status=case.status,
                team=case.team,
                worker=case.worker,
                manager=case.manager,
                is_complex=case.is_complex,
                opened_at=case.opened_at,
                allocated_at=case.allocated_at,
                unallocated_since=since,
                allocation_due_at=rules.allocation_due(since) if since else None,
                is_unallocated_overdue=case.status == "open" and rules.is_unallocated_overdue(since, now),
                allocation_duty_id=case.allocation_duty_id,
                pending_handover_id=pending.get(case.id),
                next=next_dates,
            )
        )
    return reads


def _pending_handovers(db: Session, case_ids: list[str]) -> dict[str, str]:
    if not case_ids:
        return {}
    stmt = select(Handover.case_id, Handover.id).where(Handover.case_id.in_(case_ids), Handover.status == "sent")
    return {row[0]: row[1] for row in db.execute(stmt)}


def _next_conferences(db: Session, person_ids: list[str]) -> dict[str, ConferenceRecord]:
    if not person_ids:
        return {}
    stmt = (
        select(ConferenceRecord)
        .where(ConferenceRecord.person_id.in_(person_ids), ConferenceRecord.status == "due")
        .order_by(ConferenceRecord.due_on.desc())
    )
    return {c.person_id: c for c in db.execute(stmt).scalars()}


def _audit(db: Session, actor: Actor, action: str, case: Case) -> None:
    detail = {"person_id": case.person_id, "worker": case.worker, "manager": case.manager, "status": case.status}
    audit.record(db=db, actor=actor, action=action, object_type="casework_case", object_id=case.id, detail=detail)


def opened_before(db: Session, worker: str) -> datetime | None:
    """When the worker was first allocated a case still open (the start of their supervision clock)."""
    stmt = select(Case.allocated_at).where(Case.worker == worker, Case.status == "open").order_by(Case.allocated_at)
    return db.execute(stmt.limit(1)).scalar_one_or_none()
