"""Plans: create, read (audited), list, breaches by hand, stay notices, actions, household-member checks."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.access import policy
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.common import clock
from lantern.common.errors import InvalidInput, NotFound
from lantern.db.rows import found
from lantern.db.types import new_id
from lantern.events import flows as events_flows
from lantern.events.models import Event
from lantern.events.vocabulary import EVENT_TYPES
from lantern.people import service as people_service
from lantern.plans import rules, watch
from lantern.plans.models import HouseholdMemberTask, Plan, PlanAction, PlanBreach, PlanCondition, StayNotice
from lantern.plans.schemas import (
    ActionIn,
    ActionRead,
    BreachIn,
    BreachRead,
    CheckIn,
    ConditionRead,
    EvidenceRead,
    PlanIn,
    PlanRead,
    StayNoticeIn,
    StayNoticeRead,
    TaskRead,
)


def may_manage(*, actor: Actor) -> bool:
    """Whether the actor may make and end plans (children's social care caseworkers)."""
    return policy.can(actor, "plan:manage")


def create(*, db: Session, plan_in: PlanIn, actor: Actor) -> Plan:
    """A new plan with its conditions and actions (children's social care caseworkers)."""
    policy.require(actor, "plan:manage")
    named = [plan_in.child_id, *(c.person_id for c in plan_in.conditions if c.person_id)]
    for person_id in named:
        if people_service.get(db=db, person_id=person_id) is None:
            raise InvalidInput([{"loc": ["person_id"], "msg": f"no person {person_id}"}])
    plan = Plan(
        id=new_id(),
        child_id=plan_in.child_id,
        kind=plan_in.kind,
        category=plan_in.category,
        lead_professional=plan_in.lead_professional,
        manager=plan_in.manager,
        home_address=plan_in.home_address.model_dump(exclude_none=True),
        core_group=[m.model_dump(exclude_none=True) for m in plan_in.core_group],
        outcomes=[o for o in plan_in.outcomes if o.strip()],
        status="active",
        start_on=plan_in.start_on,
        created_at=clock.now(),
        created_by=actor.name,
    )
    db.add(plan)
    for c in plan_in.conditions:
        wording = c.wording or rules.CONDITIONS[c.kind]
        db.add(
            PlanCondition(
                id=new_id(), plan_id=plan.id, kind=c.kind, person_id=c.person_id, wording=wording, is_open=True
            )
        )
    for a in plan_in.actions:
        db.add(PlanAction(id=new_id(), plan_id=plan.id, description=a.description, owner=a.owner, due_on=a.due_on))
    db.flush()
    detail = {"person_id": plan.child_id, "kind": plan.kind, "conditions": [c.kind for c in plan_in.conditions]}
    audit.record(db=db, actor=actor, action="create", object_type="plan", object_id=plan.id, detail=detail)
    watch.since_start(db=db, plan=plan)
    return plan


def get(*, db: Session, plan_id: str) -> Plan:
    """The plan, or NotFound."""
    return found(db, Plan, plan_id, "plan")


def read(*, db: Session, plan_id: str, actor: Actor) -> PlanRead:
    """One plan with conditions and their status, actions, tasks and stay notices; audited as a read
    of the child's record."""
    policy.require(actor, "plan:read")
    plan = get(db=db, plan_id=plan_id)
    audit.record(
        db=db, actor=actor, action="read", object_type="plan", object_id=plan.id, detail={"person_id": plan.child_id}
    )
    return _view(db, plan)


def list_(*, db: Session, actor: Actor, child_id: str | None = None, lead: str | None = None) -> list[Plan]:
    """Plans, newest first: of one child (audited), or led by one professional."""
    policy.require(actor, "plan:read")
    stmt = select(Plan).order_by(Plan.start_on.desc(), Plan.id)
    if child_id is not None:
        stmt = stmt.where(Plan.child_id == child_id)
        audit.record(
            db=db, actor=actor, action="read", object_type="person", object_id=child_id, detail={"plans": True}
        )
    if lead is not None:
        stmt = stmt.where(Plan.lead_professional == lead)
    return list(db.execute(stmt).scalars())


def record_breach(*, db: Session, plan_id: str, breach_in: BreachIn, actor: Actor) -> PlanBreach:
    """A breach seen by a practitioner: stored as their agency's record of it (on the child's
    chronology), which the watch turns into the breach and its alerts, exactly as for any agency."""
    policy.require(actor, "plan:write")
    plan = get(db=db, plan_id=plan_id)
    condition = db.get(PlanCondition, breach_in.condition_id)
    if condition is None or condition.plan_id != plan.id:
        raise InvalidInput([{"loc": ["condition_id"], "msg": "not a condition of this plan"}])
    if plan.status != "active":
        raise InvalidInput([{"loc": ["plan"], "msg": "the plan has ended"}])
    child = people_service.get(db=db, person_id=plan.child_id)
    assert child is not None
    person = {k: v for k, v in (("given_name", child.given_name), ("family_name", child.family_name)) if v}
    if child.date_of_birth:
        person["date_of_birth"] = child.date_of_birth.isoformat()
    raw: dict[str, Any] = {
        "source_agency": actor.agency,
        "source_ref": f"PLAN-BREACH-{new_id()}",
        "type": rules.OBSERVED,
        "occurred_at": (breach_in.occurred_at or clock.now()).isoformat(),
        "subjects": [{"person": person or {"given_name": "child"}, "role": "child"}],
        "summary": f"Plan condition breach recorded by {actor.name}: {rules.CONDITIONS[condition.kind].lower()}",
        "narrative": breach_in.account,
        "payload": {"condition": condition.kind, "account": breach_in.account},
    }
    event_id = events_flows.record_known(db=db, raw=raw, person_ids=[plan.child_id], actor=actor)
    found = db.execute(
        select(PlanBreach).where(PlanBreach.condition_id == condition.id, PlanBreach.event_id == event_id)
    ).scalar_one_or_none()
    if found is None:  # the watch runs inside record_known; this is its result
        raise InvalidInput([{"loc": ["condition_id"], "msg": "the breach could not be recorded"}])
    return found


def add_stay_notice(*, db: Session, plan_id: str, notice_in: StayNoticeIn, actor: Actor) -> StayNotice:
    """An overnight stay the parents told the social worker of in advance."""
    policy.require(actor, "plan:write")
    plan = get(db=db, plan_id=plan_id)
    notice = StayNotice(
        id=new_id(),
        plan_id=plan.id,
        address=notice_in.address.model_dump(exclude_none=True),
        with_whom=notice_in.with_whom,
        from_on=notice_in.from_on,
        to_on=notice_in.to_on,
        notified_at=clock.now(),
        recorded_by=actor.name,
    )
    db.add(notice)
    db.flush()
    audit.record(db=db, actor=actor, action="stay_notice", object_type="plan", object_id=plan.id)
    return notice


def add_action(*, db: Session, plan_id: str, action_in: ActionIn, actor: Actor) -> PlanAction:
    """Add an action (agreed at a core group, say) with its owner and due date."""
    policy.require(actor, "plan:write")
    plan = get(db=db, plan_id=plan_id)
    action = PlanAction(
        id=new_id(), plan_id=plan.id, description=action_in.description, owner=action_in.owner, due_on=action_in.due_on
    )
    db.add(action)
    db.flush()
    audit.record(db=db, actor=actor, action="add_action", object_type="plan", object_id=plan.id)
    return action


def complete_action(*, db: Session, plan_id: str, action_id: str, done_on: Any, actor: Actor) -> PlanAction:
    """Mark an action done."""
    policy.require(actor, "plan:write")
    action = db.get(PlanAction, action_id)
    if action is None or action.plan_id != plan_id:
        raise NotFound(f"no action {action_id} on plan {plan_id}")
    action.done_on = done_on
    audit.record(
        db=db, actor=actor, action="action_done", object_type="plan", object_id=plan_id, detail={"action_id": action_id}
    )
    db.flush()
    return action


def end(*, db: Session, plan_id: str, end_on: Any, actor: Actor) -> Plan:
    """End the plan: its conditions are no longer watched."""
    policy.require(actor, "plan:manage")
    plan = get(db=db, plan_id=plan_id)
    plan.status, plan.end_on = "ended", end_on
    for condition in db.execute(select(PlanCondition).where(PlanCondition.plan_id == plan.id)).scalars():
        condition.is_open = False
    audit.record(
        db=db, actor=actor, action="end", object_type="plan", object_id=plan.id, detail={"person_id": plan.child_id}
    )
    db.flush()
    return plan


def record_check(*, db: Session, task_id: str, check_in: CheckIn, actor: Actor) -> HouseholdMemberTask:
    """Record one check of a new household member and what it found."""
    policy.require(actor, "plan:write")
    task = _task(db, task_id)
    entry = {"finding": check_in.finding, "done_by": actor.name, "done_at": clock.now().isoformat()}
    task.checklist = {**task.checklist, check_in.step: entry}
    audit.record(
        db=db,
        actor=actor,
        action="check",
        object_type="household_member_task",
        object_id=task.id,
        detail={"step": check_in.step},
    )
    db.flush()
    return task


def complete_task(*, db: Session, task_id: str, result: str, actor: Actor) -> HouseholdMemberTask:
    """Record the result; refused until every check is recorded."""
    policy.require(actor, "plan:write")
    task = _task(db, task_id)
    missing = [step for step in rules.CHECKLIST if step not in task.checklist]
    if missing:
        raise InvalidInput([{"loc": ["checklist"], "msg": f"checks still to record: {', '.join(missing)}"}])
    task.result, task.status, task.completed_at, task.completed_by = result, "done", clock.now(), actor.name
    audit.record(db=db, actor=actor, action="complete", object_type="household_member_task", object_id=task.id)
    db.flush()
    return task


def tasks(*, db: Session, actor: Actor, lead: str | None = None, open_only: bool = True) -> list[HouseholdMemberTask]:
    """New-household-member tasks, oldest first: of one lead professional's plans when given."""
    policy.require(actor, "plan:read")
    stmt = (
        select(HouseholdMemberTask)
        .join(Plan, Plan.id == HouseholdMemberTask.plan_id)
        .order_by(HouseholdMemberTask.raised_at)
    )
    if lead is not None:
        stmt = stmt.where(Plan.lead_professional == lead)
    if open_only:
        stmt = stmt.where(HouseholdMemberTask.status == "open")
    return list(db.execute(stmt).scalars())


def _task(db: Session, task_id: str) -> HouseholdMemberTask:
    return found(db, HouseholdMemberTask, task_id, "task")


def _view(db: Session, plan: Plan) -> PlanRead:
    order = list(rules.CONDITIONS)
    found = db.execute(select(PlanCondition).where(PlanCondition.plan_id == plan.id)).scalars()
    conditions = sorted(found, key=lambda c: (order.index(c.kind), c.id))
    breaches = list(
        db.execute(select(PlanBreach).where(PlanBreach.plan_id == plan.id).order_by(PlanBreach.detected_at)).scalars()
    )
    evidence = _evidence(db, {e for b in breaches for e in b.event_ids})
    by_condition: dict[str, list[BreachRead]] = defaultdict(list)
    for b in breaches:
        fields = {
            k: getattr(b, k) for k in ("id", "condition_id", "source", "explanation", "detected_at", "recorded_by")
        }
        shown = [evidence[e] for e in b.event_ids if e in evidence]
        by_condition[b.condition_id].append(
            BreachRead(**fields, lead_duty_id=b.lead_duty_id, manager_duty_id=b.manager_duty_id, evidence=shown)
        )
    names = _names(db, [plan.child_id, *(c.person_id for c in conditions if c.person_id)])
    today = clock.now().date()
    actions = db.execute(select(PlanAction).where(PlanAction.plan_id == plan.id).order_by(PlanAction.due_on)).scalars()
    task_rows = db.execute(
        select(HouseholdMemberTask)
        .where(HouseholdMemberTask.plan_id == plan.id)
        .order_by(HouseholdMemberTask.raised_at)
    ).scalars()
    notices = db.execute(select(StayNotice).where(StayNotice.plan_id == plan.id).order_by(StayNotice.from_on)).scalars()
    return PlanRead(
        **{
            k: getattr(plan, k)
            for k in (
                "id",
                "child_id",
                "kind",
                "category",
                "lead_professional",
                "manager",
                "home_address",
                "core_group",
                "outcomes",
                "status",
                "start_on",
                "end_on",
            )
        },
        child_name=names.get(plan.child_id, plan.child_id),
        conditions=[
            ConditionRead(
                id=c.id,
                kind=c.kind,
                label=rules.CONDITIONS[c.kind],
                person_id=c.person_id,
                person_name=names.get(c.person_id) if c.person_id else None,
                wording=c.wording,
                status="breached" if by_condition[c.id] else "kept",
                breaches=by_condition[c.id],
            )
            for c in conditions
        ],
        actions=[action_read(a, today) for a in actions],
        tasks=[TaskRead.model_validate(t) for t in task_rows],
        stay_notices=[StayNoticeRead.model_validate(n) for n in notices],
    )


def action_read(action: PlanAction, today: date | None = None) -> ActionRead:
    """An action as shown, with whether it is overdue today."""
    today = today or clock.now().date()
    return ActionRead.model_validate(action).model_copy(
        update={"is_overdue": rules.is_overdue(action.due_on, action.done_on, today)}
    )


def _evidence(db: Session, event_ids: set[str]) -> dict[str, EvidenceRead]:
    if not event_ids:
        return {}
    rows = db.execute(select(Event).where(Event.id.in_(event_ids))).scalars()
    return {
        e.id: EvidenceRead(
            event_id=e.id,
            source_agency=e.source_agency,
            source_ref=e.source_ref,
            type_label=EVENT_TYPES[e.type].label if e.type in EVENT_TYPES else e.type,
            occurred_at=e.occurred_at,
            summary=e.summary,
        )
        for e in rows
    }


def _names(db: Session, person_ids: list[str]) -> dict[str, str]:
    found = {}
    for person_id in person_ids:
        person = people_service.get(db=db, person_id=person_id)
        if person is not None:
            found[person_id] = " ".join(n for n in (person.given_name, person.family_name) if n) or person_id
    return found
