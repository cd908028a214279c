"""Duties from newly stored events: facts, rules, duty rows, and evidence that duties were met.

This runs for every ingested batch, so it works in bulk: it reads columns rather than ORM
objects, writes each table with one bulk statement, and matches evidence to duties through
in-memory indexes. Only duties that evidence discharges are loaded as objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import cache
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.access.vocabulary import AGENCIES
from lantern.common import clock
from lantern.db.portable import chunks, insert_rows, session_bindings
from lantern.db.types import new_id
from lantern.duties import delivery
from lantern.duties import rules as duty_rules
from lantern.duties.facts import EventFacts, SubjectFacts, WrittenEvent, age_in_days
from lantern.duties.models import Duty, DutyTransition, QuotedReference
from lantern.duties.rules import DutyDraft, Rule
from lantern.events.models import Event, EventSubject
from lantern.family import service as family_service
from lantern.people import service as people_service
from lantern.people.models import Person

INBOX = "in-app inbox"
DUTY_COLUMNS = (
    "id",
    "rule_code",
    "title",
    "event_id",
    "person_id",
    "person_key",
    "from_agency",
    "recipient_agency",
    "recipient_team",
    "content",
    "reason",
    "status",
    "is_open",
    "created_at",
    "due_at",
    "escalate_at",
    "escalate_to",
    "delivered_at",
)
TRANSITION_COLUMNS = ("duty_id", "at", "from_status", "to_status", "actor", "note")


class _Candidate(NamedTuple):
    """A stored event that may be evidence for a new duty (only the columns the match reads)."""

    id: str
    type: str
    source_agency: str
    source_ref: str
    occurred_at: datetime
    payload: dict[str, Any]


def facts_for(*, db: Session, event_ids: Sequence[str], types: set[str] | None = None) -> list[EventFacts]:
    """The facts the rules read, for each event (of one of `types`, when given): subjects' ages
    from the record, else from the person."""
    columns = (Event.id, Event.type, Event.source_agency, Event.source_ref, Event.occurred_at, Event.summary)
    events = {
        row[0]: row
        for chunk in chunks(event_ids)
        for row in _rows(db, select(*columns, Event.location, Event.payload).where(Event.id.in_(chunk)))
        if types is None or row[1] in types
    }
    subjects: dict[str, list[tuple[str, str, dict[str, Any]]]] = {event_id: [] for event_id in events}
    born: dict[str, date | None] = {}
    for chunk in chunks(list(events)):
        stmt = (
            select(EventSubject.event_id, EventSubject.person_id, EventSubject.role, EventSubject.record)
            .add_columns(Person.date_of_birth)
            .join(Person, Person.id == EventSubject.person_id)
            .where(EventSubject.event_id.in_(chunk))
            .order_by(EventSubject.position)
        )
        for event_id, person_id, role, record, person_dob in _rows(db, stmt):
            subjects[event_id].append((person_id, role, record))
            born[person_id] = person_dob
    return _built(db, [WrittenEvent(tuple(row), subjects[row[0]]) for row in events.values()], born)


def facts_of_written(*, db: Session, written: Sequence[WrittenEvent]) -> list[EventFacts]:
    """`facts_for` of events just written, from the values the writer holds (ADR 54): of the database,
    only the dates of birth that the records lack are read."""
    lacking = list({p for event in written for p, _, record in event.subjects if not record.get("date_of_birth")})
    stmt = select(Person.id, Person.date_of_birth)
    born = {p: dob for chunk in chunks(lacking) for p, dob in _rows(db, stmt.where(Person.id.in_(chunk)))}
    return _built(db, written, born)


def create_for_written(*, db: Session, written: Sequence[WrittenEvent]) -> int:
    """`create_for_events` of events just written, from the values the writer holds (ADR 54)."""
    return create_for_facts(db=db, facts=facts_of_written(db=db, written=written))


def as_merged_since(db: Session, written: Sequence[WrittenEvent]) -> list[WrittenEvent]:
    """The events with each subject's person as the database has them now: a merge committed since they
    were written (the rules run on another thread on PostgreSQL) moved their records to the person kept."""
    kept: dict[str, str] = {}
    asked = {person_id for event in written for person_id, _, _ in event.subjects}
    stmt = select(Person.id, Person.merged_into).where(Person.merged_into.is_not(None))
    while asked:  # a person kept may have been merged again since
        found = {p: k for chunk in chunks(list(asked)) for p, k in _rows(db, stmt.where(Person.id.in_(chunk)))}
        kept |= found
        asked = set(found.values()) - kept.keys()
    if not kept:
        return list(written)
    return [
        event._replace(subjects=[(people_service.kept(kept, p), role, record) for p, role, record in event.subjects])
        for event in written
    ]


def _built(db: Session, written: Sequence[WrittenEvent], born: dict[str, date | None]) -> list[EventFacts]:
    """Each event's facts; a subject's age from the record's date of birth, else the person's (`born`)."""
    facts = []
    for event in written:
        event_id, event_type, agency, ref, occurred_at, summary, location, payload = event.columns
        subjects = [
            SubjectFacts(
                person_id, role, age_in_days(record.get("date_of_birth") or born.get(person_id), occurred_at), record
            )
            for person_id, role, record in event.subjects
        ]
        facts.append(
            _facts(db, EventFacts(event_id, event_type, agency, ref, occurred_at, summary, location, payload, subjects))
        )
    return facts


def _facts(db: Session, facts: EventFacts) -> EventFacts:
    if facts.type == "police.conviction":
        return replace(facts, household_children=_household_children(db, facts))
    return facts


def _household_children(db: Session, facts: EventFacts) -> list[SubjectFacts]:
    children = []
    for offender in facts.subjects[:1]:
        for resident in family_service.co_residents(db=db, person_id=offender.person_id, on=facts.occurred_at):
            age = age_in_days(resident.date_of_birth, facts.occurred_at)
            if age is not None and 0 <= age < 18 * 365.25:
                name = {"given_name": resident.given_name, "family_name": resident.family_name}
                children.append(SubjectFacts(resident.person_id, "household_member", age, name))
    return children


def _rows(db: Session, stmt: Any) -> Any:
    """Rows of a plain column select, without the ORM's per-row work. Nothing is flushed first:
    `create_for_events` flushes on entry, file ingestion writes in bulk (nothing pending), and the
    duties that evidence acknowledges stay pending only while events, not duties, are read."""
    return db.connection().execute(stmt).all()


def create_for_events(
    *, db: Session, event_ids: Sequence[str], rules_by_type: dict[str, list[Rule]] | None = None
) -> int:
    """Apply the duty rules to newly stored events; deliver to the in-app inbox, queue the
    agency's other channels (outbox, same transaction); use any evidence.

    Idempotent: a (rule, event, person) duty is created once.
    """
    rules_by_type = rules_by_type if rules_by_type is not None else duty_rules.default_rules()
    db.flush()
    facts = facts_for(db=db, event_ids=event_ids, types=relevant_types(rules_by_type, all_rules(rules_by_type)))
    return create_for_facts(db=db, facts=facts, rules_by_type=rules_by_type)


def create_for_facts(
    *, db: Session, facts: list[EventFacts], rules_by_type: dict[str, list[Rule]] | None = None
) -> int:
    """`create_for_events` of events whose facts are known."""
    rules_by_type = rules_by_type if rules_by_type is not None else duty_rules.default_rules()
    rules = all_rules(rules_by_type)
    now = clock.now()
    duties = [_duty_row(fact, draft, now) for fact in facts for draft in duty_rules.evaluate(fact, rules_by_type)]
    existing = _existing_keys(db, duties)
    duties = [d for d in duties if (d["rule_code"], d["event_id"], d["person_key"]) not in existing]
    _store(db, duties, now)
    delivery.enqueue(db=db, duties=duties, config=delivery.config_of(db))
    _remember_quoted_references(db, facts)
    discharge_by_evidence(db=db, facts=facts, rules=rules)
    _discharge_new_duties_by_earlier_evidence(db, duties, {f.id: f for f in facts}, rules)
    return len(duties)


def relevant_types(rules_by_type: dict[str, list[Rule]], rules: dict[str, Rule]) -> set[str]:
    """Only events of a type that some rule triggers on, or that can discharge a duty, need facts."""
    return set(rules_by_type) | {t for r in rules.values() if r.discharged_by for t in r.discharged_by.types}


def _duty_row(facts: EventFacts, draft: DutyDraft, now: datetime) -> dict[str, Any]:
    rule = draft.rule
    return {
        "id": new_id(),
        "rule_code": rule.code,
        "title": rule.title,
        "event_id": facts.id,
        "person_id": draft.about.person_id if draft.about else None,
        "person_key": draft.about.person_id if draft.about else "",
        "from_agency": facts.source_agency,
        "recipient_agency": rule.to.agency,
        "recipient_team": rule.to.team,
        "content": draft.content,
        "reason": draft.reason,
        "status": "delivered",
        "is_open": True,
        "created_at": now,
        "due_at": draft.due_at,
        "escalate_at": draft.due_at + timedelta(hours=rule.escalate.after_hours),
        "escalate_to": rule.escalate.to,
        "delivered_at": now,
    }


def _store(db: Session, duties: list[dict[str, Any]], now: datetime) -> None:
    """The duties and their first transition, as bulk inserts of bound rows."""
    bind = session_bindings(db)
    at, bound_time = bind.time(now), cache(bind.time)  # the duties of an event share their deadlines
    row = itemgetter(*DUTY_COLUMNS)
    rows = [
        row(
            d
            | {"content": bind.json(d["content"]), "created_at": at, "delivered_at": at}
            | {"due_at": bound_time(d["due_at"]), "escalate_at": bound_time(d["escalate_at"])}
        )
        for d in duties
    ]
    insert_rows(db, Duty.__table__, DUTY_COLUMNS, rows)
    note = f"created and delivered to the {INBOX}"
    insert_rows(
        db,
        DutyTransition.__table__,
        TRANSITION_COLUMNS,
        [(d["id"], at, None, "delivered", "rules", note) for d in duties],
    )


def _existing_keys(db: Session, duties: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    event_ids = list({d["event_id"] for d in duties})
    stmt = select(Duty.rule_code, Duty.event_id, Duty.person_key)
    return {(r, e, p) for chunk in chunks(event_ids) for r, e, p in _rows(db, stmt.where(Duty.event_id.in_(chunk)))}


def transition(
    duty_id: str, before: str | None, after: str, actor: str, at: datetime, note: str | None
) -> dict[str, Any]:
    """A duty_transition row."""
    return {"duty_id": duty_id, "at": at, "from_status": before, "to_status": after, "actor": actor, "note": note}


def all_rules(rules_by_type: dict[str, list[Rule]]) -> dict[str, Rule]:
    """The rules by code."""
    return {rule.code: rule for rules in rules_by_type.values() for rule in rules}


def discharge_by_evidence(*, db: Session, facts: list[EventFacts], rules: dict[str, Rule]) -> int:
    """Acknowledge open duties that new events from the recipient show were passed on.

    Evidence is an event of a discharging type from the receiving agency that quotes the
    triggering record (`payload.referrer_ref`), or concerns the same person within the window.
    """
    evidence_for = _evidence_by_rule(facts, rules)
    if not evidence_for:
        return 0
    proofs = {}
    for near in _open_duties_near(db, set(evidence_for), facts):
        proof = evidence_for[near.rule_code].first(rules[near.rule_code], near)
        if proof is not None:
            proofs[near.id] = proof
    for duty in _load_open(db, list(proofs)):
        proof = proofs[duty.id]
        _acknowledge_by(db, duty, proof.source_agency, proof.source_ref, proof.type, proof.occurred_at)
    return len(proofs)


def _evidence_by_rule(facts: list[EventFacts], rules: dict[str, Rule]) -> dict[str, _Evidence]:
    """Each rule's evidence among the batch's events, in batch order. Events are grouped by type first,
    so that each rule looks only at events of its evidence types, not at the whole batch."""
    of_type: dict[str, list[int]] = {}
    for position, f in enumerate(facts):
        of_type.setdefault(f.type, []).append(position)
    found = {}
    for code, rule in rules.items():
        types = rule.discharged_by.types if rule.discharged_by else []
        if not (positions := {i for t in types for i in of_type.get(t, [])}):
            continue
        candidates = [facts[i] for i in sorted(positions)]
        if evidence := [f for f in candidates if _can_discharge(rule, f.type, f.source_agency, f.payload)]:
            found[code] = _Evidence(evidence)
    return found


class _OpenDuty(NamedTuple):
    id: str
    rule_code: str
    is_open: bool
    event_id: str
    person_id: str | None
    trigger_at: datetime
    trigger_ref: str


def _open_duties_near(db: Session, codes: set[str], evidence: list[EventFacts]) -> list[_OpenDuty]:
    """Open duties of these rules about the evidence's people, or triggered by records it quotes.

    The SQL filters only on indexed person and reference columns (a person has few duties);
    rule and openness are checked here, so the planner cannot pick a scan of all open duties.
    """
    people = list({s.person_id for f in evidence for s in f.subjects})
    refs = list({str(f.payload["referrer_ref"]) for f in evidence if f.payload.get("referrer_ref")})
    columns = (Duty.id, Duty.rule_code, Duty.is_open, Duty.event_id, Duty.person_id, Event.occurred_at)
    base = select(*columns, Event.source_ref).join(Event, Event.id == Duty.event_id)
    rows = [row for chunk in chunks(people) for row in _rows(db, base.where(Duty.person_id.in_(chunk)))]
    by_ref = base.where(Event.source_agency.in_(AGENCIES))
    rows += [row for chunk in chunks(refs) for row in _rows(db, by_ref.where(Event.source_ref.in_(chunk)))]
    found = {row[0]: _OpenDuty(*row) for row in rows if row[2] and row[1] in codes}
    return list(found.values())


class _Evidence:
    """A rule's candidate evidence, indexed by the person it is about and the reference it quotes,
    so that matching a batch's open duties costs a look-up each, not a scan of the batch."""

    def __init__(self, facts: list[EventFacts]) -> None:
        self.by_person: dict[str, list[int]] = {}
        self.by_ref: dict[str, list[int]] = {}
        self.facts = facts
        for position, f in enumerate(facts):
            for person_id in {s.person_id for s in f.subjects}:
                self.by_person.setdefault(person_id, []).append(position)
            if isinstance(ref := f.payload.get("referrer_ref"), str):
                self.by_ref.setdefault(ref, []).append(position)

    def first(self, rule: Rule, duty: _OpenDuty) -> EventFacts | None:
        """The earliest evidence that the duty was met: quoting its record, or about its person in the window."""
        assert rule.discharged_by is not None
        window_end = duty.trigger_at + timedelta(days=rule.discharged_by.within_days)
        quoting = self.by_ref.get(duty.trigger_ref, [])
        about = [
            i
            for i in self.by_person.get(duty.person_id or "", [])
            if duty.trigger_at <= self.facts[i].occurred_at <= window_end
        ]
        matches = [self.facts[i] for i in sorted({*quoting, *about}) if self.facts[i].id != duty.event_id]
        return min(matches, key=lambda f: f.occurred_at, default=None)


