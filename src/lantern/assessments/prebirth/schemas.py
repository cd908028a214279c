"""Pre-birth assessment: what the API and the form take and give."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from lantern.access.vocabulary import AGENCIES

AgencyCode = Literal[tuple(AGENCIES)]  # type: ignore[valid-type]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ActionIn(_In):
    """What will be done to find out a "not known" answer, by whom and by when (tracked as a duty).
    A draft may hold it in part; sign-off needs it whole (`rules.problems`)."""

    description: str | None = Field(default=None, max_length=1000)
    owner: str | None = Field(default=None, max_length=200)
    owner_agency: AgencyCode | None = None  # type: ignore[valid-type]
    due_on: date | None = None


class AnswerIn(_In):
    answer: Literal["yes", "no", "not_known"] | None = None
    detail: str | None = Field(default=None, max_length=4000)
    reason: str | None = Field(default=None, max_length=2000)
    action: ActionIn | None = None


class PrebirthStart(_In):
    """Start an assessment for an expectant mother; the father and a partner are found from the
    pregnancy records and the family network when not given."""

    mother_id: str
    expected_on: date | None = None
    father_id: str | None = None
    partner_id: str | None = None


class AnswersIn(_In):
    """Answers to save as a new version; `base_version` is the version the form was read at."""

    base_version: int = Field(ge=1)
    answers: dict[str, AnswerIn]


class SubmitIn(_In):
    base_version: int = Field(ge=1)


class SignOffIn(_In):
    decision: Literal["approve", "return"]
    note: str | None = Field(default=None, max_length=4000)


class SourceRead(BaseModel):
    event_id: str | None
    agency: str
    ref: str
    on: date | None
    text: str


class ActionRead(BaseModel):
    description: str | None
    owner: str | None
    owner_agency: str | None
    due_on: date | None


class QuestionRead(BaseModel):
    key: str
    slot: str
    question: str
    answer: str | None
    detail: str | None
    reason: str | None
    action: ActionRead | None
    sources: list[SourceRead]
    prefilled: bool
    problem: str | None


class AssessedPersonRead(BaseModel):
    slot: str
    label: str
    person_id: str
    name: str


class VersionRead(BaseModel):
    number: int
    status: str
    saved_by: str
    saved_at: datetime
    note: str | None


class PrebirthRead(BaseModel):
    id: str
    mother_id: str
    expected_on: date | None
    status: str
    version: int
    created_by: str
    created_at: datetime
    submitted_at: datetime | None
    signed_off_by: str | None
    signed_off_at: datetime | None
    people: list[AssessedPersonRead]
    questions: list[QuestionRead]
    problems: list[str]
    versions: list[VersionRead]


class PrebirthSummary(BaseModel):
    id: str
    status: str
    version: int
    expected_on: date | None
    created_at: datetime
    signed_off_at: datetime | None
