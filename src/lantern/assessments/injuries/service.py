"""Injuries: every agency's `injury.observation` records of a child on one body map, each with its
injury type and the bruising rule's reasons; recording one from the form. The duties the rule
raises come from the duty rules (`injury-bruising-*` in duties/rules/notifications.toml)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from lantern.access import policy, visibility
from lantern.assessments.growth.service import subject_of
from lantern.assessments.injuries import rules
from lantern.assessments.injuries.vocabulary import REGIONS, TERMS
from lantern.assessments.schemas import InjuryRead
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.common import clock
from lantern.db.types import new_id
from lantern.events import flows as events_flows
from lantern.events import service as events_service
from lantern.people import service as people_service

LONDON = ZoneInfo("Europe/London")
CHILD_ROLES = ("child", "patient", "subject")


def read(*, db: Session, actor: Actor, person_id: str) -> tuple[str, list[InjuryRead]]:
    """The child's name and injuries, oldest first; the read is audited against the child."""
    policy.require(actor, "assessment:read")
    visibility.require_category(db, actor, person_id, "multi_agency")
    person = people_service.require(db=db, person_id=person_id)
    events = events_service.about_person(db=db, person_id=person_id, types=("injury.observation",), roles=CHILD_ROLES)
    injuries = [_injury(e, person.date_of_birth) for e in events]
    detail = {"view": "injuries", "injuries": len(injuries)}
    audit.record(db=db, actor=actor, action="read", object_type="person", object_id=person_id, detail=detail)
    name = " ".join(n for n in (person.given_name, person.family_name) if n) or "this child"
    return name, injuries


def _injury(event: Any, born_on: date | None) -> InjuryRead:
    p = event.payload
    seen_on = event.occurred_at.astimezone(LONDON).date()
    age_days = (seen_on - born_on).days if born_on else None
    reasons = rules.bruising(
        term=p["term"], region=p["region"], age_days=age_days, mobility=p.get("mobility"), patterned=p["patterned"]
    )
    region = REGIONS[p["region"]]
    return InjuryRead(
        event_id=event.id,
        source_agency=event.source_agency,
        source_ref=event.source_ref,
        seen_on=seen_on,
        age_days=age_days,
        term=p["term"],
        injury_type=TERMS[p["term"]].injury_type,
        region=region.code,
        region_label=region.label,
        view=region.view,
        size_cm=p.get("size_cm"),
        colour=p.get("colour"),
        seen_by=p["seen_by"],
        explanation_given=p.get("explanation_given"),
        mobility=p.get("mobility"),
        patterned=p["patterned"],
        rule_reasons=reasons,
    )


def record(*, db: Session, actor: Actor, person_id: str, seen_on: date, injury: dict[str, Any]) -> str:
    """Record an injury the actor's agency saw as an `injury.observation` event; return its id. The
    duty rules run on it in the same transaction, so the bruising rule's duties exist on return."""
    policy.require(actor, "assessment:write")
    person = people_service.require(db=db, person_id=person_id)
    payload = {k: v for k, v in injury.items() if v not in (None, "")}
    term, region = TERMS.get(str(payload.get("term"))), REGIONS.get(str(payload.get("region")))
    what = f"{term.code} on the {region.label.lower()}" if term and region else "injury"
    raw = {
        "source_agency": actor.agency,
        "source_ref": f"LANTERN-INJURY-{new_id()}",
        "type": "injury.observation",
        "occurred_at": min(datetime.combine(seen_on, time(12), LONDON), clock.now()).astimezone(UTC).isoformat(),
        "subjects": [{"person": subject_of(person), "role": "child"}],
        "summary": f"Body map: {what}, recorded in Lantern by {actor.name}.",
        "payload": payload,
    }
    return events_flows.record_known(db=db, raw=raw, person_ids=[person_id], actor=actor)
