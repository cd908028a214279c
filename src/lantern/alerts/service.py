"""Evaluating the patterns on a child's network and keeping the alerts, one per pattern and cause."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lantern.alerts import patterns
from lantern.alerts.models import Alert
from lantern.alerts.patterns import Dated, Finding
from lantern.assessments.growth import service as growth_service
from lantern.common import clock
from lantern.db.engine import writing
from lantern.db.types import new_id
from lantern.events.models import Event, EventSubject
from lantern.family import network
from lantern.family.history import adult_histories
from lantern.family.network import Network

NOT_PARENTS = frozenset({"household_member", "parents_partner", "carer", "step_parent", "visitor", "partner"})
ADULTS = NOT_PARENTS | {"parent"}
OWN_ROLES = ("child", "patient", "subject", "child_present")


def evaluate(*, db: Session, person_id: str) -> list[Alert]:
    """Run every pattern on the person's network; store new alerts, update changed ones."""
    built = network.build(db, person_id)
    if built.person is None:
        return []
    findings = _da_findings(db, built) + _new_adult_findings(db, built) + _own_record_findings(db, built)
    findings += _growth_findings(db, person_id)
    return [_keep(db, person_id, finding) for finding in findings]


def _adults(built: Network) -> list[network.Member]:
    born = built.person.date_of_birth if built.person else None
    return [
        m
        for m in built.members.values()
        if m.relation in ADULTS and (m.date_of_birth is None or born is None or m.date_of_birth < born)
    ]


def _da_findings(db: Session, built: Network) -> list[Finding]:
    adults = {m.person_id: m for m in _adults(built)}
    histories = adult_histories(db, list(adults))
    found = []
    for adult_id, items in histories.items():
        incidents = [
            Dated(h.event_id, h.occurred_at, h.source_ref, h.other_name)
            for h in items
            if h.type == "police.domestic_abuse_incident"
        ]
        finding = patterns.da_accumulation(adult_id, adults[adult_id].name, incidents) if incidents else None
        if finding is not None:
            found.append(finding)
    return found


def _new_adult_findings(db: Session, built: Network) -> list[Finding]:
    born = built.person.date_of_birth if built.person else None
    known_from = db.execute(
        select(func.min(Event.occurred_at))
        .join(EventSubject, EventSubject.event_id == Event.id)
        .where(EventSubject.person_id == built.person_id)
    ).scalar_one()
    found = []
    for member in _adults(built):
        if member.relation not in NOT_PARENTS or member.via is not None or member.joined <= known_from:
            continue  # "joining" means arriving after the child was already known without them
        if patterns.new_adult_infant(born, member.person_id, member.name, member.label, Dated("", member.joined, "")):
            joined = _first_record(db, member.person_id, member.joined)
            finding = patterns.new_adult_infant(born, member.person_id, member.name, member.label, joined)
            found += [finding] if finding else []
    return found


def _first_record(db: Session, person_id: str, since: datetime) -> Dated:
    """The first record naming the person from `since`: the evidence that they joined."""
    stmt = (
        select(Event.id, Event.occurred_at, Event.source_ref)
        .join(EventSubject, EventSubject.event_id == Event.id)
        .where(EventSubject.person_id == person_id, Event.occurred_at >= since)
        .order_by(Event.occurred_at)
        .limit(1)
    )
    row = db.execute(stmt).first()
    return Dated(row[0], row[1], row[2]) if row else Dated("", since, "an address record")


def _own_record_findings(db: Session, built: Network) -> list[Finding]:
    """Emergency attendances and missed appointments in the child's own records."""
    stmt = (
        select(Event.id, Event.occurred_at, Event.source_ref, Event.type, Event.payload)
        .join(EventSubject, EventSubject.event_id == Event.id)
        .where(EventSubject.person_id == built.person_id, EventSubject.role.in_(OWN_ROLES))
        .where(Event.type.in_(("hospital.ed_attendance", "health_visitor.contact", "gp.consultation")))
    )
    ed, missed = [], []
    for event_id, at, ref, event_type, payload in db.execute(stmt):
        if event_type == "hospital.ed_attendance":
            ed.append(Dated(event_id, at, ref))
        elif payload.get("was_not_brought"):
            missed.append(Dated(event_id, at, ref))
    born = built.person.date_of_birth if built.person else None
    found = [
        patterns.repeated("repeated_ed", born, ed, "emergency department attendances"),
        patterns.repeated("was_not_brought", born, missed, "appointments the child was not brought to"),
    ]
    return [f for f in found if f is not None]


def _growth_findings(db: Session, person_id: str) -> list[Finding]:
    """NICE NG75 faltering growth, from the child's weights on the UK-WHO chart (assessments.growth)."""
    return [
        Finding(c.code, "", c.title, c.explanation, c.threshold, c.event_ids)
        for c in growth_service.concerns(db=db, person_id=person_id)
    ]


def _keep(db: Session, person_id: str, finding: Finding) -> Alert:
    """Store the finding, or update the stored alert when its evidence changed (never a duplicate)."""
    stmt = select(Alert).where(
        Alert.rule_code == finding.rule_code, Alert.person_id == person_id, Alert.cause_key == finding.cause_key
    )
    alert = db.execute(stmt).scalar_one_or_none()
    if alert is not None and list(alert.event_ids) == list(finding.event_ids):
        return alert
    with writing(db):  # a page that only reads may find an alert new or changed
        alert = db.execute(stmt).scalar_one_or_none()  # again, under the write lock: another reader may have kept it
        now = clock.now()
        if alert is None:
            alert = Alert(id=new_id(), rule_code=finding.rule_code, person_id=person_id, cause_key=finding.cause_key)
            alert.status, alert.raised_at = "open", now
            db.add(alert)
        alert.title, alert.explanation, alert.threshold = finding.title, finding.explanation, finding.threshold
        alert.event_ids, alert.updated_at = list(finding.event_ids), now
        db.flush()
    return alert


def list_for(*, db: Session, person_id: str) -> list[Alert]:
    """The stored alerts about a person, newest first."""
    stmt = select(Alert).where(Alert.person_id == person_id).order_by(Alert.updated_at.desc())
    return list(db.execute(stmt).scalars())


def about_people_seen_since(*, db: Session, since: datetime) -> list[str]:
    """Children named in records received since a time: whom a scan should evaluate."""
    stmt = (
        select(EventSubject.person_id)
        .join(Event, Event.id == EventSubject.event_id)
        .where(Event.received_at >= since, EventSubject.role.in_((*OWN_ROLES, "unborn", "pupil")))
        .distinct()
    )
    return list(db.execute(stmt).scalars())