def _can_discharge(rule: Rule, event_type: str, agency: str, payload: dict[str, Any]) -> bool:
    evidence = rule.discharged_by
    return (
        evidence is not None
        and event_type in evidence.types
        and agency == rule.to.agency
        and all(payload.get(k) == v for k, v in evidence.payload.items())
    )


def _load_open(db: Session, duty_ids: list[str]) -> list[Duty]:
    """The duties still open, locked in id order: another batch's rules running beside this one (ADR 53),
    or a practitioner, may have closed one since it was found open; the order rules out a deadlock."""
    stmt = select(Duty).order_by(Duty.id).with_for_update().execution_options(populate_existing=True)
    return [
        duty
        for chunk in chunks(sorted(duty_ids))
        for duty in db.execute(stmt.where(Duty.id.in_(chunk))).scalars()
        if duty.is_open
    ]


def _acknowledge_by(db: Session, duty: Duty, agency: str, ref: str, event_type: str, at: datetime) -> None:
    mark_acknowledged(db, duty, f"evidence: {agency} {ref}", at, f"{event_type} shows the information arrived")


def mark_acknowledged(db: Session, duty: Duty, by: str, at: datetime, note: str | None) -> None:
    """Move an open duty to acknowledged and record the transition (flushed with the session)."""
    before = duty.status
    duty.status, duty.is_open = "acknowledged", False
    duty.acknowledged_at, duty.acknowledged_by = at, by
    late = " (after the deadline)" if at > duty.due_at else ""
    db.add(DutyTransition(**transition(duty.id, before, "acknowledged", by, clock.now(), (note or "") + late)))


