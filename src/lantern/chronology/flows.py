"""Chronology use cases: read (person or family scope) under the policy, every read audited
against each person whose records it shows; significance set by practitioners; the glossary."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from typing import Any, Literal

import orjson
from sqlalchemy.orm import Session

from lantern.access import policy, visibility
from lantern.access.visibility import Withheld
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.chronology import entries, service
from lantern.chronology.entries import Filters, Listing
from lantern.common import clock
from lantern.common.errors import NotFound
from lantern.family import network
from lantern.family.service import display_name

Scope = Literal["person", "family"]


PAGE_SIZE = 100  # entries on one page: a practitioner reads a page, then filters or moves on


@dataclass
class Chronology:
    """What a chronology covers, and its entries (one page of them, or all), ready for JSON, a
    page or an export."""

    person_id: str
    name: str
    scope: Scope
    generated_at: datetime
    covers: str
    people: list[dict[str, str]]
    listing: Listing
    page: int | None
    withheld: list[Withheld] = field(default_factory=list)
    emergency: bool = False  # read under an emergency opening (break-glass)

    @property
    def count(self) -> int:
        """How many records match the filters (on every page)."""
        return self.listing.count

    @property
    def unexplained(self) -> list[str]:
        """Every token the jargon lint found, across all the entries that match."""
        return self.listing.unexplained

    @cached_property
    def entries(self) -> list[dict[str, Any]]:
        """The entries shown, as dicts for a template or an export."""
        return [entries.entry_dict(shown) for shown in self.listing.shown]

    @property
    def pages(self) -> int:
        """How many pages the matching entries fill."""
        return max(1, -(-self.count // PAGE_SIZE))

    def to_json(self) -> bytes:
        """The API's JSON (ChronologyRead). Each entry's kept JSON is written into the response as it is,
        in one copy: 10,000 entries are 10 MB, and each copy of them costs milliseconds."""
        head = orjson.dumps(
            {
                "person_id": self.person_id,
                "name": self.name,
                "scope": self.scope,
                "generated_at": self.generated_at,
                "covers": self.covers,
                "people": self.people,
                "count": self.count,
                "page": self.page,
                "pages": self.pages,
                "unexplained": self.unexplained,
                "withheld": [{"agency": w.agency, "count": w.count, "sentence": w.sentence} for w in self.withheld],
                "emergency": self.emergency,
            }
        )
        parts = [head[:-1], b',"entries":[']
        for shown in self.listing.shown:
            parts += (shown, b",")
        if self.listing.shown:
            parts.pop()
        parts.append(b"]}")
        return b"".join(parts)


def read(
    *, db: Session, actor: Actor, person_id: str, scope: Scope, filters: Filters, page: int | None = None
) -> Chronology:
    """Every record about the person (or their whole network), merged in time order: all of them,
    or one page of PAGE_SIZE."""
    policy.require(actor, "person:read")
    policy.require(actor, "event:read")
    built = network.build(db, person_id, with_status=False) if scope == "family" else None
    person = built.person if built else network.people_facts(db, [person_id]).get(person_id)
    if person is None:
        raise NotFound(f"no person {person_id}")
    name = display_name(person.given_name, person.family_name)
    people = [{"person_id": person_id, "name": name, "relation": "subject of the chronology"}]
    if built is not None:
        people += [{"person_id": m.person_id, "name": m.name, "relation": m.label} for m in built.members_on(None)]
    window = None if page is None else slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
    reader = visibility.viewer_for(db, actor, person_id)
    scope_ids = [p["person_id"] for p in people]
    found = service.listing(db=db, person_ids=scope_ids, filters=replace(filters, reader=reader), window=window)
    _audit(db, actor, person_id, scope, people, len(found.shown))
    covers = _covers(name, scope, len(people), filters)
    withheld = visibility.withheld_of(found.withheld)
    return Chronology(person_id, name, scope, clock.now(), covers, people, found, page, withheld, reader.break_glass)


def _covers(name: str, scope: Scope, people: int, filters: Filters) -> str:
    whose = f"{name} and {people - 1} people in their family network" if scope == "family" else name
    parts = [f"Every agency's records about {whose}"]
    asked = {k: v for k, v in filters.asked.items() if v}
    if asked:
        parts.append("filtered by " + "; ".join(f"{k} {v}" for k, v in asked.items()))
    return ", ".join(parts) + "."


def _audit(db: Session, actor: Actor, person_id: str, scope: Scope, people: list[dict[str, str]], shown: int) -> None:
    """One entry for the subject, and one for each other person whose records were shown."""
    detail = {"view": "chronology", "scope": scope, "entries": shown, "people": len(people)}
    audit.record(db=db, actor=actor, action="read", object_type="person", object_id=person_id, detail=detail)
    for other in people[1:]:
        audit.record(
            db=db,
            actor=actor,
            action="read",
            object_type="person",
            object_id=other["person_id"],
            detail={"view": "family chronology", "of": person_id},
        )


def set_significance(*, db: Session, actor: Actor, event_id: str, level: str, reason: str) -> None:
    """A practitioner sets a record's significance; audited against the people it names."""
    policy.require(actor, "significance:write")
    service.set_significance(db=db, event_id=event_id, level=level, reason=reason, actor=actor)
    audit.record(
        db=db, actor=actor, action="write", object_type="event", object_id=event_id, detail={"significance": level}
    )


def save_term(*, db: Session, actor: Actor, term: str, plain: str) -> None:
    """An administrator adds, changes or removes a glossary term."""
    policy.require(actor, "glossary:manage")
    service.save_term(db=db, term=term, plain=plain, actor=actor)
    audit.record(db=db, actor=actor, action="write", object_type="glossary", object_id=term, detail={"plain": plain})
