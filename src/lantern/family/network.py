"""The network around a child: who lives with, cares for or is in contact with them, on any date.

Three rounds of indexed look-ups: the child's own links; the links of the adults around the
child (their partners, their other children, their parents); and the parents of the other
children found, to tell siblings from half-siblings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lantern.common import clock
from lantern.events.models import Event, EventSubject
from lantern.family import rules
from lantern.family.links import ADDRESS_GRACE, Link, Links, links_of, parents_of
from lantern.family.service import display_name
from lantern.people.models import Person

AROUND = frozenset({"parent", "step_parent", "carer", "household_member", "partner", "parents_partner"})
MAX_MEMBERS = 300


@dataclass
class Member:
    """A person in the network and how they relate to the child (directly or through `via`)."""

    person_id: str
    relation: str  # a relation code; for an inverse link, the code of the converse (e.g. "child")
    label: str
    first_seen: datetime
    last_seen: datetime
    lasting_days: int
    sources: set[str]
    via: str | None = None
    lives_with_span: tuple[datetime, datetime] | None = None
    cares: bool = False
    rank: int = 0
    name: str = ""
    date_of_birth: date | None = None
    status: str | None = None
    history: list[str] = field(default_factory=list)
    joined_at: datetime | None = None

    @property
    def joined(self) -> datetime:
        """When this person first appeared around the child (at their address, or in a record)."""
        return min(self.joined_at or self.first_seen, self.first_seen)

    def current_on(self, on: datetime) -> bool:
        """Whether the evidence still stands on `on` (see `rules.is_current`)."""
        relation = rules.Relation(self.relation, self.label, "", self.lasting_days, self.rank)
        return rules.is_current(relation, self.first_seen, self.last_seen, on)

    def lives_with_on(self, on: datetime) -> bool:
        """Recorded at the child's address around `on`, or a current household member."""
        span = self.lives_with_span
        at_address = span is not None and span[0] <= on <= span[1] + ADDRESS_GRACE
        return at_address or (self.relation in {"household_member", "parents_partner"} and self.current_on(on))


@dataclass(frozen=True)
class PersonFacts:
    """What the network needs of a person (explicit columns: no more is read than is shown)."""

    id: str
    given_name: str | None
    family_name: str | None
    date_of_birth: date | None


def people_facts(db: Session, person_ids: list[str]) -> dict[str, PersonFacts]:
    """Names and dates of birth of these people."""
    columns = (Person.id, Person.given_name, Person.family_name, Person.date_of_birth)
    found: dict[str, PersonFacts] = {}
    for start in range(0, len(person_ids), 500):
        for row in db.execute(select(*columns).where(Person.id.in_(person_ids[start : start + 500]))):
            found[row[0]] = PersonFacts(*row)
    return found


@dataclass
class Network:
    """The child, and everyone ever linked to them; `members_on` narrows to a date."""

    person_id: str
    person: PersonFacts | None
    members: dict[str, Member]

    def members_on(self, on: datetime | None) -> list[Member]:
        """Members current on `on` (everyone ever, when None), closest relations first."""
        chosen = [m for m in self.members.values() if on is None or m.current_on(on)]
        return sorted(chosen, key=lambda m: (-m.rank, m.via is not None, m.first_seen))

    def people(self) -> list[str]:
        """The child and every member ever: the scope of a family chronology."""
        return [self.person_id, *self.members]


def build(db: Session, person_id: str, *, with_status: bool = True) -> Network:
    """Everyone ever linked to the person, with dates, relations and the evidence for each; and
    whether each child died, was adopted or is in care (a chronology, which does not show it,
    leaves that out: it reads every record of each child)."""
    book = rules.rulebook()
    direct = links_of(db, [person_id])
    members: dict[str, Member] = {}
    for link in direct.of[person_id].values():
        _offer(members, _member(book, link, via=None))
    adults = [m.person_id for m in members.values() if m.relation in AROUND and m.person_id not in direct.seen_as_child]
    second = links_of(db, adults, with_addresses=False)
    parents = {m.person_id for m in members.values() if m.relation == "parent"}
    candidates: set[str] = set()
    for adult in adults:
        for link in second.of[adult].values():
            if link.other == person_id or link.other in members and members[link.other].via is None:
                continue
            member = _second_hop(book, members[adult], link, adult in parents, second)
            if member is not None:
                _offer(members, member)
                if member.relation == "other_child" and adult in parents:
                    candidates.add(member.person_id)
    _classify_siblings(db, person_id, members, candidates, direct)
    _describe(db, members, with_status)
    return Network(person_id, people_facts(db, [person_id]).get(person_id), dict(list(members.items())[:MAX_MEMBERS]))


