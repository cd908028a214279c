"""A family as a FHIR Bundle (UK Core shapes): the person and each member of their family network as
a Patient, each relationship as a RelatedPerson, growth measurements as Encounters with Observations,
and flags (a plan, looked after, an unborn child on a plan) as Flags; only what the reader may read."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from sqlalchemy.orm import Session

from lantern.access import policy, visibility
from lantern.access.vocabulary import AGENCIES
from lantern.audit.service import Actor
from lantern.common import clock
from lantern.common.errors import Forbidden
from lantern.events import service as events_service
from lantern.family import flows as family_flows
from lantern.family.network import Member
from lantern.interop import flags
from lantern.interop.fhir import codes
from lantern.people import service as people_service

GROWTH_ROLES = ("child", "patient", "subject")


def export_family(*, db: Session, actor: Actor, person_id: str) -> dict[str, Any]:
    """The person's family as a `collection` Bundle, validated against the FHIR models; the read is
    audited against the person (by the family network's own read)."""
    built = family_flows.load(db=db, actor=actor, person_id=person_id, view="fhir export")
    resources = [patient(db, person_id)]
    for member in built.members_on(None):
        resources += [patient(db, member.person_id), related_person(db, member, person_id)]
    if _may_read(db, actor, person_id, "health_record"):
        resources += _growth(db, person_id)
    if policy.can(actor, "plan:read") and _may_read(db, actor, person_id, "csc_record"):
        resources += [flag(f, person_id) for f in flags.flags_of(db=db, actor=actor, person_id=person_id)]
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": clock.now().isoformat(),
        "identifier": {"system": f"{codes.LANTERN}Id/bundle", "value": f"family-{person_id}"},
        "entry": [{"fullUrl": f"{codes.LANTERN}{r['resourceType']}/{r['id']}", "resource": r} for r in resources],
    }
    return Bundle.model_validate(bundle).model_dump(mode="json", by_alias=True, exclude_none=True)


def _demographics(db: Session, person_id: str) -> dict[str, Any]:
    person = people_service.get(db=db, person_id=person_id)
    assert person is not None
    shown: dict[str, Any] = {
        "identifier": [{"system": codes.LANTERN_PERSON, "value": person.id}],
        "name": [{"use": "official", "family": person.family_name, "given": [person.given_name]}],
        "gender": codes.GENDER.get(person.sex or ""),
        "birthDate": person.date_of_birth.isoformat() if person.date_of_birth else None,
        "address": [_address(a) for a in people_service.details(db=db, person_id=person_id)["addresses"]],
    }
    if person.nhs_number:
        shown["identifier"].insert(0, {"system": codes.NHS_NUMBER, "value": person.nhs_number})
    name = {k: v for k, v in shown["name"][0].items() if v not in (None, [None])}
    shown["name"] = [name] if len(name) > 1 else None
    return {k: v for k, v in shown.items() if v}


def _address(row: Any) -> dict[str, Any]:
    found = {
        "use": "home",
        "line": [line for line in (row.line1, row.line2) if line] or None,
        "city": row.town,
        "postalCode": row.postcode,
        "period": {"start": row.first_seen_at.isoformat(), "end": row.last_seen_at.isoformat()},
    }
    return {k: v for k, v in found.items() if v}


def patient(db: Session, person_id: str) -> dict[str, Any]:
    """A person as a UKCore-Patient."""
    return {"resourceType": "Patient", "id": person_id, "meta": codes.profile("Patient")} | _demographics(db, person_id)


def related_person(db: Session, member: Member, person_id: str) -> dict[str, Any]:
    """A member's relationship to the person, as a UKCore-RelatedPerson of the person's Patient."""
    found = _demographics(db, member.person_id)
    coding = [{"system": codes.LANTERN_RELATION, "code": member.relation, "display": member.label}]
    role = codes.ROLE_CODES.get(member.relation)
    if member.relation == "parent":
        role = codes.PARENT_BY_SEX.get(found.get("gender", ""), role)
    if role is not None:
        coding.insert(0, {"system": codes.ROLE_CODE, "code": role[0], "display": role[1]})
    return {
        "resourceType": "RelatedPerson",
        "id": f"{member.person_id}-of-{person_id}"[:64],
        "meta": codes.profile("RelatedPerson"),
        "patient": {"reference": f"Patient/{person_id}"},
        "relationship": [{"coding": coding, "text": member.label}],
    } | found


