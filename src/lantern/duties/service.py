"""Duties: created from events by the rules, delivered, acknowledged, made overdue, escalated."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, insert, literal, or_, select, update
from sqlalchemy.orm import Session

from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.common import clock
from lantern.common.errors import Forbidden, InvalidInput
from lantern.db.rows import found
from lantern.db.types import UTCDateTime, new_id
from lantern.duties import backlog, delivery
from lantern.duties.backlog import Follower as Follower
from lantern.duties.backlog import catch_up as catch_up
from lantern.duties.backlog import defer as defer
from lantern.duties.backlog import queued_types as queued_types
from lantern.duties.creation import create_for_events as create_for_events
from lantern.duties.creation import discharge_by_evidence as discharge_by_evidence
from lantern.duties.creation import facts_for as facts_for
from lantern.duties.creation import mark_acknowledged, transition
from lantern.duties.models import Duty, DutyTransition

OPEN = ("pending", "delivered", "overdue", "escalated")
STATUS_FILTERS = {
    "pending": ("pending",),
    "delivered": ("delivered",),
    "acknowledged": ("acknowledged", "actioned"),
    "overdue": ("overdue", "escalated"),
    "escalated": ("escalated",),
    "open": OPEN,
}


def acknowledge(*, db: Session, duty_id: str, actor: Actor, note: str | None = None) -> Duty:
    """A named person of the recipient agency confirms they have the information."""
    duty = _for_recipient(db, duty_id, actor)
    if duty.status not in OPEN:
        raise InvalidInput([{"loc": ["status"], "msg": f"duty is already {duty.status}"}])
    mark_acknowledged(db, duty, actor.name, clock.now(), note)
    _audit(db, actor, "acknowledge", duty)
    return duty


def record_action(*, db: Session, duty_id: str, actor: Actor, note: str) -> Duty:
    """Record what the recipient did with the information; closes the duty."""
    if not note.strip():
        raise InvalidInput([{"loc": ["note"], "msg": "say what was done"}])
    duty = _for_recipient(db, duty_id, actor)
    if duty.status in OPEN:
        mark_acknowledged(db, duty, actor.name, clock.now(), "acknowledged when action was recorded")
    duty.status, duty.actioned_at, duty.action_note = "actioned", clock.now(), note.strip()
    db.add(DutyTransition(**transition(duty.id, "acknowledged", "actioned", actor.name, clock.now(), note)))
    _audit(db, actor, "action", duty)
    db.flush()
    return duty


@dataclass(frozen=True)
class DirectDuty:
    """A duty another domain owes by its own rule (e.g. the register's address notification),
    stored, delivered and scheduled exactly like a duty raised by the rule files."""

    rule_code: str
    title: str
    event_id: str
    person_id: str | None
    from_agency: str
    recipient_agency: str
    recipient_team: str
    content: dict[str, Any]
    reason: str
    due_at: datetime
    escalate_at: datetime
    escalate_to: str


def raise_duty(*, db: Session, duty: DirectDuty) -> str:
    """Store the duty (once per rule, event and person), deliver it to the in-app inbox and queue
    the recipient agency's other channels; return its id."""
    person_key = duty.person_id or ""
    found = db.execute(
        select(Duty.id)
        .where(Duty.rule_code == duty.rule_code, Duty.event_id == duty.event_id)
        .where(Duty.person_key == person_key)
    ).scalar_one_or_none()
    if found is not None:
        return found
    now = clock.now()
    row = Duty(
        id=new_id(),
        person_key=person_key,
        status="delivered",
        is_open=True,
        created_at=now,
        delivered_at=now,
        **{f.name: getattr(duty, f.name) for f in fields(DirectDuty)},
    )
    db.add(row)
    db.add(DutyTransition(**transition(row.id, None, "delivered", duty.from_agency, now, "created and delivered")))
    db.flush()
    delivery.enqueue(
        db=db,
        duties=[{"id": row.id, "created_at": now, "recipient_agency": duty.recipient_agency}],
        config=delivery.config_of(db),
    )
    return row.id


def open_duties_about(*, db: Session, person_id: str, rule_code: str) -> list[Duty]:
    """The open duties of one rule about one person, oldest first."""
    stmt = select(Duty).where(Duty.person_id == person_id, Duty.rule_code == rule_code, Duty.is_open.is_(True))
    return list(db.execute(stmt.order_by(Duty.created_at)).scalars())


def _audit(db: Session, actor: Actor, action: str, duty: Duty) -> None:
    detail = {"person_id": duty.person_id, "rule": duty.rule_code}
    audit.record(db=db, actor=actor, action=action, object_type="duty", object_id=duty.id, detail=detail)


def _for_recipient(db: Session, duty_id: str, actor: Actor) -> Duty:
    duty = found(db, Duty, duty_id, "duty")
    if actor.agency != duty.recipient_agency or actor.role not in {"practitioner", "manager"}:
        raise Forbidden("only the receiving agency's practitioners and managers can acknowledge this duty")
    return duty


def scheduler_pass(*, db: Session, now: datetime | None = None) -> dict[str, int]:
    """Mark duties past their deadline overdue, and escalate those overdue past their grace.

    Set-based: each step is one INSERT ... SELECT of the transitions and one UPDATE. State lives
    in the database, so a pass after a restart catches up on everything missed. First, the duty
    rules run for a batch of any events that a stopped file ingestion left in the backlog.
    """
    backlog.run_some(db=db)
    now = now or clock.now()
    falls_due = and_(Duty.is_open.is_(True), Duty.status.in_(("pending", "delivered")), Duty.due_at < now)
    overdue = _move(db, falls_due, "overdue", now, overdue_at=now)
    # An overdue duty is past its due time: saying so lets the (is_open, due_at) index find them (ADR 55).
    past_grace = and_(Duty.is_open.is_(True), Duty.status == "overdue", Duty.escalate_at <= now, Duty.due_at <= now)
    escalated = _move(db, past_grace, "escalated", now, escalated_at=now)
    return {"overdue": overdue, "escalated": escalated}


def _move(db: Session, where: ColumnElement[bool], status: str, now: datetime, **stamps: datetime) -> int:
    """Record the transition of every duty matching `where`, then move them to `status`."""
    history = select(Duty.id, literal(now, UTCDateTime()), Duty.status, literal(status), literal("scheduler")).where(
        where
    )
    columns = ["duty_id", "at", "from_status", "to_status", "actor"]
    db.execute(insert(DutyTransition).from_select(columns, history))
    return db.execute(update(Duty).where(where).values(status=status, **stamps)).rowcount  # type: ignore[attr-defined, no-any-return]


def list_duties(
    *,
    db: Session,
    person_id: str | None = None,
    statuses: Sequence[str] | None = None,
    agency: str | None = None,
    limit: int = 500,
) -> list[Duty]:
    """Duties matching the filters, the soonest due first."""
    stmt = select(Duty)
    if person_id:
        stmt = stmt.where(Duty.person_id == person_id)
    if statuses:
        stmt = stmt.where(Duty.status.in_(statuses))
    if agency:
        stmt = stmt.where(or_(Duty.recipient_agency == agency, Duty.from_agency == agency))
    return list(db.execute(stmt.order_by(Duty.due_at).limit(limit)).scalars())


def transitions(*, db: Session, duty_ids: Sequence[str]) -> dict[str, list[DutyTransition]]:
    """The history of each duty, oldest first."""
    grouped: dict[str, list[DutyTransition]] = {i: [] for i in duty_ids}
    stmt = select(DutyTransition).where(DutyTransition.duty_id.in_(duty_ids)).order_by(DutyTransition.id)
    for row in db.execute(stmt).scalars():
        grouped[row.duty_id].append(row)
    return grouped
