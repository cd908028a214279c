"""The plan watch: every stored batch of events checked against open plans' conditions.

`on_batch` runs once per stored batch, in the batch's transaction, after identity resolution.
One indexed query (a union over `plan (child_id, status)` and `plan_condition (person_id)`) finds
which of the people the writer resolved the batch's subjects to is a child on an open plan or a
person a condition names; a batch naming nobody on a plan costs that one query. Only for the
records naming them are the plan, its conditions and the records' subjects read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from lantern.db.portable import chunks
from lantern.events.batch import NewEvent
from lantern.events.models import Event, EventSubject
from lantern.family import network
from lantern.people.models import Person
from lantern.plans import alerting, rules
from lantern.plans.models import HouseholdMemberTask, Plan, PlanCondition, StayNotice
from lantern.plans.rules import Seen, Subject


def on_batch(*, db: Session, events: Sequence[NewEvent]) -> int:
    """Check the batch's records against the open plans they touch; return breaches and tasks raised."""
    naming: dict[str, list[str]] = defaultdict(list)  # person id: the batch's records naming them
    for event in events:
        for person_id in set(event.person_ids):
            naming[person_id].append(event.id)
    pairs: set[tuple[str, str]] = set()
    for chunk in chunks(sorted(naming)):
        for person_id, plan_id in _watched(db, chunk):
            pairs |= {(event_id, plan_id) for event_id in naming[person_id]}
    return check(db=db, pairs=pairs) if pairs else 0


def after_merge(*, db: Session, person_id: str) -> int:
    """A merge can give a child on a plan (or a condition's person) records that named a duplicate:
    check the kept person's records since each plan started; return breaches and tasks raised."""
    children = select(Plan.id, Plan.start_on).where(Plan.child_id == person_id, Plan.status == "active")
    named = (
        select(Plan.id, Plan.start_on)
        .join(PlanCondition, PlanCondition.plan_id == Plan.id)
        .where(PlanCondition.person_id == person_id, PlanCondition.is_open.is_(True))
    )
    plans = dict(db.execute(union(children, named)).all())
    if not plans:
        return 0
    since = datetime.combine(min(plans.values()), datetime.min.time(), tzinfo=UTC) - timedelta(days=1)
    stmt = (
        select(EventSubject.event_id)
        .join(Event, Event.id == EventSubject.event_id)
        .where(EventSubject.person_id == person_id, Event.occurred_at >= since)
    )
    event_ids = set(db.execute(stmt).scalars())
    return check(db=db, pairs=[(e, p) for e in event_ids for p in plans])


def since_start(*, db: Session, plan: Plan) -> int:
    """A plan recorded after its conference: check the conditions against the records already stored
    since it started that name the child or a condition's person (the adults in them are the
    household the plan was made about, not new ones); return the breaches raised."""
    people = {plan.child_id} | {
        p for p in db.execute(select(PlanCondition.person_id).where(PlanCondition.plan_id == plan.id)).scalars() if p
    }
    since = datetime.combine(plan.start_on, datetime.min.time(), tzinfo=UTC) - timedelta(days=1)
    stmt = (
        select(EventSubject.event_id)
        .join(Event, Event.id == EventSubject.event_id)
        .where(EventSubject.person_id.in_(people), Event.occurred_at >= since)
    )
    return check(db=db, pairs=[(e, plan.id) for e in set(db.execute(stmt).scalars())], adults=False)


def _watched(db: Session, person_ids: Sequence[str]) -> list[tuple[str, str]]:
    """(person id, plan id) for each of these people who is a child on an open plan or a condition's person."""
    children = select(Plan.child_id, Plan.id).where(Plan.child_id.in_(person_ids), Plan.status == "active")
    named = select(PlanCondition.person_id, PlanCondition.plan_id).where(
        PlanCondition.person_id.in_(person_ids), PlanCondition.is_open.is_(True)
    )
    found: Any = db.execute(union(children, named))  # the union's rows are untyped
    return [(person_id, plan_id) for person_id, plan_id in found]


