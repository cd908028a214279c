"""Disclosures: every agency's `child.disclosure` records about a child, each with whether and why it
is referred; recording one from the form. The referral duty itself comes from the duty rule
`disclosure-to-csc` (duties/rules/notifications.toml), so a disclosure an agency's own system sends
raises it too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from lantern.access import policy, visibility
from lantern.assessments.disclosures import rules
from lantern.assessments.growth.service import subject_of
from lantern.assessments.schemas import DisclosureRead
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.common import clock
from lantern.db.types import new_id
from lantern.events import flows as events_flows
from lantern.events import service as events_service
from lantern.people import service as people_service

LONDON = ZoneInfo("Europe/London")
CHILD_ROLES = ("child", "subject", "pupil", "patient")


@dataclass(frozen=True)
class Disclosures:
    """A person's disclosures, and their age today (the form's wording depends on it)."""

    person_id: str
    name: str
    age_today: int | None
    items: list[DisclosureRead]


def read(*, db: Session, actor: Actor, person_id: str) -> Disclosures:
    """The person's disclosures, oldest first; the read is audited against them."""
    policy.require(actor, "assessment:read")
    visibility.require_category(db, actor, person_id, "multi_agency")
    person = people_service.require(db=db, person_id=person_id)
    events = events_service.about_person(db=db, person_id=person_id, types=("child.disclosure",), roles=CHILD_ROLES)
    born = person.date_of_birth
    items = [_disclosure(e, born) for e in events]
    detail = {"view": "disclosures", "disclosures": len(items)}
    audit.record(db=db, actor=actor, action="read", object_type="person", object_id=person_id, detail=detail)
    name = " ".join(n for n in (person.given_name, person.family_name) if n) or "this young person"
    age_today = rules.age_years(born, clock.now().astimezone(LONDON).date()) if born else None
    return Disclosures(person_id, name, age_today, items)


def _disclosure(event: Any, born_on: date | None) -> DisclosureRead:
    p = event.payload
    on = event.occurred_at.astimezone(LONDON).date()
    age = rules.age_years(born_on, on) if born_on else None
    referral = rules.referral(
        concerns=p["concerns"], age=age, named_as_child=True, asked_not_to_tell=p.get("asked_not_to_tell", False)
    )
    return DisclosureRead(
        event_id=event.id,
        source_agency=event.source_agency,
        source_ref=event.source_ref,
        disclosed_on=on,
        age_years=age,
        concerns=p["concerns"],
        account=p["account"],
        heard_by=p["heard_by"],
        asked_not_to_tell=p.get("asked_not_to_tell", False),
        action_taken=p.get("action_taken"),
        referral=referral,
    )


def record(*, db: Session, actor: Actor, person_id: str, disclosed_on: date, disclosure: dict[str, Any]) -> str:
    """Record what a child told the actor's agency as a `child.disclosure` event; return its id. The
    duty rules run on it in the same transaction, so the referral duty exists on return."""
    policy.require(actor, "assessment:write")
    person = people_service.require(db=db, person_id=person_id)
    raw = {
        "source_agency": actor.agency,
        "source_ref": f"LANTERN-DISCLOSURE-{new_id()}",
        "type": "child.disclosure",
        "occurred_at": min(datetime.combine(disclosed_on, time(12), LONDON), clock.now()).astimezone(UTC).isoformat(),
        "subjects": [{"person": subject_of(person), "role": "child"}],
        "summary": f"Disclosure recorded in Lantern by {actor.name}.",
        "payload": {k: v for k, v in disclosure.items() if v not in (None, "")},
    }
    return events_flows.record_known(db=db, raw=raw, person_ids=[person_id], actor=actor)
