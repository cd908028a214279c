"""The plans API: plans and their conditions, breaches by hand, stay notices, actions, household-member tasks."""

from __future__ import annotations

from fastapi import APIRouter

from lantern.access import service as access_service
from lantern.deps import ApiUser, DbDep
from lantern.plans import service
from lantern.plans.schemas import (
    ActionDoneIn,
    ActionIn,
    ActionRead,
    BreachIn,
    BreachRead,
    CheckIn,
    PlanEndIn,
    PlanIn,
    PlanRead,
    StayNoticeIn,
    TaskRead,
    TaskResultIn,
)

router = APIRouter(prefix="/api/v1/plans", tags=["plans"])


@router.post("", response_model=PlanRead, status_code=201)
def create_plan(body: PlanIn, db: DbDep, user: ApiUser) -> PlanRead:
    """Make a plan with its conditions and actions (children's social care)."""
    actor = access_service.actor_for(user)
    plan = service.create(db=db, plan_in=body, actor=actor)
    return service.read(db=db, plan_id=plan.id, actor=actor)


@router.get("", response_model=list[PlanRead])
def list_plans(db: DbDep, user: ApiUser, child_id: str | None = None, lead: str | None = None) -> list[PlanRead]:
    """Plans of one child, or led by one professional."""
    actor = access_service.actor_for(user)
    return [
        service.read(db=db, plan_id=p.id, actor=actor)
        for p in service.list_(db=db, actor=actor, child_id=child_id, lead=lead)
    ]


@router.get("/tasks", response_model=list[TaskRead])
def list_tasks(db: DbDep, user: ApiUser, lead: str | None = None, open_only: bool = True) -> list[TaskRead]:
    """New-household-member tasks, oldest first."""
    found = service.tasks(db=db, actor=access_service.actor_for(user), lead=lead, open_only=open_only)
    return [TaskRead.model_validate(t) for t in found]


@router.post("/tasks/{task_id}/checks", response_model=TaskRead)
def record_check(task_id: str, body: CheckIn, db: DbDep, user: ApiUser) -> TaskRead:
    """Record one check of a new household member and its finding."""
    actor = access_service.actor_for(user)
    return TaskRead.model_validate(service.record_check(db=db, task_id=task_id, check_in=body, actor=actor))


@router.post("/tasks/{task_id}/result", response_model=TaskRead)
def complete_task(task_id: str, body: TaskResultIn, db: DbDep, user: ApiUser) -> TaskRead:
    """Record the result once every check is recorded."""
    actor = access_service.actor_for(user)
    return TaskRead.model_validate(service.complete_task(db=db, task_id=task_id, result=body.result, actor=actor))


@router.get("/{plan_id}", response_model=PlanRead)
def get_plan(plan_id: str, db: DbDep, user: ApiUser) -> PlanRead:
    """One plan: conditions with their status and evidence, actions, tasks."""
    return service.read(db=db, plan_id=plan_id, actor=access_service.actor_for(user))


@router.post("/{plan_id}/breaches", response_model=BreachRead, status_code=201)
def record_breach(plan_id: str, body: BreachIn, db: DbDep, user: ApiUser) -> BreachRead:
    """Record a breach seen by a practitioner; the lead professional and manager are alerted at once."""
    actor = access_service.actor_for(user)
    breach = service.record_breach(db=db, plan_id=plan_id, breach_in=body, actor=actor)
    shown = service.read(db=db, plan_id=plan_id, actor=actor)
    return next(b for c in shown.conditions for b in c.breaches if b.id == breach.id)


@router.post("/{plan_id}/stay-notices", response_model=PlanRead, status_code=201)
def add_stay_notice(plan_id: str, body: StayNoticeIn, db: DbDep, user: ApiUser) -> PlanRead:
    """Record an overnight stay the parents told the social worker of in advance."""
    actor = access_service.actor_for(user)
    service.add_stay_notice(db=db, plan_id=plan_id, notice_in=body, actor=actor)
    return service.read(db=db, plan_id=plan_id, actor=actor)


@router.post("/{plan_id}/actions", response_model=ActionRead, status_code=201)
def add_action(plan_id: str, body: ActionIn, db: DbDep, user: ApiUser) -> ActionRead:
    """Add an action with its owner and due date."""
    actor = access_service.actor_for(user)
    return service.action_read(service.add_action(db=db, plan_id=plan_id, action_in=body, actor=actor))


@router.post("/{plan_id}/actions/{action_id}/done", response_model=ActionRead)
def complete_action(plan_id: str, action_id: str, body: ActionDoneIn, db: DbDep, user: ApiUser) -> ActionRead:
    """Mark an action done."""
    actor = access_service.actor_for(user)
    action = service.complete_action(db=db, plan_id=plan_id, action_id=action_id, done_on=body.done_on, actor=actor)
    return service.action_read(action)


@router.post("/{plan_id}/end", response_model=PlanRead)
def end_plan(plan_id: str, body: PlanEndIn, db: DbDep, user: ApiUser) -> PlanRead:
    """End the plan; its conditions stop being watched."""
    actor = access_service.actor_for(user)
    service.end(db=db, plan_id=plan_id, end_on=body.end_on, actor=actor)
    return service.read(db=db, plan_id=plan_id, actor=actor)
