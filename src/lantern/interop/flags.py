"""The CP-IS-style flag look-up: unscheduled care asks, by NHS number, whether a child is on a child
protection or child in need plan or looked after, or whether a pregnant woman's unborn child is on
a plan; the answer names whom to call, the responsible team is told the child attended, and every
look-up is audited and shown to the next one (the last 25).

Guidance: NHS England, Child Protection - Information Sharing (CP-IS) service: the flag is held
against the child's NHS number (an unborn child's against the pregnant woman's), each access is
notified to the responsible local authority, and the clinician sees the last 25 accesses.
Looked after: Lantern holds no placement record; a child is looked after when a children's social
care decision or outcome says so (foster care, a care order, "looked after"), read by
`family.network.statuses` (docs/decisions.md, ADR 39).
"""

from __future__ import annotations

import tomllib
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session, aliased

from lantern.access import policy
from lantern.audit import service as audit
from lantern.audit.models import AuditEntry
from lantern.audit.service import Actor
from lantern.common import clock
from lantern.common.errors import InvalidInput, NotFound
from lantern.db.engine import writing
from lantern.db.types import new_id
from lantern.duties import service as duties_service
from lantern.events import flows as events_flows
from lantern.events.models import EventSubject
from lantern.family import network
from lantern.interop.schemas import AccessRead, Contact, FlagAnswer, FlagRead
from lantern.people import rules as people_rules
from lantern.people import service as people_service
from lantern.plans import rules as plan_rules
from lantern.plans.models import Plan

CONTACTS = Path(__file__).with_name("contacts.toml")
LOOKUP = "flag_lookup"
RULE = "flag-attendance"
SHOWN_ACCESSES = 25
DUE_HOURS = 24  # the team acts on an attendance by the next day, as on a breach of the plan
SETTING_OF_AGENCY = {
    "hospital": "emergency_department",
    "midwifery": "maternity",
    "ambulance": "ambulance",
    "gp": "out_of_hours_gp",
}
SETTINGS = {
    "emergency_department": "the emergency department",
    "maternity": "maternity",
    "ambulance": "an ambulance attendance",
    "out_of_hours_gp": "the out-of-hours GP service",
    "urgent_care": "an urgent treatment centre",
}
LABELS = {
    "cp_plan": "On a child protection plan",
    "cin_plan": "On a child in need plan",
    "looked_after": "Looked after by the local authority",
    "unborn_cp_plan": "Unborn child on a child protection plan",
    "unborn_cin_plan": "Unborn child on a child in need plan",
}


@cache
def load_contacts(path: Path = CONTACTS) -> dict[str, Contact]:
    """The teams to call (`contacts.toml`): for a child on a plan, and for a looked-after child."""
    return {key: Contact(**value) for key, value in tomllib.loads(path.read_text()).items()}


def require_lookup(*, actor: Actor) -> None:
    """Refuse anyone outside unscheduled care (emergency departments, maternity, ambulance, out-of-hours GPs)."""
    policy.require(actor, "flags:read")


def lookup(*, db: Session, actor: Actor, nhs_number: str, setting: str | None = None) -> FlagAnswer:
    """Answer whether the child (or unborn child) of this NHS number is flagged; audit the look-up, tell
    the responsible team of the attendance (a duty), and give the last 25 look-ups before this one."""
    policy.require(actor, "flags:read")
    number, where = _checked(nhs_number, setting or SETTING_OF_AGENCY.get(actor.agency or "", "urgent_care"))
    found = people_service.search(db=db, text=number)
    person = found[0] if found else None
    if person is None:
        _audit(db, actor, None, {"nhs_number": number, "setting": where, "held": False})
        return FlagAnswer(nhs_number=number, held=False, message=_none_held(number, known=False))
    flags = _flags(db, actor, person.id)
    accesses = recent_accesses(db=db, person_id=person.id)
    duty_ids: list[str] = []
    if flags:
        with writing(db):  # a look-up is a GET: the attendance and the team's duty are written in their own transaction
            duty_ids = _notify(db, actor, person, flags, where)
    detail = {"nhs_number": number, "setting": where, "held": bool(flags), "flags": [f.kind for f in flags]}
    _audit(db, actor, person.id, detail | {"duties": duty_ids})
    name = " ".join(n for n in (person.given_name, person.family_name) if n) or None
    message = _held(flags) if flags else _none_held(number, known=True)
    return FlagAnswer(
        nhs_number=number, held=bool(flags), message=message, person_id=person.id, name=name,
        date_of_birth=person.date_of_birth, flags=flags, duty_ids=duty_ids, accesses=accesses,
    )  # fmt: skip


