"""Child protection conferences: initial conferences scheduled on read from strategy discussions,
reviews scheduled when a conference keeps the child on a plan, invitations, attendance, decisions
and minutes, and the overdue flag.

Scheduling is on read (`schedule`), at the start of every conference or case read, not at
ingestion: a strategy discussion may arrive before or after the child's other records and through
any ingestion path, and one indexed query finds those not yet scheduled (docs/decisions.md, ADR 31).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lantern.access import policy
from lantern.assessments.growth.service import subject_of
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.casework import rules, service
from lantern.casework.models import ConferenceRecord
from lantern.casework.schemas import ConferenceRead, ConferenceUpdate
from lantern.common import clock, workdays
from lantern.common.errors import Conflict, InvalidInput
from lantern.db.engine import writing
from lantern.db.rows import found
from lantern.db.types import new_id
from lantern.events import flows as events_flows
from lantern.events.models import Event, EventSubject

CHILD_ROLES = ("child", "subject", "unborn")
SCHEDULER = "casework scheduler"


def schedule(*, db: Session) -> int:
    """Create the initial conference owed to each child named in a strategy discussion not yet
    scheduled, unless the child already has one pending, is on a plan, or had one held since; then
    mark held each due conference that CSC's own records (`csc.conference`) show held. Return how
    many were created."""
    scheduled = exists().where(
        ConferenceRecord.strategy_event_id == Event.id, ConferenceRecord.person_id == EventSubject.person_id
    )
    stmt = (
        select(Event.id, Event.occurred_at, EventSubject.person_id)
        .join(EventSubject, EventSubject.event_id == Event.id)
        .where(Event.type == "csc.strategy_discussion", EventSubject.role.in_(CHILD_ROLES), ~scheduled)
        .order_by(Event.occurred_at)
        .distinct()
    )
    owed = [(e, rules.local_day(at), p) for e, at, p in db.execute(stmt).all()]
    owed = [(event_id, on, person_id) for event_id, on, person_id in owed if _owed(db, person_id, on)]
    created = 0
    if owed:
        with writing(db):  # scheduled on read (ADR 31): a page that only reads writes these in a short transaction
            for event_id, strategy_on, person_id in owed:
                try:
                    with db.begin_nested():  # a concurrent read may schedule the same conference first
                        db.add(_initial(person_id, event_id, strategy_on))
                    created += 1
                except IntegrityError:
                    continue
    _held_from_records(db)
    return created


def _held_from_records(db: Session) -> None:
    """A due conference is held when CSC's own record of a conference about the child, on or after
    the day it became due to be arranged, arrives; the outcome is left for the worker to confirm."""
    due = list(db.execute(select(ConferenceRecord).where(ConferenceRecord.status == "due")).scalars())
    if not due:
        return
    used = set(db.execute(select(ConferenceRecord.held_event_id).where(ConferenceRecord.held_event_id.is_not(None)))
               .scalars())  # fmt: skip
    stmt = (
        select(Event, EventSubject.person_id)
        .join(EventSubject, EventSubject.event_id == Event.id)
        .where(Event.type == "csc.conference", EventSubject.role.in_(CHILD_ROLES))
        .where(EventSubject.person_id.in_({c.person_id for c in due}))
        .order_by(Event.occurred_at)
    )
    records = [(e, pid) for e, pid in db.execute(stmt).all() if e.id not in used]
    starts = _starts(db, due)
    held: list[tuple[ConferenceRecord, Event]] = []
    for conference in due:
        found = next((e for e, pid in records if pid == conference.person_id and e.id not in used
                      and rules.local_day(e.occurred_at) >= starts[conference.id]), None)  # fmt: skip
        if found is not None:
            used.add(found.id)
            held.append((conference, found))
    if not held:
        return
    with writing(db):
        for conference, found in held:
            said = [str(found.payload[k]) for k in ("decision", "category", "outcome") if found.payload.get(k)]
            conference.status, conference.held_on = "held", rules.local_day(found.occurred_at)
            conference.held_event_id, conference.updated_by = found.id, SCHEDULER
            conference.decisions = conference.decisions or f"From {found.source_agency} {found.source_ref}: " + (
                "; ".join(said)
            )
        db.flush()


def _starts(db: Session, due: list[ConferenceRecord]) -> dict[str, date]:
    """From when a record of holding each conference counts: the strategy discussion, or the last conference."""
    events = {e.id: e.occurred_at for e in db.execute(select(Event).where(
        Event.id.in_([c.strategy_event_id for c in due if c.strategy_event_id]))).scalars()}  # fmt: skip
    previous = {c.id: c.held_on for c in db.execute(select(ConferenceRecord).where(
        ConferenceRecord.id.in_([c.previous_id for c in due if c.previous_id]))).scalars()}  # fmt: skip
    starts = {}
    for c in due:
        if c.strategy_event_id in events:
            starts[c.id] = rules.local_day(events[c.strategy_event_id])
        else:
            held = previous.get(c.previous_id or "")
            starts[c.id] = held + timedelta(days=1) if held else c.due_on
    return starts


def _owed(db: Session, person_id: str, strategy_on: date) -> bool:
    rows = list(
        db.execute(
            select(ConferenceRecord).where(
                ConferenceRecord.person_id == person_id, ConferenceRecord.status != "cancelled"
            )
        ).scalars()
    )
    if any(c.status == "due" for c in rows):
        return False
    held = max((c for c in rows if c.held_on), key=lambda c: c.held_on or date.min, default=None)
    return held is None or (held.outcome != "child_protection_plan" and (held.held_on or date.min) < strategy_on)


def _initial(person_id: str, event_id: str, strategy_on: date) -> ConferenceRecord:
    return ConferenceRecord(
        id=new_id(),
        person_id=person_id,
        kind="initial",
        due_on=rules.initial_conference_due(strategy_on),
        strategy_event_id=event_id,
        status="due",
        invitations=[],
        created_at=clock.now(),
        updated_by=SCHEDULER,
    )


def update(*, db: Session, actor: Actor, conference_id: str, change: ConferenceUpdate) -> ConferenceRecord:
    """Set the date, the invitations, record it held (attendance, outcome, decisions, minutes) or
    cancel it with a reason. Held with a plan, the next review is scheduled."""
    policy.require(actor, "case:write")
    conference = get(db=db, conference_id=conference_id)
    if conference.status != "due" and (change.held_on or change.cancel_reason or change.scheduled_for):
        raise Conflict(f"this conference is already {conference.status}")
    if change.outcome and conference.status == "held" and conference.outcome is not None:
        raise Conflict("this conference's outcome is already recorded")
    if change.scheduled_for is not None:
        conference.scheduled_for = change.scheduled_for
    if change.invitations is not None:
        conference.invitations = [i.model_dump() for i in change.invitations]
    conference.decisions = change.decisions if change.decisions is not None else conference.decisions
    conference.minutes = change.minutes if change.minutes is not None else conference.minutes
    if change.cancel_reason:
        conference.status, conference.cancel_reason = "cancelled", change.cancel_reason
    elif change.held_on is not None:
        _held(db, conference, change.held_on, change.outcome)
        conference.held_event_id = _record_held(db, actor, conference)
    elif change.outcome and conference.status == "held":  # confirming the outcome of a conference CSC recorded
        _decided(db, conference, change.outcome)
    conference.updated_by = actor.name
    db.flush()
    audit.record(
        db=db,
        actor=actor,
        action="update",
        object_type="casework_conference",
        object_id=conference.id,
        detail={"person_id": conference.person_id, "status": conference.status},
    )
    return conference


def _held(db: Session, conference: ConferenceRecord, held_on: date, outcome: str | None) -> None:
    if outcome is None:
        raise InvalidInput([{"loc": ["outcome"], "msg": "say whether the child is (or stays) on a plan"}])
    if held_on > rules.local_day(clock.now()):
        raise InvalidInput([{"loc": ["held_on"], "msg": "a conference is recorded as held once it has been held"}])
    conference.status, conference.held_on = "held", held_on
    _decided(db, conference, outcome)


def _record_held(db: Session, actor: Actor, conference: ConferenceRecord) -> str:
    """A conference recorded held in Lantern is a `csc.conference` record about the child, as CSC's own
    system would send: the chronology shows it and it meets the `strategy-to-icpc` duty."""
    person = service.person_of(db, conference.person_id)
    held_at = datetime.combine(conference.held_on or date.today(), time(12), workdays.LONDON)
    outcome = rules.CONFERENCE_OUTCOMES.get(conference.outcome or "", "")
    raw = {
        "source_agency": "csc",
        "source_ref": f"LANTERN-CONF-{conference.id}",
        "type": "csc.conference",
        "occurred_at": min(held_at, clock.now()).astimezone(UTC).isoformat(),
        "subjects": [{"person": subject_of(person), "role": "child"}],
        "summary": f"{conference.kind.capitalize()} child protection conference recorded in Lantern by {actor.name}.",
        "payload": {"reason": f"{conference.kind} conference", "decision": conference.decisions or outcome,
                    "outcome": outcome},
    }  # fmt: skip
    return events_flows.record_known(db=db, raw=raw, person_ids=[person.id], actor=actor)


def _decided(db: Session, conference: ConferenceRecord, outcome: str) -> None:
    """Record the outcome; on a plan, schedule the next review."""
    held_on = conference.held_on or rules.local_day(clock.now())
    conference.outcome = outcome
    if outcome == "child_protection_plan":
        db.add(
            ConferenceRecord(
                id=new_id(),
                person_id=conference.person_id,
                kind="review",
                due_on=rules.review_due(held_on, conference.kind),
                previous_id=conference.id,
                status="due",
                invitations=conference.invitations,
                created_at=clock.now(),
                updated_by=SCHEDULER,
            )
        )


def get(*, db: Session, conference_id: str) -> ConferenceRecord:
    """One conference, or NotFound."""
    return found(db, ConferenceRecord, conference_id, "conference")


def calendar(
    *, db: Session, actor: Actor, person_id: str | None = None, since: date | None = None, until: date | None = None
) -> list[ConferenceRead]:
    """Conferences (scheduled first from any new strategy discussion), by the day they are set for or
    due; each overdue one flagged. Audited as one read naming the children."""
    policy.require(actor, "case:read")
    schedule(db=db)
    stmt = select(ConferenceRecord)
    if person_id is not None:
        stmt = stmt.where(ConferenceRecord.person_id == person_id)
    rows = [c for c in db.execute(stmt).scalars() if _within(_day_of(c), since, until)]
    rows.sort(key=lambda c: (_day_of(c), c.kind))
    if rows:
        audit.record(
            db=db,
            actor=actor,
            action="read",
            object_type="casework_conferences",
            detail={"person_ids": sorted({c.person_id for c in rows})},
        )
    return as_reads(db, rows)


def read(*, db: Session, actor: Actor, conference_id: str) -> ConferenceRead:
    """One conference; the read is audited against the child."""
    policy.require(actor, "case:read")
    conference = get(db=db, conference_id=conference_id)
    service.audit_read_of_child(db, actor, conference.person_id, view="conference", conference_id=conference.id)
    return as_reads(db, [conference])[0]


def _day_of(conference: ConferenceRecord) -> date:
    if conference.held_on:
        return conference.held_on
    return rules.local_day(conference.scheduled_for) if conference.scheduled_for else conference.due_on


def _within(day: date, since: date | None, until: date | None) -> bool:
    return (since is None or day >= since) and (until is None or day <= until)


def as_reads(db: Session, rows: list[ConferenceRecord]) -> list[ConferenceRead]:
    """Conferences with the child's name, the overdue and late flags and the rule for the due day."""
    today = rules.local_day(clock.now())
    names = service.names_of(db, [c.person_id for c in rows])
    strategy = _strategy_days(db, [c.strategy_event_id for c in rows if c.strategy_event_id])
    previous = {
        c.id: c
        for c in db.execute(
            select(ConferenceRecord).where(ConferenceRecord.id.in_([c.previous_id for c in rows if c.previous_id]))
        ).scalars()
    }
    reads = []
    for c in rows:
        scheduled = rules.local_day(c.scheduled_for) if c.scheduled_for else None
        reads.append(
            ConferenceRead(
                id=c.id,
                person_id=c.person_id,
                name=names.get(c.person_id, c.person_id),
                kind=c.kind,
                due_on=c.due_on,
                strategy_event_id=c.strategy_event_id,
                held_event_id=c.held_event_id,
                previous_id=c.previous_id,
                status=c.status,
                scheduled_for=c.scheduled_for,
                held_on=c.held_on,
                outcome=c.outcome,
                decisions=c.decisions,
                minutes=c.minutes,
                invitations=c.invitations,
                cancel_reason=c.cancel_reason,
                is_overdue=c.status == "due" and rules.is_conference_overdue(c.due_on, c.held_on, today),
                is_scheduled_late=c.status == "due" and scheduled is not None and scheduled > c.due_on,
                due_rule=_due_rule(c, strategy.get(c.strategy_event_id or ""), previous.get(c.previous_id or "")),
            )
        )
    return reads


def _strategy_days(db: Session, event_ids: list[str]) -> dict[str, datetime]:
    if not event_ids:
        return {}
    rows = db.execute(select(Event.id, Event.occurred_at).where(Event.id.in_(event_ids)))
    return {row[0]: row[1] for row in rows}


def _due_rule(c: ConferenceRecord, strategy_at: datetime | None, previous: ConferenceRecord | None) -> str:
    settings = rules.config().conference
    if c.kind == "initial":
        held = f" on {rules.local_day(strategy_at):%-d %B %Y}" if strategy_at else ""
        return (
            f"Within {settings.initial_working_days} working days of the strategy discussion{held} "
            "(weekends and bank holidays not counted)"
        )
    months = settings.first_review_months if previous and previous.kind == "initial" else settings.review_months
    after = "the last conference"
    if previous is not None and previous.held_on is not None:
        after = f"the {previous.kind} conference held on {previous.held_on:%-d %B %Y}"
    return f"Within {months} months of {after} (the last working day on or before)"
