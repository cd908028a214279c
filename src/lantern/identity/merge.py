"""Joining two people into one, and undoing it exactly.

A merge moves every row that belongs to the merged person onto the kept person and writes down
the primary key of each row it moved; undoing moves exactly those rows back. Rows the kept person
already has an equal of (the same name from the same agency, the same address) stay where they
are, so nothing is lost and nothing is duplicated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, and_, exists, select, tuple_, update
from sqlalchemy.orm import Session, aliased

from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.chronology import entries as chronology_entries
from lantern.common import clock
from lantern.common.errors import InvalidInput
from lantern.db import registry  # noqa: F401  (every domain's tables, so a merge from any code path finds OWNED)
from lantern.db.base import Base
from lantern.db.rows import found
from lantern.identity.models import PersonMerge
from lantern.people.models import Person


@dataclass(frozen=True)
class Owned:
    """A column that says which person a row belongs to, and what makes the row unique per person."""

    table: str
    column: str
    key: tuple[str, ...]  # primary key columns
    unique_with: tuple[str, ...] = ()  # with the person column, a unique constraint


OWNED: tuple[Owned, ...] = (
    Owned("event_subject", "person_id", ("event_id", "position")),
    Owned("person_identifier", "person_id", ("key",)),
    Owned("person_name", "person_id", ("id",), ("given_lower", "family_lower", "source_agency")),
    Owned("person_address", "person_id", ("id",), ("postcode", "line1_lower")),
    Owned("person_record", "person_id", ("id",), ("fingerprint",)),
    Owned("duty", "person_id", ("id",)),
    Owned("register_entry", "person_id", ("id",)),  # the register follows the person (register.watch)
    Owned("prebirth_assessment", "mother_id", ("id",)),
    Owned("break_glass", "person_id", ("id",)),
    Owned("casework_case", "person_id", ("id",)),  # a case follows the child
    Owned("casework_conference", "person_id", ("id",)),
    Owned("plan", "child_id", ("id",)),  # plans follow the child (plans.watch)
    Owned("plan_condition", "person_id", ("id",)),
    Owned("household_member_task", "person_id", ("id",), ("plan_id",)),
    Owned("family_link", "person_id", ("id",)),  # no unique key: readers sum the rows of a pair
    Owned("family_link", "other_id", ("id",)),
    Owned("review", "child_id", ("id",)),  # a serious-incident review follows the child
)
_CHUNK = 500


def merge(
    db: Session, *, kept_id: str, merged_id: str, actor: Actor, reason: str, probability: float | None = None
) -> PersonMerge:
    """Merge `merged_id` into `kept_id`; refused across different NHS numbers or for a merged person."""
    kept, merged = _person(db, kept_id), _person(db, merged_id)
    if kept_id == merged_id:
        raise InvalidInput([{"loc": ["person"], "msg": "a person cannot be merged with themselves"}])
    if kept.merged_into or merged.merged_into:
        raise InvalidInput([{"loc": ["person"], "msg": "one of these people has already been merged into another"}])
    if kept.nhs_number and merged.nhs_number and kept.nhs_number != merged.nhs_number:
        raise InvalidInput([{"loc": ["person"], "msg": "these people hold different NHS numbers: they are not merged"}])
    moved = {f"{owned.table}.{owned.column}": _move(db, owned, merged_id, kept_id) for owned in OWNED}
    _forget_entries_of(db, moved)
    merged.merged_into = kept_id
    record = PersonMerge(
        kept_id=kept_id,
        merged_id=merged_id,
        decided_by=actor.name,
        decided_at=clock.now(),
        reason=reason,
        match_probability=probability,
        moved=moved,
    )
    db.add(record)
    db.flush()
    audit.record(
        db=db,
        actor=actor,
        action="merge",
        object_type="person",
        object_id=kept_id,
        detail={"merged": merged_id, "merge_id": record.id, "reason": reason},
    )
    return record


def unmerge(db: Session, *, merge_id: int, actor: Actor, reason: str) -> PersonMerge:
    """Undo a merge: the rows it moved go back, and the merged person stands alone again."""
    record = found(db, PersonMerge, merge_id, "merge")
    if record.undone_at is not None:
        raise InvalidInput([{"loc": ["merge"], "msg": "this merge has already been undone"}])
    later = db.execute(
        select(PersonMerge.id).where(
            PersonMerge.kept_id == record.merged_id, PersonMerge.undone_at.is_(None), PersonMerge.id > record.id
        )
    ).first()
    if later is not None:
        raise InvalidInput([{"loc": ["merge"], "msg": f"undo merge {later[0]} first: it was made on top of this one"}])
    for owned in OWNED:
        _move_back(db, owned, record.moved.get(f"{owned.table}.{owned.column}", []), record.kept_id, record.merged_id)
    _forget_entries_of(db, record.moved)
    _person(db, record.merged_id).merged_into = None
    record.undone_at, record.undone_by, record.undo_reason = clock.now(), actor.name, reason
    audit.record(
        db=db,
        actor=actor,
        action="unmerge",
        object_type="person",
        object_id=record.kept_id,
        detail={"merged": record.merged_id, "merge_id": record.id, "reason": reason},
    )
    return record


def merges_of(db: Session, person_id: str) -> list[PersonMerge]:
    """Merges in which the person was kept or merged, newest first."""
    stmt = (
        select(PersonMerge)
        .where((PersonMerge.kept_id == person_id) | (PersonMerge.merged_id == person_id))
        .order_by(PersonMerge.id.desc())
    )
    return list(db.execute(stmt).scalars())


def _person(db: Session, person_id: str) -> Person:
    return found(db, Person, person_id, "person")


def _table(owned: Owned) -> Table:
    return Base.metadata.tables[owned.table]


def _forget_entries_of(db: Session, moved: dict[str, list[list[Any]]]) -> None:
    """The chronology keeps whom each record names: records whose subjects moved are written again."""
    chronology_entries.forget(db, (key[0] for key in moved.get("event_subject.person_id", [])))


def _move(db: Session, owned: Owned, from_id: str, to_id: str) -> list[list[Any]]:
    table = _table(owned)
    keys = [table.c[column] for column in owned.key]
    stmt = select(*keys).where(table.c[owned.column] == from_id)
    if owned.unique_with:
        theirs = aliased(table)
        stmt = stmt.where(
            ~exists().where(theirs.c[owned.column] == to_id, *(theirs.c[c] == table.c[c] for c in owned.unique_with))
        )
    rows = [list(row) for row in db.execute(stmt.order_by(*keys))]
    _set_owner(db, owned, rows, to_id, from_id)
    return rows


def _move_back(db: Session, owned: Owned, rows: Sequence[Sequence[Any]], kept_id: str, merged_id: str) -> None:
    _set_owner(db, owned, rows, merged_id, kept_id)


def _set_owner(db: Session, owned: Owned, rows: Sequence[Sequence[Any]], to_id: str, from_id: str) -> None:
    table = _table(owned)
    keys = [table.c[column] for column in owned.key]
    for start in range(0, len(rows), _CHUNK):
        chunk = [tuple(row) for row in rows[start : start + _CHUNK]]
        match = keys[0].in_([row[0] for row in chunk]) if len(keys) == 1 else tuple_(*keys).in_(chunk)
        db.execute(update(table).where(and_(match, table.c[owned.column] == from_id)).values({owned.column: to_id}))