def _checked(nhs_number: str, setting: str) -> tuple[str, str]:
    number = people_rules.normalise_nhs_number(nhs_number or "")
    problem = people_rules.nhs_number_problem(number) if number else "enter the NHS number"
    if problem:
        raise InvalidInput([{"loc": ["nhs_number"], "msg": problem}])
    if setting not in SETTINGS:
        raise InvalidInput([{"loc": ["setting"], "msg": f"one of {', '.join(SETTINGS)}"}])
    return number, setting


def flags_of(*, db: Session, actor: Actor, person_id: str) -> list[FlagRead]:
    """The flags held on a person, without a look-up's audit and notice (a FHIR export's Flags)."""
    return _flags(db, actor, person_id)


def _flags(db: Session, actor: Actor, person_id: str) -> list[FlagRead]:
    """The person's own active plans and looked-after status, and the active plans of her unborn children."""
    contacts = load_contacts()
    plans = active_plans(db=db, person_id=person_id)
    found = [_plan_flag(p, "" if p.child_id == person_id else "unborn_", contacts["plan"]) for p in plans]
    if network.statuses(db, [person_id]).get(person_id) == "in care":
        found.append(FlagRead(kind="looked_after", label=LABELS["looked_after"], person_id=person_id,
                              contact=contacts["looked_after"]))  # fmt: skip
    return sorted(found, key=lambda f: f.kind.startswith("unborn_"))


def active_plans(*, db: Session, person_id: str) -> list[Plan]:
    """The active plans of the person and of the unborn children records name her the mother of: one
    indexed query (plan by child and status). Read here rather than by `plans.service.list_`, which
    audits each child's plans as a read; the look-up's own audit entry records this one."""
    return list(db.execute(_ACTIVE_PLANS, {"person_id": person_id}).scalars())


# Built once: a statement with aliases costs more to build than to run (SQLAlchemy caches the SQL).
_MOTHER, _UNBORN = aliased(EventSubject), aliased(EventSubject)
_UNBORN_OF = (
    select(_UNBORN.person_id)
    .join(_MOTHER, _MOTHER.event_id == _UNBORN.event_id)
    .where(_MOTHER.person_id == bindparam("person_id"), _MOTHER.role == "mother", _UNBORN.role == "unborn")
)
_ACTIVE_PLANS = (
    select(Plan)
    .where(Plan.status == "active", or_(Plan.child_id == bindparam("person_id"), Plan.child_id.in_(_UNBORN_OF)))
    .order_by(Plan.start_on, Plan.id)
)
_ACCESSES = (
    select(AuditEntry.at, AuditEntry.actor, AuditEntry.agency, AuditEntry.detail)
    .where(AuditEntry.object_id == bindparam("person_id"), AuditEntry.object_type == "person")
    .where(AuditEntry.action == LOOKUP)
    .order_by(AuditEntry.seq.desc())
    .limit(bindparam("limit"))
)


def _plan_flag(plan: Plan, prefix: str, contact: Contact) -> FlagRead:
    kind = f"{prefix}{plan.kind}_plan"
    return FlagRead(
        kind=kind, label=LABELS[kind], person_id=plan.child_id, since=plan.start_on, category=plan.category,
        lead_professional=plan.lead_professional, manager=plan.manager, contact=contact,
    )  # fmt: skip


