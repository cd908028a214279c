"""Breaches and new household members, stored and raised at once as duties to the plan's lead
professional and their manager (recipient team: the username), in the caller's transaction."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lantern.access.vocabulary import AGENCIES
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.common import clock
from lantern.db.types import new_id
from lantern.duties import service as duties_service
from lantern.events.models import Event
from lantern.events.vocabulary import EVENT_TYPES
from lantern.plans import rules
from lantern.plans.models import HouseholdMemberTask, Plan, PlanBreach, PlanCondition
from lantern.plans.rules import Subject

WATCH = Actor(id=None, name="plan watch", agency=None, role="system")


def keep_breach(
    *, db: Session, plan: Plan, condition: PlanCondition, event: Event, explanation: str
) -> PlanBreach | None:
    """Store a breach and alert; a later record of the same night joins the breach it belongs to
    instead of alerting again. None when the record was already seen or joined an earlier breach."""
    found = list(db.execute(select(PlanBreach).where(PlanBreach.condition_id == condition.id)).scalars())
    if any(event.id in b.event_ids for b in found):
        return None
    by_hand = event.type == rules.OBSERVED
    if not by_hand:
        nights = _nights(db, [b for b in found if b.source == "watch"])
        night = rules.night_of(event.occurred_at)
        same = next((b for b in found if nights.get(b.id) == night), None)
        if same is not None:
            same.event_ids = [*same.event_ids, event.id]
            return None
    breach = PlanBreach(
        id=new_id(),
        plan_id=plan.id,
        condition_id=condition.id,
        event_id=event.id,
        event_ids=[event.id],
        source="by_hand" if by_hand else "watch",
        explanation=explanation,
        detected_at=clock.now(),
        recorded_by=event.received_by if by_hand else WATCH.name,
    )
    db.add(breach)
    db.flush()
    breach.lead_duty_id, breach.manager_duty_id = _breach_duties(db, plan, condition, event, breach)
    detail = {"plan_id": plan.id, "condition": condition.kind, "event_id": event.id}
    audit.record(db=db, actor=WATCH, action="breach", object_type="plan_breach", object_id=breach.id, detail=detail)
    return breach


def _nights(db: Session, breaches: list[PlanBreach]) -> dict[str, object]:
    if not breaches:
        return {}
    at = dict(db.execute(select(Event.id, Event.occurred_at).where(Event.id.in_([b.event_id for b in breaches]))).all())
    return {b.id: rules.night_of(at[b.event_id]) for b in breaches if b.event_id in at}


def _breach_duties(
    db: Session, plan: Plan, condition: PlanCondition, event: Event, breach: PlanBreach
) -> tuple[str, str]:
    lead = _duty_to_lead(
        plan,
        event,
        rule_code="plan-breach-lead",
        title=f"Plan condition breached: {rules.CONDITIONS[condition.kind].lower()}",
        person_id=plan.child_id,
        content={"plan_id": plan.id, "breach_id": breach.id, "condition": condition.kind},
        reason=f"{_record_named(event)}: {breach.explanation} Condition: {condition.wording}",
        due_at=rules.breach_due(breach.detected_at),
    )
    manager = replace(lead, rule_code="plan-breach-manager", recipient_team=plan.manager, escalate_to="Head of service")
    return duties_service.raise_duty(db=db, duty=lead), duties_service.raise_duty(db=db, duty=manager)


def raise_task(*, db: Session, plan: Plan, event: Event, adult: Subject) -> HouseholdMemberTask | None:
    """A new-household-member task for an adult seen with the child, with its duty to the lead
    professional; None when the plan already has one for this person."""
    exists = db.execute(
        select(HouseholdMemberTask.id).where(
            HouseholdMemberTask.plan_id == plan.id, HouseholdMemberTask.person_id == adult.person_id
        )
    ).first()
    if exists is not None:
        return None
    task = HouseholdMemberTask(
        id=new_id(),
        plan_id=plan.id,
        person_id=adult.person_id,
        name=adult.name,
        role=adult.role,
        event_id=event.id,
        checklist={},
        status="open",
        raised_at=clock.now(),
    )
    try:
        with db.begin_nested():  # another batch may raise the same task at the same moment (PostgreSQL)
            db.add(task)
    except IntegrityError:
        return None
    duty = _duty_to_lead(
        plan,
        event,
        rule_code="plan-new-household-member",
        title=f"New adult around a child on a plan: check {adult.name}",
        person_id=adult.person_id,
        content={"plan_id": plan.id, "task_id": task.id, "child_id": plan.child_id},
        reason=(
            f"{_record_named(event)} names {adult.name} ({adult.role.replace('_', ' ')}) with the child, who is "
            "neither on the plan nor known around the child: identify them, check the register, police and CSC "
            "history, and record the result."
        ),
        due_at=rules.task_due(task.raised_at),
    )
    task.duty_id = duties_service.raise_duty(db=db, duty=duty)
    detail = {"plan_id": plan.id, "person_id": adult.person_id, "event_id": event.id}
    audit.record(
        db=db, actor=WATCH, action="raise", object_type="household_member_task", object_id=task.id, detail=detail
    )
    return task


def _duty_to_lead(
    plan: Plan,
    event: Event,
    *,
    rule_code: str,
    title: str,
    person_id: str,
    content: dict[str, str],
    reason: str,
    due_at: datetime,
) -> duties_service.DirectDuty:
    """A duty to the plan's lead professional about an agency's record, escalated to their manager."""
    return duties_service.DirectDuty(
        rule_code=rule_code,
        title=title,
        event_id=event.id,
        person_id=person_id,
        from_agency=event.source_agency,
        recipient_agency="csc",
        recipient_team=plan.lead_professional,
        content=content,
        reason=reason,
        due_at=due_at,
        escalate_at=due_at + rules.escalation(),
        escalate_to=plan.manager,
    )


def _record_named(event: Event) -> str:
    """The record as a duty names it: its kind, agency and reference."""
    agency = AGENCIES.get(event.source_agency, event.source_agency)
    return f"{EVENT_TYPES[event.type].label} ({agency} {event.source_ref})"
