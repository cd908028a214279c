"""Handovers: a structured checklist (risks, plan conditions, open actions, family network, upcoming
dates) prefilled from what Lantern knows, sent to the receiving worker, who must confirm each
section; only that acknowledgement changes the allocated worker."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.access import policy
from lantern.alerts import service as alerts_service
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.casework import rules, service
from lantern.casework.models import Case, CaseAction, ConferenceRecord, Handover
from lantern.casework.schemas import AcknowledgementIn, HandoverIn
from lantern.common import clock
from lantern.common.errors import Conflict, Forbidden, InvalidInput
from lantern.db.rows import found
from lantern.db.types import new_id
from lantern.duties import service as duties_service
from lantern.family import network
from lantern.plans import service as plans_service
from lantern.register import alerting as register_alerting
from lantern.register.rules import ACTION as REGISTER_ACTION

NONE_KNOWN = "None recorded in Lantern."


def prefill(db: Session, actor: Actor, case: Case) -> dict[str, str]:
    """The checklist as Lantern knows it: open alerts, the conditions of the child's active plans with
    whether each is kept, open duties and actions, the network, the dates."""
    today = rules.local_day(clock.now())
    alerts = [
        f"{a.title}: {a.threshold}"
        for a in alerts_service.list_for(db=db, person_id=case.person_id)
        if a.status == "open"
    ]
    if register_alerting.for_people(db=db, person_ids=[case.person_id]):
        alerts.append(f"Household alert (register of violent offenders against children): {REGISTER_ACTION}")
    duties = duties_service.list_duties(db=db, person_id=case.person_id, statuses=duties_service.OPEN)
    actions = list(
        db.execute(
            select(CaseAction)
            .where(CaseAction.case_id == case.id, CaseAction.status == "open")
            .order_by(CaseAction.due_on)
        ).scalars()
    )
    conditions, plan_actions = _plans(db, actor, case.person_id)
    open_actions = [f"{d.title} ({d.recipient_team}, due {d.due_at:%d %b %Y})" for d in duties] + plan_actions
    open_actions += [f"{a.description} (owner {a.owner}, due {a.due_on:%d %b %Y})" for a in actions]
    members = network.build(db, case.person_id, with_status=False).members_on(clock.now())
    names = service.names_of(db, [m.person_id for m in members])
    family = [f"{names.get(m.person_id, m.name or m.person_id)} ({m.label})" for m in members]
    conferences = db.execute(
        select(ConferenceRecord).where(ConferenceRecord.person_id == case.person_id, ConferenceRecord.status == "due")
    ).scalars()
    dates = [
        f"{c.kind.capitalize()} child protection conference due by {c.due_on:%d %b %Y}"
        + (" (overdue)" if rules.is_conference_overdue(c.due_on, None, today) else "")
        for c in conferences
    ]
    dates += [f"Action due {a.due_on:%d %b %Y}: {a.description}" for a in actions]
    return {
        "risks": _lines(alerts),
        "plan_conditions": _lines(conditions) if conditions else "",
        "open_actions": _lines(open_actions),
        "family_network": _lines(family),
        "upcoming_dates": _lines(dates),
    }


def _plans(db: Session, actor: Actor, person_id: str) -> tuple[list[str], list[str]]:
    """The conditions of the child's active plans, each kept or breached, and the plans' open actions."""
    listed = plans_service.list_(db=db, actor=actor, child_id=person_id)
    plans = [plans_service.read(db=db, plan_id=p.id, actor=actor) for p in listed if p.status == "active"]
    conditions = [
        f"{c.wording}: {c.status}"
        + (f" ({len(c.breaches)} breach{'es' if len(c.breaches) != 1 else ''})" if c.breaches else "")
        for plan in plans
        for c in plan.conditions
    ]
    actions = [
        f"Plan action: {a.description} (owner {a.owner}, due {a.due_on:%d %b %Y})"
        for plan in plans
        for a in plan.actions
        if a.done_on is None
    ]
    return conditions, actions


def _lines(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items) if items else NONE_KNOWN


def send(*, db: Session, actor: Actor, case_id: str, handover_in: HandoverIn) -> Handover:
    """The current worker or a manager sends the case to a receiving worker, with the checklist
    (sections not given are prefilled). The allocation does not change until acknowledged."""
    policy.require(actor, "case:write")
    case = service.get(db=db, case_id=case_id)
    if actor.name not in (case.worker, case.manager) and actor.role != "manager":
        raise Forbidden("only the allocated worker or a manager can hand over a case")
    if case.status != "open":
        raise Conflict("the case is closed")
    if handover_in.to_worker == case.worker:
        raise InvalidInput([{"loc": ["to_worker"], "msg": f"{case.worker} already holds this case"}])
    if any(h.status == "sent" for h in of_case(db=db, case_id=case.id)):
        raise Conflict("a handover of this case is waiting for acknowledgement: withdraw it first")
    filled = prefill(db, actor, case) | {k: v for k, v in handover_in.checklist.items() if v.strip()}
    handover = Handover(
        id=new_id(),
        case_id=case.id,
        from_worker=case.worker,
        to_worker=handover_in.to_worker,
        status="sent",
        checklist={key: filled.get(key) or "(not given)" for key in rules.HANDOVER_SECTIONS},
        note=handover_in.note,
        sent_at=clock.now(),
        sent_by=actor.name,
        confirmed=[],
    )
    db.add(handover)
    db.flush()
    _audit(db, actor, "send", handover)
    return handover


def acknowledge(*, db: Session, actor: Actor, handover_id: str, ack: AcknowledgementIn) -> Handover:
    """The receiving worker confirms every section; the handover completes and the case is theirs.
    Refused for anyone else, for a section not confirmed, or for a handover not waiting."""
    policy.require(actor, "case:write")
    handover = get(db=db, handover_id=handover_id)
    if handover.status != "sent":
        raise Conflict(f"this handover is already {handover.status}")
    if actor.name != handover.to_worker:
        raise Forbidden(f"only {handover.to_worker}, the receiving worker, can acknowledge this handover")
    missing = rules.missing_confirmations(ack.confirmed)
    if missing:
        labels = ", ".join(rules.HANDOVER_SECTIONS[key] for key in missing)
        raise InvalidInput(
            [
                {
                    "loc": ["confirmed"],
                    "msg": f"the handover is not complete until the receiving worker "
                    f"confirms every section; not confirmed: {labels}",
                }
            ]
        )
    handover.confirmed, handover.acknowledgement_note = list(rules.HANDOVER_SECTIONS), ack.note
    complete(db, actor, handover)
    return handover


def complete(db: Session, actor: Actor, handover: Handover) -> None:
    """Change the allocation; refused (409) unless the receiving worker has acknowledged every section."""
    if rules.missing_confirmations(handover.confirmed) or actor.name != handover.to_worker:
        raise Conflict("a handover completes only when the receiving worker acknowledges it")
    case = service.get(db=db, case_id=handover.case_id)
    handover.status, handover.acknowledged_at = "acknowledged", clock.now()
    handover.event_id = service.allocate(db, actor, case, handover.to_worker, handover)
    db.flush()
    _audit(db, actor, "acknowledge", handover)


def withdraw(*, db: Session, actor: Actor, handover_id: str) -> Handover:
    """The sender or a manager withdraws a handover still waiting; the allocation is unchanged."""
    policy.require(actor, "case:write")
    handover = get(db=db, handover_id=handover_id)
    if handover.status != "sent":
        raise Conflict(f"this handover is already {handover.status}")
    if actor.name != handover.sent_by and actor.role != "manager":
        raise Forbidden("only the sender or a manager can withdraw a handover")
    handover.status = "withdrawn"
    db.flush()
    _audit(db, actor, "withdraw", handover)
    return handover


def get(*, db: Session, handover_id: str) -> Handover:
    """One handover, or NotFound."""
    return found(db, Handover, handover_id, "handover")


def read(*, db: Session, actor: Actor, handover_id: str) -> Handover:
    """One handover; the read is audited against the child."""
    policy.require(actor, "case:read")
    handover = get(db=db, handover_id=handover_id)
    case = service.get(db=db, case_id=handover.case_id)
    service.audit_read_of_child(db, actor, case.person_id, view="handover", handover_id=handover.id)
    return handover


def of_case(*, db: Session, case_id: str) -> list[Handover]:
    """A case's handovers, oldest first."""
    return list(db.execute(select(Handover).where(Handover.case_id == case_id).order_by(Handover.sent_at)).scalars())


def waiting_for(*, db: Session, worker: str) -> list[Handover]:
    """Handovers waiting for this worker's acknowledgement, or sent by them and not yet acknowledged."""
    stmt = (
        select(Handover)
        .where(Handover.status == "sent")
        .where((Handover.to_worker == worker) | (Handover.sent_by == worker) | (Handover.from_worker == worker))
    )
    return list(db.execute(stmt.order_by(Handover.sent_at)).scalars())


def _audit(db: Session, actor: Actor, action: str, handover: Handover) -> None:
    detail = {"case_id": handover.case_id, "from": handover.from_worker, "to": handover.to_worker}
    audit.record(
        db=db, actor=actor, action=action, object_type="casework_handover", object_id=handover.id, detail=detail
    )