def _notify(db: Session, actor: Actor, person: Any, flags: list[FlagRead], setting: str) -> list[str]:
    """Record the attendance as the agency's event naming the child, and raise a duty to each team."""
    unborn = [f.person_id for f in flags if f.kind.startswith("unborn_")]
    subjects = [{"person": _person(person), "role": "mother" if unborn and len(unborn) == len(flags) else "patient"}]
    subjects += [{"person": {"given_name": "unborn child"}, "role": "unborn"} for _ in dict.fromkeys(unborn)]
    now = clock.now()
    raw = {
        "source_agency": actor.agency,
        "source_ref": f"FLAG-{new_id()}",
        "type": "unscheduled_care.attendance",
        "occurred_at": now.isoformat(),
        "subjects": subjects,
        "summary": f"Seen in {SETTINGS[setting]}; the child-protection flag was checked by {actor.name}.",
        "payload": {"setting": setting, "flags": sorted({f.kind for f in flags})},
    }
    event_id = events_flows.record_known(db=db, raw=raw, person_ids=[person.id, *dict.fromkeys(unborn)], actor=actor)
    return list(dict.fromkeys(_duty(db, actor, event_id, flag, setting, now) for flag in flags))


def _duty(db: Session, actor: Actor, event_id: str, flag: FlagRead, setting: str, now: datetime) -> str:
    due = now + timedelta(hours=DUE_HOURS)
    team = flag.lead_professional or flag.contact.team
    return duties_service.raise_duty(
        db=db,
        duty=duties_service.DirectDuty(
            rule_code=RULE,
            title=f"Attended unscheduled care: {flag.label.lower()}",
            event_id=event_id,
            person_id=flag.person_id,
            from_agency=actor.agency or "",
            recipient_agency="csc",
            recipient_team=team,
            content={"flag": flag.kind, "setting": setting, "checked_by": actor.name},
            reason=(
                f"{flag.label}: seen in {SETTINGS[setting]} ({actor.agency}); the flag was checked by {actor.name}. "
                "Contact the clinician if the plan or the child's safety needs it."
            ),
            due_at=due,
            escalate_at=due + plan_rules.escalation(),
            escalate_to=flag.manager or f"{flag.contact.team} manager",
        ),
    )


def _person(person: Any) -> dict[str, Any]:
    shown: dict[str, Any] = {"given_name": person.given_name, "family_name": person.family_name}
    if person.date_of_birth:
        shown["date_of_birth"] = person.date_of_birth.isoformat()
    if person.nhs_number:
        shown["nhs_number"] = person.nhs_number
    return {k: v for k, v in shown.items() if v} or {"given_name": "patient"}


def _audit(db: Session, actor: Actor, person_id: str | None, detail: dict[str, Any]) -> None:
    audit.record(db=db, actor=actor, action=LOOKUP, object_type="person", object_id=person_id, detail=detail)


def recent_accesses(*, db: Session, person_id: str, limit: int = SHOWN_ACCESSES) -> list[AccessRead]:
    """The latest look-ups of this person's flag, newest first (one indexed query on the audit log)."""
    rows = db.execute(_ACCESSES, {"person_id": person_id, "limit": limit})
    return [
        AccessRead(at=at, who=who, agency=agency, setting=detail.get("setting"), held=bool(detail.get("held")))
        for at, who, agency, detail in rows
    ]


def history(*, db: Session, actor: Actor, person_id: str) -> list[AccessRead]:
    """Who has looked up a child's flag (children's social care), audited as a read of the child."""
    policy.require(actor, "flags:history")
    if len(person_id) > 36 or people_service.get(db=db, person_id=person_id) is None:
        raise NotFound(f"no person {person_id}")
    audit.record(db=db, actor=actor, action="read", object_type="person", object_id=person_id,
                 detail={"flag_accesses": True})  # fmt: skip
    return recent_accesses(db=db, person_id=person_id)


def _held(flags: list[FlagRead]) -> str:
    return "Flag held: " + "; ".join(f.label.lower() for f in flags) + ". Call the team below before discharge."


def _none_held(number: str, *, known: bool) -> str:
    whom = "this person" if known else f"NHS number {number}"
    return (
        f"No flag held for {whom}: Lantern holds no child protection or child in need plan and no looked-after "
        "status. This does not mean there are no concerns: follow your own safeguarding procedures."
    )
