"""The watch: registered people linked by any agency's record to a household with a child.

`on_batch` runs once per stored batch of events, in the batch's transaction, after identity
resolution (and any merge it made). One indexed query finds, among the people the writer resolved
the batch's subjects to, those on the register; only for them is their record since conviction
read, so a batch that names nobody on the register costs that one query. Reading their whole
record (not only the batch) is what catches a link made by a merge: a booking that named "Jason
Thackery" becomes his when a later record shows the two are one person.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from lantern.db.portable import chunks
from lantern.events.batch import NewEvent
from lantern.events.models import Event, EventSubject
from lantern.people.models import Person
from lantern.register import alerting, rules, service
from lantern.register.models import RegisterEntry
from lantern.register.rules import CoSubject, Finding


def on_batch(*, db: Session, events: Sequence[NewEvent]) -> int:
    """Register new convictions with a child victim, then check every registered person the batch
    names; return the alerts raised."""
    if not events:
        return 0
    convictions = [event.id for event in events if event.type == service.CONVICTION]
    new = service.register_from_events(db=db, event_ids=convictions) if convictions else []
    named = _registered_among(db, sorted({person_id for event in events for person_id in event.person_ids}))
    return check(db=db, entries=list({e.id: e for e in [*new, *named]}.values()))


def after_merge(*, db: Session, person_id: str) -> int:
    """A merge by hand or on review can make a registered person's record name a household: check
    the kept person at once rather than at their next record; return the alerts raised."""
    stmt = select(RegisterEntry).where(
        RegisterEntry.person_id == person_id, RegisterEntry.status.in_(("active", "under_appeal"))
    )
    return check(db=db, entries=list(db.execute(stmt).scalars()))


def _registered_among(db: Session, person_ids: Sequence[str]) -> list[RegisterEntry]:
    entries: list[RegisterEntry] = []
    for chunk in chunks(person_ids):
        entries += db.execute(select(RegisterEntry).where(RegisterEntry.person_id.in_(chunk))).scalars()
    return [e for e in entries if e.status in ("active", "under_appeal")]


def check(*, db: Session, entries: Sequence[RegisterEntry]) -> int:
    """Read each entry's record since conviction: note new addresses, raise or update household alerts."""
    raised = 0
    for entry in entries:
        records = _records_since_conviction(db, entry)
        known = {(a.postcode, a.line1_lower) for a in service.addresses_of(db, [entry.id])[entry.id]}
        for record in records:
            if record.own_address and record.event.id != entry.source_event_id:
                service.note_address(db=db, entry=entry, seen=record.seen(), known=known)
        findings = _findings(db, entry, records)
        raised += alerting.keep(db=db, entry=entry, findings=findings)
    return raised


class _Record:
    """One record naming the registered person: the event, how he was named, and the others in it."""

    def __init__(self, event: Event, own: EventSubject) -> None:
        self.event, self.own = event, own
        self.others: list[CoSubject] = []
        self.own_address = own.record.get("address") if own.record.get("address", {}).get("postcode") else None

    def seen(self) -> service.Seen:
        assert self.own_address is not None
        e = self.event
        return service.Seen(self.own_address, e.id, e.source_agency, e.source_ref, e.occurred_at)


def _records_since_conviction(db: Session, entry: RegisterEntry) -> list[_Record]:
    since = datetime.combine(entry.conviction_on, datetime.min.time(), tzinfo=UTC)
    stmt = (
        select(Event, EventSubject)
        .join(EventSubject, EventSubject.event_id == Event.id)
        .where(EventSubject.person_id == entry.person_id, Event.occurred_at >= since)
        .order_by(Event.occurred_at, Event.id)
    )
    records: dict[str, _Record] = {}
    for event, own in db.execute(stmt):
        if rules.is_monitored(entry.monitoring_ends_on, event.occurred_at.date()) and event.id not in records:
            records[event.id] = _Record(event, own)
    _add_others(db, entry.person_id, records)
    return list(records.values())


def _add_others(db: Session, person_id: str, records: dict[str, _Record]) -> None:
    """The other subjects of the records, with their age when the record was made."""
    stmt = (
        select(EventSubject.event_id, EventSubject.person_id, EventSubject.role, EventSubject.record)
        .add_columns(Person.date_of_birth, Person.given_name, Person.family_name)
        .join(Person, Person.id == EventSubject.person_id)
        .where(EventSubject.person_id != person_id)
    )
    for chunk in chunks(list(records)):
        for event_id, other_id, role, sent, dob, given, family in db.execute(
            stmt.where(EventSubject.event_id.in_(chunk))
        ):
            at = records[event_id].event.occurred_at
            age = rules.age_years(sent.get("date_of_birth") or dob, at)
            name = " ".join(n for n in (given or sent.get("given_name"), family or sent.get("family_name")) if n)
            records[event_id].others.append(CoSubject(other_id, role, name or "(no name recorded)", age))


def _findings(db: Session, entry: RegisterEntry, records: list[_Record]) -> list[tuple[Event, EventSubject, Finding]]:
    adults = {
        o.person_id for r in records for o in r.others if not rules.is_child(o) and o.role in rules.HOUSEHOLD_ROLES
    }
    parents = _parents_of_children(db, adults)
    found = []
    for record in records:
        if record.event.id == entry.source_event_id or record.event.type == service.CONVICTION:
            continue  # a conviction names its victim: history, not a new household
        finding = rules.classify(record.event.type, record.others, parents)
        if finding is not None:
            found.append((record.event, record.own, finding))
    return found


def _parents_of_children(db: Session, adult_ids: set[str]) -> set[str]:
    """Those adults named anywhere as the parent or carer of a child: a partner with children."""
    if not adult_ids:
        return set()
    parent, child = aliased(EventSubject), aliased(EventSubject)
    stmt = (
        select(parent.person_id)
        .join(child, child.event_id == parent.event_id)
        .where(parent.person_id.in_(list(adult_ids)), parent.role.in_(rules.PARENT_ROLES))
        .where(child.role.in_(rules.CHILD_ROLES))
        .distinct()
    )
    return set(db.execute(stmt).scalars())
