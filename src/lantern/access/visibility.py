"""Record-level access against the database: the viewer's relationship to a person, emergency
(break-glass) openings and their review, and what a viewer cannot read, counted by agency.

The relationship is read from the tables that hold it (casework cases, plans, the event stream), in one
query of indexed look-ups, on every read of a person's records: relationships change (a case is handed
over, a plan ends) and access must follow at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import String, bindparam, case, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from lantern.access import policy
from lantern.access.models import BreakGlass
from lantern.access.records import TYPE_CATEGORY, Viewer, ask, category_of, withheld_sentence
from lantern.access.vocabulary import AGENCIES
from lantern.audit import service as audit
from lantern.audit.service import Actor
from lantern.casework.models import Case
from lantern.common import clock
from lantern.common.errors import Forbidden, InvalidInput, NotFound
from lantern.db.types import UTCDateTime
from lantern.events.models import Event, EventSubject
from lantern.events.vocabulary import EVENT_TYPES
from lantern.plans.models import Plan

BREAK_GLASS_HOURS = 4
CHILD_ROLES = ("child", "child_present", "unborn", "patient", "subject", "pupil")
REVIEW_OUTCOMES = ("justified", "not_justified")


def viewer_for(db: Session, actor: Actor, person_id: str) -> Viewer:
    """The actor as a reader of this person's records."""
    return Viewer(actor.agency, *_relation_and_emergency(db, actor, person_id))


def _relation_and_emergency(db: Session, actor: Actor, person_id: str) -> tuple[str, bool]:
    """The closest relationship the actor (or their agency) has to the person, and whether the actor holds an
    emergency opening of the record: one query, and a second for core groups when not allocated."""
    now = clock.now()
    found = {"person_id": person_id, "name": actor.name, "agency": actor.agency, "user_id": actor.id, "now": now}
    relation, emergency = db.execute(_RELATION, found).one()
    if relation != "allocated":
        groups = db.execute(_CORE_GROUPS, {"person_id": person_id}).scalars()
        if any(member.get("agency") == actor.agency for group in groups for member in group or []):
            relation = "core_group"
    return relation, bool(emergency)


# Built once: statements with aliases and subqueries cost more to build than to run (SQLAlchemy caches the SQL).
_PERSON, _NAME, _AGENCY = (bindparam(key, type_=String()) for key in ("person_id", "name", "agency"))
_CHILD, _MOTHER = aliased(EventSubject), aliased(EventSubject)
# The person's mother, as records naming them as a child and her as mother: the midwife, health visitor or GP
# caring for a mother cares for her baby too.
_MOTHERS = (
    select(_MOTHER.person_id)
    .join(_CHILD, _CHILD.event_id == _MOTHER.event_id)
    .where(_CHILD.person_id == _PERSON, _CHILD.role.in_(CHILD_ROLES), _MOTHER.role == "mother")
)
_HOLDS_OWN = select(Event.id).join(EventSubject, EventSubject.event_id == Event.id)
_HOLDS_MOTHERS = select(Event.id).join(EventSubject, EventSubject.event_id == Event.id)
_RELATION = select(
    case(
        (
            or_(
                exists().where(Case.person_id == _PERSON, Case.status == "open", or_(Case.worker == _NAME,
                                                                                    Case.manager == _NAME)),
                exists().where(Plan.child_id == _PERSON, Plan.status == "active",
                               or_(Plan.lead_professional == _NAME, Plan.manager == _NAME)),
            ),
            "allocated",
        ),
        (
            or_(
                _HOLDS_OWN.where(EventSubject.person_id == _PERSON, Event.source_agency == _AGENCY).exists(),
                _HOLDS_MOTHERS.where(EventSubject.person_id.in_(_MOTHERS), Event.source_agency == _AGENCY).exists(),
            ),
            "involved",
        ),
        else_="none",
    ),
    exists().where(
        BreakGlass.user_id == bindparam("user_id"), BreakGlass.person_id == _PERSON,
        BreakGlass.expires_at > bindparam("now", type_=UTCDateTime()),
    ),
)  # fmt: skip
_CORE_GROUPS = select(Plan.core_group).where(Plan.child_id == bindparam("person_id"), Plan.status == "active")


def active_break_glass(db: Session, actor: Actor, person_id: str) -> BreakGlass | None:
    """The actor's emergency opening of this person's record that has not yet expired."""
    if actor.id is None:
        return None
    stmt = select(BreakGlass).where(
        BreakGlass.user_id == actor.id, BreakGlass.person_id == person_id, BreakGlass.expires_at > clock.now()
    )
    return db.execute(stmt.order_by(BreakGlass.expires_at.desc()).limit(1)).scalars().first()


@dataclass(frozen=True)
class Withheld:
    """Records of one agency the viewer cannot read, and whom to ask."""

    agency: str
    count: int
    sentence: str


