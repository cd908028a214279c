"""A pre-birth assessment as the API and the form show it."""

from __future__ import annotations

from typing import Any

from lantern.assessments.prebirth import rules
from lantern.assessments.prebirth.models import PrebirthAssessment, PrebirthVersion
from lantern.assessments.prebirth.schemas import (
    ActionRead,
    AssessedPersonRead,
    PrebirthRead,
    PrebirthSummary,
    QuestionRead,
    SourceRead,
    VersionRead,
)
from lantern.assessments.prebirth.service import View


def as_read(view: View, shown: PrebirthVersion | None = None) -> PrebirthRead:
    """The assessment with the answers of `shown` (the newest version unless another is asked for)."""
    a, version = view.assessment, shown or view.current
    problems = {p.key: p.message for p in view.problems} if version is view.current else {}
    people = [
        AssessedPersonRead(slot=p["slot"], label=rules.SLOTS[p["slot"]], person_id=p["person_id"], name=p["name"])
        for p in version.people
    ]
    keys = rules.question_keys([p.slot for p in people])
    return PrebirthRead(
        id=a.id, mother_id=a.mother_id, expected_on=a.expected_on, status=a.status if shown is None else version.status,
        version=version.number, created_by=a.created_by, created_at=a.created_at, submitted_at=a.submitted_at,
        signed_off_by=a.signed_off_by, signed_off_at=a.signed_off_at, people=people,
        questions=[_question(key, version.answers.get(key) or {}, problems.get(key)) for key in keys],
        problems=list(problems.values()),
        versions=[VersionRead(number=v.number, status=v.status, saved_by=v.saved_by, saved_at=v.saved_at, note=v.note)
                  for v in view.versions],
    )  # fmt: skip


def _question(key: str, answer: dict[str, Any], problem: str | None) -> QuestionRead:
    action = answer.get("action")
    return QuestionRead(
        key=key, slot=key.split(".", 1)[0], question=rules.label_of(key), answer=answer.get("answer"),
        detail=answer.get("detail"), reason=answer.get("reason"),
        action=ActionRead(**action) if action else None,
        sources=[SourceRead(**s) for s in answer.get("sources", [])],
        prefilled=bool(answer.get("prefilled")), problem=problem,
    )  # fmt: skip


def as_summary(assessment: PrebirthAssessment) -> PrebirthSummary:
    a = assessment
    return PrebirthSummary(
        id=a.id, status=a.status, version=a.version, expected_on=a.expected_on, created_at=a.created_at,
        signed_off_at=a.signed_off_at,
    )  # fmt: skip
