"""What each role sees first when signing in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lantern.access import policy, service
from lantern.access.models import User
from lantern.common import clock
from lantern.events import service as events_service
from lantern.events.models import Event, EventSubject
from lantern.people import service as people_service


@dataclass
class Board:
    """Figures and lists for the home page; empty parts are not shown."""

    can_search: bool
    people: int = 0
    events: int = 0
    agency_events_week: int = 0
    recent: list[Event] = field(default_factory=list)
    subjects: dict[str, list[EventSubject]] = field(default_factory=dict)
    users: list[User] = field(default_factory=list)


def for_user(*, db: Session, user: User) -> Board:
    """Build the home dashboard for the user's role."""
    actor = service.actor_for(user)
    board = Board(
        can_search=policy.can(actor, "person:read"),
        people=people_service.count(db=db),
        events=events_service.count(db=db),
    )
    if policy.can(actor, "event:read"):
        since = clock.now() - timedelta(days=7)
        board.agency_events_week = db.execute(
            select(func.count())
            .select_from(Event)
            .where(Event.source_agency == user.agency, Event.received_at >= since)
        ).scalar_one()
        board.recent = list(
            db.execute(
                select(Event)
                .where(Event.source_agency == user.agency)
                .order_by(Event.received_at.desc(), Event.occurred_at.desc())
                .limit(10)
            ).scalars()
        )
        board.subjects = events_service.subjects_of(db=db, event_ids=[e.id for e in board.recent])
    if policy.can(actor, "user:manage"):
        board.users = service.list_users(db=db)
    return board