def _discharge_new_duties_by_earlier_evidence(
    db: Session, duties: list[dict[str, Any]], triggers: dict[str, EventFacts], rules: dict[str, Rule]
) -> None:
    """Events may arrive out of order: evidence already stored also discharges a new duty.

    Two indexed look-ups per batch: events about the duties' people, and events quoting the
    triggering records.
    """
    waiting = [row for row in duties if rules[row["rule_code"]].discharged_by is not None]
    if not waiting:
        return
    about, quoting = _earlier_evidence(db, waiting, triggers, rules)
    proofs = {}
    for row in waiting:
        rule, trigger = rules[row["rule_code"]], triggers[row["event_id"]]
        assert rule.discharged_by is not None
        window_end = trigger.occurred_at + timedelta(days=rule.discharged_by.within_days)
        in_window = [e for e in about.get(row["person_id"], []) if trigger.occurred_at <= e.occurred_at <= window_end]
        for evidence in sorted(in_window + quoting.get(trigger.source_ref, []), key=lambda e: e.occurred_at):
            if evidence.id != trigger.id and _can_discharge(
                rule, evidence.type, evidence.source_agency, evidence.payload
            ):
                proofs[row["id"]] = evidence
                break
    for duty in _load_open(db, list(proofs)):
        evidence = proofs[duty.id]
        _acknowledge_by(db, duty, evidence.source_agency, evidence.source_ref, evidence.type, evidence.occurred_at)


