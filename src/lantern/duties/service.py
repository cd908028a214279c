"""Duties: created from events by the rules, delivered, acknowledged, made overdue, escalated."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, insert, literal, or_, select, update
from sqlalchemy.orm import Session

from lantern.access.vocabulary import AGENCIES
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.common import clock
from lantern.common.errors import Forbidden, InvalidInput, NotFound
from lantern.db.types import UTCDateTime, new_id
from lantern.duties import delivery
from lantern.duties import rules as duty_rules
from lantern.duties.facts import EventFacts, SubjectFacts, age_in_days
from lantern.duties.models import Duty, DutyTransition, QuotedReference
from lantern.duties.rules import DutyDraft, Rule
from lantern.events.models import Event, EventSubject
from lantern.family import service as family_service
from lantern.people.models import Person

OPEN = ("pending", "delivered", "overdue", "escalated")
STATUS_FILTERS = {
    "pending": ("pending",),
    "delivered": ("delivered",),
    "acknowledged": ("acknowledged", "actioned"),
    "overdue": ("overdue", "escalated"),
    "escalated": ("escalated",),
    "open": OPEN,
}
INBOX = "in-app inbox"


def facts_for(*, db: Session, event_ids: Sequence[str]) -> list[EventFacts]:
    """The facts the rules read, for each event (subjects' ages from the record or the person)."""
    if not event_ids:
        return []
    events = {e.id: e for e in db.execute(select(Event).where(Event.id.in_(event_ids))).scalars()}
    subjects: dict[str, list[SubjectFacts]] = {event_id: [] for event_id in events}
    stmt = (
        select(EventSubject, Person.date_of_birth)
        .join(Person, Person.id == EventSubject.person_id)
        .where(EventSubject.event_id.in_(event_ids))
        .order_by(EventSubject.position)
    )
    for subject, person_dob in db.execute(stmt):
        when = events[subject.event_id].occurred_at
        age = age_in_days(subject.record.get("date_of_birth") or person_dob, when)
        subjects[subject.event_id].append(SubjectFacts(subject.person_id, subject.role, age, subject.record))
    return [_facts(db, event, subjects[event.id]) for event in events.values()]


def _facts(db: Session, event: Event, subjects: list[SubjectFacts]) -> EventFacts:
    facts = EventFacts(
        id=event.id,
        type=event.type,
        source_agency=event.source_agency,
        source_ref=event.source_ref,
        occurred_at=event.occurred_at,
        summary=event.summary,
        location=event.location,
        payload=event.payload,
        subjects=subjects,
    )
    if event.type == "police.conviction":
        facts = EventFacts(**{**facts.__dict__, "household_children": _household_children(db, facts)})
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


def create_for_events(
    *, db: Session, event_ids: Sequence[str], rules_by_type: dict[str, list[Rule]] | None = None
) -> int:
    """Apply the duty rules to newly stored events; deliver to the in-app inbox, queue the
    agency's other channels (outbox, same transaction); use any evidence.

    Idempotent: a (rule, event, person) duty is created once.
    """
    rules_by_type = rules_by_type if rules_by_type is not None else duty_rules.default_rules()
    facts = facts_for(db=db, event_ids=_with_rules(db, event_ids, rules_by_type))
    drafts = [(f, d) for f in facts for d in duty_rules.evaluate(f, rules_by_type)]
    now = clock.now()
    duties = [_duty_row(fact, draft, now) for fact, draft in drafts]
    existing = _existing_keys(db, duties)
    duties = [d for d in duties if (d["rule_code"], d["event_id"], d["person_key"]) not in existing]
    _insert(db, Duty.__table__, duties)
    delivered = [
        _transition(d["id"], None, "delivered", "rules", now, f"created and delivered to the {INBOX}") for d in duties
    ]
    _insert(db, DutyTransition.__table__, delivered)
    delivery.enqueue(db=db, duties=duties, config=delivery.config_of(db))
    _remember_quoted_references(db, facts)
    discharge_by_evidence(db=db, facts=facts, rules=_all_rules(rules_by_type))
    _discharge_new_duties_by_earlier_evidence(db, duties, rules_by_type)
    return len(duties)


def _with_rules(db: Session, event_ids: Sequence[str], rules_by_type: dict[str, list[Rule]]) -> list[str]:
    """Only events of a type that some rule triggers on, or that can discharge a duty, need facts."""
    relevant = set(rules_by_type) | {
        t for r in _all_rules(rules_by_type).values() if r.discharged_by for t in r.discharged_by.types
    }
    found: list[str] = []
    for start in range(0, len(event_ids), 5000):
        chunk = list(event_ids[start : start + 5000])
        rows = db.execute(select(Event.id, Event.type).where(Event.id.in_(chunk)))
        found += [event_id for event_id, event_type in rows if event_type in relevant]
    return found


def _insert(db: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """Plain executemany: duties are a few per event, not worth the ingestion fast path."""
    if rows:
        db.execute(table.insert(), rows)


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


def _existing_keys(db: Session, duties: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    event_ids = list({d["event_id"] for d in duties})
    if not event_ids:
        return set()
    stmt = select(Duty.rule_code, Duty.event_id, Duty.person_key).where(Duty.event_id.in_(event_ids))
    return {(r, e, p) for r, e, p in db.execute(stmt)}


def _transition(
    duty_id: str, before: str | None, after: str, actor: str, at: datetime, note: str | None
) -> dict[str, Any]:
    return {"duty_id": duty_id, "at": at, "from_status": before, "to_status": after, "actor": actor, "note": note}


def _all_rules(rules_by_type: dict[str, list[Rule]]) -> dict[str, Rule]:
    return {rule.code: rule for rules in rules_by_type.values() for rule in rules}


def discharge_by_evidence(*, db: Session, facts: list[EventFacts], rules: dict[str, Rule]) -> int:
    """Acknowledge open duties that new events from the recipient show were passed on.

    Evidence is an event of a discharging type from the receiving agency that quotes the
    triggering record (`payload.referrer_ref`), or concerns the same person within the window.
    """
    evidence_for = {
        code: _Evidence(found)
        for code, rule in rules.items()
        if (found := [f for f in facts if _can_discharge(rule, f.type, f.source_agency, f.payload)])
    }
    if not evidence_for:
        return 0
    discharged = 0
    for duty, trigger_at, trigger_ref in _open_duties_near(db, set(evidence_for), facts):
        proof = evidence_for[duty.rule_code].first(rules[duty.rule_code], duty, trigger_at, trigger_ref)
        if proof is not None:
            _acknowledge_by(db, duty, proof.source_agency, proof.source_ref, proof.type, proof.occurred_at)
            discharged += 1
    return discharged


def _open_duties_near(db: Session, codes: set[str], evidence: list[EventFacts]) -> list[tuple[Duty, datetime, str]]:
    """Open duties of these rules about the evidence's people, or triggered by records it quotes.

    The SQL filters only on indexed person and reference columns (a person has few duties);
    rule and openness are checked here, so the planner cannot pick a scan of all open duties.
    """
    people = {s.person_id for f in evidence for s in f.subjects}
    refs = {str(f.payload["referrer_ref"]) for f in evidence if f.payload.get("referrer_ref")}
    base = select(Duty, Event.occurred_at, Event.source_ref).join(Event, Event.id == Duty.event_id)
    rows = list(db.execute(base.where(Duty.person_id.in_(people))))
    if refs:
        rows += db.execute(base.where(Event.source_agency.in_(AGENCIES), Event.source_ref.in_(refs)))
    found = {d.id: (d, at, ref) for d, at, ref in rows if d.is_open and d.rule_code in codes}
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

    def first(self, rule: Rule, duty: Duty, trigger_at: datetime, trigger_ref: str) -> EventFacts | None:
        """The earliest evidence that the duty was met: quoting its record, or about its person in the window."""
        assert rule.discharged_by is not None
        window_end = trigger_at + timedelta(days=rule.discharged_by.within_days)
        quoting = self.by_ref.get(trigger_ref, [])
        about = [
            i
            for i in self.by_person.get(duty.person_id or "", [])
            if trigger_at <= self.facts[i].occurred_at <= window_end
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


def _acknowledge_by(db: Session, duty: Duty, agency: str, ref: str, event_type: str, at: datetime) -> None:
    _acknowledge(db, duty, f"evidence: {agency} {ref}", at, f"{event_type} shows the information arrived")


def _discharge_new_duties_by_earlier_evidence(
    db: Session, duties: list[dict[str, Any]], rules_by_type: dict[str, list[Rule]]
) -> None:
    """Events may arrive out of order: evidence already stored also discharges a new duty.

    Two indexed look-ups per batch: events about the duties' people, and events quoting the
    triggering records.
    """
    rules = _all_rules(rules_by_type)
    waiting = [row for row in duties if rules[row["rule_code"]].discharged_by is not None]
    if not waiting:
        return
    triggers = {
        e.id: e for e in db.execute(select(Event).where(Event.id.in_({r["event_id"] for r in waiting}))).scalars()
    }
    about, quoting = _earlier_evidence(db, waiting, triggers, rules)
    for row in waiting:
        rule, trigger = rules[row["rule_code"]], triggers[row["event_id"]]
        assert rule.discharged_by is not None
        window_end = trigger.occurred_at + timedelta(days=rule.discharged_by.within_days)
        in_window = [e for e in about.get(row["person_id"], []) if trigger.occurred_at <= e.occurred_at <= window_end]
        for evidence in sorted(in_window + quoting.get(trigger.source_ref, []), key=lambda e: e.occurred_at):
            if evidence.id != trigger.id and _can_discharge(
                rule, evidence.type, evidence.source_agency, evidence.payload
            ):
                duty = db.get(Duty, row["id"])
                assert duty is not None
                _acknowledge_by(
                    db, duty, evidence.source_agency, evidence.source_ref, evidence.type, evidence.occurred_at
                )
                break


def _earlier_evidence(
    db: Session, waiting: list[dict[str, Any]], triggers: dict[str, Event], rules: dict[str, Rule]
) -> tuple[dict[str, list[Event]], dict[str, list[Event]]]:
    """Candidate evidence events, by person they are about and by the reference they quote."""
    types = {t for r in waiting for t in rules[r["rule_code"]].discharged_by.types}  # type: ignore[union-attr]
    people = {r["person_id"] for r in waiting if r["person_id"]}
    about: dict[str, list[Event]] = {}
    stmt = (
        select(EventSubject.person_id, Event)
        .join(Event, Event.id == EventSubject.event_id)
        .where(EventSubject.person_id.in_(people))  # type is checked below: see _open_duties_near
    )
    for person_id, event in db.execute(stmt):
        if event.type in types:
            about.setdefault(person_id, []).append(event)
    quoting: dict[str, list[Event]] = {}
    refs = {t.source_ref for t in triggers.values()}
    stmt2 = (
        select(QuotedReference.referrer_ref, Event)
        .join(Event, Event.id == QuotedReference.event_id)
        .where(QuotedReference.referrer_ref.in_(refs))
    )
    for ref, event in db.execute(stmt2):
        quoting.setdefault(ref, []).append(event)
    return about, quoting


def _remember_quoted_references(db: Session, facts: list[EventFacts]) -> None:
    rows = [
        {"event_id": f.id, "referrer_ref": str(f.payload["referrer_ref"])}
        for f in facts
        if f.payload.get("referrer_ref")
    ]
    _insert(db, QuotedReference.__table__, rows)


def _acknowledge(db: Session, duty: Duty, by: str, at: datetime, note: str | None) -> None:
    before = duty.status
    duty.status, duty.is_open = "acknowledged", False
    duty.acknowledged_at, duty.acknowledged_by = at, by
    late = " (after the deadline)" if at > duty.due_at else ""
    db.add(DutyTransition(**_transition(duty.id, before, "acknowledged", by, clock.now(), (note or "") + late)))
    db.flush()


def acknowledge(*, db: Session, duty_id: str, actor: Actor, note: str | None = None) -> Duty:
    """A named person of the recipient agency confirms they have the information."""
    duty = _for_recipient(db, duty_id, actor)
    if duty.status not in OPEN:
        raise InvalidInput([{"loc": ["status"], "msg": f"duty is already {duty.status}"}])
    _acknowledge(db, duty, actor.name, clock.now(), note)
    _audit(db, actor, "acknowledge", duty)
    return duty


def record_action(*, db: Session, duty_id: str, actor: Actor, note: str) -> Duty:
    """Record what the recipient did with the information; closes the duty."""
    if not note.strip():
        raise InvalidInput([{"loc": ["note"], "msg": "say what was done"}])
    duty = _for_recipient(db, duty_id, actor)
    if duty.status in OPEN:
        _acknowledge(db, duty, actor.name, clock.now(), "acknowledged when action was recorded")
    duty.status, duty.actioned_at, duty.action_note = "actioned", clock.now(), note.strip()
    db.add(DutyTransition(**_transition(duty.id, "acknowledged", "actioned", actor.name, clock.now(), note)))
    _audit(db, actor, "action", duty)
    db.flush()
    return duty


def _audit(db: Session, actor: Actor, action: str, duty: Duty) -> None:
    detail = {"person_id": duty.person_id, "rule": duty.rule_code}
    audit.record(db=db, actor=actor, action=action, object_type="duty", object_id=duty.id, detail=detail)


def _for_recipient(db: Session, duty_id: str, actor: Actor) -> Duty:
    duty = db.get(Duty, duty_id)
    if duty is None:
        raise NotFound(f"no duty {duty_id}")
    if actor.agency != duty.recipient_agency or actor.role not in {"practitioner", "manager"}:
        raise Forbidden("only the receiving agency's practitioners and managers can acknowledge this duty")
    return duty


def scheduler_pass(*, db: Session, now: datetime | None = None) -> dict[str, int]:
    """Mark duties past their deadline overdue, and escalate those overdue past their grace.

    Set-based: each step is one INSERT ... SELECT of the transitions and one UPDATE. State lives
    in the database, so a pass after a restart catches up on everything missed.
    """
    now = now or clock.now()
    falls_due = and_(Duty.is_open.is_(True), Duty.status.in_(("pending", "delivered")), Duty.due_at < now)
    overdue = _move(db, falls_due, "overdue", now, overdue_at=now)
    past_grace = and_(Duty.is_open.is_(True), Duty.status == "overdue", Duty.escalate_at <= now)
    escalated = _move(db, past_grace, "escalated", now, escalated_at=now)
    return {"overdue": overdue, "escalated": escalated}


def _move(db: Session, where: ColumnElement[bool], status: str, now: datetime, **stamps: datetime) -> int:
    """Record the transition of every duty matching `where`, then move them to `status`."""
    history = select(Duty.id, literal(now, UTCDateTime()), Duty.status, literal(status), literal("scheduler")).where(
        where
    )
    columns = ["duty_id", "at", "from_status", "to_status", "actor"]
    db.execute(insert(DutyTransition).from_select(columns, history))
    return db.execute(update(Duty).where(where).values(status=status, **stamps)).rowcount  # type: ignore[attr-defined, no-any-return]


def list_duties(
    *,
    db: Session,
    person_id: str | None = None,
    statuses: Sequence[str] | None = None,
    agency: str | None = None,
    limit: int = 500,
) -> list[Duty]:
    """Duties matching the filters, the soonest due first."""
    stmt = select(Duty)
    if person_id:
        stmt = stmt.where(Duty.person_id == person_id)
    if statuses:
        stmt = stmt.where(Duty.status.in_(statuses))
    if agency:
        stmt = stmt.where(or_(Duty.recipient_agency == agency, Duty.from_agency == agency))
    return list(db.execute(stmt.order_by(Duty.due_at).limit(limit)).scalars())


def transitions(*, db: Session, duty_ids: Sequence[str]) -> dict[str, list[DutyTransition]]:
    """The history of each duty, oldest first."""
    grouped: dict[str, list[DutyTransition]] = {i: [] for i in duty_ids}
    stmt = select(DutyTransition).where(DutyTransition.duty_id.in_(duty_ids)).order_by(DutyTransition.id)
    for row in db.execute(stmt).scalars():
        grouped[row.duty_id].append(row)
    return grouped
