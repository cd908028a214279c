"""A FHIR Bundle in, as canonical events through the normal ingestion path (`events.flows.submit`), as
the importing user's agency: the Patient a RelatedPerson names, with its family, as one `family.record`
(each relation then recorded as a relationship by the importing user), and each Encounter's growth
Observations as one `growth.measurement`. Each entry is checked on its own, against the FHIR R4B
models and Lantern's rules; a bad entry is rejected with its path and the rest are taken."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError
from sqlalchemy.orm import Session

from lantern.audit.service import Actor
from lantern.common import clock
from lantern.common.errors import InvalidInput
from lantern.events import flows as events_flows
from lantern.events import service as events_service
from lantern.family import flows as family_flows
from lantern.family import rules as family_rules
from lantern.family.schemas import RelationshipIn
from lantern.interop.fhir import reading
from lantern.interop.schemas import ImportReport, ResourceResult

TAKEN = ("Patient", "RelatedPerson", "Encounter", "Observation", "Flag")


@dataclass
class _Record:
    """One canonical event made from entries of the Bundle, and which entry gave which field."""

    raw: dict[str, Any]
    entries: list[int]
    by_field: dict[str, int] = field(default_factory=dict)
    relations: list[tuple[str, int]] = field(default_factory=list)  # (relation, position of the relative)


def import_bundle(*, db: Session, actor: Actor, bundle: Any, max_bytes: int) -> ImportReport:
    """Import a Bundle: one result per entry, rejected entries with the path of each problem."""
    entries = _entries(bundle)
    results: dict[int, ResourceResult] = {}
    resources: dict[int, dict[str, Any]] = {}
    for index, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        errors = _check(index, resource, kind)
        if errors:
            results[index] = ResourceResult(index=index, resource_type=kind, status="rejected", errors=errors)
        elif kind == "Flag":
            results[index] = ResourceResult(index=index, resource_type=kind, status="ignored", errors=[_FLAG_NOTE])
        else:
            resources[index] = resource  # type: ignore[assignment]
    book = reading.Book.of(entries, resources, results, bundle.get("timestamp"))
    records = _family(book, actor) + _growth(book, actor)
    report = events_flows.submit(db=db, raw_records=[r.raw for r in records], actor=actor, partial=True,
                                 max_bytes=max_bytes)  # fmt: skip
    for record, result in zip(records, report.results, strict=True):
        _settle(db, actor, book, record, result, results)
    for index, resource in resources.items():
        results.setdefault(index, ResourceResult(index=index, resource_type=resource["resourceType"],
                                                 status="ignored", errors=[_UNUSED]))  # fmt: skip
    shown = [results[i] for i in sorted(results)]
    return ImportReport(
        accepted=sum(r.status in ("accepted", "used") for r in shown),
        duplicates=sum(r.status == "duplicate" for r in shown),
        rejected=sum(r.status == "rejected" for r in shown),
        results=shown,
    )


_FLAG_NOTE: dict[str, object] = {
    "loc": [], "msg": "plans are made in Lantern by children's social care: a Flag is exported, not imported",
}  # fmt: skip
_UNUSED: dict[str, object] = {"loc": [], "msg": "named by no RelatedPerson or Observation of this Bundle"}


def _entries(bundle: Any) -> list[Any]:
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise InvalidInput([{"loc": ["resourceType"], "msg": "expected a FHIR Bundle"}])
    entries = bundle.get("entry") or []
    if not isinstance(entries, list):
        raise InvalidInput([{"loc": ["entry"], "msg": "a Bundle's entry is a list"}])
    return entries


def _check(index: int, resource: Any, kind: Any) -> list[dict[str, object]]:
    """The entry's problems against the FHIR model of its type and Lantern's own rules, each with its path."""
    where = f"entry[{index}].resource"
    if not isinstance(resource, dict):
        return [{"loc": [f"entry[{index}]"], "msg": "an entry needs a resource"}]
    if kind not in TAKEN:
        return [{"loc": [f"{where}.resourceType"], "msg": f"Lantern takes {', '.join(TAKEN)}, not {kind}"}]
    try:
        get_fhir_model_class(kind).model_validate(resource)
    except ValidationError as exc:
        return [{"loc": [where + _path(e["loc"])], "msg": e["msg"].removeprefix("Value error, ")} for e in exc.errors()]
    return [{"loc": [f"{where}{path}"], "msg": msg} for path, msg in reading.problems(kind, resource)]


def _path(loc: tuple[Any, ...]) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)


def _family(book: reading.Book, actor: Actor) -> list[_Record]:
    """The Patient the RelatedPersons name, with them, as one family record (or a lone Patient)."""
    focal = book.focal()
    if focal is None:
        return []
    index, subject = focal
    relatives = book.relatives_of(subject)
    subjects = [{"role": "subject", "person": book.person(subject)}]
    record = _Record(raw={}, entries=[index, *[i for i, _ in relatives]])
    for position, (_, related) in enumerate(relatives, start=1):
        subjects.append({"role": "relative", "person": book.person(related)})
        record.relations.append((reading.relation(related), position))
        record.entries += book.patients_matching(related)
    record.raw = {
        "source_agency": actor.agency, "source_ref": f"FHIR-FAMILY-{book.key(subject)}", "type": "family.record",
        "occurred_at": book.timestamp or clock.now().isoformat(), "subjects": subjects,
        "summary": f"Family record of {len(relatives)} relatives from a FHIR Bundle",
        "payload": {"relations": [r for r, _ in record.relations], "source_system": "FHIR Bundle"},
    }  # fmt: skip
    return [record]


def _growth(book: reading.Book, actor: Actor) -> list[_Record]:
    """Each Encounter's growth Observations (or a lone Observation) as one measurement."""
    groups: dict[str, list[int]] = defaultdict(list)
    for index, resource in book.of_type("Observation"):
        groups[reading.encounter_key(resource) or f"Observation/{resource.get('id', index)}"].append(index)
    records = []
    for key, indices in groups.items():
        first = book.resources[indices[0]]
        subject = book.patient_for(first)
        if subject is None:
            for index in indices:
                book.reject(index, ".subject.reference", "names no Patient accepted from this Bundle")
            continue
        encounter = book.encounter(key)
        record = _Record(raw={}, entries=[*indices, *([encounter[0]] if encounter else [])])
        payload: dict[str, Any] = {}
        for index in indices:
            for name, value in reading.measure(book.resources[index]).items():
                payload[name] = value
                record.by_field[name] = index
        ref = reading.source_ref(encounter[1] if encounter else None, key)
        record.raw = {
            "source_agency": actor.agency, "source_ref": ref, "type": "growth.measurement",
            "occurred_at": reading.effective(first, encounter[1] if encounter else None),
            "subjects": [{"role": "patient", "person": book.person(subject)}],
            "summary": "Growth measurement from a FHIR Bundle", "payload": payload,
        }  # fmt: skip
        records.append(record)
    return records


