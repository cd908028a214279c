"""Reading a person's alerts: patterns evaluated on their current network first, read audited."""

from __future__ import annotations

from sqlalchemy.orm import Session

from lantern.access import policy
from lantern.alerts import service
from lantern.alerts.schemas import AlertRead
from lantern.audit import service as audit
from lantern.audit.service import Actor


def for_person(*, db: Session, actor: Actor, person_id: str) -> list[AlertRead]:
    """Evaluate the patterns on the person's network (new evidence updates stored alerts), then list."""
    policy.require(actor, "alert:read")
    service.evaluate(db=db, person_id=person_id)
    alerts = service.list_for(db=db, person_id=person_id)
    detail = {"view": "alerts", "alerts": len(alerts)}
    audit.record(db=db, actor=actor, action="read", object_type="person", object_id=person_id, detail=detail)
    return [AlertRead.model_validate(a, from_attributes=True) for a in alerts]
