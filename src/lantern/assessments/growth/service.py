"""Growth: a child's measurements from every agency's records plotted on UK-WHO, the NG75 concerns,
and measurements recorded in Lantern (stored as `growth.measurement` events, so they reach the
chronology and every other reader of the event stream like any agency's record)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from lantern.access import policy, visibility
from lantern.assessments.growth import rules
from lantern.assessments.growth.rules import Child, Concern, Plotted, Reading
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.common import clock
from lantern.common.errors import InvalidInput
from lantern.db.types import new_id
from lantern.events import flows as events_flows
from lantern.events import service as events_service
from lantern.people import service as people_service

LONDON = ZoneInfo("Europe/London")
MEASURED_TYPES = ("birth.notification", "health_visitor.contact", "growth.measurement")
CHILD_ROLES = ("child", "patient", "subject")
# Payload field of each kind, and the factor to rcpchgrowth's unit (kg for weight, cm otherwise).
FIELDS: dict[str, tuple[tuple[str, ...], float]] = {
    "weight": (("weight_grams", "birth_weight_grams"), 1 / 1000),
    "height": (("length_cm",), 1.0),
    "ofc": (("head_circumference_cm",), 1.0),
}


@dataclass(frozen=True)
class Growth:
    """Everything plotted for one child, or why nothing can be (no birth date or sex recorded)."""

    person_id: str
    name: str
    child: Child | None
    missing: str | None
    plotted: dict[str, list[Plotted]] = field(default_factory=dict)
    concerns: list[Concern] = field(default_factory=list)
    gestation_source: str = ""


def concerns(*, db: Session, person_id: str) -> list[Concern]:
    """The NG75 concerns a child's weights raise (read by the pattern alerts; no audit of its own)."""
    return _growth(db, person_id).concerns


def read(*, db: Session, actor: Actor, person_id: str) -> Growth:
    """A child's growth, plotted; the read is audited against the child."""
    policy.require(actor, "assessment:read")
    visibility.require_category(db, actor, person_id, "health_record")
    growth = _growth(db, person_id)
    detail = {"view": "growth", "measurements": sum(len(p) for p in growth.plotted.values())}
    audit.record(db=db, actor=actor, action="read", object_type="person", object_id=person_id, detail=detail)
    return growth


def _growth(db: Session, person_id: str) -> Growth:
    person = people_service.require(db=db, person_id=person_id)
    name = " ".join(n for n in (person.given_name, person.family_name) if n) or "this child"
    events = events_service.about_person(db=db, person_id=person_id, types=MEASURED_TYPES, roles=CHILD_ROLES)
    readings = [r for event in events for r in _readings(event)]
    weeks, days, source = _gestation(events)
    if person.date_of_birth is None or person.sex not in ("male", "female"):
        why = "no date of birth" if person.date_of_birth is None else "no sex (male or female)"
        return Growth(person_id, name, None, f"Lantern holds {why} for {name}, so nothing can be plotted.")
    child = Child(person.date_of_birth, person.sex, weeks, days)
    plotted = {kind: [rules.plot(child, r) for r in readings if r.kind == kind] for kind in rules.KINDS}
    return Growth(person_id, name, child, None, plotted, rules.faltering(plotted["weight"]), source)


def _readings(event: Any) -> list[Reading]:
    on = event.occurred_at.astimezone(LONDON).date()
    found = []
    for kind, (names, factor) in FIELDS.items():
        value = next((event.payload[n] for n in names if event.payload.get(n)), None)
        if value is not None:
            found.append(Reading(kind, value * factor, on, event.id, event.source_ref, event.source_agency))
    return found


def _gestation(events: list[Any]) -> tuple[int | None, int, str]:
    """Gestation at birth: the birth notification's, else one recorded with a measurement."""
    for event in sorted(events, key=lambda e: e.type != "birth.notification"):
        weeks = event.payload.get("gestation_weeks") or event.payload.get("birth_gestation_weeks")
        if weeks:
            days = event.payload.get("birth_gestation_days") or 0
            return weeks, days, f"{event.source_agency} {event.source_ref}"
    return None, 0, ""


def record(
    *,
    db: Session,
    actor: Actor,
    person_id: str,
    measured_on: date,
    values: dict[str, float | None],
    gestation: tuple[int | None, int | None] = (None, None),
) -> str:
    """Record a measurement taken by the actor's agency as a `growth.measurement` event; return its id."""
    policy.require(actor, "assessment:write")
    person = people_service.require(db=db, person_id=person_id)
    weight, length, head = (values.get(k) for k in ("weight_kg", "length_cm", "head_circumference_cm"))
    if weight is None and length is None and head is None:
        raise InvalidInput([{"loc": ["weight_kg"], "msg": "give at least one measurement"}])
    payload = {
        "weight_grams": round(weight * 1000) if weight is not None else None,
        "length_cm": length,
        "head_circumference_cm": head,
        "birth_gestation_weeks": gestation[0],
        "birth_gestation_days": gestation[1],
    }
    raw = {
        "source_agency": actor.agency,
        "source_ref": f"LANTERN-GROWTH-{new_id()}",
        "type": "growth.measurement",
        "occurred_at": min(datetime.combine(measured_on, time(12), LONDON), clock.now()).astimezone(UTC).isoformat(),
        "subjects": [{"person": subject_of(person), "role": "child"}],
        "summary": f"Growth measurement recorded in Lantern by {actor.name}.",
        "payload": {k: v for k, v in payload.items() if v is not None},
    }
    return events_flows.record_known(db=db, raw=raw, person_ids=[person_id], actor=actor)


def subject_of(person: Any) -> dict[str, Any]:
    """The person as a record made in Lantern names them (the best-known values)."""
    fields = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
        "sex": person.sex,
        "nhs_number": person.nhs_number,
    }
    return {k: v for k, v in fields.items() if v}