def _settle(
    db: Session, actor: Actor, book: reading.Book, record: _Record, result: Any, results: dict[int, ResourceResult]
) -> None:
    """Each entry's result from its record's; a family record's relations recorded once, when new."""
    if result.status == "rejected":
        whole = "; ".join(str(e["msg"]) for e in result.errors)
        for index in record.entries:
            mine = [e for e in (_error(record, index, e) for e in result.errors) if e is not None]
            errors = mine or [{"loc": [f"entry[{index}].resource"], "msg": whole}]
            results[index] = ResourceResult(
                index=index, resource_type=book.kind(index), status="rejected", errors=errors
            )
        return
    status = result.status if record.raw["type"] == "growth.measurement" else "used"
    for index in record.entries:
        shown = status if book.kind(index) == "Observation" or status == "used" else "used"
        results[index] = ResourceResult(index=index, resource_type=book.kind(index), status=shown,
                                        event_id=result.event_id)  # fmt: skip
    if record.relations and result.status == "accepted":
        _relate(db, actor, result.event_id, record.relations)


def _error(record: _Record, index: int, error: dict[str, Any]) -> dict[str, object] | None:
    """An event's error as the path of the entry that gave the field (or the record's first entry)."""
    loc = [str(part) for part in error.get("loc", [])]
    if len(loc) >= 2 and loc[0] == "payload" and loc[1] in record.by_field:
        if record.by_field[loc[1]] != index:
            return None
        return {"loc": [f"entry[{index}].resource.valueQuantity.value"], "msg": error["msg"]}
    if index != record.entries[0]:
        return None
    return {"loc": [f"entry[{index}].resource", *loc], "msg": error["msg"]}


def _relate(db: Session, actor: Actor, event_id: str, relations: list[tuple[str, int]]) -> None:
    """Record each relation of the family record between the people Lantern resolved its subjects to."""
    subjects = events_service.subjects_of(db=db, event_ids=[event_id])[event_id]
    focal = subjects[0].person_id
    converse = _converses()
    for relation, position in relations:
        other = subjects[position].person_id
        if relation in converse:  # the focal person is the relation of the other (e.g. their parent)
            about, related, relation = other, focal, converse[relation]
        else:
            about, related = focal, other
        if about == related:
            continue
        body = RelationshipIn(person_id=related, relation=relation, note="From a FHIR Bundle (RelatedPerson)")
        family_flows.record_relationship(db=db, actor=actor, person_id=about, relationship=body)


def _converses() -> dict[str, str]:
    relations = family_rules.rulebook().relations
    return {
        r.converse.replace(" ", "_").replace("-", "_"): code
        for code, r in relations.items()
        if r.converse.replace(" ", "_").replace("-", "_") not in relations
    }
