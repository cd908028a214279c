"""Reading and answering duties: policy, minimum necessary content, audit."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from lantern.access import policy
from lantern.access.vocabulary import AGENCIES
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.common import clock
from lantern.duties import delivery, service
from lantern.duties.models import Duty
from lantern.duties.schemas import DeliveryRead, DutyRead, TransitionRead


def as_read(
    duty: Duty, actor: Actor, history: Sequence[TransitionRead] = (), deliveries: Sequence[DeliveryRead] = ()
) -> DutyRead:
    """The duty as this actor may see it: content only for the two agencies and reviewers."""
    sees_content = actor.agency in {duty.recipient_agency, duty.from_agency} or actor.role == "reviewer"
    done_at = duty.acknowledged_at or clock.now()
    return DutyRead(
        **{
            c: getattr(duty, c)
            for c in DutyRead.model_fields
            if hasattr(duty, c) and c not in {"content", "history", "deliveries", "about_name"}
        },
        recipient=f"{AGENCIES.get(duty.recipient_agency, duty.recipient_agency)}: {duty.recipient_team}",
        is_late=done_at > duty.due_at,
        content=duty.content if sees_content else None,
        about_name=_about_name(duty) if sees_content else None,
        history=list(history),
        deliveries=list(deliveries),
    )


def _about_name(duty: Duty) -> str | None:
    """The name of the person the duty is about, from the duty's own content."""
    named = [duty.content.get("child"), duty.content.get("person"), *duty.content.get("children", [])]
    for person in named:
        if isinstance(person, dict) and person.get("person_id") == duty.person_id:
            return str(person.get("name"))
    return None


def list_for(
    *, db: Session, actor: Actor, person_id: str | None, statuses: Sequence[str] | None, with_history: bool = False
) -> list[DutyRead]:
    """Duties the actor may list: all about a person they may read, else their own agency's.

    `with_history` adds each duty's transitions and its deliveries outside Lantern.
    """
    policy.require(actor, "duty:read")
    agency = None if person_id or actor.role == "reviewer" else actor.agency
    duties = service.list_duties(db=db, person_id=person_id, statuses=statuses, agency=agency)
    if person_id:
        audit.record(
            db=db, actor=actor, action="read", object_type="person", object_id=person_id, detail={"duties": len(duties)}
        )
    ids = [d.id for d in duties]
    history = service.transitions(db=db, duty_ids=ids) if with_history else {}
    sent = delivery.for_duties(db=db, duty_ids=ids) if with_history else {}
    return [
        as_read(
            d,
            actor,
            [TransitionRead.model_validate(t, from_attributes=True) for t in history.get(d.id, [])],
            [DeliveryRead.model_validate(s, from_attributes=True) for s in sent.get(d.id, [])],
        )
        for d in duties
    ]