def _earlier_evidence(
    db: Session, waiting: list[dict[str, Any]], triggers: dict[str, EventFacts], rules: dict[str, Rule]
) -> tuple[dict[str, list[_Candidate]], dict[str, list[_Candidate]]]:
    """Candidate evidence events, by person they are about and by the reference they quote."""
    types = {t for r in waiting for t in rules[r["rule_code"]].discharged_by.types}  # type: ignore[union-attr]
    people = list({r["person_id"] for r in waiting if r["person_id"]})
    columns = (Event.id, Event.type, Event.source_agency, Event.source_ref, Event.occurred_at, Event.payload)
    # A person's whole history is read, so first only ids and types (type is checked here, not in
    # SQL: see _open_duties_near); then the full columns of the few events of a discharging type.
    stmt = select(EventSubject.person_id, Event.id, Event.type).join(Event, Event.id == EventSubject.event_id)
    people_of: dict[str, list[str]] = {}
    for chunk in chunks(people):
        for person_id, event_id, event_type in _rows(db, stmt.where(EventSubject.person_id.in_(chunk))):
            if event_type in types:
                people_of.setdefault(event_id, []).append(person_id)
    about: dict[str, list[_Candidate]] = {}
    for chunk in chunks(list(people_of)):
        for event in _rows(db, select(*columns).where(Event.id.in_(chunk))):
            for person_id in people_of[event[0]]:
                about.setdefault(person_id, []).append(_Candidate(*event))
    quoting: dict[str, list[_Candidate]] = {}
    refs = list({triggers[r["event_id"]].source_ref for r in waiting})
    stmt = select(QuotedReference.referrer_ref, *columns).join(Event, Event.id == QuotedReference.event_id)
    for chunk in chunks(refs):
        for ref, *event in _rows(db, stmt.where(QuotedReference.referrer_ref.in_(chunk))):
            quoting.setdefault(ref, []).append(_Candidate(*event))
    return about, quoting


def _remember_quoted_references(db: Session, facts: list[EventFacts]) -> None:
    rows = [(f.id, str(f.payload["referrer_ref"])) for f in facts if f.payload.get("referrer_ref")]
    insert_rows(db, QuotedReference.__table__, ("event_id", "referrer_ref"), rows)