def check(*, db: Session, pairs: Iterable[tuple[str, str]], adults: bool = True) -> int:
    """Check each (record, plan): conditions contradicted become breaches, new adults become tasks
    (unless `adults` is false)."""
    by_event: dict[str, set[str]] = defaultdict(set)
    for event_id, plan_id in pairs:
        by_event[event_id].add(plan_id)
    plan_ids = {p for ps in by_event.values() for p in ps}
    plans = {p.id: p for p in db.execute(select(Plan).where(Plan.id.in_(plan_ids), Plan.status == "active")).scalars()}
    conditions: dict[str, list[PlanCondition]] = defaultdict(list)
    for c in db.execute(
        select(PlanCondition).where(PlanCondition.plan_id.in_(plans), PlanCondition.is_open.is_(True))
    ).scalars():
        conditions[c.plan_id].append(c)
    notices: dict[str, list[rules.Notice]] = defaultdict(list)
    for n in db.execute(select(StayNotice).where(StayNotice.plan_id.in_(plans))).scalars():
        notices[n.plan_id].append(rules.Notice(n.address, n.from_on, n.to_on))
    events = sorted(
        db.execute(select(Event).where(Event.id.in_(by_event))).scalars(), key=lambda e: (e.occurred_at, e.id)
    )
    seen = _seen(db, events)
    known: dict[str, set[str]] = {}
    around: dict[str, network.Network] = {}
    raised = 0
    for event in events:
        for plan in (plans[p] for p in sorted(by_event[event.id]) if p in plans):
            if event.occurred_at.astimezone(rules.LONDON).date() < plan.start_on:
                continue  # a record of before the plan cannot break it
            for condition in conditions[plan.id]:
                text = rules.breach(
                    condition.kind,
                    condition.person_id,
                    plan.child_id,
                    plan.home_address,
                    seen[event.id],
                    notices[plan.id],
                )
                if text and alerting.keep_breach(db=db, plan=plan, condition=condition, event=event, explanation=text):
                    raised += 1
            if adults:
                raised += _new_adults(db, plan, conditions[plan.id], event, seen[event.id], known, around)
    return raised


def _new_adults(
    db: Session,
    plan: Plan,
    conditions: list[PlanCondition],
    event: Event,
    seen: Seen,
    known: dict[str, set[str]],
    around: dict[str, network.Network],
) -> int:
    on_plan = {plan.child_id, *(m.get("person_id") for m in plan.core_group), *(c.person_id for c in conditions)}
    candidates = rules.new_adults(plan.child_id, seen, {p for p in on_plan if p})
    if not candidates:
        return 0
    if plan.id not in known:  # once per plan and batch: tasks already raised, the network around the child
        tasked = db.execute(select(HouseholdMemberTask.person_id).where(HouseholdMemberTask.plan_id == plan.id))
        known[plan.id] = set(tasked.scalars())
        around[plan.id] = network.build(db, plan.child_id, with_status=False)
    before = {m.person_id for m in around[plan.id].members.values() if m.first_seen < event.occurred_at}
    new = []
    for adult in candidates:
        if adult.person_id in before or adult.person_id in known[plan.id]:
            continue
        if alerting.raise_task(db=db, plan=plan, event=event, adult=adult) is not None:
            new.append(adult)
        known[plan.id].add(adult.person_id)
    raised = len(new)
    for condition in (c for c in conditions if c.kind == "report_new_adults" and new):
        text = rules.new_adults_breach(new)
        if alerting.keep_breach(db=db, plan=plan, condition=condition, event=event, explanation=text):
            raised += 1
    return raised


def _seen(db: Session, events: list[Event]) -> dict[str, Seen]:
    """The records as the rules see them, subjects with their names and ages at the time."""
    stmt = (
        select(EventSubject.event_id, EventSubject.person_id, EventSubject.role, EventSubject.record)
        .add_columns(Person.given_name, Person.family_name, Person.date_of_birth)
        .join(Person, Person.id == EventSubject.person_id)
        .where(EventSubject.event_id.in_([e.id for e in events]))
        .order_by(EventSubject.event_id, EventSubject.position)
    )
    subjects: dict[str, list[Subject]] = defaultdict(list)
    at = {e.id: e.occurred_at for e in events}
    for event_id, person_id, role, sent, given, family, dob in db.execute(stmt):
        name = " ".join(n for n in (sent.get("given_name") or given, sent.get("family_name") or family) if n)
        age = rules.age_years(sent.get("date_of_birth") or dob, at[event_id])
        address = sent.get("address")
        subjects[event_id].append(Subject(person_id, role, name or "(no name recorded)", address, age))
    return {e.id: Seen(e.type, e.occurred_at, e.location, e.payload or {}, tuple(subjects[e.id])) for e in events}