def withheld(db: Session, viewer: Viewer, person_ids: list[str]) -> list[Withheld]:
    """What exists about these people that the viewer cannot read, counted by agency; nothing of its content.
    Only the types the viewer cannot read from every agency are counted (none, for most CSC readers:
    no query at all)."""
    readable = set().union(*viewer.readable_types(list(EVENT_TYPES)))
    unreadable = [t for t in EVENT_TYPES if t not in readable]
    if not unreadable:
        return []
    stmt = (
        select(Event.type, Event.source_agency, func.count(func.distinct(Event.id)))
        .join(EventSubject, EventSubject.event_id == Event.id)
        .where(EventSubject.person_id.in_(person_ids), Event.type.in_(unreadable))
        .group_by(Event.type, Event.source_agency)
    )
    counts: dict[str, int] = {}
    for event_type, agency, count in db.execute(stmt):
        if viewer.decide(event_type, agency) == "withheld":
            counts[agency] = counts.get(agency, 0) + count
    return withheld_of(counts)


def withheld_of(counts: dict[str, int]) -> list[Withheld]:
    """Records the viewer cannot read, counted by agency, with whom to ask."""
    return [Withheld(agency, count, withheld_sentence(agency, count)) for agency, count in sorted(counts.items())]


def require_category(db: Session, actor: Actor, person_id: str, category: str) -> None:
    """Refuse a page or route that shows one category of the person's records (a growth chart: health
    records) to a viewer who may read none of it in full from another agency."""
    viewer = viewer_for(db, actor, person_id)
    sample = next((t for t, c in TYPE_CATEGORY.items() if c == category), None)
    if sample is not None and viewer.decide(sample, "") != "full":
        raise Forbidden(f"your relationship to this person does not give access to {category.replace('_', ' ')}")


def open_break_glass(*, db: Session, actor: Actor, person_id: str, reason: str) -> BreakGlass:
    """Open a person's record in an emergency with a stated reason: every category but sealed, for
    BREAK_GLASS_HOURS; audited and queued for review by the agency's Caldicott guardian."""
    policy.require(actor, "event:read")
    if actor.id is None or actor.role not in ("practitioner", "manager"):
        raise Forbidden("only practitioners and managers may open a record in an emergency")
    if len(reason.strip()) < 10:
        raise InvalidInput([{"loc": ["reason"], "msg": "say why this is an emergency (at least 10 characters)"}])
    if db.execute(select(EventSubject.person_id).where(EventSubject.person_id == person_id).limit(1)).first() is None:
        raise NotFound(f"no records of person {person_id}")
    now = clock.now()
    grant = BreakGlass(
        user_id=actor.id, username=actor.name, agency=actor.agency or "", person_id=person_id,
        reason=reason.strip(), opened_at=now, expires_at=now + timedelta(hours=BREAK_GLASS_HOURS),
    )  # fmt: skip
    db.add(grant)
    db.flush()
    detail = {"break_glass": grant.id, "reason": grant.reason, "until": grant.expires_at.isoformat()}
    audit.record(db=db, actor=actor, action="break_glass", object_type="person", object_id=person_id, detail=detail)
    return grant


def review_queue(*, db: Session, actor: Actor, include_reviewed: bool = False) -> list[BreakGlass]:
    """The emergency openings by the reviewer's agency, unreviewed first, newest first."""
    policy.require(actor, "break_glass:review")
    stmt = select(BreakGlass).where(BreakGlass.agency == actor.agency)
    if not include_reviewed:
        stmt = stmt.where(BreakGlass.reviewed_at.is_(None))
    return list(db.execute(stmt.order_by(BreakGlass.reviewed_at.is_not(None), BreakGlass.opened_at.desc())).scalars())


def review(*, db: Session, actor: Actor, grant_id: str, outcome: str, note: str) -> BreakGlass:
    """The Caldicott guardian's (or data protection lead's) finding on an emergency opening."""
    policy.require(actor, "break_glass:review")
    grant = db.get(BreakGlass, grant_id)
    if grant is None or grant.agency != actor.agency:
        raise NotFound(f"no emergency opening {grant_id} by your agency")
    if outcome not in REVIEW_OUTCOMES or not note.strip():
        raise InvalidInput([{"loc": ["outcome"], "msg": "say whether it was justified, and why"}])
    if grant.user_id == actor.id:
        raise Forbidden("an emergency opening is reviewed by someone other than the person who opened it")
    grant.reviewed_by, grant.reviewed_at, grant.review_outcome, grant.review_note = (
        actor.name,
        clock.now(),
        outcome,
        note.strip(),
    )
    detail = {"break_glass": grant.id, "outcome": outcome}
    audit.record(db=db, actor=actor, action="review", object_type="person", object_id=grant.person_id, detail=detail)
    return grant


def decide_event(db: Session, actor: Actor, event_type: str, source_agency: str, person_ids: list[str]) -> str:
    """How the actor reads one record naming these people: the most their relationships allow."""
    best = "withheld"
    for person_id in person_ids:
        decision = viewer_for(db, actor, person_id).decide(event_type, source_agency)
        if decision == "full":
            return decision  # no need to work out the relationship to the others
        best = "notice" if decision == "notice" else best
    return best


def notice_text(event_type: str, agency: str, occurred_at: datetime, label: str) -> str:
    """What a notice says of a record: that it exists, when, and whom to ask; no narrative."""
    when = f"{occurred_at:%-d %B %Y}"
    return (
        f"{AGENCIES.get(agency, agency)} recorded a {label.lower()} on {when}. This is a notice "
        f"({category_of(event_type).replace('_', ' ')}): for what happened, ask {ask(agency)}."
    )
