"""Register entries: registration from a conviction record or by hand, addresses, status, officers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.common import clock
from lantern.common.errors import InvalidInput
from lantern.db.rows import found
from lantern.db.types import new_id
from lantern.duties import service as duties_service
from lantern.events.models import Event, EventSubject
from lantern.people import service as people_service
from lantern.register import rules
from lantern.register.models import RegisterAddress, RegisterEntry, RegisterOffence
from lantern.register.schemas import AddressNotice, EntryIn, EntryUpdate, OffenceIn

WATCH = Actor(id=None, name="register watch", agency=None, role="system")
MANAGING_AGENCIES = frozenset({"police", "probation"})
OFFENDER_ROLES = ("offender", "perpetrator", "suspect", "subject")
ADDRESS_RULE = "register-address-notification"
PPU = "Public protection unit"
CONVICTION = "police.conviction"


@dataclass(frozen=True)
class Seen:
    """Where a record placed a registered person: the address as sent and the record itself."""

    address: dict[str, Any]
    event_id: str
    agency: str
    ref: str
    at: datetime


def register_from_events(*, db: Session, event_ids: Sequence[str]) -> list[RegisterEntry]:
    """Register the offender of each new conviction record whose victim was a child (once per record)."""
    stmt = select(Event).where(Event.id.in_(event_ids), Event.type == CONVICTION)
    convictions = [e for e in db.execute(stmt).scalars() if e.payload.get("victim_is_child")]
    known = (
        set(
            db.execute(
                select(RegisterEntry.source_event_id).where(
                    RegisterEntry.source_event_id.in_([e.id for e in convictions])
                )
            ).scalars()
        )
        if convictions
        else set()
    )
    return [_register_conviction(db, event) for event in convictions if event.id not in known]


def _register_conviction(db: Session, event: Event) -> RegisterEntry:
    subject = _offender(db, event.id)
    payload = event.payload
    offence = OffenceIn(
        code=payload.get("offence_code"),
        description=payload.get("offence_description"),
        victim_age_years=payload.get("victim_age_years"),
        victim_relationship=payload.get("victim_relationship"),
    )
    entry = _create(
        db,
        person_id=subject.person_id,
        conviction_on=event.occurred_at.date(),
        sentence=(payload.get("sentence"), payload.get("sentence_months"), payload.get("court")),
        managing=(event.source_agency, None),
        offences=[offence],
        source_event_id=event.id,
        actor=WATCH,
    )
    if subject.record.get("address"):
        seen = Seen(subject.record["address"], event.id, event.source_agency, event.source_ref, event.occurred_at)
        note_address(db=db, entry=entry, seen=seen)
    return entry


def _offender(db: Session, event_id: str) -> EventSubject:
    subjects = list(db.execute(select(EventSubject).where(EventSubject.event_id == event_id)).scalars())
    for role in OFFENDER_ROLES:
        for subject in subjects:
            if subject.role == role:
                return subject
    return min(subjects, key=lambda s: s.position)


def register_by_hand(*, db: Session, entry_in: EntryIn, actor: Actor) -> RegisterEntry:
    """A registration recorded by a police or probation officer (policy checked by the caller)."""
    person = people_service.require(db=db, person_id=entry_in.person_id)
    while person.merged_into:
        person = people_service.get(db=db, person_id=person.merged_into) or person
    agency = entry_in.managing_agency or (actor.agency if actor.agency in MANAGING_AGENCIES else "police")
    entry = _create(
        db,
        person_id=person.id,
        conviction_on=entry_in.conviction_on,
        sentence=(entry_in.sentence, entry_in.sentence_months, entry_in.court),
        managing=(agency, entry_in.managing_officer),
        offences=entry_in.offences,
        source_event_id=None,
        actor=actor,
    )
    if entry_in.address is not None:
        notice = AddressNotice(address=entry_in.address, moved_in_on=entry_in.conviction_on, notified_at=clock.now())
        record_address(db=db, entry=entry, notice=notice, actor=actor)
    return entry


def _create(
    db: Session,
    *,
    person_id: str,
    conviction_on: date,
    sentence: tuple[str | None, int | None, str | None],
    managing: tuple[str, str | None],
    offences: Sequence[OffenceIn],
    source_event_id: str | None,
    actor: Actor,
) -> RegisterEntry:
    text, months, court = sentence
    years = rules.monitoring_years(months)
    entry = RegisterEntry(
        id=new_id(),
        person_id=person_id,
        status="active",
        conviction_on=conviction_on,
        sentence=text,
        sentence_months=months,
        court=court,
        monitoring_years=years,
        monitoring_ends_on=rules.monitoring_ends_on(conviction_on, years),
        managing_agency=managing[0],
        managing_officer=managing[1],
        source_event_id=source_event_id,
        registered_at=clock.now(),
        registered_by=actor.name,
    )
    db.add(entry)
    db.add_all(_offence(entry.id, offence) for offence in offences)
    db.flush()
    audit.record(
        db=db,
        actor=actor,
        action="register",
        object_type="register_entry",
        object_id=entry.id,
        detail={"person_id": person_id, "source_event_id": source_event_id},
    )
    return entry


def _offence(entry_id: str, offence: OffenceIn) -> RegisterOffence:
    known = rules.offences().get(offence.code or "")
    description = offence.description or (known.description if known else None)
    if not description:
        raise InvalidInput(
            [
                {
                    "loc": ["offences", "description"],
                    "msg": f"unknown offence code {offence.code!r}: describe the offence",
                }
            ]
        )
    return RegisterOffence(
        entry_id=entry_id,
        code=offence.code,
        description=description,
        statute=known.statute if known else None,
        victim_age_years=offence.victim_age_years,
        victim_relationship=offence.victim_relationship,
    )


def _key(address: dict[str, Any]) -> tuple[str, str] | None:
    postcode, line1 = address.get("postcode"), address.get("line1")
    return (postcode, line1.strip().lower()) if postcode and line1 else None


def addresses_of(db: Session, entry_ids: Sequence[str]) -> dict[str, list[RegisterAddress]]:
    """Each entry's addresses, in the order the person moved in."""
    grouped: dict[str, list[RegisterAddress]] = {entry_id: [] for entry_id in entry_ids}
    stmt = select(RegisterAddress).where(RegisterAddress.entry_id.in_(entry_ids)).order_by(RegisterAddress.moved_in_at)
    for row in db.execute(stmt).scalars():
        grouped[row.entry_id].append(row)
    return grouped