def _may_read(db: Session, actor: Actor, person_id: str, category: str) -> bool:
    """Whether the reader reads this category of the person's records in full (growth: health records;
    plans and looked-after status: children's social care records)."""
    try:
        visibility.require_category(db, actor, person_id, category)
    except Forbidden:
        return False
    return True


def _growth(db: Session, person_id: str) -> list[dict[str, Any]]:
    """Growth measurements as Encounters and Observations."""
    person = people_service.get(db=db, person_id=person_id)
    born = person.date_of_birth if person else None
    found = events_service.about_person(db=db, person_id=person_id, types=["growth.measurement"], roles=GROWTH_ROLES)
    resources: list[dict[str, Any]] = []
    for event in found:
        resources.append(_encounter(event, person_id))
        resources += _observations(event, person_id, born)
    return resources


def _encounter(event: Any, person_id: str) -> dict[str, Any]:
    return {
        "resourceType": "Encounter",
        "id": event.id,
        "meta": codes.profile("Encounter"),
        "identifier": [{"system": f"{codes.LANTERN_EVENT}{event.source_agency}", "value": event.source_ref}],
        "status": "finished",
        "class": {"system": codes.ACT_CODE, "code": "AMB", "display": "ambulatory"},
        "subject": {"reference": f"Patient/{person_id}"},
        "period": {"start": event.occurred_at.isoformat()},
        "serviceProvider": {"display": AGENCIES.get(event.source_agency, event.source_agency)},
    }


def _observations(event: Any, person_id: str, born: date | None) -> list[dict[str, Any]]:
    payload = event.payload
    values: list[tuple[str, float, str]] = []
    if "weight_grams" in payload:
        values.append((codes.WEIGHT, payload["weight_grams"], "g"))
    if "length_cm" in payload:
        values.append((_length_code(born, event.occurred_at), payload["length_cm"], "cm"))
    if "head_circumference_cm" in payload:
        values.append((codes.HEAD, payload["head_circumference_cm"], "cm"))
    if "birth_gestation_weeks" in payload:
        days = payload.get("birth_gestation_days")
        weeks = payload["birth_gestation_weeks"]
        values.append((codes.GESTATION, weeks * 7 + days, "d") if days is not None else (codes.GESTATION, weeks, "wk"))
    return [_observation(event, person_id, code, value, unit) for code, value, unit in values]


def _length_code(born: date | None, at: datetime) -> str:
    """Length lying (LOINC 8306-3) under two years, as the UK-WHO chart measures it; height after."""
    return codes.LENGTH if born is None or (at.date() - born).days < 730 else codes.HEIGHT


def _observation(event: Any, person_id: str, code: str, value: float, unit: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": f"{event.id}-{code}",
        "meta": codes.profile("Observation"),
        "status": "final",
        "category": [{"coding": [{"system": codes.OBSERVATION_CATEGORY, "code": "vital-signs"}]}],
        "code": {"coding": [{"system": codes.LOINC, "code": code, "display": codes.DISPLAY[code]}]},
        "subject": {"reference": f"Patient/{person_id}"},
        "encounter": {"reference": f"Encounter/{event.id}"},
        "effectiveDateTime": event.occurred_at.isoformat(),
        "valueQuantity": {"value": value, "unit": unit, "system": codes.UCUM, "code": unit},
    }


def flag(found: Any, person_id: str) -> dict[str, Any]:
    """A flag as a UKCore-Flag on the person's Patient (an unborn child's on the mother's)."""
    return {
        "resourceType": "Flag",
        "id": f"{found.kind}-{found.person_id}"[:64].replace("_", "-"),
        "meta": codes.profile("Flag"),
        "status": "active",
        "category": [{"coding": [{"system": codes.FLAG_CATEGORY, "code": "safety", "display": "Safety"}]}],
        "code": {"coding": [{"system": codes.LANTERN_FLAG, "code": found.kind, "display": found.label}],
                 "text": found.label},
        "subject": {"reference": f"Patient/{person_id}"},
        "period": {"start": found.since.isoformat()} if found.since else None,
        "author": {"display": found.contact.team},
    }  # fmt: skip
