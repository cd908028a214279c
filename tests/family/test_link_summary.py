"""The family link summary kept at ingestion stays equal to the records it summarises, through a
merge and its undoing, and the network read from it follows identity resolution."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from lantern.audit.service import Actor
from lantern.config import get_settings
from lantern.events import service as events_service
from lantern.events.models import Event, EventSubject
from lantern.events.schemas import EventIn
from lantern.family import network
from lantern.family.models import LinkSummary
from lantern.identity import merge
from tests.factories import event, nhs, person

ACTOR = Actor(id=None, name="tester", agency="csc", role="practitioner")


@pytest.fixture(autouse=True)
def exact_matching(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Strong identifiers only: the mother's police and health records stay two people until merged."""
    monkeypatch.setenv("LANTERN_MATCHING", "exact")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _store(db: Session, *records: dict[str, Any]) -> list[str]:
    events = [(i, EventIn.model_validate(r)) for i, r in enumerate(records)]
    results = events_service.store(db=db, events=events, actor=ACTOR)
    db.flush()
    return [str(r.event_id) for r in results]


def _subject(db: Session, event_id: str, role: str) -> str:
    stmt = select(EventSubject.person_id).where(EventSubject.event_id == event_id, EventSubject.role == role)
    return db.execute(stmt).scalar_one()


def _summary(db: Session) -> set[tuple[Any, ...]]:
    """The summary as readers see it: rows summed per pair, a person's pair with themselves left out."""
    keys = (
        LinkSummary.person_id,
        LinkSummary.other_id,
        LinkSummary.role,
        LinkSummary.other_role,
        LinkSummary.event_type,
    )
    stmt = (
        select(*keys, func.min(LinkSummary.first_at), func.max(LinkSummary.last_at), func.sum(LinkSummary.records))
        .where(LinkSummary.person_id != LinkSummary.other_id)
        .group_by(*keys)
    )
    return {tuple(row) for row in db.execute(stmt)}


def _from_records(db: Session) -> set[tuple[Any, ...]]:
    """Each pair of people named together in the stored records, by roles and type, with dates and a count."""
    mine, theirs = aliased(EventSubject), aliased(EventSubject)
    keys = (mine.person_id, theirs.person_id, mine.role, theirs.role, Event.type)
    stmt = (
        select(*keys, func.min(Event.occurred_at), func.max(Event.occurred_at), func.count())
        .join(theirs, and_(theirs.event_id == mine.event_id, theirs.person_id != mine.person_id))
        .join(Event, Event.id == mine.event_id)
        .group_by(*keys)
    )
    return {tuple(row) for row in db.execute(stmt)}


def test_summary_and_network_follow_a_merge_and_its_undoing(db: Session) -> None:
    mother = person("Kerry", "Hartley", date_of_birth="1992-05-11", nhs_number=nhs(211))
    birth = event(
        agency="midwifery",
        type_="birth.notification",
        summary="Baby born.",
        subjects=[
            {"role": "mother", "person": mother},
            {"role": "child", "person": person("Ava", "Hartley", date_of_birth="2024-03-02", nhs_number=nhs(212))},
        ],
    )
    incident = event(
        agency="police",
        type_="police.domestic_abuse_incident",
        summary="DA incident.",
        subjects=[
            {"role": "victim", "person": person("Kerry", "Hartley", date_of_birth="1992-05-11", pnc_id="24/1A")},
            {"role": "perpetrator", "person": person("Lee", "Brannan", date_of_birth="1988-02-03", pnc_id="24/2B")},
        ],
    )
    birth_id, incident_id = _store(db, birth, incident)
    baby, kept = _subject(db, birth_id, "child"), _subject(db, birth_id, "mother")
    police_mother, partner = _subject(db, incident_id, "victim"), _subject(db, incident_id, "perpetrator")
    assert kept != police_mother
    assert partner not in network.build(db, baby).members

    made = merge.merge(db, kept_id=kept, merged_id=police_mother, actor=ACTOR, reason="same mother")
    db.flush()
    assert _summary(db) == _from_records(db)
    assert network.build(db, baby).members[partner].relation == "parents_partner"

    merge.unmerge(db, merge_id=made.id, actor=ACTOR, reason="not the same")
    db.flush()
    assert _summary(db) == _from_records(db)
    assert partner not in network.build(db, baby).members
