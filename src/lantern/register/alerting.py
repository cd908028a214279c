"""Household alerts: one per registered person and household, raised to children's social care
and the managing officer as duties, deduplicated, and re-raised when the household grows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.access.vocabulary import AGENCIES
from lantern.audit import service as audit
from lantern.common import clock
from lantern.db.types import new_id
from lantern.duties import service as duties_service
from lantern.events.models import Event, EventSubject
from lantern.events.vocabulary import EVENT_TYPES
from lantern.identity import merge as identity_merge
from lantern.identity import review as identity_review
from lantern.people import service as people_service
from lantern.register import rules
from lantern.register.models import RegisterAlert, RegisterEntry
from lantern.register.rules import Finding
from lantern.register.service import PPU, WATCH


def keep(*, db: Session, entry: RegisterEntry, findings: Sequence[tuple[Event, EventSubject, Finding]]) -> int:
    """Fold the findings, oldest first, into the entry's alerts; return how many were raised."""
    alerts = list(db.execute(select(RegisterAlert).where(RegisterAlert.entry_id == entry.id)).scalars())
    raised = 0
    for event, own, finding in findings:
        ids = {m.person_id for m in finding.members} or {f"{finding.kind}:{event.id}"}
        current = [a for a in alerts if a.status == "open" and ids & _member_ids(a)]
        if any(ids <= _member_ids(a) for a in current):
            _add_event(next(a for a in current if ids <= _member_ids(a)), event.id)
            continue
        alert = _raise(db, entry, event, own, finding, current)
        alerts.append(alert)
        raised += 1
    return raised


def _member_ids(alert: RegisterAlert) -> set[str]:
    return {m["person_id"] for m in alert.members} or {f"{alert.kind}:{alert.trigger_event_id}"}


def _add_event(alert: RegisterAlert, event_id: str) -> None:
    if event_id not in alert.event_ids:
        alert.event_ids = [*alert.event_ids, event_id]


def _raise(
    db: Session, entry: RegisterEntry, event: Event, own: EventSubject, finding: Finding, grown: list[RegisterAlert]
) -> RegisterAlert:
    """A new alert (superseding any alert of the same household it grew from) and its two duties."""
    members = {m["person_id"]: m for a in grown for m in a.members}
    members |= {m.person_id: _member(m) for m in finding.members}
    for old in grown:
        old.status = "superseded"
    alert = RegisterAlert(
        id=new_id(),
        entry_id=entry.id,
        household_key=rules.household_key(set(members) or {f"{finding.kind}:{event.id}"}),
        kind=finding.kind,
        trigger_event_id=event.id,
        members=list(members.values()),
        event_ids=sorted({event.id, *(e for a in grown for e in a.event_ids)}),
        explanation=_explain(db, entry, event, own, finding, grown),
        evidence=_evidence(db, entry.person_id, event.source_agency, own.record),
        status="open",
        replaces_id=grown[-1].id if grown else None,
        raised_at=clock.now(),
    )
    db.add(alert)
    db.flush()
    alert.csc_duty_id, alert.officer_duty_id = _duties(db, entry, event, alert)
    audit.record(
        db=db,
        actor=WATCH,
        action="alert",
        object_type="register_alert",
        object_id=alert.id,
        detail={"entry_id": entry.id, "event_id": event.id, "kind": finding.kind},
    )
    return alert


def _member(m: rules.CoSubject) -> dict[str, Any]:
    return {"person_id": m.person_id, "name": m.name, "role": m.role, "is_child": rules.is_child(m)}


def _explain(
    db: Session, entry: RegisterEntry, event: Event, own: EventSubject, finding: Finding, grown: list[RegisterAlert]
) -> str:
    person = people_service.get(db=db, person_id=entry.person_id)
    registered = " ".join(n for n in (person.given_name, person.family_name) if n) if person else entry.person_id
    named = " ".join(str(own.record.get(k)) for k in ("given_name", "family_name") if own.record.get(k))
    others = ", ".join(f"{m.name} ({m.role.replace('_', ' ')})" for m in finding.members) or "no one else"
    text = (
        f"{EVENT_TYPES[event.type].label} ({AGENCIES[event.source_agency]} {event.source_ref}, "
        f"{event.occurred_at:%d %B %Y}) names {named or 'a person'} as {own.role.replace('_', ' ')} with {others}: "
        f"{rules.KIND_LABELS[finding.kind]}. Identity resolution places this record with {registered}, "
        f"on the register since {entry.conviction_on:%d %B %Y} (managed by {AGENCIES[entry.managing_agency]})."
    )
    if grown:
        text += " The household has changed since the last alert: this alert replaces it."
    return text


