"""The register's use cases for the API and pages: the access policy, minimum necessary and audit.

Register details (offences, sentence, addresses, the alert's explanation and match evidence) go only
to those the policy allows `register:read`; anyone else doing casework sees an alert's action and
household, never why. Every view is written to the audit chain.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from lantern.access import policy
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.common import clock
from lantern.family.service import display_name
from lantern.people import service as people_service
from lantern.register import alerting, rules, service, watch
from lantern.register.models import RegisterAddress, RegisterAlert, RegisterEntry, RegisterOffence
from lantern.register.schemas import AddressNotice, AddressRead, AlertRead, EntryIn, EntryRead, EntryUpdate, OffenceRead


def entries(*, db: Session, actor: Actor, officer: str | None = None) -> list[EntryRead]:
    """The register, or one officer's caseload; audited as one read of the register."""
    policy.require(actor, "register:read")
    found = service.list_entries(db=db, officer=officer)
    audit.record(
        db=db, actor=actor, action="read", object_type="register", detail={"officer": officer, "entries": len(found)}
    )
    return _reads(db, found)


def entry(*, db: Session, actor: Actor, entry_id: str) -> EntryRead:
    """One registration with its details; audited against the entry and the person."""
    policy.require(actor, "register:read")
    found = service.get(db=db, entry_id=entry_id)
    audit.record(db=db, actor=actor, action="read", object_type="register_entry", object_id=entry_id)
    audit.record(
        db=db,
        actor=actor,
        action="read",
        object_type="person",
        object_id=found.person_id,
        detail={"register_entry": entry_id},
    )
    return _reads(db, [found])[0]


def register(*, db: Session, actor: Actor, entry_in: EntryIn) -> EntryRead:
    """Register by hand (police and probation), then look at the person's record since conviction."""
    policy.require(actor, "register:write")
    created = service.register_by_hand(db=db, entry_in=entry_in, actor=actor)
    watch.check(db=db, entries=[created])
    return _reads(db, [created])[0]


def notify_address(*, db: Session, actor: Actor, entry_id: str, notice: AddressNotice) -> EntryRead:
    """Record an address the registered person notified (meets the duty a sighting opened)."""
    policy.require(actor, "register:write")
    found = service.get(db=db, entry_id=entry_id)
    service.record_address(db=db, entry=found, notice=notice, actor=actor)
    return _reads(db, [found])[0]


def update(*, db: Session, actor: Actor, entry_id: str, change: EntryUpdate) -> EntryRead:
    """Status (under appeal, deceased, active) or managing officer."""
    policy.require(actor, "register:write")
    found = service.update(db=db, entry=service.get(db=db, entry_id=entry_id), change=change, actor=actor)
    return _reads(db, [found])[0]


def alerts(*, db: Session, actor: Actor, person_id: str | None = None, entry_id: str | None = None) -> list[AlertRead]:
    """Alerts about a household member (anyone doing casework: the action only, unless they may read
    the register) or all alerts / one entry's (register readers only). Audited."""
    detailed = policy.can(actor, "register:read")
    if person_id is None:
        policy.require(actor, "register:read")
        found = alerting.list_alerts(db=db, entry_id=entry_id)
    else:
        policy.require(actor, "alert:read")
        found = alerting.for_people(db=db, person_ids=[person_id])
    audit.record(
        db=db,
        actor=actor,
        action="read",
        object_type="register_alerts",
        object_id=person_id or entry_id,
        detail={"alerts": [a.id for a in found], "details": detailed},
    )
    return [alert_read(a, detailed) for a in found]


def alert_read(alert: RegisterAlert, detailed: bool) -> AlertRead:
    """An alert as this viewer may see it."""
    shown = AlertRead(
        id=alert.id,
        kind=alert.kind,
        raised_at=alert.raised_at,
        status=alert.status,
        action=rules.ACTION,
        household=[{"person_id": m["person_id"], "name": m["name"]} for m in alert.members],
        trigger_event_id=alert.trigger_event_id,
        replaces_id=alert.replaces_id,
    )
    if detailed:
        shown.entry_id, shown.explanation = alert.entry_id, alert.explanation
        shown.evidence, shown.event_ids = list(alert.evidence), list(alert.event_ids)
    return shown


def address_checks(*, db: Session, actor: Actor) -> list[tuple[EntryRead, AddressRead]]:
    """Addresses seen but not notified, the most overdue first (police and probation)."""
    policy.require(actor, "register:read")
    listed = _reads(db, service.list_entries(db=db))
    waiting = [(e, a) for e in listed for a in e.addresses if a.notification in ("awaited", "overdue")]
    audit.record(db=db, actor=actor, action="read", object_type="register", detail={"address_checks": len(waiting)})
    return sorted(waiting, key=lambda pair: pair[1].moved_in_at)


def _reads(db: Session, found: list[RegisterEntry]) -> list[EntryRead]:
    ids = [e.id for e in found]
    offences, addresses = service.offences_of(db, ids), service.addresses_of(db, ids)
    today = clock.now().date()
    return [_read(db, e, offences[e.id], addresses[e.id], today) for e in found]


def _read(
    db: Session, e: RegisterEntry, offences: list[RegisterOffence], addresses: list[RegisterAddress], today: date
) -> EntryRead:
    person = people_service.get(db=db, person_id=e.person_id)
    names = people_service.details(db=db, person_id=e.person_id)["names"]
    name = display_name(person.given_name, person.family_name) if person else e.person_id
    aliases = sorted({display_name(n.given_name, n.family_name) for n in names} - {name})
    return EntryRead(
        **{
            c: getattr(e, c)
            for c in (
                "id",
                "person_id",
                "conviction_on",
                "sentence",
                "sentence_months",
                "court",
                "monitoring_years",
                "monitoring_ends_on",
                "managing_agency",
                "managing_officer",
                "registered_at",
                "registered_by",
            )
        },
        name=name,
        aliases=aliases,
        status=rules.shown_status(e.status, e.monitoring_ends_on, today),
        offences=[OffenceRead.model_validate(o) for o in offences],
        addresses=[_address(a) for a in addresses],
    )


def _address(a: RegisterAddress) -> AddressRead:
    if a.notified_at is not None:
        state = "notified late" if service.is_late(a) else "notified"
    else:
        state = "overdue" if clock.now() > rules.notification_due(a.moved_in_at) else "awaited"
    return AddressRead.model_validate(
        {**{c: getattr(a, c) for c in AddressRead.model_fields if c != "notification"}, "notification": state}
    )
