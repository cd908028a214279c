"""Plan pages: my plans and tasks, a new plan with its conditions, a plan with each condition's
status and evidence, and forms to record a breach, a stay notice and a household member's checks."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from lantern.access import service as access_service
from lantern.common import clock
from lantern.common.errors import Forbidden, InvalidInput
from lantern.deps import DbDep, PageUser
from lantern.plans import rules, service
from lantern.plans.schemas import ActionIn, BreachIn, CheckIn, PlanEndIn, PlanIn, StayNoticeIn
from lantern.web.csrf import check_csrf
from lantern.web.render import page

router = APIRouter(tags=["pages"], include_in_schema=False)
M = TypeVar("M", bound=BaseModel)


@router.get("/plans", response_class=HTMLResponse)
def plans_page(request: Request, db: DbDep, user: PageUser, child_id: str | None = None) -> Response:
    """The plans I lead (or one child's plans) and my open new-household-member tasks."""
    actor = access_service.actor_for(user)
    lead = None if child_id else user.username
    shown = [
        service.read(db=db, plan_id=p.id, actor=actor)
        for p in service.list_(db=db, actor=actor, child_id=child_id, lead=lead)
    ]
    tasks = service.tasks(db=db, actor=actor, lead=user.username)
    may_manage = service.may_manage(actor=actor)
    return page(
        request, "plans/list.html", user=user, plans=shown, tasks=tasks, child_id=child_id, kinds=rules.KINDS,
        may_manage=may_manage,
    )  # fmt: skip


@router.get("/plans/new", response_class=HTMLResponse)
def new_plan_page(request: Request, user: PageUser, child_id: str = "") -> Response:
    """The form for a new plan and its conditions."""
    if not service.may_manage(actor=access_service.actor_for(user)):
        raise Forbidden("only children's social care caseworkers make plans")
    return page(request, "plans/new.html", user=user, child_id=child_id, errors=[], form={}, **_choices())


@router.post("/plans/new", response_class=HTMLResponse)
def create_plan(
    request: Request,
    db: DbDep,
    user: PageUser,
    csrf_token: Annotated[str, Form()],
    child_id: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "cp",
    category: Annotated[str, Form()] = "",
    lead_professional: Annotated[str, Form()] = "",
    manager: Annotated[str, Form()] = "",
    line1: Annotated[str, Form()] = "",
    line2: Annotated[str, Form()] = "",
    town: Annotated[str, Form()] = "",
    postcode: Annotated[str, Form()] = "",
    start_on: Annotated[str, Form()] = "",
    outcomes: Annotated[str, Form()] = "",
    core_group: Annotated[str, Form()] = "",
    conditions: Annotated[list[str] | None, Form()] = None,
    contact_person_id: Annotated[str, Form()] = "",
    address_person_id: Annotated[str, Form()] = "",
) -> Response:
    """Make the plan from the form, then show it; a form with mistakes is shown again with them."""
    check_csrf(request, csrf_token)
    named = {"no_unsupervised_contact": contact_person_id, "not_to_live_at_address": address_person_id}
    form = {
        "child_id": child_id, "kind": kind, "category": category or None, "lead_professional": lead_professional,
        "manager": manager,
        "home_address": {"line1": line1, "line2": line2 or None, "town": town, "postcode": postcode},
        "start_on": start_on or clock.now().date().isoformat(),
        "outcomes": [line.strip() for line in outcomes.splitlines() if line.strip()],
        "core_group": [_member(line) for line in core_group.splitlines() if line.strip()],
        "conditions": [{"kind": k, "person_id": named.get(k) or None} for k in conditions or []],
    }  # fmt: skip
    try:
        plan = service.create(db=db, plan_in=PlanIn.model_validate(form), actor=access_service.actor_for(user))
    except (ValidationError, InvalidInput) as exc:
        errors = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in _errors(exc)]
        return page(
            request, "plans/new.html", 422, user=user, child_id=child_id, errors=errors, form=form, **_choices()
        )
    return RedirectResponse(f"/plans/{plan.id}", status_code=303)


@router.get("/plans/{plan_id}", response_class=HTMLResponse)
def plan_page(request: Request, plan_id: str, db: DbDep, user: PageUser) -> Response:
    """The plan: each condition kept or breached with the evidence, actions (overdue marked), tasks."""
    shown = service.read(db=db, plan_id=plan_id, actor=access_service.actor_for(user))
    may_manage = service.may_manage(actor=access_service.actor_for(user))
    return page(
        request, "plans/plan.html", user=user, plan=shown, checklist=rules.CHECKLIST, may_manage=may_manage,
        **_choices(),
    )  # fmt: skip


@router.post("/plans/{plan_id}/breaches")
def record_breach(
    request: Request,
    plan_id: str,
    db: DbDep,
    user: PageUser,
    csrf_token: Annotated[str, Form()],
    condition_id: Annotated[str, Form()],
    account: Annotated[str, Form()],
) -> Response:
    """Record a breach by hand; the lead professional and manager are alerted at once."""
    check_csrf(request, csrf_token)
    breach_in = _valid(BreachIn, {"condition_id": condition_id, "account": account})
    service.record_breach(db=db, plan_id=plan_id, breach_in=breach_in, actor=access_service.actor_for(user))
    return RedirectResponse(f"/plans/{plan_id}#conditions", status_code=303)