def _evidence(db: Session, person_id: str, agency: str, sent: dict[str, Any]) -> list[str]:
    """Why the record belongs to the registered person: the identity record that matched (the model's
    explanation, or the identifier), and any merge that joined two records of him."""
    given, family = (str(sent.get(k) or "").lower() for k in ("given_name", "family_name"))
    lines = []
    for record in identity_review.records_of(db, person_id):
        if record.source_agency != agency or (record.given_name, record.family_name) != (given or None, family or None):
            continue
        if record.linked_by == "model" and record.evidence:
            sentences = "; ".join(c["sentence"] for c in record.evidence.get("explanation", []) if c.get("weight"))
            lines.append(f"{agency} record matched by the linkage model ({record.match_probability:.2%}): {sentences}")
        elif record.linked_by.startswith("identifier:"):
            lines.append(f"{agency} record matched on the {record.linked_by.split(':', 1)[1].upper()} identifier")
        else:
            lines.append(f"{agency} record first stood alone as a new person; a merge below joined it to him")
    for merged in identity_merge.merges_of(db, person_id):
        if merged.kept_id == person_id and merged.undone_at is None:
            lines.append(f"Merged with another record of him by {merged.decided_by}: {merged.reason}")
    return list(dict.fromkeys(lines)) or [
        "Named in the record under the same person id (see 'How we know this is one person')."
    ]


def _duties(db: Session, entry: RegisterEntry, event: Event, alert: RegisterAlert) -> tuple[str, str]:
    """Children's social care (about the first child, else the first member) and the managing officer."""
    due = rules.alert_due(alert.raised_at)
    about = next((m for m in alert.members if m["is_child"]), alert.members[0] if alert.members else None)
    label = rules.KIND_LABELS[alert.kind]
    linked = (
        f"A person on the register of violent offenders against children is linked to {label} by "
        f"{EVENT_TYPES[event.type].label.lower()} {event.source_agency} {event.source_ref}"
    )
    household = [m["name"] for m in alert.members]
    csc = duties_service.DirectDuty(
        rule_code="register-household-alert-csc",
        title="Household alert: contact the police public protection unit",
        event_id=event.id,
        person_id=about["person_id"] if about else None,
        from_agency=entry.managing_agency,
        recipient_agency="csc",
        recipient_team="MASH",
        content={"alert_id": alert.id, "action": rules.ACTION, "household": household},
        reason=f"{linked}. {rules.ACTION}",
        due_at=due,
        escalate_at=due + rules.escalation(),
        escalate_to="MASH team manager",
    )
    officer = replace(
        csc,
        rule_code="register-household-alert-officer",
        title="Registered person linked to a household",
        person_id=None,
        recipient_agency=entry.managing_agency,
        recipient_team=entry.managing_officer or PPU,
        content={"alert_id": alert.id, "entry_id": entry.id, "household": household},
        escalate_to=f"{PPU} manager",
    )
    if alert.kind == "pregnancy":
        _pre_birth_assessment(db, entry, csc, alert, linked)
    return duties_service.raise_duty(db=db, duty=csc), duties_service.raise_duty(db=db, duty=officer)


def _pre_birth_assessment(
    db: Session, entry: RegisterEntry, csc: duties_service.DirectDuty, alert: RegisterAlert, linked: str
) -> str:
    """A pregnancy linked to a registered person triggers a pre-birth assessment by children's social care:
    the household alert's duty to them, about the expectant mother and due when the assessment must start."""
    expectant = next((m for m in alert.members if not m["is_child"] and m["person_id"] != entry.person_id), None)
    due = rules.pre_birth_assessment_due(alert.raised_at)
    pre_birth = replace(
        csc,
        rule_code="register-pre-birth-assessment",
        title="Start a pre-birth assessment",
        person_id=expectant["person_id"] if expectant else None,
        recipient_team="Assessment team",
        reason=f"{linked}: a pre-birth assessment must start before the birth. {rules.ACTION}",
        due_at=due,
        escalate_at=due + rules.escalation(),
        escalate_to="Assessment team manager",
    )
    return duties_service.raise_duty(db=db, duty=pre_birth)


def for_people(*, db: Session, person_ids: Sequence[str]) -> list[RegisterAlert]:
    """Open alerts whose household includes any of these people, newest first."""
    wanted = set(person_ids)
    stmt = select(RegisterAlert).where(RegisterAlert.status == "open").order_by(RegisterAlert.raised_at.desc())
    return [a for a in db.execute(stmt).scalars() if wanted & {m["person_id"] for m in a.members}]


def list_alerts(*, db: Session, entry_id: str | None = None) -> list[RegisterAlert]:
    """Alerts, newest first; those of one entry when given."""
    stmt = select(RegisterAlert).order_by(RegisterAlert.raised_at.desc())
    if entry_id is not None:
        stmt = stmt.where(RegisterAlert.entry_id == entry_id)
    return list(db.execute(stmt).scalars())
