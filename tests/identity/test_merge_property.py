"""unmerge(merge(x)) == x, for any two people's records (names, addresses, identifiers, events)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.audit.service import Actor
from lantern.db.base import Base
from lantern.events import service as events_service
from lantern.events.schemas import EventIn
from lantern.identity import merge
from lantern.people.models import Person
from tests.factories import event

ACTOR = Actor(id=None, name="tester", agency="csc", role="practitioner")
NAMES = st.sampled_from(["Amy", "Beth", "Cara", "Dan"])
POSTCODES = st.sampled_from(["OX11 7AB", "OX11 8CD", None])


def _person(given: str, family: str, postcode: str | None, local_id: str) -> dict[str, Any]:
    person: dict[str, Any] = {"given_name": given, "family_name": family, "local_id": local_id}
    if postcode:
        person["address"] = {"line1": "1 High Street", "postcode": postcode}
    return person


people_records = st.lists(st.tuples(NAMES, st.sampled_from(["Lowe", "Price"]), POSTCODES), min_size=1, max_size=4)


def _snapshot(db: Session) -> dict[str, list[tuple[Any, ...]]]:
    tables = [Base.metadata.tables[owned.table] for owned in merge.OWNED] + [Person.__table__]
    return {t.name: sorted(map(tuple, db.execute(select(t)).all()), key=repr) for t in tables}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(left=people_records, right=people_records)
def test_unmerge_restores_exactly_what_merge_changed(db: Session, exact_matching, left, right) -> None:  # type: ignore[no-untyped-def]
    db.rollback()
    events = [
        (
            i,
            EventIn.model_validate(
                event(
                    agency="education",
                    type_="school.concern",
                    summary="Concern.",
                    subjects=[{"role": "pupil", "person": _person(g, f, p, f"{side}-1")}],
                )
            ),
        )
        for side, records in (("L", left), ("R", right))
        for i, (g, f, p) in enumerate(records)
    ]
    events_service.store(db=db, events=events, actor=ACTOR)
    db.flush()
    owners = {row[0] for row in db.execute(select(Person.id))}
    assert len(owners) == 2  # each side's records share its local id
    kept, merged = sorted(owners)
    before = _snapshot(db)
    record = merge.merge(db, kept_id=kept, merged_id=merged, actor=ACTOR, reason="test")
    db.flush()
    assert _snapshot(db) != before
    merge.unmerge(db, merge_id=record.id, actor=ACTOR, reason="test")
    db.flush()
    assert _snapshot(db) == before
    db.rollback()
