"""Each adult's history with any agency: offences, and domestic abuse as victim or perpetrator
with every partner (the other party of each incident is named)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from lantern.events.models import Event, EventSubject
from lantern.events.vocabulary import EVENT_TYPES
from lantern.family.schemas import AdultHistoryItem
from lantern.family.service import display_name
from lantern.people.models import Person

HISTORY_TYPES = ("police.domestic_abuse_incident", "police.arrest", "police.conviction", "probation.supervision_start")
HISTORY_ROLES = ("victim", "perpetrator", "suspect", "offender")
OTHER_PARTY = {"victim": ("perpetrator", "suspect"), "perpetrator": ("victim",), "suspect": ("victim",)}


def adult_histories(db: Session, person_ids: Sequence[str]) -> dict[str, list[AdultHistoryItem]]:
    """Offences and domestic abuse of each adult, oldest first, with the other party named."""
    mine = aliased(EventSubject)
    stmt = (
        select(
            mine.person_id, mine.role, Event.id, Event.occurred_at, Event.type, Event.source_agency, Event.source_ref
        )
        .join(Event, Event.id == mine.event_id)
        .where(mine.person_id.in_(person_ids), mine.role.in_(HISTORY_ROLES), Event.type.in_(HISTORY_TYPES))
        .order_by(Event.occurred_at)
    )
    rows = list(db.execute(stmt))
    others = _other_parties(db, [row[2] for row in rows])
    found: dict[str, list[AdultHistoryItem]] = {p: [] for p in person_ids}
    for person_id, role, event_id, occurred_at, event_type, agency, ref in rows:
        other = next(
            (o for o in others.get(event_id, []) if o[1] in OTHER_PARTY.get(role, ()) and o[0] != person_id), None
        )
        found[person_id].append(
            AdultHistoryItem(
                event_id=event_id,
                occurred_at=occurred_at,
                type=event_type,
                type_label=EVENT_TYPES[event_type].label,
                role=role,
                source_agency=agency,
                source_ref=ref,
                other_person_id=other[0] if other else None,
                other_name=other[2] if other else None,
            )
        )
    return found


def _other_parties(db: Session, event_ids: list[str]) -> dict[str, list[tuple[str, str, str]]]:
    """(person id, role, name) of everyone named in each event."""
    grouped: dict[str, list[tuple[str, str, str]]] = {}
    for start in range(0, len(event_ids), 500):
        stmt = (
            select(
                EventSubject.event_id, EventSubject.person_id, EventSubject.role, Person.given_name, Person.family_name
            )
            .join(Person, Person.id == EventSubject.person_id)
            .where(EventSubject.event_id.in_(event_ids[start : start + 500]))
        )
        for event_id, person_id, role, given, family in db.execute(stmt):
            grouped.setdefault(event_id, []).append((person_id, role, display_name(given, family)))
    return grouped