def _member(book: rules.Rulebook, link: Link, via: str | None) -> Member:
    relation = book.relations[link.relation]
    code, label = (
        (relation.converse.replace(" ", "_").replace("-", "_"), relation.converse)
        if link.inverse
        else (
            relation.code,
            relation.label,
        )
    )
    return Member(
        person_id=link.other,
        relation=code,
        label=label,
        first_seen=link.first_seen,
        last_seen=link.last_seen,
        lasting_days=relation.current_for_days,
        sources=set(link.sources),
        via=via,
        lives_with_span=link.address_span,
        joined_at=link.joined_at,
        cares=relation.cares and not link.inverse,
        rank=relation.rank,
    )


def _offer(members: dict[str, Member], member: Member) -> None:
    """Keep the closest relation per person; widen its span with the other's evidence."""
    held = members.get(member.person_id)
    if held is None or (held.via is not None and member.via is None) or member.rank > held.rank:
        if held is not None:
            member.first_seen, member.last_seen = (
                min(held.first_seen, member.first_seen),
                max(held.last_seen, member.last_seen),
            )
            member.sources |= held.sources
            member.lives_with_span = member.lives_with_span or held.lives_with_span
        members[member.person_id] = member


def _second_hop(book: rules.Rulebook, adult: Member, link: Link, is_parent: bool, second: Links) -> Member | None:
    """Someone linked to an adult around the child: their partner, their child, or their parent."""
    if link.relation in {"partner", "ex_partner"} and adult.relation != "partner":
        code = "parents_partner" if link.relation == "partner" else "ex_partner"
        return _via(book, link, adult, code, f"{book.relations[link.relation].label} of")
    if link.relation == "parent" and link.inverse:  # the adult is this person's parent
        return _via(book, link, adult, "other_child", "child of")
    if link.relation == "household_member" and link.other in second.seen_as_child:
        return _via(book, link, adult, "other_child", "child in the household of")
    if link.relation == "parent" and not link.inverse and is_parent:
        return _via(book, link, adult, "grandparent", "parent of")
    return None


def _via(book: rules.Rulebook, link: Link, adult: Member, code: str, phrase: str) -> Member:
    relation = book.relations[code]
    member = Member(
        person_id=link.other,
        relation=code,
        label=relation.label,
        first_seen=link.first_seen,
        last_seen=link.last_seen,
        lasting_days=book.relations[link.relation].current_for_days if code != "other_child" else -1,
        sources=set(link.sources),
        via=adult.person_id,
        rank=relation.rank,
    )
    member.history.append(phrase)
    return member


def _classify_siblings(
    db: Session, person_id: str, members: dict[str, Member], candidates: set[str], direct: Links
) -> None:
    """Other children of the child's parents are siblings or half-siblings (by their parents)."""
    if not candidates:
        return
    book = rules.rulebook()
    theirs = parents_of(links_of(db, candidates, with_addresses=False), candidates)
    mine = parents_of(direct, [person_id])[person_id]
    for other in candidates:
        code = rules.sibling_relation(mine & theirs[other], mine, theirs[other])
        member = members[other]
        member.relation, member.label, member.rank = code, book.relations[code].label, book.relations[code].rank
        member.lasting_days = -1


def _describe(db: Session, members: dict[str, Member], with_status: bool) -> None:
    """Names, dates of birth, and (`with_status`) whether each child died, was adopted or is in care."""
    ids = list(members)
    people = people_facts(db, ids)
    for member in members.values():
        person = people.get(member.person_id)
        if person is not None:
            member.name = display_name(person.given_name, person.family_name)
            member.date_of_birth = person.date_of_birth
    for person_id, status in (statuses(db, ids) if with_status else {}).items():
        members[person_id].status = status


def statuses(db: Session, person_ids: list[str]) -> dict[str, str]:
    """Deceased, adopted or in care, from death records and CSC decisions naming the person as the child."""
    texts: dict[str, list[str]] = {}
    died: set[str] = set()
    stmt = (
        select(EventSubject.person_id, Event.type, Event.payload)
        .join(Event, Event.id == EventSubject.event_id)
        .where(EventSubject.role.in_(("child", "subject", "patient")))
        .where(Event.type.in_(("child.death", "csc.assessment", "csc.conference", "csc.strategy_discussion")))
    )
    for start in range(0, len(person_ids), 500):
        for person_id, event_type, payload in db.execute(
            stmt.where(EventSubject.person_id.in_(person_ids[start : start + 500]))
        ):
            if event_type == "child.death":
                died.add(person_id)
            else:
                texts.setdefault(person_id, []).extend(str(payload.get(k, "")) for k in ("decision", "outcome"))
    found = {p: rules.child_status(p in died, texts.get(p, [])) for p in set(texts) | died}
    return {p: s for p, s in found.items() if s is not None}


def now() -> datetime:
    """Today, from the injectable clock."""
    return clock.now()
