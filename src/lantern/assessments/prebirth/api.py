"""Pre-birth assessments API: start (prefilled), save answers as versions, submit, sign off."""

from __future__ import annotations

from fastapi import APIRouter, status

from lantern.access import service as access_service
from lantern.assessments.prebirth import service
from lantern.assessments.prebirth.schemas import (
    AnswersIn,
    PrebirthRead,
    PrebirthStart,
    PrebirthSummary,
    SignOffIn,
    SubmitIn,
)
from lantern.assessments.prebirth.views import as_read, as_summary
from lantern.deps import ApiUser, DbDep, RowId

router = APIRouter(prefix="/api/v1/assessments/prebirth", tags=["assessments"])


@router.post("", response_model=PrebirthRead, status_code=status.HTTP_201_CREATED)
def start(body: PrebirthStart, db: DbDep, user: ApiUser) -> PrebirthRead:
    """Start an assessment for an expectant mother, prefilled from every agency's records (children's
    social care). The father and a current partner are found from the records when not given."""
    actor = access_service.actor_for(user)
    started = service.start(db=db, actor=actor, **body.model_dump())
    return as_read(service.get(db=db, actor=actor, assessment_id=started.id))


@router.get("", response_model=list[PrebirthSummary])
def list_for_mother(mother_id: str, db: DbDep, user: ApiUser) -> list[PrebirthSummary]:
    """The expectant mother's assessments, newest first."""
    found = service.list_for(db=db, actor=access_service.actor_for(user), mother_id=mother_id)
    return [as_summary(a) for a in found]


@router.get("/{assessment_id}", response_model=PrebirthRead)
def get(assessment_id: str, db: DbDep, user: ApiUser) -> PrebirthRead:
    """The newest answers, each with the records it cites, and every gap that stops sign-off."""
    return as_read(service.get(db=db, actor=access_service.actor_for(user), assessment_id=assessment_id))


@router.get("/{assessment_id}/versions/{number}", response_model=PrebirthRead)
def get_version(assessment_id: str, number: RowId, db: DbDep, user: ApiUser) -> PrebirthRead:
    """A kept version, exactly as it was saved."""
    view, shown = service.version(
        db=db, actor=access_service.actor_for(user), assessment_id=assessment_id, number=number
    )
    return as_read(view, shown)


@router.patch("/{assessment_id}", response_model=PrebirthRead)
def save(assessment_id: str, body: AnswersIn, db: DbDep, user: ApiUser) -> PrebirthRead:
    """Save answers (only those given change) as a new version; 409 if someone saved after `base_version`."""
    answers = {key: answer.model_dump() for key, answer in body.answers.items()}
    view = service.save(
        db=db, actor=access_service.actor_for(user), assessment_id=assessment_id, base_version=body.base_version,
        answers=answers,
    )  # fmt: skip
    return as_read(view)


@router.post("/{assessment_id}/submit", response_model=PrebirthRead)
def submit(assessment_id: str, body: SubmitIn, db: DbDep, user: ApiUser) -> PrebirthRead:
    """Send for a manager's sign-off; 422 listing every unanswered background question."""
    actor = access_service.actor_for(user)
    return as_read(service.submit(db=db, actor=actor, assessment_id=assessment_id, base_version=body.base_version))


@router.post("/{assessment_id}/sign-off", response_model=PrebirthRead)
def sign_off(assessment_id: str, body: SignOffIn, db: DbDep, user: ApiUser) -> PrebirthRead:
    """A children's social care manager approves the assessment or returns it with what to change."""
    actor = access_service.actor_for(user)
    return as_read(service.sign_off(db=db, actor=actor, assessment_id=assessment_id, **body.model_dump()))
