"""Which person is this? Strong identifiers first, then the linkage model (identity.matching).

`resolve_people` is the single entry point that ingestion uses. With `LANTERN_MATCHING=exact`
only strong identifiers are used (bulk loads of trusted identifiers).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.audit.service import Actor
from lantern.config import get_settings
from lantern.db.portable import Bindings, Row, insert_ignoring_conflicts, session_bindings
from lantern.db.types import new_id
from lantern.identity import matching, merge
from lantern.identity import review as review_service
from lantern.identity.models import PersonRecord
from lantern.linkage.scoring import Score
from lantern.people import service as people_service
from lantern.people.models import Person
from lantern.people.schemas import PersonIn
from lantern.people.service import Sighting

IdentifierKey = tuple[str, str, str]  # (key, scheme, value)


class SubjectRecord(NamedTuple):
    """A person as one agency named them in one event, ready to resolve and store."""

    keys: tuple[IdentifierKey, ...]  # strong identifiers, strongest first
    nhs_number: str | None
    sighting: Sighting
    seen_at: Any  # when the event occurred, bound for the database (orders like the time)
    agency: str
    fields: dict[str, Any]  # for the linkage model (linkage.prepare.FIELDS); {} if matching is exact


def subject_record(person: PersonIn, agency: str, seen_at: Any, bind: Bindings) -> SubjectRecord:
    """The record of `person` as `agency` named them in an event that occurred at bound time `seen_at`."""
    return SubjectRecord(
        identifier_keys(person, agency),
        person.nhs_number,
        people_service.sighting(person, agency, bind),
        seen_at,
        agency,
        _fields(person) if get_settings().matching == "probabilistic" else {},  # built, sent and kept only if read
    )


def _fields(person: PersonIn) -> dict[str, Any]:
    address = person.address
    return {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
        "sex": person.sex,
        "address_line1": address.line1 if address else None,
        "town": address.town if address else None,
        "postcode": address.postcode if address else None,
        "phone": person.phone,
        "nhs_number": person.nhs_number,
        "identifier": person.pnc_id,
    }


def identifier_keys(person: PersonIn, agency: str) -> tuple[IdentifierKey, ...]:
    """(key, scheme, value) for each strong identifier, strongest first."""
    keys = []
    if person.nhs_number:
        keys.append((f"nhs:{person.nhs_number}", "nhs", person.nhs_number))
    if person.pnc_id:
        keys.append((f"pnc:{person.pnc_id}", "pnc", person.pnc_id))
    if person.local_id:
        scheme = f"local:{agency}"
        keys.append((f"{scheme}:{person.local_id}", scheme, person.local_id))
    return tuple(keys)


def resolve_people(*, db: Session, records: Sequence[SubjectRecord]) -> list[str]:
    """Return a person id for each record, creating people and identifiers as needed.

    A record joins the person found by its strongest known identifier, unless that person holds
    a different NHS number (conflicting strong identifiers never merge). Otherwise, when matching
    is probabilistic, the linkage model links it, queues the pair for review, or keeps it apart.
    """
    owner = _existing_owners(db, {key for record in records for key, _, _ in record.keys})
    nhs_of = _nhs_numbers(db, set(owner.values()))
    placing = _Placing(db, records, owner.keys()) if get_settings().matching == "probabilistic" else None
    new_people: list[Row] = []
    new_identifiers: list[Row] = []
    person_ids = []
    for index, record in enumerate(records):
        person_id = _match(record.keys, owner, nhs_of, record.nhs_number)
        if placing is not None:
            if person_id is None:
                person_id = placing.linked_person(index, nhs_of)
            else:
                placing.look_for_others(index, person_id, nhs_of)
        if person_id is None:
            person_id = new_id()
            new_people.append((person_id, record.seen_at, *record.sighting.details))
            nhs_of[person_id] = record.nhs_number
        elif record.nhs_number and not nhs_of.get(person_id):
            nhs_of[person_id] = record.nhs_number
        for key, scheme, value in record.keys:
            if key not in owner:
                owner[key] = person_id
                new_identifiers.append((key, scheme, value, person_id, record.seen_at))
        if placing is not None:
            placing.placed(index, person_id)
        person_ids.append(person_id)
    people_service.add_people(db=db, rows=new_people, identifiers=new_identifiers)
    people_service.record_names_and_addresses(
        db=db, sightings=[(pid, r.sighting, r.seen_at) for pid, r in zip(person_ids, records, strict=True)]
    )
    if placing is not None:
        placing.store()
        redirect = placing.merge_found()
        person_ids = [people_service.kept(redirect, person_id) for person_id in person_ids]
    return person_ids


def match_decision(*, db: Session, record: SubjectRecord) -> matching.Decision | None:
    """What the model decides for one record against everyone known, writing nothing (benchmarks)."""
    placing = _Placing(db, [record], set())
    placing.linked_person(0, {})
    return placing.decisions.get(0)


def _older_first(db: Session, one: str, other: str) -> tuple[str, str]:
    """The person Lantern has known longer is kept: their id (and its links, bookmarks) stays."""
    rows = db.execute(select(Person.id, Person.created_at).where(Person.id.in_((one, other)))).all()
    created = dict(rows)  # a list of rows (a Result would be taken for a mapping)
    return (one, other) if (created[one], one) <= (created[other], other) else (other, one)


class _Placing:
    """Probabilistic placement of one batch's records: decisions, person records and reviews.

    Candidates for every record (known records by blocking key, and earlier records of the same
    batch) are found and scored up front in one pass; placement then walks the batch in order.
    """

    def __init__(self, db: Session, records: Sequence[SubjectRecord], known_keys: Collection[str]) -> None:
        self.db = db
        self.records = records
        self.scorer = matching.scorer(db)
        self.features = self.scorer.prepare([record.fields for record in records])
        self.decisions: dict[int, matching.Decision] = {}  # records placed by the model
        self.reviews: list[tuple[str, matching.Decision]] = []
        self.merges: list[tuple[str, str, Score]] = []  # (kept, merged): one person found under two ids
        self.person_of: dict[int, str] = {}
        todo = [
            index
            for index, record in enumerate(records)
            if _nameable(self.features[index]) and not any(key in known_keys for key, _, _ in record.keys)
        ]
        self.scored = self._score_candidates(todo)

    def _score_candidates(self, todo: list[int]) -> dict[int, list[tuple[int | matching.Candidate, Score]]]:
        stored = matching.stored_candidates(self.db, [self.features[index] for index in todo])
        # NHS numbers of every known candidate, read once: placement checks them record by record.
        self.stored_nhs = _nhs_numbers(self.db, {c.person_id for candidates in stored for c in candidates})
        earlier: dict[tuple[Any, ...], list[int]] = {}
        wanted: list[tuple[int, int | matching.Candidate]] = []
        todo_set = set(todo)
        for index, features in enumerate(self.features):
            keys = matching.blocking_keys(features)
            if index in todo_set:
                wanted += [(index, other) for other in {j for key in keys for j in earlier.get(key, [])}]
            for key in keys:
                earlier.setdefault(key, []).append(index)
        for index, candidates in zip(todo, stored, strict=True):
            wanted += [(index, candidate) for candidate in candidates]
        scores = self.scorer.score([(self.features[i], self._features_of(other)) for i, other in wanted])
        scored: dict[int, list[tuple[int | matching.Candidate, Score]]] = {}
        for (index, other), score in zip(wanted, scores, strict=True):
            scored.setdefault(index, []).append((other, score))
        return scored

    def _features_of(self, other: int | matching.Candidate) -> dict[str, Any]:
        return self.features[other] if isinstance(other, int) else other.features

    def linked_person(self, index: int, nhs_of: dict[str, str | None]) -> str | None:
        """The person the model links record `index` to, or None (a review may be queued)."""
        if index not in self.scored:
            return None
        scored = self._scored_candidates(index, nhs_of)
        decision = matching.decide(scored, self.features[index], nhs_of)
        self.decisions[index] = decision
        if decision.action != "link" or decision.person_id is None:
            return None
        self.merges += [(decision.person_id, other, score) for other, score in decision.also]
        return decision.person_id

    def look_for_others(self, index: int, person_id: str, nhs_of: dict[str, str | None]) -> None:
        """A record placed by identifier may show that another known person is the same one."""
        if index not in self.scored:
            return
        scored = [(c, score) for c, score in self._scored_candidates(index, nhs_of) if c.person_id != person_id]
        decision = matching.decide(scored, {**self.features[index], "nhs_number": nhs_of.get(person_id)}, nhs_of)
        if decision.person_id is None or decision.score is None:
            return
        if decision.action == "link":
            self.merges += [
                (person_id, other, score) for other, score in [(decision.person_id, decision.score), *decision.also]
            ]
        elif decision.action == "review":
            self.reviews.append((person_id, decision))

    def merge_found(self) -> dict[str, str]:
        """Merge the people found to be one; {merged id: kept id}.

        Two people holding different NHS numbers are not merged: the pair goes to review.
        """
        redirect: dict[str, str] = {}
        for kept, merged, score in self.merges:
            kept, merged = people_service.kept(redirect, kept), people_service.kept(redirect, merged)
            if kept == merged:
                continue
            kept, merged = _older_first(self.db, kept, merged)
            held = _nhs_numbers(self.db, {kept, merged})
            if held.get(kept) and held.get(merged) and held[kept] != held[merged]:
                reason = "different NHS numbers: never linked automatically"
                review_service.queue(
                    self.db, person_id=merged, decision=matching.Decision(kept, score, "review", reason)
                )
                continue
            merge.merge(
                self.db,
                kept_id=kept,
                merged_id=merged,
                actor=MODEL,
                reason="the linkage model found the same person under two records: "
                + "; ".join(c.sentence() for c in score.contributions if c.weight),
                probability=score.match_probability,
            )
            redirect[merged] = kept
        return redirect

    def _scored_candidates(self, index: int, nhs_of: dict[str, str | None]) -> list[tuple[matching.Candidate, Score]]:
        """Record `index`'s scored candidates as people, with each one's NHS number now in `nhs_of`."""
        scored = [(self._as_candidate(other), score) for other, score in self.scored[index]]
        for candidate, _ in scored:
            if candidate.person_id not in nhs_of:
                nhs_of[candidate.person_id] = self.stored_nhs.get(candidate.person_id)
        return scored

    def _as_candidate(self, other: int | matching.Candidate) -> matching.Candidate:
        if isinstance(other, matching.Candidate):
            return other
        return matching.Candidate(self.person_of[other], self.features[other], None, self.records[other].agency)

    def placed(self, index: int, person_id: str) -> None:
        self.person_of[index] = person_id

    def store(self) -> None:
        """Write each distinct person record, and a review item for each unsure pair."""
        bind = session_bindings(self.db)
        rows = {}
        for index, person_id in self.person_of.items():
            record, features = self.records[index], self.features[index]
            decision = self.decisions.get(index)
            print_key = matching.fingerprint(record.agency, features)
            linked_by, probability, evidence = _how_linked(record, decision)
            rows[(person_id, print_key)] = (
                person_id,
                print_key,
                record.agency,
                *matching.stored_values(features),
                linked_by,
                probability,
                None if evidence is None else bind.json(evidence),
                record.seen_at,
            )
            if decision is not None and decision.action == "review" and decision.person_id != person_id:
                self.reviews.append((person_id, decision))
        insert_ignoring_conflicts(
            self.db, PersonRecord.__table__, RECORD_COLUMNS, list(rows.values()), ("person_id", "fingerprint")
        )
        queued: set[frozenset[str | None]] = set()
        for person_id, decision in self.reviews:
            if (pair := frozenset((person_id, decision.person_id))) not in queued:
                queued.add(pair)
                review_service.queue(self.db, person_id=person_id, decision=decision)


def _nameable(features: Mapping[str, Any]) -> bool:
    return bool(features.get("given_name") or features.get("family_name"))


RECORD_COLUMNS = (
    "person_id",
    "fingerprint",
    "source_agency",
    *matching.STORED,
    "linked_by",
    "match_probability",
    "evidence",
    "first_seen_at",
)


MODEL = Actor(id=None, name="linkage model", agency=None, role="system")


def _how_linked(record: SubjectRecord, decision: matching.Decision | None) -> tuple[str, float | None, Any]:
    if decision is not None and decision.action == "link" and decision.score is not None:
        matched = decision.record
        evidence = {
            "matched_agency": matched.source_agency if matched else None,
            "explanation": matching.explanation(decision.score),
        }
        return "model", decision.score.match_probability, evidence
    if record.keys and decision is None:
        return f"identifier:{record.keys[0][1]}", None, None
    return "new", None, None


def _match(
    keys: Sequence[IdentifierKey],
    owner: dict[str, str],
    nhs_of: dict[str, str | None],
    nhs_number: str | None,
) -> str | None:
    for key, _, _ in keys:
        person_id = owner.get(key)
        if person_id is None:
            continue
        held = nhs_of.get(person_id)
        if nhs_number and held and held != nhs_number:
            continue
        return person_id
    return None


def _existing_owners(db: Session, keys: Iterable[str]) -> dict[str, str]:
    return dict(people_service.identifier_owners(db=db, keys=list(keys)))


def _nhs_numbers(db: Session, person_ids: set[str]) -> dict[str, str | None]:
    return dict(people_service.nhs_numbers(db=db, person_ids=list(person_ids)))
