"""DASH: a victim's risk checklists, each with its MARAC criteria, and the police call-outs for domestic
abuse in the 12 months before; recording one from the form. Lantern counts the call-outs from the
police's own `police.domestic_abuse_incident` records when the checklist is recorded and keeps the
count on it, so the MARAC duty (`dash-marac-referral`) reads what the assessor was shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from lantern.access import policy, visibility
from lantern.assessments.dash import rules
from lantern.assessments.growth.service import subject_of
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.common import clock
from lantern.db.types import new_id
from lantern.events import flows as events_flows
from lantern.events import service as events_service
from lantern.people import service as people_service

LONDON = ZoneInfo("Europe/London")
VICTIM_ROLES = ("victim",)


@dataclass(frozen=True)
class Callout:
    """A police call-out to the victim for domestic abuse, cited by its record."""

    event_id: str
    source_ref: str
    occurred_on: date


@dataclass(frozen=True)
class Checklist:
    """One completed checklist as the page shows it."""

    event_id: str
    source_agency: str
    source_ref: str
    assessed_on: date
    assessor: str
    answers: dict[str, str]
    judgement_reason: str | None
    police_callouts_12_months: int | None
    risk: rules.Risk
    marac: str


@dataclass(frozen=True)
class Dash:
    """A victim's checklists, and the call-outs in the 12 months before today (the form shows them)."""

    person_id: str
    name: str
    checklists: list[Checklist]
    callouts: list[Callout]


def read(*, db: Session, actor: Actor, person_id: str) -> Dash:
    """The person's checklists as the victim, oldest first; the read is audited against them."""
    policy.require(actor, "assessment:read")
    visibility.require_category(db, actor, person_id, "multi_agency")
    person = people_service.require(db=db, person_id=person_id)
    events = events_service.about_person(db=db, person_id=person_id, types=("dash.assessment",), roles=VICTIM_ROLES)
    checklists = [_checklist(e) for e in events]
    callouts = callouts_before(db=db, person_id=person_id, on=clock.now().astimezone(LONDON).date())
    detail = {"view": "dash", "checklists": len(checklists)}
    audit.record(db=db, actor=actor, action="read", object_type="person", object_id=person_id, detail=detail)
    name = " ".join(n for n in (person.given_name, person.family_name) if n) or "this person"
    return Dash(person_id, name, checklists, callouts)


def callouts_before(*, db: Session, person_id: str, on: date) -> list[Callout]:
    """Police domestic abuse call-outs naming the person as the victim in the 12 months up to and
    including a day: from the same day a year before (28 February for a 29 February)."""
    start = _year_before(on)
    events = events_service.about_person(
        db=db, person_id=person_id, types=("police.domestic_abuse_incident",), roles=VICTIM_ROLES
    )
    found = [Callout(e.id, e.source_ref, e.occurred_at.astimezone(LONDON).date()) for e in events]
    return [c for c in found if start <= c.occurred_on <= on]


def _year_before(on: date) -> date:
    return on.replace(year=on.year - 1, day=28) if (on.month, on.day) == (2, 29) else on.replace(year=on.year - 1)


def _checklist(event: Any) -> Checklist:
    p = event.payload
    risk = rules.assess(
        answers=p["answers"],
        professional_judgement=p.get("professional_judgement", False),
        judgement_reason=p.get("judgement_reason"),
        callouts=p.get("police_callouts_12_months"),
    )
    return Checklist(
        event.id, event.source_agency, event.source_ref, event.occurred_at.astimezone(LONDON).date(), p["assessor"],
        p["answers"], p.get("judgement_reason"), p.get("police_callouts_12_months"), risk, rules.explain(risk),
    )  # fmt: skip


def record(*, db: Session, actor: Actor, person_id: str, assessed_on: date, checklist: dict[str, Any]) -> str:
    """Record a checklist completed by the actor's agency with the person as the victim, with the
    police call-outs counted from Lantern's records; return the event id. The duty rules run in the
    same transaction, so a MARAC referral owed exists on return."""
    policy.require(actor, "assessment:write")
    person = people_service.require(db=db, person_id=person_id)
    callouts = callouts_before(db=db, person_id=person_id, on=assessed_on)
    payload = {**checklist, "police_callouts_12_months": len(callouts)}
    raw = {
        "source_agency": actor.agency,
        "source_ref": f"LANTERN-DASH-{new_id()}",
        "type": "dash.assessment",
        "occurred_at": min(datetime.combine(assessed_on, time(12), LONDON), clock.now()).astimezone(UTC).isoformat(),
        "subjects": [{"person": subject_of(person), "role": "victim"}],
        "summary": f"DASH recorded in Lantern by {actor.name}.",
        "payload": {k: v for k, v in payload.items() if v not in (None, "")},
    }
    return events_flows.record_known(db=db, raw=raw, person_ids=[person_id], actor=actor)
