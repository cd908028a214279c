"""Pre-birth assessment pages: the mother's assessments, the form (prefilled, with its sources), sign-off."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from lantern.access import policy
from lantern.access import service as access_service
from lantern.access.vocabulary import AGENCIES
from lantern.assessments.prebirth import rules, service
from lantern.assessments.prebirth.schemas import AnswerIn, PrebirthRead
from lantern.assessments.prebirth.views import as_read, as_summary
from lantern.common.errors import InvalidInput
from lantern.deps import DbDep, PageUser
from lantern.people import service as people_service
from lantern.web.csrf import check_csrf
from lantern.web.render import page

router = APIRouter(tags=["pages"], include_in_schema=False)
ACTION_FIELDS = ("description", "owner", "owner_agency", "due_on")


@router.get("/people/{mother_id}/prebirth", response_class=HTMLResponse)
def assessments_page(request: Request, mother_id: str, db: DbDep, user: PageUser) -> Response:
    """The mother's pre-birth assessments, and a button to start one (children's social care)."""
    actor = access_service.actor_for(user)
    found = [as_summary(a) for a in service.list_for(db=db, actor=actor, mother_id=mother_id)]
    mother = people_service.get(db=db, person_id=mother_id)
    return page(
        request, "assessments/prebirth_list.html", user=user, mother=mother, assessments=found,
        can_start=policy.can(actor, "prebirth:write"),
    )  # fmt: skip


@router.post("/people/{mother_id}/prebirth")
def start(
    request: Request,
    mother_id: str,
    db: DbDep,
    user: PageUser,
    csrf_token: Annotated[str, Form()],
    expected_on: Annotated[str, Form()] = "",
) -> Response:
    """Start an assessment prefilled from every agency's records, then open its form."""
    check_csrf(request, csrf_token)
    expected = _day("expected_on", expected_on)
    started = service.start(db=db, actor=access_service.actor_for(user), mother_id=mother_id, expected_on=expected)
    return RedirectResponse(f"/prebirth/{started.id}", status_code=303)


@router.get("/prebirth/{assessment_id}", response_class=HTMLResponse)
def assessment_page(request: Request, assessment_id: str, db: DbDep, user: PageUser) -> Response:
    """The form: each parent's and partner's background questions, what agencies hold, what stops sign-off."""
    view = service.get(db=db, actor=access_service.actor_for(user), assessment_id=assessment_id)
    return _render(request, user, as_read(view))


@router.get("/prebirth/{assessment_id}/versions/{number}", response_class=HTMLResponse)
def version_page(request: Request, assessment_id: str, number: int, db: DbDep, user: PageUser) -> Response:
    """A kept version, read only, exactly as it was saved."""
    actor = access_service.actor_for(user)
    view, shown = service.version(db=db, actor=actor, assessment_id=assessment_id, number=number)
    return _render(request, user, as_read(view, shown), old_version=True)


async def _form(request: Request) -> FormData:
    """The posted form, read before the synchronous handler (fields are named by question)."""
    return await request.form()


@router.post("/prebirth/{assessment_id}")
def save(
    request: Request, assessment_id: str, db: DbDep, user: PageUser, form: Annotated[FormData, Depends(_form)]
) -> Response:
    """Save the form as a new version; with "submit", send it for sign-off, or show what stops that."""
    check_csrf(request, str(form.get("csrf_token", "")))
    actor = access_service.actor_for(user)
    base_version = int(str(form.get("base_version", "0")) or 0)
    current = as_read(service.get(db=db, actor=actor, assessment_id=assessment_id))
    try:
        answers = _answers(form, [q.key for q in current.questions])
        view = service.save(db=db, actor=actor, assessment_id=assessment_id, base_version=base_version, answers=answers)
        if form.get("intent") == "submit":
            service.submit(db=db, actor=actor, assessment_id=assessment_id, base_version=view.assessment.version)
    except InvalidInput as problem:
        shown = as_read(service.get(db=db, actor=actor, assessment_id=assessment_id))
        return _render(request, user, shown, errors=problem.errors, status_code=422)
    return RedirectResponse(f"/prebirth/{assessment_id}", status_code=303)