@router.post("/plans/{plan_id}/tasks/{task_id}")
def record_check(
    request: Request,
    plan_id: str,
    task_id: str,
    db: DbDep,
    user: PageUser,
    csrf_token: Annotated[str, Form()],
    step: Annotated[str, Form()] = "",
    finding: Annotated[str, Form()] = "",
    result: Annotated[str, Form()] = "",
) -> Response:
    """Record a check of a new household member, or the result once every check is done."""
    check_csrf(request, csrf_token)
    actor = access_service.actor_for(user)
    if step:
        check_in = _valid(CheckIn, {"step": step, "finding": finding})
        service.record_check(db=db, task_id=task_id, check_in=check_in, actor=actor)
    elif result.strip():
        service.complete_task(db=db, task_id=task_id, result=result.strip(), actor=actor)
    return RedirectResponse(f"/plans/{plan_id}#tasks", status_code=303)


@router.post("/plans/{plan_id}/stay-notices")
def add_stay_notice(
    request: Request,
    plan_id: str,
    db: DbDep,
    user: PageUser,
    csrf_token: Annotated[str, Form()],
    stay_line1: Annotated[str, Form()] = "",
    stay_postcode: Annotated[str, Form()] = "",
    with_whom: Annotated[str, Form()] = "",
    from_on: Annotated[str, Form()] = "",
    to_on: Annotated[str, Form()] = "",
) -> Response:
    """Record an overnight stay the parents told the social worker of in advance."""
    check_csrf(request, csrf_token)
    raw = {"address": {"line1": stay_line1, "postcode": stay_postcode}, "with_whom": with_whom or None}
    notice_in = _valid(StayNoticeIn, {**raw, "from_on": from_on, "to_on": to_on or from_on})
    service.add_stay_notice(db=db, plan_id=plan_id, notice_in=notice_in, actor=access_service.actor_for(user))
    return RedirectResponse(f"/plans/{plan_id}#stays", status_code=303)


@router.post("/plans/{plan_id}/actions")
def add_action(
    request: Request,
    plan_id: str,
    db: DbDep,
    user: PageUser,
    csrf_token: Annotated[str, Form()],
    description: Annotated[str, Form()] = "",
    owner: Annotated[str, Form()] = "",
    due_on: Annotated[str, Form()] = "",
) -> Response:
    """Add an action to the plan."""
    check_csrf(request, csrf_token)
    action_in = _valid(ActionIn, {"description": description, "owner": owner, "due_on": due_on})
    service.add_action(db=db, plan_id=plan_id, action_in=action_in, actor=access_service.actor_for(user))
    return RedirectResponse(f"/plans/{plan_id}#actions", status_code=303)


@router.post("/plans/{plan_id}/actions/{action_id}/done")
def complete_action(
    request: Request, plan_id: str, action_id: str, db: DbDep, user: PageUser, csrf_token: Annotated[str, Form()]
) -> Response:
    """Mark an action done today."""
    check_csrf(request, csrf_token)
    actor = access_service.actor_for(user)
    service.complete_action(db=db, plan_id=plan_id, action_id=action_id, done_on=clock.now().date(), actor=actor)
    return RedirectResponse(f"/plans/{plan_id}#actions", status_code=303)


@router.post("/plans/{plan_id}/end")
def end_plan(
    request: Request,
    plan_id: str,
    db: DbDep,
    user: PageUser,
    csrf_token: Annotated[str, Form()],
    end_on: Annotated[str, Form()] = "",
) -> Response:
    """End the plan (children's social care); its conditions stop being watched."""
    check_csrf(request, csrf_token)
    ended = _valid(PlanEndIn, {"end_on": end_on or clock.now().date().isoformat()})
    service.end(db=db, plan_id=plan_id, end_on=ended.end_on, actor=access_service.actor_for(user))
    return RedirectResponse(f"/plans/{plan_id}", status_code=303)


def _member(line: str) -> dict[str, Any]:
    """A core group member typed as "Name; agency; role" (agency and role optional)."""
    name, agency, role = ([part.strip() for part in line.split(";")] + ["", ""])[:3]
    return {"name": name, "agency": agency or None, "role": role or None}


def _valid(model: type[M], raw: dict[str, Any]) -> M:
    """The form's fields as the API model, refused as the API refuses them (422 naming the field)."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise InvalidInput(_errors(exc)) from exc


def _choices() -> dict[str, Any]:
    return {"kinds": rules.KINDS, "categories": rules.CATEGORIES, "condition_kinds": rules.CONDITIONS}


def _errors(exc: ValidationError | InvalidInput) -> list[dict[str, Any]]:
    if isinstance(exc, ValidationError):
        return [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]
    return list(exc.errors)
