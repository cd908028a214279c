"""Links between people: shared records (from the link summary written at ingestion), shared
addresses and relationships recorded by hand (read at query time); see docs/decisions.md."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from lantern.family import rules
from lantern.family.models import LinkSummary, Relationship
from lantern.people.models import PersonAddress

CHILD_ROLES = frozenset({"child", "child_present", "unborn", "pupil"})
ADDRESS_GRACE = timedelta(days=365)  # as `co_residents`: agencies record addresses only when they meet people
CHUNK = 500


@dataclass
class Link:
    """How `other` relates to a person: `other` is `relation` of them (or, when `inverse`, they are
    `relation` of `other`), seen from `first_seen` to `last_seen`, on the evidence in `sources`."""

    other: str
    relation: str
    inverse: bool
    first_seen: datetime
    last_seen: datetime
    sources: set[str] = field(default_factory=set)
    records: int = 0
    address_span: tuple[datetime, datetime] | None = None
    joined_at: datetime | None = None  # when the other person first appeared at a shared address

    def widen(self, first: datetime, last: datetime) -> None:
        """Stretch the span to cover more evidence."""
        self.first_seen, self.last_seen = min(self.first_seen, first), max(self.last_seen, last)


@dataclass
class Links:
    """Every link of each asked-for person, keyed by the other person; who was seen as a child."""

    of: dict[str, dict[str, Link]]
    seen_as_child: set[str]


def links_of(db: Session, person_ids: Collection[str], *, with_addresses: bool = True) -> Links:
    """All links of these people, the strongest relation per pair, spans widened over all evidence."""
    found = Links({p: {} for p in person_ids}, set())
    ids = list(person_ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        _from_records(db, chunk, found)
        if with_addresses:
            _from_addresses(db, chunk, found)
        _from_hand(db, chunk, found)
    return found


def _add(found: Links, person: str, other: str, relation: str, inverse: bool, first: datetime, last: datetime) -> Link:
    book = rules.rulebook()
    if book.relations[relation].converse == book.relations[relation].label:
        inverse = False  # symmetric
    link = found.of[person].get(other)
    if link is None:
        link = found.of[person][other] = Link(other, relation, inverse, first, last)
        return link
    if book.relations[relation].rank > book.relations[link.relation].rank:
        link.relation, link.inverse = relation, inverse
    link.widen(first, last)
    return link


def _from_records(db: Session, person_ids: list[str], found: Links) -> None:
    """Each pair of roles in each type of record, with dates, summed over the summary's rows (a merge
    can leave several rows per pair; a merged pair of one person's records is not a link)."""
    stmt = (
        select(
            LinkSummary.person_id,
            LinkSummary.role,
            LinkSummary.other_id,
            LinkSummary.other_role,
            LinkSummary.event_type,
            func.min(LinkSummary.first_at),
            func.max(LinkSummary.last_at),
            func.sum(LinkSummary.records),
        )
        .where(LinkSummary.person_id.in_(person_ids), LinkSummary.other_id != LinkSummary.person_id)
        .group_by(
            LinkSummary.person_id,
            LinkSummary.role,
            LinkSummary.other_id,
            LinkSummary.other_role,
            LinkSummary.event_type,
        )
    )
    book = rules.rulebook()
    for person, role, other, other_role, event_type, first, last, count in db.execute(stmt):
        if other_role in CHILD_ROLES:
            found.seen_as_child.add(other)
        if role in CHILD_ROLES:
            found.seen_as_child.add(person)
        forward = book.relation_for(other_role, role, event_type)
        backward = book.relation_for(role, other_role, event_type)
        for relation, inverse in ((forward, False), (backward, True)):
            if relation is not None:
                link = _add(found, person, other, relation, inverse, first, last)
                link.sources.add("records")
                link.records += count


def _from_addresses(db: Session, person_ids: list[str], found: Links) -> None:
    """People recorded at the same address (postcode and first line) over overlapping periods."""
    mine, theirs = aliased(PersonAddress), aliased(PersonAddress)
    stmt = (
        select(
            mine.person_id,
            theirs.person_id,
            mine.first_seen_at,
            mine.last_seen_at,
            theirs.first_seen_at,
            theirs.last_seen_at,
        )
        .join(
            theirs,
            and_(
                theirs.postcode == mine.postcode,
                theirs.line1_lower == mine.line1_lower,
                theirs.person_id != mine.person_id,
            ),
        )
        .where(mine.person_id.in_(person_ids), mine.line1_lower != "")
    )
    for person, other, my_first, my_last, their_first, their_last in db.execute(stmt):
        first, last = max(my_first, their_first), min(my_last, their_last)
        if first > last + ADDRESS_GRACE:
            continue  # they lived there at different times
        link = _add(found, person, other, "household_member", False, first, max(first, last))
        link.sources.add("address")
        link.joined_at = their_first if link.joined_at is None else min(link.joined_at, their_first)
        span = link.address_span
        link.address_span = (first, max(first, last)) if span is None else (min(span[0], first), max(span[1], last))


def _from_hand(db: Session, person_ids: list[str], found: Links) -> None:
    stmt = select(Relationship).where(
        or_(Relationship.person_id.in_(person_ids), Relationship.related_person_id.in_(person_ids))
    )
    asked = set(person_ids)
    for row in db.execute(stmt).scalars():
        first = _start_of(row.from_on) or row.recorded_at
        last = _start_of(row.to_on) or datetime.max.replace(tzinfo=UTC) - timedelta(days=400)
        if row.related_person_id in asked:  # row.person_id is `relation` of the asked person
            _add(found, row.related_person_id, row.person_id, row.relation, False, first, last).sources.add("by hand")
        if row.person_id in asked:
            _add(found, row.person_id, row.related_person_id, row.relation, True, first, last).sources.add("by hand")


def _start_of(day: date | None) -> datetime | None:
    return None if day is None else datetime.combine(day, time(), tzinfo=UTC)


def parents_of(links: Links, person_ids: Iterable[str]) -> dict[str, set[str]]:
    """Each person's parents (people linked to them as parent)."""
    return {
        p: {o for o, link in links.of.get(p, {}).items() if link.relation == "parent" and not link.inverse}
        for p in person_ids
    }