@router.post("/prebirth/{assessment_id}/sign-off")
def sign_off(
    request: Request,
    assessment_id: str,
    db: DbDep,
    user: PageUser,
    csrf_token: Annotated[str, Form()],
    decision: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
) -> Response:
    """A manager approves the assessment or returns it with what to change."""
    check_csrf(request, csrf_token)
    actor = access_service.actor_for(user)
    if decision not in ("approve", "return"):
        raise InvalidInput([{"loc": ["decision"], "msg": "choose to sign it off or return it"}])
    try:
        service.sign_off(db=db, actor=actor, assessment_id=assessment_id, decision=decision, note=note.strip() or None)
    except InvalidInput as problem:
        shown = as_read(service.get(db=db, actor=actor, assessment_id=assessment_id))
        return _render(request, user, shown, errors=problem.errors, status_code=422)
    return RedirectResponse(f"/prebirth/{assessment_id}", status_code=303)


def _answers(form: FormData, keys: list[str]) -> dict[str, dict[str, Any]]:
    """Each question's answer from its fields (`<key>-answer`, `-detail`, `-reason`, `-action-<field>`)."""
    answers: dict[str, dict[str, Any]] = {}
    errors: list[dict[str, object]] = []
    for key in keys:
        action = {f: str(form.get(f"{key}-action-{f}", "")).strip() for f in ACTION_FIELDS}
        raw = {
            "answer": str(form.get(f"{key}-answer", "")) or None,
            "detail": str(form.get(f"{key}-detail", "")).strip() or None,
            "reason": str(form.get(f"{key}-reason", "")).strip() or None,
            "action": _action(action) if any(action.values()) else None,
        }
        try:
            answers[key] = AnswerIn.model_validate(raw).model_dump()
        except ValidationError as invalid:
            errors += [{"loc": ["answers", key], "msg": _plain(key, e)} for e in invalid.errors()]
    if errors:
        raise InvalidInput(errors)
    return answers


def _action(fields: dict[str, str]) -> dict[str, Any]:
    """A partly filled action is kept as far as it goes: sign-off lists what is missing."""
    return {name: value or None for name, value in fields.items()}


def _plain(key: str, error: Any) -> str:
    field = ".".join(str(part) for part in error["loc"])
    words = {"action.due_on": "the action's due date", "action.owner_agency": "the owner's agency"}.get(field, field)
    return f"{rules.label_of(key).split(',')[0]}: {words} — {error['msg'].lower()}"


def _render(
    request: Request,
    user: Any,
    assessment: PrebirthRead,
    *,
    errors: list[dict[str, Any]] | None = None,
    old_version: bool = False,
    status_code: int = 200,
) -> Response:
    actor = access_service.actor_for(user)
    editable = assessment.status == "draft" and not old_version and policy.can(actor, "prebirth:write")
    submitter = next((v.saved_by for v in reversed(assessment.versions) if v.status == "submitted"), None)
    can_sign = (
        assessment.status == "submitted" and policy.can(actor, "prebirth:sign_off") and submitter != user.username
    )
    sections = [(p.label, p.name, [q for q in assessment.questions if q.slot == p.slot]) for p in assessment.people]
    sections.append(("The baby", "", [q for q in assessment.questions if q.slot == "baby"]))
    return page(
        request, "assessments/prebirth.html", status_code=status_code, user=user, a=assessment, sections=sections,
        errors=errors or [], error_by_key=_by_question(errors or []), editable=editable, can_sign=can_sign,
        old_version=old_version, agencies=AGENCIES, text_questions=rules.TEXT_QUESTIONS,
    )  # fmt: skip


def _by_question(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """Each question's error message, by its key (the last part of the error's location)."""
    return {str(e["loc"][-1]): e["msg"] for e in errors}


def _day(name: str, text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput([{"loc": [name], "msg": "enter a date"}]) from None
