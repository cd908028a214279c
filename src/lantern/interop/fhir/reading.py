"""Reading a Bundle's resources as Lantern's words: people, relations, measurements, and the problems
Lantern's own rules find in an entry that the FHIR models accept (an NHS number's check digit, a
birth date to come, a measurement Lantern does not chart), each with its path in the resource."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from lantern.common import clock
from lantern.family import rules as family_rules
from lantern.interop.fhir import codes
from lantern.interop.schemas import ResourceResult
from lantern.people import rules as people_rules


@dataclass
class Book:
    """The Bundle's accepted resources by entry, and its references resolved."""

    resources: dict[int, dict[str, Any]]
    kinds: dict[int, str | None]
    refs: dict[str, int]
    timestamp: str | None
    results: dict[int, ResourceResult]

    @classmethod
    def of(cls, entries: list[Any], resources: dict[int, dict[str, Any]], results: dict[int, ResourceResult],
           timestamp: str | None) -> Book:  # fmt: skip
        refs: dict[str, int] = {}
        kinds: dict[int, str | None] = {}
        for index, entry in enumerate(entries):
            resource = entry.get("resource") if isinstance(entry, dict) else None
            kinds[index] = resource.get("resourceType") if isinstance(resource, dict) else None
            if index in resources:
                refs[f"{kinds[index]}/{resources[index].get('id')}"] = index
                if entry.get("fullUrl"):
                    refs[str(entry["fullUrl"])] = index
        return cls(resources, kinds, refs, timestamp, results)

    def kind(self, index: int) -> str | None:
        return self.kinds.get(index)

    def of_type(self, kind: str) -> list[tuple[int, dict[str, Any]]]:
        return [(i, r) for i, r in self.resources.items() if r["resourceType"] == kind]

    def resolve(self, reference: Any, kind: str) -> tuple[int, dict[str, Any]] | None:
        """The accepted resource of this kind a reference points to, by fullUrl or `Kind/id`."""
        ref = (reference or {}).get("reference") if isinstance(reference, dict) else None
        index = self.refs.get(str(ref)) if ref else None
        if index is None and ref and "/" in str(ref):
            index = self.refs.get("/".join(str(ref).rstrip("/").split("/")[-2:]))
        if index is None or self.resources[index]["resourceType"] != kind:
            return None
        return index, self.resources[index]

    def reject(self, index: int, path: str, msg: str) -> None:
        self.resources.pop(index, None)
        errors: list[dict[str, object]] = [{"loc": [f"entry[{index}].resource{path}"], "msg": msg}]
        self.results[index] = ResourceResult(index=index, resource_type=self.kind(index), status="rejected",
                                             errors=errors)  # fmt: skip

    def focal(self) -> tuple[int, dict[str, Any]] | None:
        """The Patient the RelatedPersons name (the first named), else the first Patient."""
        for index, related in self.of_type("RelatedPerson"):
            found = self.resolve(related.get("patient"), "Patient")
            if found is None:
                self.reject(index, ".patient.reference", "names no Patient accepted from this Bundle")
            else:
                return found
        patients = self.of_type("Patient")
        return patients[0] if patients else None

    def relatives_of(self, subject: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
        return [
            (i, r) for i, r in self.of_type("RelatedPerson")
            if (found := self.resolve(r.get("patient"), "Patient")) is not None and found[1] is subject
        ]  # fmt: skip

    def patients_matching(self, related: dict[str, Any]) -> list[int]:
        """The Patients that are the same person as a RelatedPerson (sharing an identifier)."""
        mine = _identifiers(related)
        return [i for i, p in self.of_type("Patient") if mine & _identifiers(p)]

    def person(self, resource: dict[str, Any]) -> dict[str, Any]:
        """A Patient or RelatedPerson as a canonical person; a RelatedPerson's Patient fills its gaps."""
        found = _person(resource)
        if resource["resourceType"] == "RelatedPerson":
            for index in self.patients_matching(resource):
                found = _person(self.resources[index]) | found
        return found or {"given_name": "unnamed"}

    def key(self, patient: dict[str, Any]) -> str:
        return _nhs_number(patient) or str(patient.get("id"))

    def patient_for(self, observation: dict[str, Any]) -> dict[str, Any] | None:
        found = self.resolve(observation.get("subject"), "Patient")
        return found[1] if found else None

    def encounter(self, key: str) -> tuple[int, dict[str, Any]] | None:
        index = self.refs.get(key)
        return (index, self.resources[index]) if index is not None and self.kind(index) == "Encounter" else None


def _identifiers(resource: dict[str, Any]) -> set[tuple[str, str]]:
    return {(str(i.get("system")), str(i.get("value"))) for i in resource.get("identifier") or []}


def _nhs_number(resource: dict[str, Any]) -> str | None:
    found = next(
        (i.get("value") for i in resource.get("identifier") or [] if i.get("system") == codes.NHS_NUMBER), None
    )
    return people_rules.normalise_nhs_number(found) if found else None


def _person(resource: dict[str, Any]) -> dict[str, Any]:
    names = resource.get("name") or []
    name = next((n for n in names if n.get("use") == "official"), names[0] if names else {})
    given = name.get("given") or []
    addresses = resource.get("address") or []
    latest = max(addresses, key=lambda a: (a.get("period") or {}).get("end") or "", default=None)
    found = {
        "given_name": given[0] if given else None,
        "other_names": " ".join(given[1:]) or None,
        "family_name": name.get("family"),
        "date_of_birth": resource.get("birthDate"),
        "sex": codes.SEX.get(resource.get("gender") or ""),
        "nhs_number": _nhs_number(resource),
        "address": _address(latest) if latest else None,
    }
    return {k: v for k, v in found.items() if v}


def _address(address: dict[str, Any]) -> dict[str, Any]:
    lines = address.get("line") or []
    found = {
        "line1": lines[0] if lines else None,
        "line2": ", ".join(lines[1:]) or None,
        "town": address.get("city"),
        "postcode": address.get("postalCode"),
    }
    return {k: v for k, v in found.items() if v}


def relation(related: dict[str, Any]) -> str:
    """A RelatedPerson's relation: Lantern's own code where sent, else from its v3-RoleCode."""
    codings = [c for r in related.get("relationship") or [] for c in r.get("coding") or []]
    known = set(family_rules.rulebook().relations) | set(codes.RELATIONS.values())
    own = next((c["code"] for c in codings if c.get("system") == codes.LANTERN_RELATION and c.get("code")), None)
    if own is not None and (own in known or own in _converse_codes()):
        return str(own)
    return next((codes.RELATIONS[c["code"]] for c in codings if c.get("code") in codes.RELATIONS), "")


def _converse_codes() -> set[str]:
    return {r.converse.replace(" ", "_").replace("-", "_") for r in family_rules.rulebook().relations.values()}


def problems(kind: str, resource: dict[str, Any]) -> list[tuple[str, str]]:
    """What Lantern's rules refuse in a resource the FHIR model accepts: (path in the resource, reason)."""
    found: list[tuple[str, str]] = []
    if kind in ("Patient", "RelatedPerson"):
        found += _person_problems(resource)
    if kind == "RelatedPerson" and not relation(resource):
        found.append((".relationship", "no family relation Lantern knows (send a v3-RoleCode such as MTH or SIB)"))
    if kind == "Observation":
        found += _observation_problems(resource)
    return found


def _person_problems(resource: dict[str, Any]) -> list[tuple[str, str]]:
    found = []
    for j, identifier in enumerate(resource.get("identifier") or []):
        if identifier.get("system") == codes.NHS_NUMBER:
            number = people_rules.normalise_nhs_number(str(identifier.get("value") or ""))
            if problem := people_rules.nhs_number_problem(number):
                found.append((f".identifier[{j}].value", problem))
    born = resource.get("birthDate")
    if born and len(str(born)) == 10 and date.fromisoformat(str(born)) > clock.now().date():
        found.append((".birthDate", "the date of birth is in the future"))
    for k, address in enumerate(resource.get("address") or []):
        postcode = address.get("postalCode")
        if postcode and people_rules.normalise_postcode(str(postcode)) is None:
            found.append((f".address[{k}].postalCode", f"{postcode!r} is not a valid UK postcode"))
    return found


def _observation_problems(resource: dict[str, Any]) -> list[tuple[str, str]]:
    code = _loinc(resource)
    if code is None:
        return [(".code", "Lantern takes growth measurements: LOINC 29463-7, 8306-3, 8302-2, 9843-4 or 76516-4")]
    quantity = resource.get("valueQuantity")
    if not quantity or quantity.get("value") is None:
        return [(".valueQuantity", "a measurement needs its value and unit")]
    unit = quantity.get("code") or quantity.get("unit")
    units = codes.MEASURES[code][2] if code in codes.MEASURES else {"wk": 1, "d": 1}
    if unit not in units:
        return [(".valueQuantity.code", f"the unit of {codes.DISPLAY[code].lower()} is one of {', '.join(units)}")]
    if not (resource.get("effectiveDateTime") or (resource.get("effectivePeriod") or {}).get("start")):
        return [(".effectiveDateTime", "when the measurement was taken")]
    if not (resource.get("subject") or {}).get("reference"):
        return [(".subject", "the Patient measured")]
    return []


def _loinc(resource: dict[str, Any]) -> str | None:
    codings = (resource.get("code") or {}).get("coding") or []
    wanted = {*codes.MEASURES, codes.GESTATION}
    return next((c["code"] for c in codings if c.get("system") == codes.LOINC and c.get("code") in wanted), None)


def measure(observation: dict[str, Any]) -> dict[str, Any]:
    """A growth Observation as payload fields of a `growth.measurement`."""
    code = _loinc(observation)
    quantity = observation["valueQuantity"]
    value, unit = quantity["value"], quantity.get("code") or quantity.get("unit")
    if code == codes.GESTATION:
        if unit == "wk":
            return {"birth_gestation_weeks": int(value)}
        return {"birth_gestation_weeks": int(value) // 7, "birth_gestation_days": int(value) % 7}
    assert code is not None
    name, _, factors = codes.MEASURES[code]
    converted = value * factors[unit]
    return {name: int(round(converted)) if name == "weight_grams" else round(converted, 2)}


def encounter_key(observation: dict[str, Any]) -> str | None:
    ref = (observation.get("encounter") or {}).get("reference")
    return "/".join(str(ref).rstrip("/").split("/")[-2:]) if ref else None


def source_ref(encounter: dict[str, Any] | None, key: str) -> str:
    """The measurement's reference: the sender's identifier of the Encounter, else the resource's id."""
    identifiers = (encounter or {}).get("identifier") or []
    value = identifiers[0].get("value") if identifiers else None
    return f"FHIR-{value or key.replace('/', '-')}"[:200]


def effective(observation: dict[str, Any], encounter: dict[str, Any] | None) -> str:
    when = observation.get("effectiveDateTime") or (observation.get("effectivePeriod") or {}).get("start")
    return str(when or ((encounter or {}).get("period") or {}).get("start"))