def note_address(*, db: Session, entry: RegisterEntry, seen: Seen, known: set[tuple[str, str]] | None = None) -> None:
    """An address of the person in a record: new to the register, it is notified when the managing
    agencies recorded it, else it opens a notification duty that goes to the managing officer unmet."""
    key = _key(seen.address)
    known = (
        known if known is not None else {(a.postcode, a.line1_lower) for a in addresses_of(db, [entry.id])[entry.id]}
    )
    if key is None or key in known:
        return
    known.add(key)
    notified = seen.agency in MANAGING_AGENCIES
    row = _address_row(entry.id, seen.address, seen.at, f"{seen.agency} record {seen.ref}", seen.event_id)
    if notified:
        row.notified_at, row.notified_by = seen.at, f"{seen.agency} record {seen.ref}"
    else:
        row.duty_id = _notification_duty(db, entry, seen)
    db.add(row)
    db.flush()


def _address_row(
    entry_id: str, address: dict[str, Any], at: datetime, source: str, event_id: str | None
) -> RegisterAddress:
    line1 = address.get("line1") or ""
    return RegisterAddress(
        entry_id=entry_id,
        line1=line1,
        line1_lower=line1.strip().lower(),
        line2=address.get("line2"),
        town=address.get("town"),
        postcode=address.get("postcode") or "",
        moved_in_at=at,
        source=source,
        source_event_id=event_id,
    )


