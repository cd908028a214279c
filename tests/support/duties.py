"""What the duty rules say the stored events owe, to check the duties actually raised."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.duties import rules as duty_rules
from lantern.duties import service
from lantern.duties.models import Duty
from lantern.events.models import Event

DutyKey = tuple[str, str, str]  # (rule code, event id, person id or "")


def owed(db: Session) -> set[DutyKey]:
    """The (rule, event, person) of every duty the rules create for the stored events."""
    event_ids = list(db.execute(select(Event.id)).scalars())
    rules_by_type = duty_rules.default_rules()
    return {
        (draft.rule.code, facts.id, draft.about.person_id if draft.about else "")
        for facts in service.facts_for(db=db, event_ids=event_ids)
        for draft in duty_rules.evaluate(facts, rules_by_type)
    }


def raised(db: Session) -> set[DutyKey]:
    """The (rule, event, person) of every stored duty."""
    return {tuple(row) for row in db.execute(select(Duty.rule_code, Duty.event_id, Duty.person_key))}  # type: ignore[misc]
