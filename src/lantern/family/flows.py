"""Family network use cases: each checks the access policy and audits the read or write."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from lantern.access import policy, visibility
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.common.errors import NotFound
from lantern.family import network, service
from lantern.family.history import adult_histories
from lantern.family.network import Member, Network
from lantern.family.rules import age_on, is_child
from lantern.family.schemas import MemberRead, NetworkChange, NetworkRead, RelationshipIn


def load(*, db: Session, actor: Actor, person_id: str, view: str) -> Network:
    """The network around a person, read under the policy; the read is audited against the person."""
    policy.require(actor, "person:read")
    built = network.build(db, person_id)
    if built.person is None:
        raise NotFound(f"no person {person_id}")
    detail = {"view": view, "members": len(built.members)}
    audit.record(db=db, actor=actor, action="read", object_type="person", object_id=person_id, detail=detail)
    return built


def read(*, db: Session, actor: Actor, person_id: str, on: datetime | None) -> NetworkRead:
    """Who lives with, cares for or is in contact with the person on a date (everyone ever when None)."""
    built = load(db=db, actor=actor, person_id=person_id, view="network")
    members = built.members_on(on)
    when = on or network.now()
    adults = [m.person_id for m in members if not _is_child(built, m, when)]
    viewer = visibility.viewer_for(db, actor, person_id)
    histories = {
        adult: [item for item in items if viewer.decide(item.type, item.source_agency) != "withheld"]
        for adult, items in adult_histories(db, adults).items()
    }
    return NetworkRead(
        person_id=person_id,
        name=service.display_name(built.person.given_name, built.person.family_name),  # type: ignore[union-attr]
        on=on,
        members=[as_read(built, m, when) for m in members],
        histories={adult: items for adult, items in histories.items() if items},
    )


def changes(*, db: Session, actor: Actor, person_id: str, since: datetime, until: datetime) -> NetworkChange:
    """Who joined, who left, and whose relation changed between two dates."""
    built = load(db=db, actor=actor, person_id=person_id, view="network changes")
    before = {m.person_id: m for m in built.members_on(since)}
    after = {m.person_id: m for m in built.members_on(until)}
    lived = {p for p, m in before.items() if m.lives_with_on(since)}
    lives = {p for p, m in after.items() if m.lives_with_on(until)}
    return NetworkChange(
        person_id=person_id,
        since=since,
        until=until,
        joined=[as_read(built, m, until) for p, m in after.items() if p not in before],
        left=[as_read(built, m, since) for p, m in before.items() if p not in after],
        changed=[as_read(built, after[p], until) for p in (lived ^ lives) & set(before) & set(after)],
    )


def record_relationship(*, db: Session, actor: Actor, person_id: str, relationship: RelationshipIn) -> None:
    """Record a relationship by hand; audited against both people."""
    policy.require(actor, "relationship:write")
    row = service.record_relationship(db=db, about_person_id=person_id, relationship=relationship, actor=actor)
    for subject in (person_id, relationship.person_id):
        audit.record(
            db=db,
            actor=actor,
            action="write",
            object_type="person",
            object_id=subject,
            detail={"relationship": row.id, "relation": row.relation, "of": row.person_id, "to": row.related_person_id},
        )


def _is_child(built: Network, member: Member, on: datetime) -> bool:
    return is_child(member.date_of_birth, on) or member.relation in {"sibling", "half_sibling", "other_child", "child"}


def as_read(built: Network, member: Member, on: datetime) -> MemberRead:
    """The API shape of a member on a date."""
    via = built.members.get(member.via) if member.via else None
    current = member.current_on(on)
    label = member.label if current or member.lasting_days < 0 else f"former {member.label}"
    if via is not None and member.history:
        label = f"{label} ({member.history[0]} {via.name})"
    return MemberRead(
        person_id=member.person_id,
        name=member.name,
        date_of_birth=member.date_of_birth,
        age=age_on(member.date_of_birth, on),
        relation=member.relation,
        relation_label=label,
        via_person_id=member.via,
        via_name=via.name if via else None,
        first_seen_at=member.first_seen,
        last_seen_at=member.last_seen,
        is_current=current,
        lives_with=member.lives_with_on(on),
        cares_for=member.cares and current,
        sources=sorted(member.sources),
        status=member.status,
    )