def _notification_duty(db: Session, entry: RegisterEntry, seen: Seen) -> str:
    due = rules.notification_due(seen.at)
    days = rules.config().address_notification_working_days
    where = ", ".join(str(seen.address[k]) for k in ("line1", "line2", "town", "postcode") if seen.address.get(k))
    duty = duties_service.DirectDuty(
        rule_code=ADDRESS_RULE,
        title="Registered person's address change not notified",
        event_id=seen.event_id,
        person_id=None,  # kept off the person's duty list: register membership is for the managing agencies
        from_agency=entry.managing_agency,
        recipient_agency=entry.managing_agency,
        recipient_team=PPU,
        content={"entry_id": entry.id, "address": where, "seen_in": f"{seen.agency} {seen.ref}"},
        reason=f"The {seen.agency} record {seen.ref} places a registered person at {where} on "
        f"{seen.at:%d %B %Y}; a move must be notified within {days} working days (register.toml).",
        due_at=due,
        escalate_at=due + rules.escalation(),
        escalate_to=f"managing officer {entry.managing_officer or '(not allocated)'}",
    )
    return duties_service.raise_duty(db=db, duty=duty)


def record_address(*, db: Session, entry: RegisterEntry, notice: AddressNotice, actor: Actor) -> RegisterAddress:
    """The person notified an address: recorded (or an address already seen marked notified), and
    the notification duty it opened acknowledged. Late when after the notification deadline."""
    address = notice.address.model_dump(exclude_none=True)
    key = _key(address)
    if key is None:
        raise InvalidInput([{"loc": ["address"], "msg": "an address needs a first line and a postcode"}])
    moved_in = datetime.combine(notice.moved_in_on, datetime.min.time(), tzinfo=clock.now().tzinfo)
    notified_at = notice.notified_at or clock.now()
    rows = {(a.postcode, a.line1_lower): a for a in addresses_of(db, [entry.id])[entry.id]}
    row = rows.get(key) or _address_row(entry.id, address, moved_in, f"notified to {actor.agency or actor.name}", None)
    row.notified_at, row.notified_by = notified_at, actor.name
    db.add(row)
    db.flush()
    if row.duty_id is not None and actor.agency == entry.managing_agency:
        _acknowledge(db, row.duty_id, actor)
    audit.record(
        db=db,
        actor=actor,
        action="address",
        object_type="register_entry",
        object_id=entry.id,
        detail={"postcode": row.postcode, "late": is_late(row)},
    )
    return row


def _acknowledge(db: Session, duty_id: str, actor: Actor) -> None:
    try:
        duties_service.acknowledge(
            db=db, duty_id=duty_id, actor=actor, note="address notified by the registered person"
        )
    except InvalidInput:  # already met (acknowledged earlier, or closed by a manager)
        return


def is_late(address: RegisterAddress) -> bool:
    """Notified after the deadline counted from the move."""
    return address.notified_at is not None and address.notified_at > rules.notification_due(address.moved_in_at)


def update(*, db: Session, entry: RegisterEntry, change: EntryUpdate, actor: Actor) -> RegisterEntry:
    """Change the status (under appeal, deceased, active again) or allocate the managing officer."""
    if change.status is not None:
        entry.status = change.status
    if change.managing_officer is not None:
        entry.managing_officer = change.managing_officer or None
    if change.note:
        entry.status_note = change.note
    db.flush()
    audit.record(
        db=db,
        actor=actor,
        action="update",
        object_type="register_entry",
        object_id=entry.id,
        detail=change.model_dump(exclude_none=True),
    )
    return entry


def get(*, db: Session, entry_id: str) -> RegisterEntry:
    """One entry, or NotFound."""
    return found(db, RegisterEntry, entry_id, "register entry")


def list_entries(*, db: Session, officer: str | None = None, person_id: str | None = None) -> list[RegisterEntry]:
    """Entries, newest conviction first; an officer's caseload, or a person's registrations."""
    stmt = select(RegisterEntry).order_by(RegisterEntry.conviction_on.desc())
    if officer is not None:
        stmt = stmt.where(RegisterEntry.managing_officer == officer)
    if person_id is not None:
        stmt = stmt.where(RegisterEntry.person_id == person_id)
    return list(db.execute(stmt).scalars())


def offences_of(db: Session, entry_ids: Sequence[str]) -> dict[str, list[RegisterOffence]]:
    """Each entry's offences."""
    grouped: dict[str, list[RegisterOffence]] = {entry_id: [] for entry_id in entry_ids}
    for row in db.execute(select(RegisterOffence).where(RegisterOffence.entry_id.in_(entry_ids))).scalars():
        grouped[row.entry_id].append(row)
    return grouped
